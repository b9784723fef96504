//! Closed loop (`users`): N users each send a request, wait for the answer, think for an
//! exponential time Z, and repeat, against one vCPU / one worker with exponential service S.
//! This is the finite-source M/M/1//N queue (machine-repairman model): with r = E[S]/E[Z],
//! π_k ∝ N!/(N−k)!·r^k, utilisation U = 1 − π₀, throughput X = U/E[S], and by the response time
//! law E[R] = N/X − E[Z]. Checked within Student-t intervals over R replications.
//!
//! Warm-up: all users start at t = 0 (a burst), the chain has 11 states and relaxes within a few
//! hundred milliseconds, against 600 s runs: negligible. Nothing is discarded.

use crate::common::{
    R, client, exponential_ms, group, http_listener, instance, model, run_value, status,
    t_interval_r10,
};
use serde_json::json;

/// (U, X [1/s], E[R] [s]) of M/M/1//N.
fn finite_source(n: u32, s: f64, z: f64) -> (f64, f64, f64) {
    let r = s / z;
    // t_k = N!/(N−k)!·r^k, built term by term.
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=n {
        term *= f64::from(n - k + 1) * r;
        sum += term;
    }
    let u = 1.0 - 1.0 / sum;
    let x = u / s;
    (u, x, f64::from(n) / x - z)
}

#[test]
fn finite_source_formula_limits() {
    // One user: it alternates think and service, R = S, U = S/(S + Z).
    let (u, x, rt) = finite_source(1, 0.01, 0.09);
    assert!((u - 0.1).abs() < 1e-12 && (x - 10.0).abs() < 1e-9 && (rt - 0.01).abs() < 1e-12);
}

#[test]
fn users_with_think_time_follow_the_machine_repairman_model() {
    let (n, s, z, seconds) = (10, 0.010, 0.090, 600.0);
    let (u, x, rt) = finite_source(n, s, z);
    let (mut lat, mut thr, mut cpu) = (Vec::new(), Vec::new(), Vec::new());
    for seed in 1..=R {
        let users = json!({ "type": "users", "count": n,
                            "think_time": exponential_ms(z * 1000.0) });
        let r = run_value(&model(
            "closed",
            seed,
            seconds,
            json!([client("users", users, exponential_ms(s * 1000.0))]),
            json!([http_listener(json!([]), "tg")]),
            json!([group("tg", &["i-1"], "round_robin")]),
            json!([instance("i-1", "test.c1", 1)]),
        ));
        assert_eq!(r.responses(), status(&r, 200));
        assert!(
            r.in_flight_at_end() <= u64::from(n),
            "at most one request per user"
        );
        lat.push(r.latency_ms.as_ref().unwrap().mean);
        thr.push(status(&r, 200) as f64 / seconds);
        cpu.push(r.instances[0].cpu_utilization);
    }
    t_interval_r10(&lat).assert_contains(rt * 1000.0, "M/M/1//10: mean response [ms]");
    t_interval_r10(&thr).assert_contains(x, "M/M/1//10: throughput [1/s]");
    t_interval_r10(&cpu).assert_contains(u * 100.0, "M/M/1//10: CPUUtilization [%]");
}
