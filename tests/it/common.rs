//! Shared helpers: model builders (JSON text), running a model, replication statistics
//! (Student-t and binomial/Poisson intervals), queueing formulas (Erlang B and C), and reading
//! `timeseries.csv`, with unit tests of the formulas themselves (Erlang B/C against textbook
//! values, the t interval).

use albsim::RunResult;
use serde_json::{Value, json};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Statistical constants
// ---------------------------------------------------------------------------------------------

/// Independent replications (different seeds) per theory check.
pub const R: u64 = 10;

/// Student-t quantile t(0.9995; 9 df): a two-sided 99.9 % interval from R = 10 replications.
pub const T_999_DF9: f64 = 4.781;

/// Standard normal quantile z(0.9995): a two-sided 99.9 % interval (binomial/Poisson counts).
pub const Z_999: f64 = 3.291;

// ---------------------------------------------------------------------------------------------
// Running models
// ---------------------------------------------------------------------------------------------

/// Parses, resolves and runs a model given as JSON text; panics with albsim's message if the
/// model is rejected.
pub fn run_json(text: &str) -> RunResult {
    let scenario = albsim::scenario::from_json(text, Path::new("test.json"))
        .unwrap_or_else(|e| panic!("model rejected: {e}\n{text}"));
    albsim::run(&scenario)
}

/// Runs a model given as a JSON value.
pub fn run_value(model: &Value) -> RunResult {
    run_json(&model.to_string())
}

