#!/usr/bin/env python3
"""Time whole processes in alternating rounds, for ratios on a noisy machine.

    bench-pairs.py RUNS OUT.json NAME=COMMAND [NAME=COMMAND ...]

Each round runs every command once, in an order shuffled anew each round
(seeded, so runs repeat), so a burst of load from other work hits all of them
alike and no command always runs right after the same neighbour (on the
project's VM the median CPU time of one-shot `uvtool verify` was 1.2 ms in
one fixed-order run and 1.8 ms in another with other neighbours; a fixed
order can charge such an effect to one command only). A command is split with shlex
and started with posix_spawn (no shell); its stdout and stderr go to
/dev/null, and a command ending in `< FILE` reads FILE on stdin. For each command the median and mean wall time and the median CPU
time (user + system of the child, from wait4) are written as JSON
(seconds), with the per-round wall times, in the shape hyperfine's
--export-json uses (`results[].command/median/mean/user/system`), so the
bench script reads both alike. Warm-up rounds ($BENCH_WARMUP, 3 by default) are not
counted. A command whose NAME starts with `@` keeps its stdout, appended to
OUT.json.NAME.txt (warm-up rounds included): bench.sh runs `openssl speed`
that way, in the same rounds as uvtool's batches. A
command that exits non-zero is an error (the bench must time real work).
"""
import json
import os
import random
import shlex
import shutil
import statistics
import sys
import time


def run_once(argv, stdin, devnull, keep=None):
    actions = [
        (os.POSIX_SPAWN_DUP2, keep if keep is not None else devnull, 1),
        (os.POSIX_SPAWN_DUP2, devnull, 2),
    ]
    if stdin:
        actions.append((os.POSIX_SPAWN_OPEN, 0, stdin, os.O_RDONLY, 0))
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime, ru.ru_stime, code


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    out = sys.argv[2]
    cmds = []
    for spec in sys.argv[3:]:
        name, _, cmd = spec.partition("=")
        argv = shlex.split(cmd)
        stdin = None
        if len(argv) > 2 and argv[-2] == "<":
            stdin = argv[-1]
            argv = argv[:-2]
        if not os.path.isabs(argv[0]):
            argv[0] = shutil.which(argv[0]) or argv[0]
        cmds.append((name, argv, stdin))
    devnull = os.open(os.devnull, os.O_WRONLY)
    times = {c[0]: [] for c in cmds}
    warm = int(os.environ.get("BENCH_WARMUP", "3"))
    rng = random.Random(int(os.environ.get("BENCH_SEED", "14")))
    for rnd in range(runs + warm):
        order = list(cmds)
        rng.shuffle(order)
        for name, argv, stdin in order:
            keep = None
            if name.startswith("@"):
                keep = os.open(f"{out}.{name[1:]}.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            wall, ut, st, code = run_once(argv, stdin, devnull, keep)
            if keep is not None:
                os.close(keep)
            if code != 0:
                sys.exit(f"bench-pairs: {name} exited {code}: {shlex.join(argv)}")
            if rnd >= warm:
                times[name].append((wall, ut, st))
    results = []
    for name, _, _ in cmds:
        t = times[name]
        results.append(
            {
                "command": name,
                "median": statistics.median(w for w, _, _ in t),
                "mean": statistics.mean(w for w, _, _ in t),
                "user": statistics.median(u for _, u, _ in t),
                "system": statistics.median(s for _, _, s in t),
                "cpu_median": statistics.median(u + s for _, u, s in t),
                "times": [w for w, _, _ in t],
            }
        )
    with open(out, "w") as f:
        json.dump({"results": results}, f)


if __name__ == "__main__":
    main()
