#!/usr/bin/env bash
# Peak memory of `albsim run` against the number of requests simulated.
#
# Runs the M/M/10 model (benches/mmc10.json: Poisson 8000 req/s) for 125 s, 1250 s and 12500 s of
# simulated time, i.e. about 10^6, 10^7 and 10^8 requests, each under `/usr/bin/time -v`, and
# prints the requests simulated (from summary.json), the maximum resident set size and the wall
# time. albsim keeps no per-request state beyond requests in flight, so the RSS should stay flat
# from 10^6 to 10^8 requests (only the per-minute metric rows grow with simulated time).
#
# With MODEL=benches/sqs-mmc10.json it does the same for SQS messages (2667 messages/s: 375 s,
# 3750 s and 37500 s are about 10^6, 10^7 and 10^8 messages), counting messages sent.
#
# Usage: bash benches/memory_flat.sh [extra durations, e.g. 60s 3600s]
# Needs: cargo, python3, GNU time at /usr/bin/time. Takes about half a minute after the build.
set -euo pipefail

cd "$(dirname "$0")/.."
model=${MODEL:-benches/mmc10.json}
durations=("$@")
if [ ${#durations[@]} -eq 0 ]; then
    if [ "$model" = benches/sqs-mmc10.json ]; then
        durations=(375s 3750s 37500s)
    else
        durations=(125s 1250s 12500s)
    fi
fi

if [ ! -x /usr/bin/time ]; then
    echo "memory_flat.sh: /usr/bin/time (GNU time) is required (apt-get install time)" >&2
    exit 1
fi

cargo build --release --quiet --bin albsim
bin=target/release/albsim

work=$(mktemp -d "${TMPDIR:-/tmp}/albsim-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf '%-10s %14s %14s %10s\n' duration requests/msgs max_rss_MiB wall_s
for d in "${durations[@]}"; do
    out="$work/$d"
    /usr/bin/time -v "$bin" run "$model" --duration "$d" --out "$out" --quiet 2>"$work/time.txt"
    rss_kib=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time.txt")
    python3 - "$out/summary.json" "$d" "$rss_kib" <<'EOF'
import json, sys
path, duration, rss_kib = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = json.load(open(path))
count = s['requests']['total'] if 'requests' in s else 0
count += sum(q['sent'] for q in s.get('queues', {}).values())
print(f"{duration:<10} {count:>14,} {rss_kib / 1024:>14.1f} {s['wall_seconds']:>10.2f}")
EOF
done
