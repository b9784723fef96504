#!/usr/bin/env bash
# One M/M/c queue, three simulators: requests simulated per second of wall-clock time.
#
#   bare    benches/bare_mmc.rs — a bare BinaryHeap event loop, the ceiling (criterion mmc/bare_binary_heap)
#   albsim  benches/mmc10.json through the full simulator (criterion mmc/albsim)
#   SimPy   benches/simpy_mmc.py, the usual Python way (Resource + one process per customer)
#
# All three: Poisson arrivals 8000/s, exponential service with mean 1 ms, 10 servers (rho = 0.8),
# about 10^6 requests, seed 1. The Rust numbers are criterion's mean throughput estimates
# (`cargo bench --bench engine -- --noplot mmc/`); SimPy is timed by its own script (one run).
# SimPy is installed on first use into target/simpy-venv from benches/requirements.txt.
#
# Usage: bash benches/compare.sh        (about a minute; the full criterion log goes to
#                                        target/compare-criterion.log)
set -euo pipefail

cd "$(dirname "$0")/.."
requests=1000000
seed=1
venv=target/simpy-venv
log=target/compare-criterion.log

if ! "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
    echo "compare.sh: installing SimPy into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r benches/requirements.txt
fi

echo "compare.sh: criterion mmc/ (bare loop, albsim) ..." >&2
cargo bench --quiet --bench engine -- --noplot 'mmc/' >"$log" 2>&1 || {
    cat "$log" >&2
    exit 1
}

echo "compare.sh: SimPy, $requests requests ..." >&2
simpy_json=$("$venv/bin/python" benches/simpy_mmc.py --requests "$requests" --seed "$seed")
simpy_version=$("$venv/bin/python" -c 'import simpy; print(simpy.__version__)')

python3 - "$log" "$simpy_json" "$simpy_version" <<'EOF'
import json, re, sys

log_path, simpy_json, simpy_version = sys.argv[1:4]
units = {"elem/s": 1.0, "Kelem/s": 1e3, "Melem/s": 1e6, "Gelem/s": 1e9}

# Criterion prints the benchmark name, then `time: [lo est hi]` and `thrpt: [lo est hi]`; a
# `change:` block with percentages may follow, so only the first thrpt after a name counts.
thrpt = {}
name = None
for line in open(log_path):
    m = re.match(r"^(mmc/\S+)", line)
    if m:
        name = m.group(1)
    m = re.search(r"thrpt:\s*\[\s*\S+ \S+\s+([0-9.]+) (\S+)", line)
    if m and name and name not in thrpt and m.group(2) in units:
        thrpt[name] = float(m.group(1)) * units[m.group(2)]
        name = None

for needed in ("mmc/bare_binary_heap", "mmc/albsim"):
    if needed not in thrpt:
        sys.exit(f"compare.sh: no throughput for {needed} in {log_path}")

simpy = json.loads(simpy_json)
rows = [
    ("bare BinaryHeap loop", thrpt["mmc/bare_binary_heap"]),
    ("albsim (full ALB model)", thrpt["mmc/albsim"]),
    (f"SimPy {simpy_version}", simpy["requests_per_second"]),
]
bare = rows[0][1]
print("M/M/10: lambda 8000/s, mean service 1 ms (rho 0.8), ~10^6 requests, seed 1")
print(f"{'simulator':<26}{'requests/s':>14}{'vs bare loop':>14}")
for label, rate in rows:
    print(f"{label:<26}{rate:>14,.0f}{rate / bare:>14.4f}")
print(f"albsim / SimPy: {rows[1][1] / rows[2][1]:.0f}x")
print(f"(SimPy mean response {simpy['mean_response_s'] * 1e3:.4f} ms; Erlang C: 1.2046 ms)")
EOF
