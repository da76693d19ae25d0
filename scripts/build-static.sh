#!/usr/bin/env bash
# Builds the uvtool binary that ships: release profile, linked static-pie
# against glibc, and prints its path. scripts/release.sh packs it and
# scripts/bench.sh measures it, so the published figures are this binary's.
#
#   scripts/build-static.sh                            # x86_64-unknown-linux-gnu
#   scripts/build-static.sh aarch64-unknown-linux-gnu  # with a cross linker in the
#                                                      # environment (release.sh sets it)
#
# How: rustc's own switch, `-C target-feature=+crt-static`, with an explicit
# `--target`. With `--target`, cargo gives these flags to the target's crates
# only; build scripts and proc macros are built for the host as usual (proc
# macros cannot be static: without `--target` they would fail to build). The
# result is a static-pie executable (ASLR kept) that starts without the
# dynamic loader: one-shot commands cost 0.6x to 0.8x the CPU of an ordinary
# dynamic build (docs/PERFORMANCE.md, "Static-pie"). It needs glibc's static
# library (Debian: libc6-dev; Fedora: glibc-static); the script fails, saying
# so, when the link is not static. It never falls back.
#
# The binary lands in ${CARGO_TARGET_DIR:-target}/TRIPLE/release/uvtool. A
# plain `cargo build --release` (target/release/uvtool) is untouched by this
# script and stays dynamic.
set -euo pipefail
cd "$(dirname "$0")/.."
triple=${1:-x86_64-unknown-linux-gnu}
[ $# -le 1 ] || { echo "usage: scripts/build-static.sh [TRIPLE]" >&2; exit 2; }
var="CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
flags="-C target-feature=+crt-static"
echo "build-static: $var=\"$flags\" cargo build --release --locked --bin uvtool --target $triple" >&2
env "$var=$flags" cargo build --release --locked --bin uvtool --target "$triple" >&2
bin="${CARGO_TARGET_DIR:-target}/$triple/release/uvtool"
desc=$(file -b "$bin")
case "$desc" in
  *"static-pie linked"* | *"statically linked"*) ;;
  *)
    echo "build-static: $bin is not static ($desc)." >&2
    echo "build-static: install glibc's static library (Debian: libc6-dev; Fedora: glibc-static)," >&2
    echo "build-static: and unset RUSTFLAGS, which replaces $var" >&2
    exit 1
    ;;
esac
echo "$bin"
