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

// ---------------------------------------------------------------------------------------------
// Health checks, faults, registration: model pieces and timeline helpers
// ---------------------------------------------------------------------------------------------

/// Time a target spends answering a health check in the timeline tests [ms]. Set explicitly (it is
/// an albsim assumption, default 1 ms) because a passing check completes this long after it is
/// sent, so a transition to `healthy` happens at check time + `CHECK_MS`.
pub const CHECK_MS: f64 = 1.0;

/// Tolerance on event times [s]. The engine counts integer nanoseconds and every duration in a
/// model is rounded to the nearest nanosecond; an expected time is a sum of at most a handful of
/// such durations, so it is exact to a few ns. 10 ns is far below any gap between events in these
/// tests (≥ 1 ms).
pub const TIME_TOL: f64 = 1e-8;

/// A `health_check` object in AWS spelling. `first_check_delay` (an albsim setting; `None`: random
/// within one interval) applies to load balancer node 0, whose results drive the target's state,
/// so with `Some(d)` node 0 checks at `registration + d + k·interval` exactly.
pub fn health_check(
    interval: u32,
    timeout: u32,
    healthy: u32,
    unhealthy: u32,
    first_check_delay: Option<f64>,
) -> Value {
    let mut hc = json!({
        "HealthCheckIntervalSeconds": interval,
        "HealthCheckTimeoutSeconds": timeout,
        "HealthyThresholdCount": healthy,
        "UnhealthyThresholdCount": unhealthy,
        "service_time": constant_ms(CHECK_MS)
    });
    if let Some(d) = first_check_delay {
        hc["first_check_delay"] = json!(d);
    }
    hc
}

/// `group` (see [`group`]) with a `health_check` object.
pub fn checked_group(name: &str, targets: &[&str], hc: Value) -> Value {
    let mut g = group(name, targets, "round_robin");
    g["health_check"] = hc;
    g
}

/// An instance (see [`instance`]) in Availability Zone `az`.
pub fn instance_in(id: &str, instance_type: &str, workers: u32, az: &str) -> Value {
    let mut i = instance(id, instance_type, workers);
    i["availability_zone"] = json!(az);
    i
}

/// Activity lines of `kind` (`target-health`, `fault`, `registration`, `target-group`) about
/// `subject` (`group/instance`, an instance, `AZ …`, a group name), as (time [s], message).
pub fn activity<'a>(r: &'a RunResult, kind: &str, subject: &str) -> Vec<(f64, &'a str)> {
    r.activity
        .iter()
        .filter(|a| a.kind == kind && a.subject == subject)
        .map(|a| (a.time_seconds, a.message.as_str()))
        .collect()
}

/// Target-health transitions of `group/instance`, as (time [s], message).
pub fn transitions<'a>(r: &'a RunResult, subject: &str) -> Vec<(f64, &'a str)> {
    activity(r, "target-health", subject)
}

/// Panics unless event time `actual` equals `expected` to within [`TIME_TOL`].
pub fn assert_time(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= TIME_TOL,
        "{what}: at {actual} s, expected {expected} s"
    );
}

/// Panics unless `transition` is at `at` and its message starts with `prefix` (`"healthy ->
/// unhealthy  Target.Timeout"`, …).
pub fn assert_transition(transition: (f64, &str), at: f64, prefix: &str, what: &str) {
    assert!(
        transition.1.starts_with(prefix),
        "{what}: message {:?} does not start with {prefix:?}",
        transition.1
    );
    assert_time(transition.0, at, what);
}

/// Node 0's first check strictly after `t`, on the schedule `phase + k·interval` (k ≥ 0).
pub fn next_check_after(t: f64, phase: f64, interval: f64) -> f64 {
    let k = ((t - phase) / interval).floor() + 1.0;
    phase + k.max(0.0) * interval
}

/// Number of arrivals of a `constant` client at `rate` per second (integer, dividing 10⁹, so the
/// arrivals are exactly at k/rate, k ≥ 1) strictly between `from` and `to` [s]. Neither bound may
/// be an arrival time (a tie would depend on event order, which these tests avoid).
pub fn arrivals_between(rate: u64, from: f64, to: f64) -> u64 {
    assert_eq!(1_000_000_000 % rate, 0, "rate must divide 10^9");
    let gap = 1_000_000_000 / rate;
    let ns = |t: f64| {
        let n = (t * 1e9).round() as u64;
        assert_ne!(n % gap, 0, "{t} s is an arrival time");
        n
    };
    let a = if from <= 0.0 { 0 } else { ns(from) };
    // k·gap < to ⇔ k ≤ ⌊to/gap⌋, and k·gap ≤ from ⇔ k ≤ ⌊from/gap⌋ (neither is a multiple).
    (ns(to) / gap).saturating_sub(a / gap)
}