/// `summary.json` text with the `wall_seconds` line (the only run-dependent field) removed.
pub fn summary_without_wall(r: &RunResult) -> String {
    albsim::report::summary::to_json(r)
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"wall_seconds\""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Number of responses with status `code`.
pub fn status(r: &RunResult, code: u16) -> u64 {
    r.by_status.get(&code).copied().unwrap_or(0)
}

/// Responses of target group `name`.
pub fn group_requests(r: &RunResult, name: &str) -> u64 {
    r.target_groups
        .get(name)
        .unwrap_or_else(|| panic!("no target group {name} in the result"))
        .requests
}

// ---------------------------------------------------------------------------------------------
// Model builders
// ---------------------------------------------------------------------------------------------

/// Exponential service time with mean `mean_ms`.
pub fn exponential_ms(mean_ms: f64) -> Value {
    json!({ "distribution": "exponential", "mean_ms": mean_ms })
}

/// Constant service time.
pub fn constant_ms(ms: f64) -> Value {
    json!({ "distribution": "constant", "ms": ms })
}

/// A user-defined instance type `test.c<vcpus>` with `vcpus` vCPUs.
pub fn test_type(vcpus: u32) -> Value {
    json!({ "name": format!("test.c{vcpus}"), "vcpus": vcpus, "memory_gib": 8, "price_per_hour": 0.1 })
}

/// An instance that never refuses work (huge backlog).
pub fn instance(id: &str, instance_type: &str, workers: u32) -> Value {
    json!({ "id": id, "instance_type": instance_type, "availability_zone": "us-east-1a",
            "workers": workers, "backlog": 10_000_000 })
}

/// A target group over `targets` with `algorithm` (`load_balancing.algorithm.type`).
pub fn group(name: &str, targets: &[&str], algorithm: &str) -> Value {
    json!({ "name": name, "port": 8080, "protocol": "HTTP",
            "attributes": { "load_balancing.algorithm.type": algorithm },
            "targets": targets })
}

/// `forward` to one target group.
pub fn forward(tg: &str) -> Value {
    json!({ "type": "forward", "target_group": tg })
}

/// An HTTP listener on port 80 with `rules` and a default `forward` to `default_tg`.
pub fn http_listener(rules: Value, default_tg: &str) -> Value {
    json!({ "port": 80, "protocol": "HTTP", "rules": rules, "default_actions": [forward(default_tg)] })
}

/// A client with one request type (`GET /`) and `arrival` (`{"type": …}`).
pub fn client(name: &str, arrival: Value, service: Value) -> Value {
    json!({ "name": name, "arrival": arrival,
            "requests": [ { "name": "r", "service_time": service } ] })
}

/// Poisson arrivals at `rate` per second.
pub fn poisson(rate: f64) -> Value {
    json!({ "type": "poisson", "rate_per_second": rate })
}

/// Evenly spaced arrivals at `rate` per second.
pub fn constant_rate(rate: f64) -> Value {
    json!({ "type": "constant", "rate_per_second": rate })
}

/// A whole model. The ALB idle timeout is the maximum (4000 s) so that nothing times out unless a
/// test lowers it, and the listener list is taken as given.
pub fn model(
    name: &str,
    seed: u64,
    seconds: f64,
    clients: Value,
    listeners: Value,
    groups: Value,
    instances: Value,
) -> Value {
    json!({
        "name": name,
        "duration": seconds,
        "seed": seed,
        "instance_types": [test_type(1), test_type(2), test_type(4), test_type(10)],
        "clients": clients,
        "load_balancer": {
            "name": "lb",
            "attributes": { "idle_timeout.timeout_seconds": 4000 },
            "listeners": listeners
        },
        "target_groups": groups,
        "instances": instances
    })
}

/// A single queue: Poisson arrivals at `lambda` per second into one instance with `vcpus` vCPUs
/// and `workers` workers (FCFS backlog that never refuses), service time `service`.
pub struct Queue {
    /// Arrival rate [1/s].
    pub lambda: f64,
    /// Service-time distribution (JSON).
    pub service: Value,
    /// vCPUs of the instance (1, 2, 4 or 10: the test types).
    pub vcpus: u32,
    /// Requests processed at once.
    pub workers: u32,
    /// Simulated time [s].
    pub seconds: f64,
}

impl Queue {
    /// The model as JSON text, for master seed `seed`.
    pub fn json(&self, seed: u64) -> String {
        let itype = format!("test.c{}", self.vcpus);
        model(
            "queue",
            seed,
            self.seconds,
            json!([client("c", poisson(self.lambda), self.service.clone())]),
            json!([http_listener(json!([]), "tg")]),
            json!([group("tg", &["i-1"], "round_robin")]),
            json!([instance("i-1", &itype, self.workers)]),
        )
        .to_string()
    }

    /// Runs replications with seeds 1..=R and maps each result with `f`.
    pub fn replicate(&self, mut f: impl FnMut(&RunResult) -> f64) -> Vec<f64> {
        (1..=R)
            .map(|seed| {
                let r = run_json(&self.json(seed));
                assert_eq!(
                    r.responses(),
                    status(&r, 200),
                    "a queue with a huge backlog and no timeout answers only 200: {:?}",
                    r.by_status
                );
                f(&r)
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/// A two-sided confidence interval `mean ± half`.
#[derive(Clone, Copy, Debug)]
pub struct Ci {
    /// Point estimate.
    pub mean: f64,
    /// Half-width.
    pub half: f64,
}

impl Ci {
    /// Panics unless `value` lies in the interval.
    pub fn assert_contains(&self, value: f64, what: &str) {
        // Shown with `--nocapture`: how tight the check is.
        eprintln!(
            "{what}: theory {value:.5}, CI {:.5} ± {:.5} ({:.2} %)",
            self.mean,
            self.half,
            100.0 * self.half / self.mean.abs()
        );
        assert!(
            (value - self.mean).abs() <= self.half,
            "{what}: theory {value:.5} outside the CI {:.5} ± {:.5} (relative half-width {:.2} %)",
            self.mean,
            self.half,
            100.0 * self.half / self.mean.abs()
        );
    }
}

/// Student-t interval on the mean of independent replication values `xs`, with quantile `t`
/// (which must match `xs.len() - 1` degrees of freedom).
pub fn t_interval(xs: &[f64], t: f64) -> Ci {
    let n = xs.len() as f64;
    assert!(n >= 2.0);
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Ci {
        mean,
        half: t * (var / n).sqrt(),
    }
}

/// 99.9 % Student-t interval from exactly R = 10 replications.
pub fn t_interval_r10(xs: &[f64]) -> Ci {
    assert_eq!(xs.len() as u64, R, "T_999_DF9 is for R = 10 replications");
    t_interval(xs, T_999_DF9)
}

/// Panics unless `count` is within the 99.9 % normal-approximation interval of a
/// Binomial(`n`, `p`) count.
pub fn assert_binomial(count: u64, n: u64, p: f64, what: &str) {
    let (n, k) = (n as f64, count as f64);
    let half = Z_999 * (n * p * (1.0 - p)).sqrt();
    assert!(
        (k - n * p).abs() <= half,
        "{what}: {k} of {n}, expected {:.1} ± {half:.1} (p = {p})",
        n * p
    );
}

/// Panics unless `count` is within the 99.9 % normal-approximation interval of a Poisson count
/// with mean `mean`.
pub fn assert_poisson(count: u64, mean: f64, what: &str) {
    let half = Z_999 * mean.sqrt();
    assert!(
        (count as f64 - mean).abs() <= half,
        "{what}: {count}, expected {mean:.1} ± {half:.1}"
    );
}

// ---------------------------------------------------------------------------------------------
// Queueing formulas
// ---------------------------------------------------------------------------------------------

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

#[test]
fn t_interval_of_known_values() {
    // Mean 3, sample variance 2.5 over n = 5: half-width t·sqrt(2.5/5).
    let ci = t_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], 2.0);
    assert!((ci.mean - 3.0).abs() < 1e-15);
    assert!((ci.half - 2.0 * 0.5f64.sqrt()).abs() < 1e-15);
}

// ---------------------------------------------------------------------------------------------
// timeseries.csv
// ---------------------------------------------------------------------------------------------

/// A parsed `timeseries.csv`: header and rows of cells.
pub struct Csv {
    /// Column names.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    /// The CSV of a run, as `albsim run` writes it.
    pub fn of(r: &RunResult) -> Csv {
        Csv::parse(&albsim::report::timeseries::to_csv(r))
    }

    /// Parses CSV text (no quoting: albsim's CSV has none).
    pub fn parse(text: &str) -> Csv {
        let mut lines = text.lines();
        let header = lines
            .next()
            .expect("a header line")
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>();
        let rows: Vec<Vec<String>> = lines
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        for row in &rows {
            assert_eq!(row.len(), header.len(), "ragged CSV row {row:?}");
        }
        Csv { header, rows }
    }

    /// The values of column `name` as numbers.
    pub fn column(&self, name: &str) -> Vec<f64> {
        let i = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header));
        self.rows
            .iter()
            .map(|r| {
                r[i].parse::<f64>()
                    .unwrap_or_else(|_| panic!("{name}: not a number: {:?}", r[i]))
            })
            .collect()
    }

    /// The sum of an integer column.
    pub fn sum(&self, name: &str) -> u64 {
        self.column(name).iter().map(|&x| x as u64).sum()
    }
}
