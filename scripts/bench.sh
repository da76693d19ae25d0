#!/usr/bin/env bash
# Side-by-side speed of uvtool, openssl and peer CLIs, in one run on one
# machine, reported as ratios (shared machines are noisy; ratios from the
# same run are what mean something). Appends the table to BENCHMARKS.md under
# "## Batch and one-shot speed".
#
#   scripts/bench.sh              # a few minutes
#   scripts/bench.sh --backends   # also the rsa-crate vs aws-lc-rs comparison
#   BENCH_QUICK=1 scripts/bench.sh  # fewer runs, for trying the script
#
# Installs what it needs when missing: hyperfine, the golang-jwt CLI
# (Debian package `jwt`) and GNU time, with apt-get. jwt-cli (the Rust
# `jwt`, a Rust crate) is measured only when already installed.
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
  SPEED_SECS=1; ONESHOT_RUNS=15; BATCH_RUNS=2; KEYGEN_RUNS=20; BIG=100000
else
  SPEED_SECS=3; ONESHOT_RUNS=60; BATCH_RUNS=3; KEYGEN_RUNS=20; BIG=100000
fi

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
# jwt-cli (a Rust crate) also installs a `jwt`; use it only if it is there.
JWTCLI=""
for c in "$HOME/.cargo/bin/jwt" "$(command -v jwt 2>/dev/null || true)"; do
  if [ -n "$c" ] && [ -x "$c" ] && [ "$c" != "$GOJWT" ] && "$c" --version 2>/dev/null | grep -q '^jwt '; then
    JWTCLI=$c; break
  fi
done

echo "bench: building release" >&2
cargo build --release --quiet
U="$ROOT/target/release/uvtool"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
KEY="$ROOT/fixtures/keys/a/private.pem"
PUB="$ROOT/fixtures/keys/a/public.pem"
JWKS="$ROOT/fixtures/keys/a/jwks.json"
NOW=$(date +%s)
NOWISO=$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)

# --- openssl speed: one core ------------------------------------------------
echo "bench: openssl speed -seconds $SPEED_SECS rsa2048" >&2
read -r OSSL_SIGN OSSL_VERIFY < <(openssl speed -seconds "$SPEED_SECS" rsa2048 2>/dev/null |
  awk '/^rsa 2048 bits/ {print $(NF-1), $NF}')
# openssl speed divides by its CPU time; -elapsed by wall time, which is what
# a loaded machine gives every process (uvtool's batches are wall time).
read -r OSSL_SIGN_W OSSL_VERIFY_W < <(openssl speed -elapsed -seconds "$SPEED_SECS" rsa2048 2>/dev/null |
  awk '/^rsa 2048 bits/ {print $(NF-1), $NF}')

# --- one-shot processes -----------------------------------------------------
printf '{"sub":"alice","iat":%s,"exp":%s}' "$NOW" "$((NOW + 3600))" >"$W/claims.json"
"$U" mint --key "$KEY" --claims "$W/claims.json" --no-kid >"$W/uv.tok"
"$GOJWT" -key "$KEY" -alg RS256 -sign "$W/claims.json" >"$W/go.tok"
printf '%s' "$(cat "$W/uv.tok")" >"$W/uv.tok1"
printf 'header.payload' >"$W/msg"
openssl dgst -sha256 -sign "$KEY" -out "$W/msg.sig" "$W/msg"

hf() { # name json-file commands...
  local out=$1; shift
  hyperfine -N --style none --warmup 5 --export-json "$out" "$@" >/dev/null 2>&1
}
echo "bench: one-shot processes ($ONESHOT_RUNS runs each)" >&2
hf "$W/oneshot.json" --runs "$ONESHOT_RUNS" \
  -n uv_mint "$U mint --key $KEY --claims $W/claims.json" \
  -n go_sign "$GOJWT -key $KEY -alg RS256 -sign $W/claims.json" \
  -n ossl_sign "openssl dgst -sha256 -sign $KEY -out $W/o.sig $W/msg" \
  -n uv_verify "$U verify --key $PUB $(cat "$W/uv.tok1")" \
  -n go_verify "$GOJWT -key $PUB -alg RS256 -verify $W/go.tok" \
  -n ossl_verify "openssl dgst -sha256 -verify $PUB -signature $W/msg.sig $W/msg" \
  -n uv_version "$U --version" \
  -n true "/bin/true"
