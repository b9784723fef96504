#!/usr/bin/env bash
# A fuzzing campaign against albsim, on the stable toolchain. Run from anywhere:
#
#   bash fuzz/campaign.sh                      # defaults below (about 1 h on one core)
#   LOADER_SECONDS=600 RUN_SECONDS=600 GEN_CASES=20000 bash fuzz/campaign.sh
#   ALBSIM_FUZZ_ALLOW="above the maximum" bash fuzz/campaign.sh   # go past a known defect
#   ALBSIM_GEN_SHORT_DURATION=1 bash fuzz/campaign.sh   # generated models all last 2m (go past
#                                       # fuzz/regressions/abort/diurnal-points-unbounded.json)
#
# Three parts, one after the other, each bounded:
#   1. load_model: libFuzzer on the model loader (arbitrary bytes), LOADER_SECONDS of fuzzing
#                  (about 40 000 exec/s on one free core: 10 M executions in 5 minutes);
#   2. short_run:  libFuzzer on short runs of the models the loader accepts, RUN_SECONDS (byte
#                  mutations rarely keep a model valid: a few hundred short runs a minute);
#   3. generator:  the structure-aware generator (tests/it/model_gen.rs, hostile mode), GEN_CASES
#                  models in release (about 400 a second; a third of them are accepted and run
#                  short), going on past failures and printing a catalogue of findings with the
#                  shortest model of each. This is where most short runs come from.
# Needs: `cargo install cargo-fuzz` and a C++ compiler (libFuzzer is built from source by
# libfuzzer-sys). `-s none` builds without a sanitizer: AddressSanitizer needs nightly rustc
# (-Zsanitizer); Rust code is memory-safe anyway, and panics, overflow checks (on in this crate's
# profile), timeouts and the RSS limit are what the targets look for. `RUSTC_BOOTSTRAP=1 cargo
# fuzz build` (with ASan) also works on stable, unsupported.
#
# Findings land in fuzz/artifacts/<target>/ (crash-*, timeout-*, oom-*); reproduce one with
#   cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>
# and keep a minimal copy under fuzz/regressions/ (tests/it/hostile_models.rs replays them).
# Logs go to fuzz/logs/. The campaign runs at the
# lowest priority (nice 19) so it can share a machine.
set -euo pipefail
cd "$(dirname "$0")"
LOADER_SECONDS=${LOADER_SECONDS:-1800}
RUN_SECONDS=${RUN_SECONDS:-1800}
GEN_CASES=${GEN_CASES:-20000}
# The generator's seed: cargo test always uses 0; a campaign explores others (default: the time).
GEN_SEED=${GEN_SEED:-$(date +%s)}
JOBS=${JOBS:-1}
mkdir -p logs corpus/load_model corpus/short_run artifacts/load_model artifacts/short_run
# Seed corpora: the shipped models and the regression reproducers.
cp ../models/*.json corpus/load_model/
cp ../models/*.json corpus/short_run/
cp regressions/*.json corpus/load_model/ 2>/dev/null || true
cp regressions/*.json corpus/short_run/ 2>/dev/null || true

nice -n 19 cargo fuzz build -s none

# fork mode keeps going after a finding (-ignore_*) so one campaign reports every class.
fuzz() {
    local target=$1 seconds=$2
    ALBSIM_FUZZ_COUNT_FILE="$PWD/logs/$target.counts" \
    nice -n 19 cargo fuzz run -s none "$target" -- \
        -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -dict="$PWD/model.dict" -print_final_stats=1 \
        >"logs/$target.log" 2>&1 || true
    tail -n 1 "logs/$target.log"
}
[ "$LOADER_SECONDS" -gt 0 ] && fuzz load_model "$LOADER_SECONDS"
rm -f logs/short_run.counts
if [ "$RUN_SECONDS" -gt 0 ]; then
    fuzz short_run "$RUN_SECONDS"
    # One line per libFuzzer job: inputs tried, models simulated, contradictions allowed.
    awk '{ i += $2; s += $4; a += $6 } END { print "short_run: " i " inputs, " s " short runs, " a " allowed" }' \
        logs/short_run.counts 2>/dev/null || true
fi
if [ "$GEN_CASES" -gt 0 ]; then
    # Memory capped: a model that allocates without bound aborts this process, not the machine.
    (ulimit -v 8000000 && cd .. && ALBSIM_GEN_CASES="$GEN_CASES" ALBSIM_GEN_SEED="$GEN_SEED" nice -n 19 cargo test --release --test it \
        hostile_model_campaign -- --ignored --nocapture >fuzz/logs/generator.log 2>&1 || true)
    echo "generator seed: $GEN_SEED (ALBSIM_GEN_SEED=$GEN_SEED reproduces it)"
    grep -E '^hostile model campaign|^FINDING' logs/generator.log || true
fi
echo "findings:"; ls -l artifacts/*/ 2>/dev/null || true