/// Sum of `f(row)` over the metric periods that start in `[from, to)` [s].
pub fn sum_rows(
    r: &RunResult,
    from: f64,
    to: f64,
    f: impl Fn(&albsim::recorder::PeriodRow) -> u64,
) -> u64 {
    r.periods
        .iter()
        .filter(|p| p.start_seconds >= from && p.start_seconds < to)
        .map(f)
        .sum()
}

/// Requests each instance completed, by instance id.
pub fn completed(r: &RunResult, id: &str) -> u64 {
    r.instances
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no instance {id}"))
        .requests_completed
}

/// Panics unless `count` is one of the two halves of `n` (round robin over two targets alternates,
/// so one target gets ⌊n/2⌋ or ⌈n/2⌉ of n consecutive requests).
pub fn assert_half(count: u64, n: u64, what: &str) {
    assert!(
        count == n / 2 || count == n.div_ceil(2),
        "{what}: {count}, expected half of {n}"
    );
}

// ---------------------------------------------------------------------------------------------
// Shipped models (`models/*.json`)
// ---------------------------------------------------------------------------------------------

/// Path of the shipped model `models/<name>.json`.
pub fn model_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(format!("{name}.json"))
}

/// Loads the shipped model `models/<name>.json` with `albsim::scenario::load` and runs it.
pub fn run_model_file(name: &str) -> RunResult {
    let path = model_file(name);
    let scenario = albsim::scenario::load(&path)
        .unwrap_or_else(|e| panic!("{} rejected: {e}", path.display()));
    albsim::run(&scenario)
}

