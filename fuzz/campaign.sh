#!/usr/bin/env bash
# A fuzzing campaign against albsim, on the stable toolchain. Run from anywhere:
#
#   bash fuzz/campaign.sh                      # defaults below (about 1 h on one core)
#   LOADER_SECONDS=600 RUN_SECONDS=600 GEN_CASES=20000 bash fuzz/campaign.sh
#
# Three parts, one after the other, each bounded:
#   1. load_model: libFuzzer on the model loader (arbitrary bytes), LOADER_SECONDS of fuzzing;
#   2. short_run:  libFuzzer on short runs of the models the loader accepts, RUN_SECONDS;
#   3. generator:  the structure-aware proptest generator (tests/it/hostile_models.rs) with
#                  GEN_CASES cases in release, which runs each accepted model for a short time.
# Needs: `cargo install cargo-fuzz` and a C++ compiler (libFuzzer is built from source by
# libfuzzer-sys). `-s none` builds without a sanitizer: AddressSanitizer needs nightly rustc
# (-Zsanitizer); Rust code is memory-safe anyway, and panics, overflow checks (on in this crate's
# profile), timeouts and the RSS limit are what the targets look for. `RUSTC_BOOTSTRAP=1 cargo
# fuzz build` (with ASan) also works on stable, unsupported.
#
# Findings land in fuzz/artifacts/<target>/ (crash-*, timeout-*, oom-*); reproduce one with
#   cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>
# and keep a minimal copy under fuzz/regressions/. Logs go to fuzz/logs/. The campaign runs at the
# lowest priority (nice 19) so it can share a machine.
set -euo pipefail
cd "$(dirname "$0")"
LOADER_SECONDS=${LOADER_SECONDS:-1800}
RUN_SECONDS=${RUN_SECONDS:-1800}
GEN_CASES=${GEN_CASES:-20000}
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
    nice -n 19 cargo fuzz run -s none "$target" -- \
        -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -dict=model.dict -artifact_prefix="artifacts/$target/" -print_final_stats=1 \
        2>&1 | tee "logs/$target.log" | grep -E '^#[0-9]+: |INFO: fuzzed|crash|timeout|oom|short_run:' || true
}
[ "$LOADER_SECONDS" -gt 0 ] && fuzz load_model "$LOADER_SECONDS"
[ "$RUN_SECONDS" -gt 0 ] && fuzz short_run "$RUN_SECONDS"
if [ "$GEN_CASES" -gt 0 ]; then
    (cd .. && ALBSIM_GEN_CASES="$GEN_CASES" nice -n 19 cargo test --release --test it hostile_models \
        -- --nocapture 2>&1 | tee fuzz/logs/generator.log | tail -20)
fi
echo "findings:"; ls -l artifacts/*/ 2>/dev/null || true
