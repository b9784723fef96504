//! Outputs that cannot contradict themselves: over every shipped model and a few hostile variants,
//! the counts add up (per status, per period, per CloudWatch metric), percentiles lie between the
//! exact minimum and maximum and are monotone, and `timeseries.csv` holds no negative or
//! non-finite number.

use crate::common::{client, constant_ms, forward, http_listener, instance, model, run_value};
use albsim::RunResult;
use albsim::recorder::{LatencySummary, PeriodRow, StatusCounts};
use serde_json::{Value, json};
use std::path::Path;

/// Every shipped model, by file name.
fn shipped_models() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("models/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "found only {} models", paths.len());
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("model is readable");
            let value = serde_json::from_str(&text).expect("model is JSON");
            (p.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect()
}

fn run(name: &str, m: &Value) -> RunResult {
    // The real place of the model: files it names (replayed access logs) are relative to it.
    let scenario = albsim::scenario::from_json(
        &m.to_string(),
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("models")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("{name} rejected: {e}"));
    albsim::run(&scenario)
}

fn class_sum(r: &RunResult, class: u16) -> u64 {
    r.by_status
        .range(class * 100..class * 100 + 100)
        .map(|(_, n)| n)
        .sum()
}

fn row_class(p: &PeriodRow, class: u16) -> u64 {
    let of = |s: &StatusCounts| match class {
        2 => s.c2xx,
        3 => s.c3xx,
        4 => s.c4xx,
        _ => s.c5xx,
    };
    of(&p.elb) + of(&p.target)
}

fn assert_latency(what: &str, s: &LatencySummary) {
    let order = [s.p50, s.p90, s.p99, s.p999, s.max];
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "{what}: percentiles not monotone or above the maximum: {s:?}"
    );
    assert!(
        s.p50 >= 0.0 && s.mean >= 0.0 && s.mean <= s.max,
        "{what}: mean or p50 out of range: {s:?}"
    );
    assert!(
        order.iter().chain([&s.mean]).all(|v| v.is_finite()),
        "{what}: {s:?}"
    );
}

/// Every invariant a run's results must satisfy.
fn assert_consistent(name: &str, r: &RunResult) {
    let responses = r.responses();
    assert!(
        responses <= r.requests_total,
        "{name}: {responses} responses to {} requests",
        r.requests_total
    );
    // Per-period RequestCount adds up to the requests received.
    let per_period: u64 = r.periods.iter().map(|p| p.request_count).sum();
    assert_eq!(
        per_period, r.requests_total,
        "{name}: RequestCount per period"
    );
    // HTTPCode_* per period add up to the responses by status class (1XX, the WebSocket 101,
    // has no CloudWatch count).
    for class in 2..=5u16 {
        let rows: u64 = r.periods.iter().map(|p| row_class(p, class)).sum();
        assert_eq!(
            rows,
            class_sum(r, class),
            "{name}: HTTPCode_*_{class}XX_Count"
        );
    }
    for (code, field) in [(502u16, 0usize), (503, 1), (504, 2)] {
        let rows: u64 = r
            .periods
            .iter()
            .map(|p| [p.elb.c502, p.elb.c503, p.elb.c504][field])
            .sum();
        let total = r.by_status.get(&code).copied().unwrap_or(0);
        assert!(
            rows <= total,
            "{name}: HTTPCode_ELB_{code}_Count {rows} > {total}"
        );
    }
    // Per-group responses add up to those forwarded; none is counted twice.
    let grouped: u64 = r.target_groups.values().map(|g| g.requests).sum();
    assert!(
        grouped <= responses,
        "{name}: {grouped} grouped > {responses}"
    );
    if let Some(s) = &r.latency_ms {
        assert_latency(&format!("{name} latency_ms"), s);
    }
    assert_eq!(r.latency_ms.is_some(), responses > 0, "{name}: latency_ms");
    for (g, res) in &r.target_groups {
        if let Some(s) = &res.latency_ms {
            assert_latency(&format!("{name} {g}"), s);
        }
    }
    let mut start = 0.0;
    for (i, p) in r.periods.iter().enumerate() {
        let at = format!("{name} period {i} at {} s", p.start_seconds);
        assert_eq!(p.start_seconds, start, "{at}: periods are contiguous");
        assert!(p.length_seconds > 0.0, "{at}: length {}", p.length_seconds);
        start += p.length_seconds;
        for s in [&p.elb, &p.target] {
            assert!(s.c502 + s.c503 + s.c504 <= s.c5xx, "{at}: {s:?}");
        }
        assert!(p.new_connection_count <= p.active_connection_count, "{at}");
        let rt = [
            p.target_response_time_avg,
            p.target_response_time_p50,
            p.target_response_time_p99,
        ];
        assert!(
            rt.iter().all(|v| v.is_some() == rt[0].is_some()),
            "{at}: TargetResponseTime statistics disagree on whether there is a datapoint"
        );
        if let [Some(avg), Some(p50), Some(p99)] = rt {
            assert!(0.0 <= p50 && p50 <= p99 && avg >= 0.0, "{at}: {rt:?}");
        }
        for h in &p.hosts {
            for v in [h.healthy, h.unhealthy, h.anomalous, h.mitigated] {
                assert!(v.is_finite() && v >= 0.0, "{at}: host count {v}");
            }
        }
        for v in p.cpu_utilization.iter().flatten() {
            assert!(
                v.is_finite() && (0.0..=100.0 + 1e-9).contains(v),
                "{at}: CPU {v}"
            );
        }
    }
    assert!(
        (start - r.duration_seconds).abs() <= 1e-6 * r.duration_seconds.max(1.0),
        "{name}: periods cover {start} s of {} s",
        r.duration_seconds
    );
    assert_csv_clean(name, &albsim::report::timeseries::to_csv(r));
}