/// The shipped model `models/<name>.json` as raw JSON, to build variants of it.
pub fn model_file_json(name: &str) -> Value {
    let path = model_file(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Index of instance `id` in the result (the order of per-instance columns in periods).
pub fn instance_index(r: &RunResult, id: &str) -> usize {
    r.instances
        .iter()
        .position(|i| i.id == id)
        .unwrap_or_else(|| panic!("no instance {id}"))
}

/// Index of target group `name` in the result (the order of per-group columns in periods).
pub fn group_index(r: &RunResult, name: &str) -> usize {
    r.target_group_order
        .iter()
        .position(|g| g == name)
        .unwrap_or_else(|| panic!("no target group {name}"))
}

/// Mean `CPUUtilization` [%] of instance `id` over the full-length periods that start in
/// `[from, to)` [s].
pub fn mean_cpu(r: &RunResult, id: &str, from: f64, to: f64) -> f64 {
    let i = instance_index(r, id);
    let xs: Vec<f64> = r
        .periods
        .iter()
        .filter(|p| p.start_seconds >= from && p.start_seconds < to)
        .filter(|p| p.length_seconds == r.period_seconds)
        .map(|p| p.cpu_utilization[i].expect("instance running"))
        .collect();
    assert!(!xs.is_empty(), "no period in [{from}, {to}) s");
    xs.iter().sum::<f64>() / xs.len() as f64
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

/// Panics unless `value` is within `half` of `expected`.
pub fn assert_near(value: f64, expected: f64, half: f64, what: &str) {
    eprintln!("{what}: {value:.4}, expected {expected:.4} ± {half:.4}");
    assert!(
        (value - expected).abs() <= half,
        "{what}: {value:.4}, expected {expected:.4} ± {half:.4}"
    );
}

// ---------------------------------------------------------------------------------------------
// Auto Scaling groups and alarms: model pieces and result readers
// ---------------------------------------------------------------------------------------------

/// A `schedule` arrival with evenly spaced (`constant`) arrivals: `steps` are (time [s], rate
/// [1/s]) pairs, each rate holding until the next step.
pub fn constant_steps(steps: &[(f64, f64)]) -> Value {
    let steps: Vec<Value> = steps
        .iter()
        .map(|&(at, rate)| json!({ "at": format!("{at}s"), "rate_per_second": rate }))
        .collect();
    json!({ "type": "schedule", "process": "constant", "steps": steps })
}

/// A `LaunchTemplate` with a constant launch time of `launch_s` seconds (so lifecycle times are
/// exact), `workers` workers and 1-minute (`detailed`) or 5-minute CPU monitoring.
pub fn launch_template(instance_type: &str, workers: u32, detailed: bool, launch_s: f64) -> Value {
    json!({ "instance_type": instance_type, "workers": workers, "backlog": 10_000_000,
            "detailed_monitoring": detailed,
            "launch_time": constant_ms(launch_s * 1000.0) })
}

/// An Auto Scaling group in one Availability Zone (`us-east-1a`) registering with `groups`.
pub fn auto_scaling_group(
    name: &str,
    (min, max, desired): (u32, u32, u32),
    template: Value,
    groups: &[&str],
) -> Value {
    json!({ "AutoScalingGroupName": name, "MinSize": min, "MaxSize": max,
            "DesiredCapacity": desired, "LaunchTemplate": template,
            "AvailabilityZones": ["us-east-1a"], "TargetGroupARNs": groups })
}

/// A target tracking policy on `ASGAverageCPUUtilization`.
pub fn cpu_target_tracking(name: &str, target: f64) -> Value {
    json!({ "PolicyName": name, "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": { "PredefinedMetricType": "ASGAverageCPUUtilization" },
                "TargetValue": target } })
}

/// A model with Auto Scaling groups: one listener forwarding to `default_tg`, the test instance
/// types (`test.c1` … `test.c10` at $0.1/h), and the ALB idle timeout at its maximum.
pub fn asg_model(
    name: &str,
    seconds: f64,
    clients: Value,
    default_tg: &str,
    groups: Value,
    instances: Value,
    asgs: Value,
) -> Value {
    let mut m = model(
        name,
        1,
        seconds,
        clients,
        json!([http_listener(json!([]), default_tg)]),
        groups,
        instances,
    );
    m["auto_scaling_groups"] = asgs;
    m
}

/// Activity lines of kind `autoscaling` about group `group`, as (time [s], message).
pub fn asg_activity<'a>(r: &'a RunResult, group: &str) -> Vec<(f64, &'a str)> {
    activity(r, "autoscaling", group)
}

/// Times [s] of the group's activity lines whose message starts with `prefix`.
pub fn asg_times(r: &RunResult, group: &str, prefix: &str) -> Vec<f64> {
    asg_activity(r, group)
        .into_iter()
        .filter(|(_, m)| m.starts_with(prefix))
        .map(|(t, _)| t)
        .collect()
}

/// Times [s] of the group's activity lines that contain `part`.
pub fn asg_times_containing(r: &RunResult, group: &str, part: &str) -> Vec<f64> {
    asg_activity(r, group)
        .into_iter()
        .filter(|(_, m)| m.contains(part))
        .map(|(t, _)| t)
        .collect()
}

/// Capacity of group `a` (model order) at the end of every period, as (period end [s], row).
pub fn capacity_rows(r: &RunResult, a: usize) -> Vec<(f64, albsim::recorder::GroupCapacity)> {
    r.periods
        .iter()
        .map(|p| (p.start_seconds + p.length_seconds, p.groups[a]))
        .collect()
}

/// Group `a`'s capacity at the end of the period that ends at `end` [s].
pub fn capacity_at(r: &RunResult, a: usize, end: f64) -> albsim::recorder::GroupCapacity {
    capacity_rows(r, a)
        .into_iter()
        .find(|(e, _)| (e - end).abs() < TIME_TOL)
        .unwrap_or_else(|| panic!("no period ends at {end} s"))
        .1
}

/// Alarm `name` at the end of every period, as (period end [s], state, latest datapoint).
pub fn alarm_rows(r: &RunResult, name: &str) -> Vec<(f64, i32, Option<f64>)> {
    let (k, _) = r.alarm(name).unwrap_or_else(|| {
        let names: Vec<&str> = r.alarms.iter().map(|a| a.name.as_str()).collect();
        panic!("no alarm {name} in {names:?}")
    });
    r.periods
        .iter()
        .map(|p| {
            let a = p.alarms[k];
            (p.start_seconds + p.length_seconds, a.state, a.value)
        })
        .collect()
}

/// End [s] of the first period at whose end alarm `name` is in ALARM (state 1).
pub fn first_alarm(r: &RunResult, name: &str) -> Option<f64> {
    alarm_rows(r, name)
        .into_iter()
        .find(|&(_, s, _)| s == 1)
        .map(|(t, _, _)| t)
}

/// The two alarms a target tracking policy `policy` of group `group` creates (high, low).
pub fn tt_alarms(group: &str, policy: &str) -> (String, String) {
    (
        format!("TargetTracking-{group}-AlarmHigh-{policy}"),
        format!("TargetTracking-{group}-AlarmLow-{policy}"),
    )
}

/// The result of instance `id`.
pub fn instance_result<'a>(r: &'a RunResult, id: &str) -> &'a albsim::recorder::InstanceResult {
    r.instances
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no instance {id}"))
}

/// `CPUUtilization` [%] by the utilisation law: `rate` requests per second of `service_s`
/// seconds of CPU each, spread over `n` instances of `vcpus` vCPUs (none saturated).
pub fn utilisation_law(rate: f64, service_s: f64, n: u32, vcpus: u32) -> f64 {
    100.0 * rate * service_s / f64::from(n * vcpus)
}

/// Runs the real `albsim` binary in `dir` with `args`: (exit code, stdout, stderr).
pub fn albsim(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = assert_cmd::Command::cargo_bin("albsim")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
