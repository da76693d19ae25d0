#!/usr/bin/env bash
# Mutation testing of the platform policy, verification, token and input
# modules with cargo-mutants: every surviving mutant is a rule change the
# tests would not notice. Run by hand; NOT part of CI (scripts/test.sh does
# not call it).
#
#   scripts/mutants.sh                 # the judge's modules, unit + integration tests
#   scripts/mutants.sh --quick         # unit tests only (--lib): minutes, not an hour
#   scripts/mutants.sh --file src/token.rs        # one file (repeatable)
#   scripts/mutants.sh --sample        # the tree-wide sample (cert.rs, io.rs, clock.rs)
#   scripts/mutants.sh --reader        # the reader alone (src/read.rs)
#   scripts/mutants.sh --policy        # src/policy/** and src/verify/**
#   scripts/mutants.sh --reader --integration --filter key_kinds --filter check::
#                                      # the integration binary alone (no lib
#                                      # tests built), only the named tests run
#   scripts/mutants.sh --policy -- -F 'in k7' # extra arguments go to cargo-mutants
#
# --filter NAME (repeatable) gives test-name filters to the test binaries
# (`cargo test ... -- NAME...`): a mutant is then caught only by those tests.
# Use it to check that new tests catch the mutants of the functions they
# pin (with -F/--re to pick the mutants) without the whole suite per mutant;
# the figure for the issue is a run without it.
#
# Cost on the 2-core machine: a mutant of the library rebuilds the lib test
# binary (~10 s); with the integration binary too, ~2 min build + ~70 s tests.
# `--quick` is the one to iterate with; the full run is for a quiet machine.
#
# cargo-mutants builds with other settings than a plain `cargo build`
# (cargo says "the config settings changed"): the first run in a scratch dir
# rebuilds every dependency (~25 min on the loaded 2-core machine), even from
# a copied target/. Keep the scratch dir for later runs, and never point its
# target/ at one that normal builds use (each would rebuild the other's).
#
# Two runs can go side by side with their own UVTOOL_MUTANTS_DIR (scratch
# copy) and UVTOOL_MUTANTS_OUT (where mutants.out/ goes).
#
# Results land in mutants.out/ (outcomes.json, missed.txt, caught.txt,
# timeout.txt, unviable.txt); the survivors are printed at the end. The exit
# status is cargo-mutants' own: 0 when no viable mutant survived, 2 when some
# were missed, 3 on timeouts.
#
# Mutants that truly cannot change behaviour are excluded in
# .cargo/mutants.toml (`exclude_re`, each with its reason).
set -uo pipefail
cd "$(dirname "$0")/.."

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PATH"
if ! cargo mutants --version >/dev/null 2>&1; then
    echo "== installing cargo-mutants into $CARGO_BIN"
    cargo install --locked cargo-mutants || exit 2
fi

quick=0
integration=0
files=()
extra=()
filters=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --integration) integration=1 ;;
        --file) shift; files+=("$1") ;;
        --sample) files+=(src/cert.rs src/io.rs src/clock.rs) ;;
        --reader) files+=(src/read.rs) ;;
        --policy) files+=('src/policy/**' 'src/verify/**') ;;
        --filter) shift; filters+=("$1") ;;
        --) shift; extra+=("$@"); break ;;
        *) echo "usage: scripts/mutants.sh [--quick|--integration] [--file PATH]... [--sample] [--reader] [--policy] [--filter TEST-NAME]... [-- CARGO-MUTANTS-ARGS]" >&2; exit 2 ;;
    esac
    shift
done
if [ ${#files[@]} -eq 0 ]; then
    files=('src/policy/**' 'src/verify/**' src/token.rs src/read.rs)
fi

args=(
    # A mutant that makes a test hang (a batch or server loop) is cut off
    # here; the tests' own bounds (tests/integration/common/mod.rs) fail sooner.
    --timeout 240
    --build-timeout 600
    # One mutant at a time (the machine has 2 cores and a build uses both),
    # made in place in a scratch copy of this tree (below), so
    # the dependencies (aws-lc's C code among them) are built once, never
    # per mutant, and this tree is never touched.
    --in-place
    --output "${UVTOOL_MUTANTS_OUT:-$PWD}"
)
for f in "${files[@]}"; do args+=(--file "$f"); done
# The targets are given to every cargo call (-C), so the build of each
# mutant makes only what the tests run.
if [ "$quick" = 1 ]; then
    # Unit tests only: the library boundaries are pinned there.
    args+=(-C --lib)
elif [ "$integration" = 1 ]; then
    # The integration binary alone (with --filter: a few of its modules).
    args+=(-C --test=integration)
else
    # The lib unit tests plus the one integration binary (no doc tests,
    # no benches); the binary is built for it.
    args+=(-C --lib -C --test=integration)
fi

# The scratch copy: made once with target/ (cp -a keeps the times cargo's
# freshness checks use), then only the sources are refreshed.
work="${UVTOOL_MUTANTS_DIR:-${TMPDIR:-/tmp}/uvtool-mutants}"
if [ ! -d "$work/target" ]; then
    echo "== copying the tree, target/ included, to $work"
    mkdir -p "$work" && cp -a . "$work/" || exit 2
    rm -rf "$work/mutants.out" "$work/mutants.out.old"
else
    tar -c --exclude=./target --exclude=./mutants.out --exclude=./mutants.out.old --exclude=./.git . |
        tar -x -C "$work" || exit 2
    # tar keeps the sources' old times: make cargo rebuild the crate, so no
    # build of an interrupted run's mutant is taken for fresh.
    touch "$work/src/lib.rs" "$work/tests/integration/main.rs"
fi

# Test-name filters go to the test binaries, after cargo test's own `--`.
tail=()
if [ ${#filters[@]} -gt 0 ]; then
    tail=(-- -- "${filters[@]}")
fi

echo "== (in $work) cargo mutants ${args[*]} ${extra[*]:-} ${tail[*]:-}"
start=$(date +%s)
# The scratch copy builds in its own target/ (under UVTOOL_MUTANTS_DIR),
# never in a CARGO_TARGET_DIR the caller's own builds use.
(cd "$work" && env -u CARGO_TARGET_DIR cargo mutants "${args[@]}" "${extra[@]}" "${tail[@]}")
status=$?
echo "== $(( ($(date +%s) - start) / 60 )) min"

out="${UVTOOL_MUTANTS_OUT:-$PWD}/mutants.out"
if [ -f "$out/outcomes.json" ]; then
    for kind in caught missed timeout unviable; do
        printf '%-9s %s\n' "$kind" "$(wc -l <"$out/$kind.txt" 2>/dev/null || echo 0)"
    done
    if [ -s "$out/missed.txt" ] || [ -s "$out/timeout.txt" ]; then
        echo "== survivors (a test should notice each, or .cargo/mutants.toml says why it cannot)"
        cat "$out/missed.txt" "$out/timeout.txt" 2>/dev/null
    else
        echo "== no surviving mutant"
    fi
fi
exit $status