/// No negative, NaN or infinite number in `timeseries.csv` (alarm states are -1, 0 or 1).
fn assert_csv_clean(name: &str, csv: &str) {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    for (row, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(
            cells.len(),
            header.len(),
            "{name}: row {row} has a wrong width"
        );
        for (col, cell) in header.iter().zip(cells) {
            if cell.is_empty() {
                continue;
            }
            let v: f64 = cell
                .parse()
                .unwrap_or_else(|_| panic!("{name}: row {row} {col} = {cell:?} is not a number"));
            assert!(v.is_finite(), "{name}: row {row} {col} = {cell}");
            let min = if col.starts_with("AlarmState:") {
                -1.0
            } else {
                0.0
            };
            assert!(v >= min, "{name}: row {row} {col} = {cell} is negative");
        }
    }
}

#[test]
fn shipped_models_never_contradict_themselves() {
    for (name, m) in shipped_models() {
        assert_consistent(&name, &run(&name, &m));
    }
}

/// The shipped models with hostile metric settings: 1 s periods, a duration that is not a whole
/// number of periods, a run shorter than one period.
#[test]
fn hostile_variants_never_contradict_themselves() {
    let (mut tried, mut checked) = (0, 0);
    for (name, m) in shipped_models() {
        for (variant, period, duration) in [
            ("1s periods", json!("1s"), json!("90s")),
            ("ragged last period", json!("60s"), json!("150.5s")),
            ("shorter than a period", json!("60s"), json!("0.7s")),
        ] {
            let mut v = m.clone();
            v["metrics"] = json!({ "period": period });
            v["duration"] = duration;
            let what = format!("{name} ({variant})");
            tried += 1;
            let file = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("models")
                .join(&name);
            let Ok(scenario) = albsim::scenario::from_json(&v.to_string(), &file) else {
                // A variant the loader rejects (e.g. an alarm period that no longer fits) has
                // nothing to check here; bad_input covers the messages.
                continue;
            };
            assert_consistent(&what, &albsim::run(&scenario));
            checked += 1;
        }
    }
    assert!(
        checked * 3 >= tried * 2,
        "only {checked} of {tried} variants ran"
    );
}

/// Requests cut off at a hard maximum: the ALB answers 504 after exactly the 60 s idle timeout
/// to requests that would take 120 s, and requests to another group take exactly 250 ms. The
/// bucket holding 60 000 ms has its midpoint at 60 014.6 ms, the bucket holding 250 ms reaches
/// 250.111 ms; neither may be reported.
#[test]
fn percentiles_above_the_maximum() {
    // See: issue 7, defect 9
    let every = |rate: u32| json!({ "type": "constant", "rate_per_second": rate });
    let mut m = model(
        "cutoff",
        1,
        600.0,
        json!([
            { "name": "slow", "arrival": every(2),
              "requests": [ { "name": "r", "path": "/slow", "service_time": constant_ms(120_000.0) } ] },
            client("fast", every(5), constant_ms(250.0)),
        ]),
        json!([http_listener(
            json!([{ "priority": 1,
                     "conditions": [{ "field": "path-pattern", "values": ["/slow"] }],
                     "actions": [forward("slow")] }]),
            "fast"
        )]),
        json!([
            { "name": "fast", "port": 8080, "protocol": "HTTP", "targets": ["a"] },
            { "name": "slow", "port": 8080, "protocol": "HTTP", "targets": ["b"] },
        ]),
        json!([
            instance("a", "test.c10", 100),
            instance("b", "test.c10", 1000)
        ]),
    );
    m["load_balancer"]["attributes"]["idle_timeout.timeout_seconds"] = json!(60);
    let r = run_value(&m);
    let cut = r.by_status.get(&504).copied().unwrap_or(0);
    assert!(cut > 1000, "{:?}", r.by_status);
    let slow = r.target_groups["slow"]
        .latency_ms
        .clone()
        .expect("slow responses");
    assert_eq!(
        (slow.p50, slow.p99, slow.p999, slow.max),
        (60_000.0, 60_000.0, 60_000.0, 60_000.0),
        "{slow:?}"
    );
    let all = r.latency_ms.clone().expect("responses");
    assert_eq!(all.max, 60_000.0, "{all:?}");
    // A third of the answered requests are 504s at 60 s: p90 and above are the cutoff itself.
    assert_eq!(
        (all.p90, all.p99, all.p999),
        (60_000.0, 60_000.0, 60_000.0),
        "{all:?}"
    );
    let mut seen = 0;
    for p in &r.periods {
        // Every TargetResponseTime is 250 ms: all its statistics are that value.
        if let Some(avg) = p.target_response_time_avg {
            assert_eq!(avg, 0.25, "{p:?}");
            assert_eq!(p.target_response_time_p50, Some(avg), "{p:?}");
            assert_eq!(p.target_response_time_p99, Some(avg), "{p:?}");
            seen += 1;
        }
    }
    assert_eq!(seen, r.periods.len());
    assert_consistent("cutoff", &r);
}
