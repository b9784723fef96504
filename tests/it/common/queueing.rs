//! Queueing formulas the theory checks compare against: Erlang B and C, M/M/c response time,
//! lognormal moments, the utilisation law.

/// Erlang B blocking probability B(c, a) by the stable recursion
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C probability of waiting C(c, a) for offered load a = λ/μ < c, from Erlang B:
/// C = c·B / (c − a·(1 − B)).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    assert!(a < f64::from(c), "unstable: a = {a} ≥ c = {c}");
    let b = erlang_b(c, a);
    f64::from(c) * b / (f64::from(c) - a * (1.0 - b))
}

/// Mean response time of M/M/c [same unit as 1/μ]: 1/μ + C(c, a)/(cμ − λ).
pub fn mmc_mean_response(c: u32, lambda: f64, mu: f64) -> f64 {
    1.0 / mu + erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda)
}

/// Standard normal quantile z(0.99): `lognormal` service times are given by median and p99,
/// so σ = ln(p99/median)/z(0.99).
pub const Z_99: f64 = 2.326_347_874_040_841;

/// First and second moments (E\[S\], E\[S²\]) [ms, ms²] of a lognormal given by its median and
/// p99: E\[S\] = m·e^(σ²/2), E\[S²\] = m²·e^(2σ²).
pub fn lognormal_moments(median_ms: f64, p99_ms: f64) -> (f64, f64) {
    let sigma = (p99_ms / median_ms).ln() / Z_99;
    (
        median_ms * (sigma * sigma / 2.0).exp(),
        median_ms * median_ms * (2.0 * sigma * sigma).exp(),
    )
}

/// `CPUUtilization` [%] by the utilisation law: `rate` requests per second of `service_s`
/// seconds of CPU each, spread over `n` instances of `vcpus` vCPUs (none saturated).
pub fn utilisation_law(rate: f64, service_s: f64, n: u32, vcpus: u32) -> f64 {
    100.0 * rate * service_s / f64::from(n * vcpus)
}

#[test]
fn erlang_formulas_match_textbook_values() {
    // c = 2, a = 1: B = (1/2)/(1 + 1 + 1/2) = 1/5 and C = 1/3 (e.g. Kleinrock, vol. 1, §3.5).
    assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-15);
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-15);
    // c = 1: the probability of waiting is ρ, and M/M/c reduces to M/M/1: 1/(μ − λ).
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-15);
    assert!((mmc_mean_response(1, 7.0, 10.0) - 1.0 / 3.0).abs() < 1e-12);
    // B(1, a) = a/(1 + a).
    assert!((erlang_b(1, 3.0) - 0.75).abs() < 1e-15);
    // c = 3, a = 2: B = (8/6)/(1 + 2 + 2 + 8/6) = 4/19, C = 3B/(3 − 2(1 − B)) = 4/9.
    assert!((erlang_b(3, 2.0) - 4.0 / 19.0).abs() < 1e-15);
    assert!((erlang_c(3, 2.0) - 4.0 / 9.0).abs() < 1e-14);
    // Stable where the textbook sum of a^k/k! overflows (170! overflows f64): finite, in (0, 1).
    let c = erlang_c(500, 480.0);
    assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
}
