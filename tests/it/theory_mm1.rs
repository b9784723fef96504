//! M/M/1: one vCPU, one worker, FCFS backlog; Poisson arrivals, exponential service. The mean
//! response time (the `latency_ms.mean` of an HTTP listener: no TLS, so it is the sojourn time)
//! must match 1/(μ − λ), and its median and 99th percentile those of the exponential sojourn-time
//! distribution, within Student-t intervals over R independent replications.
//!
//! Warm-up: every run starts empty, which biases the mean low. The bias is of the order of the
//! relaxation time over the run length; the relaxation time of M/M/1 is 1/(μ(1 − √ρ)²), i.e.
//! 0.06 s at ρ = 0.5 and 0.9 s at ρ = 0.8 for μ = 100/s, against runs of 6000–18750 s: a
//! relative bias below 10⁻⁴, far inside the intervals (≈ 1–1.5 %). Nothing is discarded.
//! Requests still in flight at the end (≈ L ≤ 4 of ≥ 3·10⁵) are likewise negligible.

use crate::common::{Queue, exponential_ms, t_interval_r10};

/// Service rate [1/s]: mean service time 10 ms.
const MU: f64 = 100.0;

fn check_mm1(rho: f64, customers: f64) {
    let lambda = rho * MU;
    let q = Queue {
        lambda,
        service: exponential_ms(1000.0 / MU),
        vcpus: 1,
        workers: 1,
        seconds: customers / lambda,
    };
    let (mut p50, mut p99) = (Vec::new(), Vec::new());
    let means = q.replicate(|r| {
        let l = r.latency_ms.as_ref().expect("responses");
        p50.push(l.p50);
        p99.push(l.p99);
        l.mean
    });
    // The FCFS M/M/1 sojourn time is exponential with rate μ − λ: mean 1/(μ − λ), and the
    // q-quantile is −ln(1 − q)/(μ − λ). The percentiles come from the HDR histogram (3
    // significant digits), so they also check its bucketing.
    let rate = MU - lambda;
    let what = |s: &str| format!("M/M/1 ρ = {rho}: {s} response [ms]");
    t_interval_r10(&means).assert_contains(1000.0 / rate, &what("mean"));
    t_interval_r10(&p50).assert_contains(1000.0 * 2f64.ln() / rate, &what("p50"));
    t_interval_r10(&p99).assert_contains(1000.0 * 100f64.ln() / rate, &what("p99"));
}

#[test]
fn mm1_rho_0_5_response_is_exponential_with_rate_mu_minus_lambda() {
    check_mm1(0.5, 300_000.0);
}

#[test]
fn mm1_rho_0_8_response_is_exponential_with_rate_mu_minus_lambda() {
    check_mm1(0.8, 1_500_000.0);
}
