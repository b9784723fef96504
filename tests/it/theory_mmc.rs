//! M/M/c: one instance with c vCPUs and c workers (so a running request gets a whole vCPU and
//! its service is exactly the drawn time), FCFS backlog; Poisson arrivals, exponential service.
//! The mean response time must match the Erlang C formula 1/μ + C(c, a)/(cμ − λ), a = λ/μ,
//! within a Student-t interval over R independent replications.
//!
//! Warm-up: runs start empty (biased low). The relaxation time is of the order of
//! 1/(cμ(1 − √ρ)²): 0.2 s for c = 4 and ρ = 0.8, 0.16 s for c = 10 and ρ = 0.85, against runs of
//! ≥ 1100 s: a relative bias below 10⁻³, far inside the intervals (≈ 0.7 %). Nothing is discarded.

use crate::common::{Queue, exponential_ms, mmc_mean_response, t_interval_r10};

/// Service rate [1/s]: mean service time 10 ms.
const MU: f64 = 100.0;

fn check_mmc(c: u32, rho: f64, customers: f64) {
    let lambda = rho * f64::from(c) * MU;
    let q = Queue {
        lambda,
        service: exponential_ms(1000.0 / MU),
        vcpus: c,
        workers: c,
        seconds: customers / lambda,
    };
    let means = q.replicate(|r| r.latency_ms.as_ref().expect("responses").mean);
    let theory_ms = 1000.0 * mmc_mean_response(c, lambda, MU);
    t_interval_r10(&means)
        .assert_contains(theory_ms, &format!("M/M/{c} ρ = {rho}: mean response [ms]"));
}

#[test]
fn mm4_rho_0_8_mean_response_follows_erlang_c() {
    check_mmc(4, 0.8, 1_000_000.0);
}

#[test]
fn mm10_rho_0_85_mean_response_follows_erlang_c() {
    check_mmc(10, 0.85, 1_000_000.0);
}
