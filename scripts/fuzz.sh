#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ one after another (one process each,
# so it uses one core), each for SECONDS (default 600), seeding the corpus
# from fixtures first. Not part of the test command: it is slow.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   UVTOOL_FUZZ_JOBS=5 scripts/fuzz.sh 600    # five targets at a time
#
# Targets are built with -O (release, no debug assertions: what users run;
# aws-lc's sanitizer build is shared by every target, built once).
# With UVTOOL_FUZZ_JOBS=N, N targets run side by side (each still for
# SECONDS of wall time, sharing the cores, so each executes fewer inputs;
# the summary line gives the count). The targets are built once first.
#
# Needs the nightly toolchain (rustup toolchain install nightly) and installs
# cargo-fuzz if missing. Logs go to fuzz/logs/TARGET.log; a summary line per
# target (executions, corpus size, crashes) is printed and appended to
# fuzz/logs/summary.txt. A crash leaves its input in fuzz/artifacts/TARGET/;
# turn it into a test in a regressions module of tests/integration/, then
# fix the library.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-600}
shift || true
all=($(cd fuzz/fuzz_targets && ls *.rs | sed "s/\.rs$//"))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# AddressSanitizer cannot run a static executable (its interceptors find no
# libc to wrap: "CHECK failed ... real_memcpy"); the fuzz targets get Rust's
# ordinary dynamic link (only scripts/build-static.sh links statically).

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup run nightly rustc --version >/dev/null

fuzz/seed-corpus.sh >/dev/null
mkdir -p fuzz/logs
cd fuzz
jobs_max=${UVTOOL_FUZZ_JOBS:-1}
for t in "${targets[@]}"; do
  [ -f "fuzz_targets/$t.rs" ] || { echo "no fuzz target $t" >&2; exit 2; }
done
# Build every target once, so parallel runs do not wait on cargo's lock.
cargo +nightly fuzz build -O >logs/build.log 2>&1 || { tail -20 logs/build.log >&2; exit 2; }

run_one() {
  local t=$1 dict log status execs done_line crashes corpus line
  case $t in
    key_load|cert_load|pem_parse) dict=dict/pem.dict ;;
    *) dict=dict/jose.dict ;;
  esac
  log="logs/$t.log"
  echo "== $t: ${secs}s (log fuzz/$log)"
  status=0
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$secs" -dict="$dict" -print_final_stats=1 \
    -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1 || status=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -1 || true)
  crashes=$(ls "artifacts/$t" 2>/dev/null | grep -cE '^(crash|leak|timeout|oom)-' || true)
  corpus=$(ls "corpus/$t" | wc -l)
  line="$(date -u +%FT%TZ) $t seconds=$secs jobs=$jobs_max executions=${execs:-?} corpus=$corpus artifacts=$crashes exit=$status ${done_line}"
  echo "$line" | tee -a logs/summary.txt
}

running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs_max" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait
