#!/usr/bin/env bash
# The rust-version of Cargo.toml is true for the locked tree: it is at least
# every locked crate's declared rust-version, and the crate, its tests and
# benches type-check with exactly that toolchain (installed with rustup when
# missing; on a machine where rustup cannot download it, the first check
# still runs and the second is skipped with a message).
#
# Not part of scripts/test.sh: the check builds aws-lc's C code once more
# for that toolchain (minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ -n "$msrv" ] || { echo "msrv: no rust-version in Cargo.toml" >&2; exit 2; }

echo "== the locked crates' declared rust-version (highest first)"
cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
msrv = tuple(int(x) for x in sys.argv[1].split("."))
d = json.load(sys.stdin)
rows = sorted(
    ((tuple(int(x) for x in p["rust_version"].split(".")), p["name"], p["version"])
     for p in d["packages"] if p.get("rust_version")),
    reverse=True,
)
for v, name, ver in rows[:5]:
    print("  %-12s %s %s" % (".".join(map(str, v)), name, ver))
high = rows[0][0]
if high[:2] > msrv[:2]:
    sys.exit("msrv: %s needs %s, above rust-version %s" % (rows[0][1], ".".join(map(str, high)), sys.argv[1]))
print("rust-version %s covers them" % sys.argv[1])
' "$msrv"

toolchain="$msrv.0"
[[ "$msrv" == *.*.* ]] && toolchain=$msrv
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1 &&
  ! rustup toolchain install "$toolchain" --profile minimal; then
  echo "msrv: toolchain $toolchain cannot be installed here: checked by reading only" >&2
  exit 0
fi
echo "== cargo +$toolchain check --locked --all-targets"
cargo "+$toolchain" check --locked --all-targets
echo "msrv: $toolchain builds the crate, its tests and benches"
