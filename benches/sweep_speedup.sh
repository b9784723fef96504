#!/usr/bin/env bash
# Sweep speed-up: the same sweep of 64 short runs (benches/sweep-short-runs.json) with
# --threads 1 and --threads 2, each into a fresh folder (so nothing comes from the run cache),
# alternately, 5 times; prints the median wall time of each and their ratio. On a 2-core
# machine the ratio is the speed-up the README quotes (goal: at least 1.9).
#
# Usage: bash benches/sweep_speedup.sh [REPEATS]     (builds the release binary first)
set -euo pipefail

cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 - "${1:-5}" <<'PY'
import shutil, statistics, subprocess, sys, time
from pathlib import Path

repeats = int(sys.argv[1])
work = Path("target/sweep-speedup")
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)

def timed(threads, i):
    out = work / f"t{threads}-{i}"
    start = time.perf_counter()
    subprocess.run(["target/release/albsim", "sweep", "benches/sweep-short-runs.json",
                    "--threads", str(threads), "--out", str(out), "--quiet"], check=True)
    seconds = time.perf_counter() - start
    shutil.rmtree(out)
    return seconds

one, two = [], []
for i in range(repeats):
    one.append(timed(1, i))
    two.append(timed(2, i))
m1, m2 = statistics.median(one), statistics.median(two)
print(f"64 runs, median of {repeats}: --threads 1 {m1:.3f} s, --threads 2 {m2:.3f} s; "
      f"speed-up {m1 / m2:.2f}x ({1000 * m1 / 64:.1f} ms per run on one thread)")
PY