if [ -n "$JWTCLI" ]; then
  hf "$W/jwtcli.json" --runs "$ONESHOT_RUNS" \
    -n jwtcli_sign "$JWTCLI encode --alg RS256 --secret @$KEY --sub alice" ||
    { echo "bench: jwt-cli did not run; left out" >&2; rm -f "$W/jwtcli.json"; }
fi

# --- batches ----------------------------------------------------------------
echo "bench: batch mint and verify of 10,000" >&2
seq -f 'user-%06g' 1 10000 >"$W/subs10k"
seq -f 'user-%06g' 1 "$BIG" >"$W/subsbig"
"$U" mint --key "$KEY" --kid fixture-a --now "$NOWISO" --sub-file "$W/subs10k" >"$W/tok10k"
# Whole processes through sh (its ~1 ms is noise next to a batch).
hyperfine --style none --warmup 1 --runs "$BATCH_RUNS" --export-json "$W/batch.json" \
  -n uv_mint10k "'$U' mint --key '$KEY' --kid fixture-a --now $NOWISO --sub-file '$W/subs10k' >/dev/null" \
  -n uv_verify10k "'$U' verify --jwks '$JWKS' --now $NOWISO <'$W/tok10k' >/dev/null" >/dev/null 2>&1

# --- peak memory ------------------------------------------------------------
echo "bench: peak memory, batch verify of 10,000 and $BIG" >&2
"$U" mint --key "$KEY" --kid fixture-a --now "$NOWISO" --sub-file "$W/subsbig" >"$W/tokbig"
rss() { /usr/bin/time -f '%M' -o "$W/rss" "$@" >/dev/null 2>&1 || true; cat "$W/rss" | tail -1; }
RSS_V10K=$(rss sh -c "exec '$U' verify --jwks '$JWKS' --now '$NOWISO' <'$W/tok10k'")
RSS_VBIG=$(rss sh -c "exec '$U' verify --jwks '$JWKS' --now '$NOWISO' <'$W/tokbig'")
RSS_MBIG=$(rss sh -c "exec '$U' mint --key '$KEY' --kid fixture-a --now '$NOWISO' --sub-file '$W/subsbig'")

# --- keygen -----------------------------------------------------------------
echo "bench: keygen, median of $KEYGEN_RUNS" >&2
hyperfine -N --style none --warmup 1 --runs "$KEYGEN_RUNS" --export-json "$W/keygen.json" \
  -n uv_keygen "$U keygen --out-dir $W/kg --force" \
  -n ossl_req "openssl req -x509 -newkey rsa:2048 -nodes -keyout $W/k.pem -out $W/c.pem -subj /CN=bench -days 365 -sha256" \
  >/dev/null 2>&1

# --- backends (optional) ----------------------------------------------------
BACKEND_MD=""
if [ "$BACKENDS" = 1 ]; then
  echo "bench: rsa crate vs aws-lc-rs (benches/backend-compare)" >&2
  BACKEND_MD=$(cd benches/backend-compare && CARGO_TARGET_DIR="$ROOT/target/backend-compare" cargo run --release --quiet --bin backend-compare 2>/dev/null)
fi

