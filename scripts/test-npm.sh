#!/usr/bin/env bash
# The npm packages as a user gets them: install the tarballs that
# scripts/release.sh wrote to dist/ into a scratch Node project, offline (no
# registry is asked), then run `npx uvtool --version` and `npx uvtool init`
# and check what passes through the launcher (arguments, exit codes, stdin,
# a missing platform package). Prints the time from `npm install` to the end
# of the first `uvtool init`.
#
#   scripts/release.sh && scripts/test-npm.sh
#
# DIST=folder takes the tarballs from elsewhere; the project is made under
# SCRATCH (default: TMPDIR or /tmp); KEEP=1 keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${DIST:-$PWD/dist}
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
main=$DIST/uvtool-$VERSION.tgz
plat=$DIST/uvtool-linux-x64-$VERSION.tgz
for f in "$main" "$plat"; do
  [ -f "$f" ] || { echo "test-npm: $f is missing: run scripts/release.sh first" >&2; exit 2; }
done
command -v npm >/dev/null || { echo "test-npm: npm is required" >&2; exit 2; }

scratch=${SCRATCH:-${TMPDIR:-/tmp}}
mkdir -p "$scratch"
proj=$(mktemp -d "$scratch/uvtool-npm-test.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "project: $proj"; else trap 'rm -rf "$proj"' EXIT; fi
cd "$proj"
# An empty npm cache of its own, so nothing comes from an earlier install.
export npm_config_cache=$proj/.npm-cache
npm init -y >/dev/null

fail() { echo "test-npm: FAIL: $*" >&2; exit 1; }
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

start=$(date +%s%N)
npm install --offline --no-audit --no-fund --save-dev "$plat" "$main" >npm-install.log 2>&1 ||
  { cat npm-install.log >&2; fail "npm install --offline"; }
installed=$(date +%s%N)
npx --offline uvtool init demo >init.log 2>&1 || { cat init.log >&2; fail "npx uvtool init demo"; }
done_=$(date +%s%N)
[ -f demo/keys/jwks.json ] || [ -n "$(find demo -name 'jwks.json' -print -quit)" ] || fail "init made no jwks.json"
ms() { echo $(( ($2 - $1) / 1000000 )); }
ok "npm install --offline, then npx uvtool init demo"
echo "npm install: $(ms "$start" "$installed") ms; first uvtool init: $(ms "$installed" "$done_") ms;" \
  "npm install to the end of the first init: $(ms "$start" "$done_") ms"

v=$(npx --offline uvtool --version)
case "$v" in "uvtool $VERSION"*) ok "npx uvtool --version: $v" ;; *) fail "--version printed '$v'" ;; esac

# The launcher is what node_modules/.bin/uvtool points to.
[ "$(readlink -f node_modules/.bin/uvtool)" = "$(readlink -f node_modules/uvtool/bin/uvtool.js)" ] ||
  fail "node_modules/.bin/uvtool is not the launcher"

# Exit codes pass through: 1 for a definite no, 2 for unusable input.
tok=$(find demo -name '*.jwt' -print -quit)
set +e
npx --offline uvtool decode "$tok" >/dev/null 2>&1; c0=$?
echo not-a-token | npx --offline uvtool verify --jwks "$(find demo -name jwks.json -print -quit)" - >/dev/null 2>&1; c1=$?
npx --offline uvtool verify --jwks /nonexistent/jwks.json x.y.z >/dev/null 2>&1; c2=$?
set -e
[ "$c0" = 0 ] && [ "$c1" = 1 ] && [ "$c2" = 2 ] || fail "exit codes 0/1/2 came out as $c0/$c1/$c2"
ok "exit codes 0, 1, 2 and stdin pass through"

# Arguments with spaces and quotes arrive unchanged.
out=$(npx --offline uvtool mint --key "$(find demo -name private.pem -print -quit)" \
  --sub 'user one "quoted"' --iss https://example.com 2>/dev/null | npx --offline uvtool decode - 2>&1)
case "$out" in *'user one \"quoted\"'*) ok "arguments pass unchanged" ;; *) fail "sub not passed: $out" ;; esac

# A signal ends uvtool and the launcher the same way.
node_modules/.bin/uvtool serve --jwks "$(find demo -name jwks.json -print -quit)" --port 0 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid"
set +e
wait "$pid"; cs=$?
set -e
# uvtool serve shuts down cleanly on SIGTERM (exit 0), or dies of it (143).
{ [ "$cs" = 0 ] || [ "$cs" = 143 ]; } || fail "serve under the launcher ended with $cs after SIGTERM"
ok "SIGTERM reaches uvtool (exit $cs)"

# Without the platform package: a clear message and exit 2.
mv node_modules/@uvtool/linux-x64 linux-x64.away
set +e
msg=$(npx --offline uvtool --version 2>&1); cm=$?
set -e
mv linux-x64.away node_modules/@uvtool/linux-x64
[ "$cm" = 2 ] && [[ "$msg" == *"@uvtool/linux-x64"*"not installed"* ]] || fail "missing platform package: exit $cm, '$msg'"
ok "a missing platform package is named (exit 2)"
echo "test-npm: $passed passed, 0 failed"
