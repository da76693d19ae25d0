#!/usr/bin/env bash
# Load benchmark for `uvtool serve` on loopback with wrk (installed from
# Debian packages when missing). Bounded in time: each run lasts DURATION.
# Fails when wrk reports any socket error or any non-2xx/3xx response.
#
#   scripts/bench-serve.sh [DURATION] [CONNECTIONS]     (defaults: 10s 64)
#
# LOG=1 keeps the per-request log on (written to a file); ROTATE=1 replaces
# the served file atomically (fixture a <-> fixture b) every 100 ms during
# the runs, to show reloading under load drops nothing.
#
# Uses the release binary of scripts/build-static.sh (built when missing) or
# $UVTOOL_BIN.
set -euo pipefail

DURATION=${1:-10s}
CONNS=${2:-64}
THREADS=${THREADS:-2}
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
    echo "bench-serve: installing wrk" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

BIN=${UVTOOL_BIN:-${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/uvtool}
if [ ! -x "$BIN" ]; then
    BIN=$(scripts/build-static.sh)
fi

work=$(mktemp -d)
pid=""
rot=""
cleanup() {
    if [ -n "$rot" ]; then kill "$rot" 2>/dev/null || true; wait "$rot" 2>/dev/null || true; fi
    if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Start the server on a free loopback port; --quiet unless LOG=1.
quiet="--quiet"
[ "${LOG:-0}" = 1 ] && quiet=""
cp fixtures/keys/a/jwks.json "$work/jwks.json"
"$BIN" serve --jwks "$work/jwks.json" --addr 127.0.0.1:0 $quiet \
    >"$work/url" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(head -n1 "$work/url")
case "$url" in
    http://127.0.0.1:*) ;;
    *) echo "bench-serve: server did not start: $(cat "$work/log")" >&2; exit 2 ;;
esac
if [ "${ROTATE:-0}" = 1 ]; then
    (
        end=$((SECONDS + 120))
        while [ "$SECONDS" -lt "$end" ]; do
            for k in b a; do
                cp "fixtures/keys/$k/jwks.json" "$work/jwks.tmp"
                mv "$work/jwks.tmp" "$work/jwks.json"
                sleep 0.1
            done
        done
    ) &
    rot=$!
fi
etag=$(curl -sI "$url" 2>/dev/null | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}' || true)

failed=0
run() {
    local name=$1; shift
    echo "== $name: wrk -t$THREADS -c$CONNS -d$DURATION $* $url"
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url")
    echo "$out"
    if grep -qE "Socket errors|Non-2xx or 3xx" <<<"$out"; then
        echo "bench-serve: FAILED requests in $name" >&2
        failed=1
    fi
    echo
}

run "GET 200 (full body)"
if [ -n "$etag" ]; then
    run "GET 304 (If-None-Match)" -H "If-None-Match: $etag"
fi

if [ -n "$rot" ]; then kill "$rot" 2>/dev/null || true; wait "$rot" 2>/dev/null || true; rot=""; fi
kill -INT "$pid"; wait "$pid" || { echo "bench-serve: server exited non-zero" >&2; failed=1; }
pid=""
if [ "${ROTATE:-0}" = 1 ]; then
    echo "bench-serve: $(grep -c reloaded "$work/log" || true) reloads logged during the runs"
fi
if grep -q panicked "$work/log"; then echo "bench-serve: server panicked" >&2; failed=1; fi
[ "$failed" = 0 ] && echo "bench-serve: zero failed requests"
exit "$failed"
