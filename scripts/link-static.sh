#!/usr/bin/env bash
# The linker for x86_64-unknown-linux-gnu (see .cargo/config.toml): links
# executables as static-pie against glibc, which removes the dynamic loader's
# work at every start (loading libc and libgcc_s, about 9,500 relocations and
# 170 symbol look-ups: a third of `uvtool --version`). Shared objects (proc
# macros) are linked unchanged. When the static link fails (a system without
# glibc's static libraries, e.g. no glibc-static package), or with
# UVTOOL_LINK_DYNAMIC=1, the executable is linked as rustc asked (dynamic).
#
# rustc asks for a dynamic PIE: `-pie`, `-Wl,-Bdynamic -lgcc_s ... -lc`. The
# static-pie link uses the same objects with `-static-pie` and glibc's and
# libgcc's static archives (`-lgcc_eh` for unwinding). Name resolution
# (`--jwks-url`) keeps working: glibc 2.34 and later have the files and dns
# NSS modules built in, and other NSS modules are loaded from the glibc
# this binary was built against (the same machine, for `cargo install`).
set -u
CC=${UVTOOL_LINK_CC:-cc}
for a in "$@"; do
  if [ "$a" = -shared ]; then
    exec "$CC" "$@"
  fi
done
if [ "${UVTOOL_LINK_DYNAMIC:-0}" = 1 ]; then
  exec "$CC" "$@"
fi
# A sanitizer runtime (cargo fuzz) intercepts libc's functions through the
# dynamic loader: a static link leaves them unresolved and the fuzz target
# dies at start ("real_memcpy != 0"). Such executables link as asked.
for a in "$@"; do
  case "$a" in
    *rt.asan*|*rt.msan*|*rt.tsan*|*rt.lsan*|-fsanitize=*) exec "$CC" "$@" ;;
  esac
done
args=()
for a in "$@"; do
  case "$a" in
    -pie) a=-static-pie ;;
    -lgcc_s) a=-lgcc_eh ;;
    -Wl,-Bdynamic) a=-Wl,-Bstatic ;;
  esac
  args+=("$a")
done
# Packed relative relocations (DT_RELR): the 12,000 relocations' table
# shrinks from 290 KB to 4 KB, so a start reads 70 fewer pages (BENCHMARKS.md).
# Only with glibc 2.36 or later, whose static-pie start-up applies DT_RELR (an
# older libc.a would start with its pointers unrelocated; binutils 2.38 takes
# the flag on such systems, e.g. Ubuntu 22.04); a linker without the flag
# gets the plain static-pie link.
extra=()
read -r maj min < <(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
if [ -n "${maj:-}" ] && { [ "$maj" -gt 2 ] || { [ "$maj" -eq 2 ] && [ "$min" -ge 36 ]; }; }; then
  extra=(-Wl,-z,pack-relative-relocs)
fi
# With lld (rustc's default linker on this target since Rust 1.90), the
# functions that `--version`, `verify`, `decode` and `mint` run are placed
# together at the start of .text (scripts/symbol-order.txt, made by
# scripts/symbol-order.sh): a one-shot run then touches a few dozen
# contiguous pages of code instead of pages spread over 6 MB, which halves its
# code page faults (BENCHMARKS.md). Names the binary no longer has (after a
# toolchain or dependency update changes Rust's symbol hashes) are skipped.
order="$(dirname "$0")/symbol-order.txt"
for a in "$@"; do
  if [ "$a" = -fuse-ld=lld ] && [ -f "$order" ]; then
    extra+=("-Wl,--symbol-ordering-file=$order" -Wl,--no-warn-symbol-ordering)
    break
  fi
done
err="${TMPDIR:-/tmp}/uvtool-link-static.$$.err"
if { [ ${#extra[@]} -gt 0 ] && "$CC" "${args[@]}" "${extra[@]}" 2>"$err"; } ||
  "$CC" "${args[@]}" 2>"$err"; then
  rm -f "$err"
  exit 0
fi
echo "uvtool link: static-pie link failed, linking dynamically:" >&2
sed 's/^/  /' "$err" | head -5 >&2
rm -f "$err"
exec "$CC" "$@"