# --- table ------------------------------------------------------------------
export W OSSL_SIGN OSSL_VERIFY OSSL_SIGN_W OSSL_VERIFY_W RSS_V10K RSS_VBIG RSS_MBIG BIG JWTCLI BACKEND_MD
TABLE=$(python3 - <<'EOF'
import json, os
W = os.environ["W"]
def load(name):
    p = os.path.join(W, name)
    if not os.path.exists(p):
        return {}
    return {r["command"]: r for r in json.load(open(p))["results"]}
one = load("oneshot.json"); bat = load("batch.json"); kg = load("keygen.json"); jc = load("jwtcli.json")
ms = lambda r: r["median"] * 1000
cpu = lambda r: (r["user"] + r["system"]) * 1000
sign = float(os.environ["OSSL_SIGN"]); ver = float(os.environ["OSSL_VERIFY"])
mint_rate = 10000 / bat["uv_mint10k"]["mean"]; ver_rate = 10000 / bat["uv_verify10k"]["mean"]
r10, rbig, mbig = (int(os.environ[k] or 0) for k in ("RSS_V10K", "RSS_VBIG", "RSS_MBIG"))
big = int(os.environ["BIG"])
ok = lambda b: "met" if b else "**not met**"
rows = []
sign_w = float(os.environ["OSSL_SIGN_W"]); ver_w = float(os.environ["OSSL_VERIFY_W"])
def batch_row(what, rate, cpu_s, ossl, ossl_w, op, target):
    r = rate / ossl; rw = rate / ossl_w
    per_cpu = 10000 / cpu_s  # tokens per CPU-second, the whole process
    rows.append((what,
        f"{rate:,.0f} tokens/s wall vs openssl 1-core {op} {ossl:,.0f}/s (CPU time) / {ossl_w:,.0f}/s (wall, -elapsed); "
        f"uvtool per CPU-second {per_cpu:,.0f}/s = {per_cpu / ossl:.2f}x openssl's",
        f"{r:.2f}x ({rw:.2f}x vs -elapsed)", f">= {target}x", ok(r >= target)))
bm = bat["uv_mint10k"]; bv = bat["uv_verify10k"]
batch_row("batch mint 10,000 (whole process)", mint_rate, bm["user"] + bm["system"], sign, sign_w, "sign", 1.5)
batch_row("batch verify 10,000 (whole process)", ver_rate, bv["user"] + bv["system"], ver, ver_w, "verify", 1.0)
for u, g, what in (("uv_mint", "go_sign", "one mint process"), ("uv_verify", "go_verify", "one verify process")):
    r = ms(one[u]) / ms(one[g]); rc = cpu(one[u]) / cpu(one[g])
    rows.append((f"{what} (cold start)", f"{ms(one[u]):.2f} ms vs golang-jwt {ms(one[g]):.2f} ms median wall (CPU {cpu(one[u]):.2f} vs {cpu(one[g]):.2f} ms)", f"{r:.2f}x wall, {rc:.2f}x CPU", "<= 0.5x", ok(r <= 0.5)))
r = ms(kg["uv_keygen"]) / ms(kg["ossl_req"])
rows.append(("keygen (key + cert + JWK), median of 20", f"{ms(kg['uv_keygen']):.1f} ms vs openssl req -x509 -newkey {ms(kg['ossl_req']):.1f} ms", f"{r:.2f}x", "<= 1.5x", ok(r <= 1.5)))
flat = rbig / r10 if r10 else 0
rows.append((f"peak RSS, batch verify", f"{r10/1024:.1f} MB for 10,000; {rbig/1024:.1f} MB for {big:,} (mint {big:,}: {mbig/1024:.1f} MB)", f"{flat:.2f}x (100k/10k)", "flat, < 20 MB", ok(rbig < 20 * 1024 and flat < 1.2)))
out = ["| what | measured | ratio | target | |", "|---|---|---|---|---|"]
out += ["| " + " | ".join(r) + " |" for r in rows]
out.append("")
out.append("Reference points (median wall time of one process): "
           + ", ".join(f"{n} {ms(one[n]):.2f} ms" for n in ("ossl_sign", "ossl_verify", "uv_version", "true") if n in one)
           + (f", jwt-cli sign {ms(jc['jwtcli_sign']):.2f} ms" if jc else ", jwt-cli not installed")
           + f". openssl speed rsa2048 (one core, CPU time): sign {sign:,.0f}/s, verify {ver:,.0f}/s; with -elapsed: sign {sign_w:,.0f}/s, verify {ver_w:,.0f}/s.")
print("\n".join(out))
b = os.environ.get("BACKEND_MD", "")
if b:
    print("\n" + b)
EOF
)

HEAD="#### $(date -u +%Y-%m-%d\ %H:%M) UTC, nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1 /proc/loadavg)"
BLOCK="$HEAD

$TABLE
"
echo
echo "$BLOCK"
export BLOCK
python3 - <<'EOF'
import os
p = "BENCHMARKS.md"
heading = "## Batch and one-shot speed"
text = open(p).read() if os.path.exists(p) else "# Benchmarks\n"
block = os.environ["BLOCK"].rstrip() + "\n"
if heading not in text:
    text = text.rstrip() + "\n\n" + heading + "\n\nRuns of `scripts/bench.sh`, newest last.\n\n" + block
else:
    i = text.index(heading) + len(heading)
    j = text.find("\n## ", i)
    if j < 0:
        text = text.rstrip() + "\n\n" + block
    else:
        text = text[:j].rstrip() + "\n\n" + block + text[j:]
open(p, "w").write(text)
EOF
echo "bench: appended to BENCHMARKS.md" >&2
