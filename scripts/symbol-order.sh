#!/usr/bin/env bash
# Writes scripts/symbol-order.txt: the functions a one-shot `uvtool` runs,
# which scripts/link-static.sh hands to lld (--symbol-ordering-file) so that
# they sit together at the start of .text. A one-shot run then faults in a
# few dozen contiguous code pages instead of pages spread over 6 MB
# (BENCHMARKS.md, "Code layout").
#
#   scripts/symbol-order.sh          # rewrite the file (needs valgrind)
#   scripts/symbol-order.sh --check  # how many listed names the release binary has
#
# Run it after a toolchain or dependency update: Rust's symbol names carry a
# hash that changes with them, and names the binary no longer has are skipped
# by the linker (the binary stays correct, only its code layout is worse).
# The functions are those callgrind sees in --version, verify (--jwks and
# --key), decode, mint, and a batch verify and mint, each scenario's
# functions by cost, scenarios in that order. Valgrind reports the CPU
# features of its own virtual CPU, so some hand-written assembly variants
# differ from the ones a real CPU runs; each assembly file is one section,
# so naming one of its functions places all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=scripts/symbol-order.txt
U=${CARGO_TARGET_DIR:-target}/release/uvtool

if [ "${1:-}" = --check ]; then
  [ -x "$U" ] || cargo build --release --quiet
  total=$(grep -c . "$OUT")
  have=$(nm "$U" 2>/dev/null | awk '{print $NF}' | sort -u | comm -12 - <(sort -u "$OUT") | wc -l)
  echo "symbol-order: $have of $total names in $OUT are in $U"
  exit 0
fi
[ $# -eq 0 ] || { echo "usage: scripts/symbol-order.sh [--check]" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "symbol-order: needs valgrind (apt-get install valgrind)" >&2; exit 1; }

cargo build --release --quiet
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$U" keygen --out-dir "$W/k" >/dev/null 2>&1
KID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"][0]["kid"])' "$W/k/jwks.json")
TOK=$("$U" mint --key "$W/k/private.pem" --kid "$KID" --sub alice --iss https://order.example.com 2>/dev/null)
seq -f 'user-%04g' 1 50 >"$W/subs"
"$U" mint --key "$W/k/private.pem" --kid "$KID" --iss https://order.example.com --sub-file "$W/subs" >"$W/toks" 2>/dev/null

run() { # NAME [< FILE] COMMAND...
  local name=$1 input=/dev/null
  shift
  if [ "$1" = "<" ]; then input=$2; shift 2; fi
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$W/cg.$name" "$@" <"$input" >/dev/null 2>&1
}
run version "$U" --version
run verify "$U" verify --jwks "$W/k/jwks.json" "$TOK"
run verifykey "$U" verify --key "$W/k/public.pem" "$TOK"
run decode "$U" decode "$TOK"
run mint "$U" mint --key "$W/k/private.pem" --kid "$KID" --sub alice --iss https://order.example.com
run batch "<" "$W/toks" "$U" verify --jwks "$W/k/jwks.json"
run bmint "$U" mint --key "$W/k/private.pem" --kid "$KID" --iss https://order.example.com --sub-file "$W/subs"

python3 - "$W" "$OUT" <<'EOF'
import re, subprocess, sys
w, out = sys.argv[1], sys.argv[2]
order, seen = [], set()
for scenario in ["version", "verify", "verifykey", "decode", "mint", "batch", "bmint"]:
    text = subprocess.run(["callgrind_annotate", "--threshold=100", f"{w}/cg.{scenario}"],
                          capture_output=True, text=True, check=True).stdout
    for line in text.splitlines():
        m = re.match(r"\s*[\d,]+ \([ \d.]+%\)\s+[^:\s]*:(\S+)\s+\[", line)
        if not m:
            continue
        name = re.sub(r"'\d+$", "", m.group(1))  # callgrind's recursion marker
        if name.startswith(("(", "0x")) or name in seen:
            continue
        seen.add(name)
        order.append(name)
open(out, "w").write("\n".join(order) + "\n")
print(f"symbol-order: {len(order)} functions written to {out}")
EOF
