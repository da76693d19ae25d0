#!/usr/bin/env bash
# Side-by-side speed of uvtool, openssl and peer CLIs, in one run on one
# machine, reported as ratios (shared machines are noisy; ratios from the
# same run are what mean something). Writes the table into
# docs/PERFORMANCE.md, between its "bench:start" and "bench:end" markers
# (the previous table stays in git's history).
#
#   scripts/bench.sh              # a few minutes
#   scripts/bench.sh --backends   # also the rsa-crate vs aws-lc-rs comparison
#   BENCH_QUICK=1 scripts/bench.sh  # fewer runs, for trying the script
#   BENCH_BIN=PATH scripts/bench.sh # measure that uvtool binary (e.g. an older
#                                   # build) instead; prints the table only
#
# uvtool is the binary that ships (scripts/build-static.sh: static-pie). The
# peers do the same work: every minter makes an RS256 token with kid, sub,
# iss, iat and exp (jwt-cli's `encode` needs `-e=+1h` for an exp; without it
# the token has none, which the platform refuses (T5), so that command is
# shown as a reference row only), and every verifier checks the signature.
#
# Installs what it needs when missing: the golang-jwt CLI (Debian package
# `jwt`), GNU time and hyperfine with apt-get, and jwt-cli (a Rust crate)
# with `cargo install` into .bench-tools/. Processes are timed by
# scripts/bench-pairs.py in alternating rounds (medians). The floor of the
# one-shot mint target and the ceilings of the batch targets are measured in
# the same rounds (benches/backend-compare/src/bin/floor.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

BACKENDS=0
for a in "$@"; do
  case "$a" in
    --backends) BACKENDS=1 ;;
    *) echo "usage: scripts/bench.sh [--backends]" >&2; exit 2 ;;
  esac
done
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
  SPEED_SECS=1; ONESHOT_RUNS=15; BATCH_RUNS=2; KEYGEN_RUNS=10; BIG=100000
else
  SPEED_SECS=3; ONESHOT_RUNS=40; BATCH_RUNS=5; KEYGEN_RUNS=20; BIG=100000
fi
NV=20000 # tokens in the batch verify
NM=4000  # tokens in the batch mint

need_apt=()
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
[ -x /usr/bin/jwt ] || need_apt+=(jwt)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bench: installing ${need_apt[*]}" >&2
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
GOJWT=/usr/bin/jwt
# jwt-cli (the Rust crate; its binary is also called `jwt`): built once into
# .bench-tools/ (ignored by git), pinned so that runs compare like with like.
JWTCLI_VERSION=6.2.0
JWTCLI="$ROOT/.bench-tools/bin/jwt"
if ! "$JWTCLI" --version 2>/dev/null | grep -q "^jwt $JWTCLI_VERSION"; then
  echo "bench: installing jwt-cli $JWTCLI_VERSION into .bench-tools/ (a few minutes, once)" >&2
  cargo install --quiet --locked --version "$JWTCLI_VERSION" jwt-cli --root "$ROOT/.bench-tools" >&2
fi

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
if [ -n "${BENCH_BIN:-}" ]; then
  U=$(cd "$(dirname "$BENCH_BIN")" && pwd)/$(basename "$BENCH_BIN")
