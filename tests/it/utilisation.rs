//! Utilisation and conservation laws: an instance's `cpu_utilization` against the offered load
//! λ·E[S]/c, Little's law on the vCPUs (mean busy vCPUs = λ·E[S], for any service distribution),
//! `RequestCount` against a Poisson process of rate λ (total and per-period dispersion), and the
//! CSV's per-period values against the run totals.
//!
//! Warm-up: runs start idle, so the busy fraction is biased low by about (relaxation time)/(run
//! length) < 1 s / 600 s here, well inside the intervals. Nothing is discarded.

use crate::common::{Csv, Queue, Z_999, assert_poisson, exponential_ms, run_json, t_interval_r10};
use serde_json::json;

/// M/M/4 at ρ = 0.75: the mean CPUUtilization is λ/(cμ)·100 = 75 %.
#[test]
fn cpu_utilization_is_offered_load_over_vcpus() {
    let (c, mu, lambda) = (4, 100.0, 300.0);
    let q = Queue {
        lambda,
        service: exponential_ms(1000.0 / mu),
        vcpus: c,
        workers: c,
        seconds: 600.0,
    };
    let cpu = q.replicate(|r| r.instances[0].cpu_utilization);
    t_interval_r10(&cpu).assert_contains(
        100.0 * lambda / (f64::from(c) * mu),
        "M/M/4 ρ = 0.75: CPUUtilization [%]",
    );
}

/// Little's law on the servers: the mean number of busy vCPUs is λ·E[S] whatever the service
/// distribution. Log-normal service (mean 8 ms, sd 16 ms) on 2 vCPUs / 2 workers at λ = 150/s:
/// 1.2 busy vCPUs.
#[test]
fn mean_busy_vcpus_is_lambda_times_mean_service() {
    let (lambda, mean_s) = (150.0, 0.008);
    let q = Queue {
        lambda,
        service: json!({ "distribution": "lognormal", "mean_ms": 8.0, "stddev_ms": 16.0 }),
        vcpus: 2,
        workers: 2,
        seconds: 1200.0,
    };
    let busy = q.replicate(|r| r.instances[0].cpu_utilization * 2.0 / 100.0);
    t_interval_r10(&busy).assert_contains(lambda * mean_s, "busy vCPUs (Little's law)");
}

/// The number of arrivals of a Poisson process of rate λ over T is Poisson(λT); the per-minute
/// counts (CSV `RequestCount`) are independent Poisson(60λ), so their index of dispersion
/// (K−1)·s²/mean is χ²(K−1).
#[test]
fn request_count_is_a_poisson_count_of_rate_lambda() {
    let (lambda, seconds) = (200.0, 3600.0);
    let q = Queue {
        lambda,
        service: exponential_ms(1.0),
        vcpus: 1,
        workers: 1,
        seconds,
    };
    let r = run_json(&q.json(7));
    let csv = Csv::of(&r);
    let counts = csv.column("RequestCount");
    assert_eq!(counts.len(), 60, "one row per 60 s CloudWatch period");
    assert_poisson(
        csv.sum("RequestCount"),
        lambda * seconds,
        "RequestCount over the run",
    );

    let k = counts.len() as f64;
    let mean = counts.iter().sum::<f64>() / k;
    let var = counts.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0);
    let dispersion = (k - 1.0) * var / mean;
    let (lo, hi) = (
        chi2_quantile(k - 1.0, -Z_999),
        chi2_quantile(k - 1.0, Z_999),
    );
    assert!(
        (lo..=hi).contains(&dispersion),
        "per-period RequestCount dispersion {dispersion:.1} outside the 99.9 % χ²({}) range {lo:.1}–{hi:.1}",
        k - 1.0
    );
}

/// The χ²(k) quantile at standard normal quantile `z` (Wilson–Hilferty; relative error < 10⁻³
/// for k ≈ 60).
fn chi2_quantile(k: f64, z: f64) -> f64 {
    let s = 2.0 / (9.0 * k);
    k * (1.0 - s + z * s.sqrt()).powi(3)
}

/// Per-period values add up to the run's totals: RequestCount to `requests_total`, Target 2XX to
/// the 200 responses, ProcessedBytes to 500 B per request + 5000 B per response (the defaults),
/// TargetResponseTime averages (weighted by the period's 2XX count) to the run's mean latency,
/// and CPUUtilization (weighted by period length; the CSV rounds to 0.001 %) to the run's
/// `cpu_utilization`. The run is 20.5 periods long, so the last row is a short one.
#[test]
fn periods_add_up_to_the_run_totals() {
    let q = Queue {
        lambda: 90.0,
        service: exponential_ms(10.0),
        vcpus: 1,
        workers: 1,
        seconds: 1230.0,
    };
    let r = run_json(&q.json(3));
    let n200 = r.by_status[&200];
    assert_eq!(r.responses(), n200);
    let csv = Csv::of(&r);
    let lengths = csv.column("period_seconds");
    assert_eq!(lengths.len(), 21);
    assert_eq!(
        lengths[20], 30.0,
        "the last period is cut at the end of the run"
    );
    assert_eq!(csv.column("timestamp")[20], 1200.0);
    assert_eq!(csv.sum("RequestCount"), r.requests_total);
    assert_eq!(csv.sum("HTTPCode_Target_2XX_Count"), n200);
    assert_eq!(
        csv.sum("ProcessedBytes"),
        500 * r.requests_total + 5000 * n200
    );
    assert_eq!(
        r.instances[0].requests_completed, n200,
        "the only instance answered all"
    );

    let weighted: f64 = r
        .periods
        .iter()
        .map(|p| p.target_response_time_avg.unwrap() * p.target.c2xx as f64)
        .sum();
    let mean_ms = 1000.0 * weighted / n200 as f64;
    let run_mean = r.latency_ms.as_ref().unwrap().mean;
    assert!(
        (mean_ms - run_mean).abs() < 1e-9 * run_mean,
        "TargetResponseTime {mean_ms} ms vs latency {run_mean} ms (HTTP: no TLS, they are equal)"
    );

    let cpu = csv.column("CPUUtilization:i-1");
    let avg = cpu.iter().zip(&lengths).map(|(c, l)| c * l).sum::<f64>() / 1230.0;
    assert!(
        (avg - r.instances[0].cpu_utilization).abs() <= 0.0005 + 1e-9,
        "CSV average {avg} vs run {}",
        r.instances[0].cpu_utilization
    );
}
