#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit + integration + interop tests.
# This is the README's test command, and .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== documents name files that exist" && scripts/check-doc-refs.sh

echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings

echo "== python interop environment (.venv)"
scripts/setup-python.sh
export UVTOOL_PYTHON="$PWD/.venv/bin/python"
export UVTOOL_REQUIRE_INTEROP=1
command -v openssl >/dev/null || { echo "openssl is required by the interop tests" >&2; exit 2; }

echo "== headless Chromium (the uvtool ui browser test)"
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  else
    echo "chromium and chromedriver are required by the browser test: apt-get install chromium chromium-driver" >&2
    exit 2
  fi
fi

echo "== cargo test"
cargo test --locked

echo "== the lean library (no default features: no CLI, server or network crate) builds without warnings"
# Linted, not tested again: its unit tests and doc examples ran above with
# default features (the cfg'd ones included), and building it for tests
# recompiles most of the tree (the proc macros' syn has other features
# without clap's derive, and serde and everything above it follow): about
# 290 CPU-seconds, against about 60 for this lint.
cargo clippy --no-default-features --locked --lib -- -D warnings

echo "== npm packages (offline install into a scratch project)"
# The npm launcher and packages with the debug binary cargo test built:
# packed by scripts/release.sh, installed offline by scripts/test-npm.sh.
if command -v npm >/dev/null 2>&1; then
  npm_dist=$(mktemp -d)
  trap 'rm -rf "$npm_dist"' EXIT
  UVTOOL_RELEASE_BIN="${CARGO_TARGET_DIR:-target}/debug/uvtool" NPM_ONLY=1 DIST="$npm_dist" scripts/release.sh >/dev/null
  DIST="$npm_dist" scripts/test-npm.sh
elif [ -n "${CI:-}" ]; then
  echo "npm is required by the npm package test" >&2
  exit 2
else
  echo "npm missing: the npm package test is skipped"
fi
