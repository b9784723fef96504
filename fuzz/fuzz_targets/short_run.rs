//! Fuzz target: a short run of any model the loader accepts. The duration is clamped to at most
//! 2 simulated minutes and the run bounded by events and wall time; it must not panic, and its
//! outputs must not contradict each other (see tests/it/invariants.rs, shared with `cargo test`).
//!
//! `ALBSIM_FUZZ_ALLOW="above the maximum,..."`: contradictions whose message contains one of these
//! comma-separated phrases are counted on stderr instead of stopping the run, so a campaign can go
//! past a known, not yet fixed defect.
//!
//! `ALBSIM_FUZZ_COUNT_FILE=path`: at exit, append a line `inputs N simulated M` to `path`, so a
//! campaign in fork mode (one process per job) can add up how many short runs it made.
#![no_main]

#[path = "../../tests/it/invariants.rs"]
#[allow(dead_code)]
mod invariants;

use albsim::engine::SimDuration;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Short runs actually simulated (inputs the loader accepted), reported now and then on stderr.
static RUNS: AtomicU64 = AtomicU64::new(0);

/// Contradictions tolerated through `ALBSIM_FUZZ_ALLOW`.
static ALLOWED: AtomicU64 = AtomicU64::new(0);

fn allowed(contradiction: &str) -> bool {
    std::env::var("ALBSIM_FUZZ_ALLOW").is_ok_and(|list| {
        list.split(',')
            .any(|phrase| !phrase.is_empty() && contradiction.contains(phrase))
    })
}

/// Inputs tried (simulated or not).
static INPUTS: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" {
    fn atexit(callback: extern "C" fn()) -> i32;
}

extern "C" fn write_counts() {
    if let Ok(path) = std::env::var("ALBSIM_FUZZ_COUNT_FILE") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(
                f,
                "inputs {} simulated {} allowed {}",
                INPUTS.load(Ordering::Relaxed),
                RUNS.load(Ordering::Relaxed),
                ALLOWED.load(Ordering::Relaxed)
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    // SAFETY: `write_counts` is a plain function that only reads atomics and appends to a file.
    REGISTER.call_once(|| unsafe {
        atexit(write_counts);
    });
    INPUTS.fetch_add(1, Ordering::Relaxed);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut sc) = albsim::scenario::from_json(text, Path::new("fuzz.json")) else {
        return;
    };
    sc.duration = SimDuration(sc.duration.0.min(SimDuration::from_secs(120).0));
    let mut opts = albsim::RunOptions {
        max_events: Some(200_000),
        max_wall: Some(Duration::from_secs(5)),
        progress: None,
    };
    let n = RUNS.fetch_add(1, Ordering::Relaxed) + 1;
    if n.is_power_of_two() {
        eprintln!("short_run: {n} runs simulated");
    }
    match albsim::run_with(&sc, &mut opts) {
        Ok(result) => {
            if let Err(contradiction) = invariants::check_all(&result) {
                if !allowed(&contradiction) {
                    panic!("self-contradicting output: {contradiction}");
                }
                let k = ALLOWED.fetch_add(1, Ordering::Relaxed) + 1;
                if k.is_power_of_two() {
                    eprintln!(
                        "short_run: {k} known contradictions allowed, latest: {contradiction}"
                    );
                }
            }
            let _ = albsim::report::activity_log::to_text(&result);
            let _ = albsim::report::timeline::to_svg(&result);
        }
        Err(e) => assert!(!e.to_string().is_empty(), "empty run error"),
    }
});