else
  echo "bench: building the release binary (scripts/build-static.sh)" >&2
  U=$(scripts/build-static.sh)
  case "$U" in /*) ;; *) U="$ROOT/$U" ;; esac
fi
echo "bench: uvtool is $U ($(file -b "$U" | cut -d, -f1-4))" >&2
# The floor or ceiling of three targets (benches/backend-compare/src/bin/floor.rs):
# aws-lc doing only the signature work, timed in the same rounds as uvtool.
echo "bench: building benches/backend-compare (floor)" >&2
(cd benches/backend-compare && CARGO_TARGET_DIR="$TARGET_DIR/backend-compare" cargo build --release --quiet --bin floor)
FLOOR="$TARGET_DIR/backend-compare/release/floor"
PAIRS=(python3 "$ROOT/scripts/bench-pairs.py")

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
NOW=$(date +%s)
NOWISO=$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)
# A key made by keygen: its JWKS has kid, alg, use and x5c, and the tokens
# carry sub, iss and kid, so they are valid under every verify profile.
"$U" keygen --out-dir "$W/kg" >/dev/null 2>&1
KEY="$W/kg/private.pem"
PUB="$W/kg/public.pem"
JWKS="$W/kg/jwks.json"
KID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys"][0]["kid"])' "$JWKS")
ISS=https://bench.example.com

# --- one-shot processes -----------------------------------------------------
printf '{"sub":"alice","iss":"%s","iat":%s,"exp":%s}' "$ISS" "$NOW" "$((NOW + 3600))" >"$W/claims.json"
"$U" mint --key "$KEY" --kid "$KID" --sub alice --iss "$ISS" >"$W/uv.tok"
TOK=$(cat "$W/uv.tok")
"$U" verify --jwks "$JWKS" "$TOK" >/dev/null
"$JWTCLI" decode --alg RS256 --secret "@$PUB" "$TOK" >/dev/null
# jwt-cli's token with -e is one uvtool's verify accepts: the same work.
"$U" verify --jwks "$JWKS" --iss "$ISS" "$("$JWTCLI" encode --alg RS256 --kid "$KID" --secret "@$KEY" -e=+1h --sub alice --iss "$ISS")" >/dev/null
"$GOJWT" -key "$KEY" -alg RS256 -sign "$W/claims.json" >"$W/go.tok"
printf 'header.payload' >"$W/msg"
openssl pkcs8 -topk8 -nocrypt -in "$KEY" -outform DER -out "$W/key.p8.der"
openssl pkey -pubin -in "$PUB" -outform DER -out "$W/pub.der"
"$FLOOR" sign "$W/key.p8.der" >/dev/null
openssl dgst -sha256 -sign "$KEY" -out "$W/msg.sig" "$W/msg"

# Alternating rounds (every command once a round), medians: a burst of load
# from other work hits all of them alike.
echo "bench: one-shot processes ($ONESHOT_RUNS alternating rounds)" >&2
"${PAIRS[@]}" "$ONESHOT_RUNS" "$W/oneshot.json" \
  "uv_verify=$U verify --jwks $JWKS $TOK" \
  "jwtcli_decode=$JWTCLI decode --alg RS256 --secret @$PUB $TOK" \
  "go_verify=$GOJWT -key $PUB -alg RS256 -verify $W/go.tok" \
  "ossl_verify=openssl dgst -sha256 -verify $PUB -signature $W/msg.sig $W/msg" \
  "uv_mint=$U mint --key $KEY --kid $KID --sub alice --iss $ISS" \
  "jwtcli_encode=$JWTCLI encode --alg RS256 --kid $KID --secret @$KEY -e=+1h --sub alice --iss $ISS" \
  "jwtcli_encode_noexp=$JWTCLI encode --alg RS256 --kid $KID --secret @$KEY --sub alice --iss $ISS" \
  "go_sign=$GOJWT -key $KEY -alg RS256 -sign $W/claims.json" \
  "ossl_sign=openssl dgst -sha256 -sign $KEY -out $W/o.sig $W/msg" \
  "floor_sign=$FLOOR sign $W/key.p8.der" \
  "uv_version=$U --version" \
  "true=/bin/true"

# --- batches ----------------------------------------------------------------
echo "bench: batch verify of $NV and mint of $NM" >&2
seq -f 'user-%06g' 1 "$NV" >"$W/subsv"
seq -f 'user-%06g' 1 "$NM" >"$W/subsm"
seq -f 'user-%06g' 1 "$BIG" >"$W/subsbig"
"$U" mint --key "$KEY" --kid "$KID" --iss "$ISS" --now "$NOWISO" --sub-file "$W/subsv" >"$W/tokv"
# The same tokens for the floor: signed part and signature, already decoded.
python3 - "$W/tokv" "$W/pairs" <<'EOF'
import base64, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "wb") as out:
    for line in f:
        signed, _, s = line.strip().rpartition(".")
        out.write(len(signed).to_bytes(4, "little") + signed.encode())
        out.write(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
EOF
"$FLOOR" verify "$W/pairs" "$W/pub.der" "$(nproc)"
# openssl speed runs in the same shuffled rounds as the batches (the machine's
# speed drifts by a fifth within minutes on a shared VM, so a rate measured
# before or after would flatter or wrong either side); its rates are the
# medians of the rounds. openssl speed divides by its CPU time; -elapsed by
# wall time, which is what a loaded machine gives every process.
BENCH_WARMUP=1 "${PAIRS[@]}" "$BATCH_RUNS" "$W/batch.json" \
  "uv_mint=$U mint --key $KEY --kid $KID --iss $ISS --now $NOWISO --sub-file $W/subsm" \
  "uv_verify=$U verify --jwks $JWKS --now $NOWISO < $W/tokv" \
  "floor_verify=$FLOOR verify $W/pairs $W/pub.der $(nproc)" \
  "floor_mint=$FLOOR sign $W/key.p8.der $NM $(nproc)" \
  "@ossl=openssl speed -seconds $SPEED_SECS rsa2048" \
  "@ossl_elapsed=openssl speed -elapsed -seconds $SPEED_SECS rsa2048"
rates() { # FILE -> "median-sign median-verify" over the counted rounds
  awk '/^rsa 2048 bits/ {print $(NF-1), $NF}' "$1" | tail -n "$BATCH_RUNS" |
    python3 -c 'import sys, statistics as st; r = [l.split() for l in sys.stdin]; print(st.median(float(a) for a, _ in r), st.median(float(b) for _, b in r))'
}
read -r OSSL_SIGN OSSL_VERIFY < <(rates "$W/batch.json.ossl.txt")
read -r OSSL_SIGN_W OSSL_VERIFY_W < <(rates "$W/batch.json.ossl_elapsed.txt")
OSSL_RUNS=$(awk '/^rsa 2048 bits/ {printf "%s%s", s, $NF; s=", "}' "$W/batch.json.ossl.txt")

# --- peak memory ------------------------------------------------------------
echo "bench: peak memory, batch verify of $NV and $BIG" >&2
"$U" mint --key "$KEY" --kid "$KID" --iss "$ISS" --now "$NOWISO" --sub-file "$W/subsbig" >"$W/tokbig"
rss() { /usr/bin/time -f '%M' -o "$W/rss" "$@" >/dev/null 2>&1 || true; tail -1 "$W/rss"; }
RSS_VSMALL=$(rss sh -c "exec '$U' verify --jwks '$JWKS' --now '$NOWISO' <'$W/tokv'")
RSS_VBIG=$(rss sh -c "exec '$U' verify --jwks '$JWKS' --now '$NOWISO' <'$W/tokbig'")
RSS_MBIG=$(rss sh -c "exec '$U' mint --key '$KEY' --kid '$KID' --iss '$ISS' --now '$NOWISO' --sub-file '$W/subsbig'")

# --- keygen -----------------------------------------------------------------
echo "bench: keygen, $KEYGEN_RUNS alternating rounds" >&2
BENCH_WARMUP=1 "${PAIRS[@]}" "$KEYGEN_RUNS" "$W/keygen.json" \
  "uv_keygen=$U keygen --out-dir $W/kg2 --force" \
  "ossl_req=openssl req -x509 -newkey rsa:2048 -nodes -keyout $W/k.pem -out $W/c.pem -subj /CN=bench -days 365 -sha256"

# --- backends (optional) ----------------------------------------------------
BACKEND_MD=""
if [ "$BACKENDS" = 1 ]; then
  echo "bench: rsa crate vs aws-lc-rs (benches/backend-compare)" >&2
  BACKEND_MD=$(cd benches/backend-compare && CARGO_TARGET_DIR="$ROOT/target/backend-compare" cargo run --release --quiet --bin backend-compare 2>/dev/null)
fi


# --- table ------------------------------------------------------------------
export W OSSL_RUNS OSSL_SIGN OSSL_VERIFY OSSL_SIGN_W OSSL_VERIFY_W RSS_VSMALL RSS_VBIG RSS_MBIG BIG NV NM JWTCLI_VERSION KEYGEN_RUNS BACKEND_MD
TABLE=$(python3 - <<'EOF'
import json, os
W = os.environ["W"]
def load(name):
    return {r["command"]: r for r in json.load(open(os.path.join(W, name)))["results"]}
one = load("oneshot.json"); bat = load("batch.json"); kg = load("keygen.json")
ms = lambda r: r["median"] * 1000
cpu = lambda r: r["cpu_median"] * 1000
sign = float(os.environ["OSSL_SIGN"]); ver = float(os.environ["OSSL_VERIFY"])
sign_w = float(os.environ["OSSL_SIGN_W"]); ver_w = float(os.environ["OSSL_VERIFY_W"])
nv = int(os.environ["NV"]); nm = int(os.environ["NM"]); big = int(os.environ["BIG"])
jv = os.environ["JWTCLI_VERSION"]
ok = lambda b: "met" if b else "**not met**"
rows = []
def oneshot(what, u, peer, peer_name, target=None):
    r = ms(one[u]) / ms(one[peer]); rc = cpu(one[u]) / cpu(one[peer])
    rows.append((what,
        f"{ms(one[u]):.2f} ms vs {peer_name} {ms(one[peer]):.2f} ms median wall (CPU {cpu(one[u]):.2f} vs {cpu(one[peer]):.2f} ms)",
        f"{r:.2f}x wall, {rc:.2f}x CPU",
        f"<= {target}x" if target else "(peer)",
        ok(r <= target) if target else ("faster" if r < 1 else "**slower**")))
oneshot("one-shot `verify --jwks`", "uv_verify", "jwtcli_decode", f"jwt-cli {jv} `decode` (PEM key)", 0.8)
oneshot("one-shot `mint`", "uv_mint", "jwtcli_encode", f"jwt-cli {jv} `encode -e=+1h` (the same claims)", 0.5)
oneshot("one-shot `mint` (reference)", "uv_mint", "jwtcli_encode_noexp", f"jwt-cli {jv} `encode` without `-e`: no exp, a token the platform refuses (T5)")
oneshot("`uvtool --version`", "uv_version", "true", "`/bin/true`", 1.4)
oneshot("one-shot verify", "uv_verify", "go_verify", "golang-jwt `-verify`")
oneshot("one-shot mint", "uv_mint", "go_sign", "golang-jwt `-sign`")
oneshot("one-shot verify", "uv_verify", "ossl_verify", "`openssl dgst -verify`")
oneshot("one-shot mint", "uv_mint", "ossl_sign", "`openssl dgst -sign`")
def batch(what, r, n, ossl, ossl_w, op, target):
    rate = n / r["median"]; per_cpu = n / r["cpu_median"]
    rows.append((what,
        f"{rate:,.0f} tokens/s wall vs openssl 1-core {op} {ossl:,.0f}/s (CPU time) / {ossl_w:,.0f}/s (wall, -elapsed); "
        f"uvtool per CPU-second {per_cpu:,.0f}/s = {per_cpu / ossl:.2f}x openssl's",
        f"{rate / ossl:.2f}x ({rate / ossl_w:.2f}x vs -elapsed)", f">= {target}x", ok(rate / ossl >= target)))
batch(f"batch verify {nv:,} (whole process)", bat["uv_verify"], nv, ver, ver_w, "verify", 1.8)
batch(f"batch mint {nm:,} (whole process)", bat["uv_mint"], nm, sign, sign_w, "sign", 1.9)
# What the three targets near the machine's limits would need: aws-lc doing
# only the signature work, in the same rounds (benches/backend-compare/src/bin/floor.rs).
fs, je = one["floor_sign"], one["jwtcli_encode"]
start = cpu(one["uv_version"]); osig = 1000 / sign
rf = cpu(fs) / cpu(je); ro = (start + osig) / cpu(je)
rows.append(("floor of one-shot `mint` (against `encode -e=+1h`)",
    f"aws-lc alone (read a PKCS#8 key, parse and check it, sign once, blinded): {ms(fs):.2f} ms wall, CPU {cpu(fs):.2f} ms; "
    f"`uvtool --version` CPU {start:.2f} ms + one signature at openssl speed's rate {osig:.2f} ms = {start + osig:.2f} ms",
    f"{rf:.2f}x CPU jwt-cli `encode` (aws-lc alone); {ro:.2f}x (start + openssl's signature)",
    "floor of <= 0.5x", "reachable" if rf <= 0.5 else "**target below the floor**"))
def ceiling(what, floor, uv, n, ossl, target):
    rate = n / floor["median"]; pc = n / floor["cpu_median"]; pcu = n / uv["cpu_median"]
    rows.append((f"ceiling of batch {what} ({os.cpu_count()} threads)",
        f"aws-lc alone ({floor_work[what]}): {rate:,.0f}/s wall; "
        f"per CPU-second {pc:,.0f}/s = {pc / ossl:.2f}x openssl's; uvtool's per CPU-second = {pcu / pc:.2f}x aws-lc alone's",
        f"{rate / ossl:.2f}x openssl 1-core", f"ceiling of >= {target}x",
        "reachable" if rate / ossl >= target else "**target above the ceiling**"))
floor_work = {
    "verify": f"the same {nv:,} signatures, decoded beforehand; SHA-256 and RSA only",
    "mint": f"{nm:,} RS256 signatures with one key, nothing read or written per token",
}
ceiling("verify", bat["floor_verify"], bat["uv_verify"], nv, ver, 1.8)
ceiling("mint", bat["floor_mint"], bat["uv_mint"], nm, sign, 1.9)
r = ms(kg["uv_keygen"]) / ms(kg["ossl_req"])
rows.append((f"keygen (key + cert + JWK), median of {os.environ['KEYGEN_RUNS']}",
    f"{ms(kg['uv_keygen']):.1f} ms vs openssl req -x509 -newkey {ms(kg['ossl_req']):.1f} ms", f"{r:.2f}x", "<= 1.5x", ok(r <= 1.5)))
rs, rb, mb = (int(os.environ[k] or 0) for k in ("RSS_VSMALL", "RSS_VBIG", "RSS_MBIG"))
flat = rb / rs if rs else 0
rows.append(("peak RSS, batch verify",
    f"{rs/1024:.1f} MB for {nv:,}; {rb/1024:.1f} MB for {big:,} (mint {big:,}: {mb/1024:.1f} MB)",
    f"{flat:.2f}x ({big // 1000}k/{nv // 1000}k)", "flat, < 20 MB", ok(rb < 20 * 1024 and flat < 1.2)))
out = ["| what | measured | ratio | target | |", "|---|---|---|---|---|"]
out += ["| " + " | ".join(r) + " |" for r in rows]
out.append("")
out.append("Reference points: `/bin/true` " + f"{ms(one['true']):.2f} ms median wall"
           + f". openssl speed rsa2048 (one core, CPU time; medians of the rounds beside the batches; verify rates per round, warm-up first: {os.environ['OSSL_RUNS']}): sign {sign:,.0f}/s, verify {ver:,.0f}/s; with -elapsed: sign {sign_w:,.0f}/s, verify {ver_w:,.0f}/s.")
print("\n".join(out))
b = os.environ.get("BACKEND_MD", "")
if b:
    print("\n" + b)
EOF
)

HEAD="Run of $(date -u +%Y-%m-%d\ %H:%M) UTC, nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1 /proc/loadavg); uvtool $("$U" --version | sed 's/^uvtool //'), $(file -b "$U" | grep -o 'static-pie linked\|statically linked\|dynamically linked')."
BLOCK="$HEAD

$TABLE
"
echo
echo "$BLOCK"
if [ -n "${BENCH_BIN:-}" ]; then
  echo "bench: BENCH_BIN given: docs/PERFORMANCE.md left as it is" >&2
  exit 0
fi
export BLOCK
python3 - <<'EOF'
import os
p = "docs/PERFORMANCE.md"
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
text = open(p).read()
if start not in text or end not in text:
    raise SystemExit(f"bench: {p} has no {start} ... {end} markers")
i = text.index(start) + len(start)
j = text.index(end)
text = text[:i] + "\n" + os.environ["BLOCK"].strip() + "\n" + text[j:]
open(p, "w").write(text)
EOF
echo "bench: table written to docs/PERFORMANCE.md" >&2
