//! Processor sharing: with more workers than vCPUs, the running requests share the vCPUs
//! equally. Independent theory checks of the virtual-clock implementation:
//! - 1 vCPU, many workers, exponential service: M/M/1-PS, mean response 1/(μ − λ) (as FCFS);
//! - 1 vCPU, many workers, *constant* service: M/G/1-PS is insensitive, so still E[S]/(1 − ρ),
//!   while the same load with 1 worker (FCFS) follows Pollaczek–Khinchine, a different value;
//! - 4 vCPUs, many workers, exponential service: the number in system is the same birth–death
//!   process as M/M/4, so the mean response is Erlang C's.
//!
//! "Many" is 1000 workers: the chance of more than 1000 requests at ρ ≤ 0.8 is below 10⁻⁹⁰.
//! Warm-up: as in `theory_mm1` (relaxation < 1 s against runs of ≥ 3000 s); nothing discarded.

use crate::common::{Queue, constant_ms, exponential_ms, mmc_mean_response, t_interval_r10};

const MU: f64 = 100.0;
const MANY: u32 = 1000;

fn mean_response(q: &Queue) -> Vec<f64> {
    q.replicate(|r| r.latency_ms.as_ref().expect("responses").mean)
}

#[test]
fn mm1_ps_mean_response_is_1_over_mu_minus_lambda_and_cpu_is_rho() {
    let lambda = 0.8 * MU;
    let q = Queue {
        lambda,
        service: exponential_ms(1000.0 / MU),
        vcpus: 1,
        workers: MANY,
        seconds: 1_000_000.0 / lambda,
    };
    let mut cpu = Vec::new();
    let means = q.replicate(|r| {
        // Work conservation: the vCPU is busy whenever anything runs, so busy = ρ.
        cpu.push(r.instances[0].cpu_utilization);
        r.latency_ms.as_ref().expect("responses").mean
    });
    t_interval_r10(&means).assert_contains(
        1000.0 / (MU - lambda),
        "M/M/1-PS ρ = 0.8: mean response [ms]",
    );
    t_interval_r10(&cpu).assert_contains(80.0, "M/M/1-PS ρ = 0.8: CPUUtilization [%]");
}

#[test]
fn md1_ps_is_insensitive_to_the_service_distribution_unlike_fcfs() {
    let (lambda, s_ms) = (0.7 * MU, 1000.0 / MU);
    let rho = lambda * s_ms / 1000.0;
    let ps = Queue {
        lambda,
        service: constant_ms(s_ms),
        vcpus: 1,
        workers: MANY,
        seconds: 300_000.0 / lambda,
    };
    t_interval_r10(&mean_response(&ps))
        .assert_contains(s_ms / (1.0 - rho), "M/D/1-PS ρ = 0.7: mean response [ms]");
    // The same load FCFS (1 worker): E[T] = E[S] + ρ·E[S]/(2(1 − ρ)) for constant service.
    let fcfs = Queue { workers: 1, ..ps };
    t_interval_r10(&mean_response(&fcfs)).assert_contains(
        s_ms + rho * s_ms / (2.0 * (1.0 - rho)),
        "M/D/1 FCFS ρ = 0.7: mean response [ms] (Pollaczek–Khinchine)",
    );
}

#[test]
fn four_vcpus_shared_by_many_workers_behave_as_mm4() {
    let c = 4;
    let lambda = 0.8 * f64::from(c) * MU;
    let q = Queue {
        lambda,
        service: exponential_ms(1000.0 / MU),
        vcpus: c,
        workers: MANY,
        seconds: 1_000_000.0 / lambda,
    };
    t_interval_r10(&mean_response(&q)).assert_contains(
        1000.0 * mmc_mean_response(c, lambda, MU),
        "4 vCPUs, 1000 workers, ρ = 0.8: mean response [ms]",
    );
}
