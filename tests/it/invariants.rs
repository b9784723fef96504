//! What a run's outputs must never contradict, checked on a [`RunResult`] and on the report texts
//! made from it (`summary.json`, `timeseries.csv`): shared by the hostile-model tests, the property
//! tests and the `short_run` fuzz target (`fuzz/fuzz_targets/short_run.rs` includes this file), so
//! it depends on nothing but albsim, serde_json and std.
//!
//! Each check returns the first contradiction found as a sentence; `Ok(())` means the outputs
//! agree with each other.

use albsim::RunResult;
use albsim::recorder::LatencySummary;
use serde_json::Value;

/// A contradiction in a run's outputs, in words.
pub type Contradiction = String;

/// Returns the message unless the condition holds; written without `!` so that a NaN in a float
/// comparison fails the check instead of passing it.
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        let holds: bool = $cond;
        if holds {
        } else {
            return Err(format!($($fmt)+));
        }
    };
}

/// Every check below, on the result and on the `summary.json` and `timeseries.csv` made from it.
pub fn check_all(r: &RunResult) -> Result<(), Contradiction> {
    check_result(r)?;
    let summary = albsim::report::summary::to_json(r);
    let csv = albsim::report::timeseries::to_csv(r);
    check_reports(&summary, &csv)
}

/// The result's own numbers: counts add up, percentiles are ordered and within the maximum, no
/// value is NaN, infinite or negative.
pub fn check_result(r: &RunResult) -> Result<(), Contradiction> {
    let responses: u64 = r.by_status.values().sum();
    ensure!(
        responses <= r.requests_total,
        "more responses ({responses}) than requests received ({})",
        r.requests_total
    );
    let received: u64 = r.periods.iter().map(|p| p.request_count).sum();
    ensure!(
        received == r.requests_total,
        "per-period RequestCount sums to {received}, requests_total is {}",
        r.requests_total
    );
    check_status_classes(r)?;
    let to_groups: u64 = r.target_groups.values().map(|g| g.requests).sum();
    ensure!(
        to_groups <= responses,
        "target groups answered {to_groups} requests, only {responses} responses in all"
    );
    finite_non_negative("duration_seconds", r.duration_seconds)?;
    finite_non_negative("period_seconds", r.period_seconds)?;
    finite_non_negative("cost.total", r.cost.total)?;
    finite_non_negative("cost.ec2", r.cost.ec2)?;
    finite_non_negative("cost.alb", r.cost.alb)?;
    if let Some(l) = &r.latency_ms {
        check_latency("latency_ms", l)?;
    }
    for (name, g) in &r.target_groups {
        if let Some(l) = &g.latency_ms {
            check_latency(&format!("target_groups.{name}.latency_ms"), l)?;
        }
        if let Some(s) = &g.stickiness {
            ensure!(
                s.reached_session_target <= s.requests_with_cookie,
                "{name}: {} requests reached their session target of {} with a cookie",
                s.reached_session_target,
                s.requests_with_cookie
            );
        }
    }
    check_periods(r)?;
    for i in &r.instances {
        finite_non_negative(&format!("{}.cpu_utilization", i.id), i.cpu_utilization)?;
        ensure!(
            i.cpu_utilization <= 100.0 + 1e-9,
            "{}: CPUUtilization {} % over the run",
            i.id,
            i.cpu_utilization
        );
        finite_non_negative(&format!("{}.launched_seconds", i.id), i.launched_seconds)?;
        if let Some(t) = i.terminated_seconds {
            ensure!(
                t >= i.launched_seconds,
                "{}: terminated at {t} s before its launch at {} s",
                i.id,
                i.launched_seconds
            );
        }
    }
    for w in r.activity.windows(2) {
        ensure!(
            w[0].time_seconds <= w[1].time_seconds,
            "activity out of time order: {} s ({}) before {} s ({})",
            w[0].time_seconds,
            w[0].kind,
            w[1].time_seconds,
            w[1].kind
        );
    }
    for a in &r.auto_scaling_groups {
        finite_non_negative(&a.name, a.average_desired_capacity)?;
        finite_non_negative(&a.name, a.average_in_service)?;
    }
    Ok(())
}

/// `by_status` against the CloudWatch `HTTPCode_*` counts of every period, class by class.
fn check_status_classes(r: &RunResult) -> Result<(), Contradiction> {
    let in_range = |lo: u16, hi: u16| -> u64 { r.by_status.range(lo..hi).map(|(_, n)| n).sum() };
    let sum =
        |f: &dyn Fn(&albsim::recorder::PeriodRow) -> u64| -> u64 { r.periods.iter().map(f).sum() };
    let classes = [
        ("2XX", 200, sum(&|p| p.target.c2xx + p.elb.c2xx)),
        ("3XX", 300, sum(&|p| p.target.c3xx + p.elb.c3xx)),
        ("4XX", 400, sum(&|p| p.target.c4xx + p.elb.c4xx)),
        ("5XX", 500, sum(&|p| p.target.c5xx + p.elb.c5xx)),
    ];
    for (class, lo, periods) in classes {
        let total = in_range(lo, lo + 100);
        ensure!(
            periods == total,
            "{class}: periods count {periods} responses, by_status {total}"
        );
    }
    for code in [502u16, 503, 504] {
        let periods = sum(&|p| match code {
            502 => p.target.c502 + p.elb.c502,
            503 => p.target.c503 + p.elb.c503,
            _ => p.target.c504 + p.elb.c504,
        });
        let total = r.by_status.get(&code).copied().unwrap_or(0);
        ensure!(
            periods == total,
            "{code}: periods count {periods}, by_status {total}"
        );
    }
    Ok(())
}

/// Period rows: contiguous, of the metric period (the last may be short), with sane values.
fn check_periods(r: &RunResult) -> Result<(), Contradiction> {
    let mut expected_start = 0.0;
    for (i, p) in r.periods.iter().enumerate() {
        ensure!(
            (p.start_seconds - expected_start).abs() < 1e-6,
            "period {i} starts at {} s, expected {expected_start} s",
            p.start_seconds
        );
        ensure!(
            p.length_seconds > 0.0 && p.length_seconds <= r.period_seconds + 1e-9,
            "period {i} is {} s long (metric period {} s)",
            p.length_seconds,
            r.period_seconds
        );
        expected_start += p.length_seconds;
        ensure!(
            p.elb.c502 + p.elb.c503 + p.elb.c504 <= p.elb.c5xx,
            "period {i}: ELB 502+503+504 exceed ELB 5XX"
        );
        let rt = [
            p.target_response_time_avg,
            p.target_response_time_p50,
            p.target_response_time_p99,
        ];
        for v in rt.iter().chain(&p.target_response_time_quantiles).flatten() {
            finite_non_negative(&format!("period {i} TargetResponseTime"), *v)?;
        }
        if let (Some(p50), Some(p99)) = (p.target_response_time_p50, p.target_response_time_p99) {
            ensure!(
                p50 <= p99,
                "period {i}: TargetResponseTime p50 {p50} > p99 {p99}"
            );
        }
        for h in &p.hosts {
            for v in [h.healthy, h.unhealthy, h.anomalous, h.mitigated] {
                finite_non_negative(&format!("period {i} host counts"), v)?;
            }
        }
        for c in p.cpu_utilization.iter().flatten() {
            finite_non_negative(&format!("period {i} CPUUtilization"), *c)?;
            ensure!(*c <= 100.0 + 1e-9, "period {i}: CPUUtilization {c} %");
        }
        for a in &p.alarms {
            ensure!(
                (-1..=1).contains(&a.state),
                "period {i}: alarm state {}",
                a.state
            );
            if let Some(v) = a.value {
                ensure!(!v.is_nan(), "period {i}: alarm datapoint NaN");
            }
        }
    }
    if r.end == albsim::RunEnd::Completed && !r.periods.is_empty() {
        ensure!(
            (expected_start - r.duration_seconds).abs() < 1e-6,
            "periods cover {expected_start} s of a {} s run",
            r.duration_seconds
        );
    }
    Ok(())
}

/// Percentiles ordered, within [0, max], the mean within [0, max].
fn check_latency(what: &str, l: &LatencySummary) -> Result<(), Contradiction> {
    for (name, v) in [
        ("mean", l.mean),
        ("p50", l.p50),
        ("p90", l.p90),
        ("p99", l.p99),
        ("p999", l.p999),
        ("max", l.max),
    ] {
        finite_non_negative(&format!("{what}.{name}"), v)?;
    }
    ensure!(
        l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999,
        "{what}: percentiles not monotone: p50 {} p90 {} p99 {} p999 {}",
        l.p50,
        l.p90,
        l.p99,
        l.p999
    );
    ensure!(
        l.p999 <= l.max,
        "{what}: p999 {} above the maximum {}",
        l.p999,
        l.max
    );
    ensure!(
        l.mean <= l.max * (1.0 + 1e-12),
        "{what}: mean {} above the maximum {}",
        l.mean,
        l.max
    );
    Ok(())
}

fn finite_non_negative(what: &str, v: f64) -> Result<(), Contradiction> {
    ensure!(v.is_finite() && v >= 0.0, "{what} is {v}");
    Ok(())
}

/// `summary.json` against `timeseries.csv`: request and status totals agree, every CSV cell is a
/// finite number (alarm states -1/0/1 aside, nothing is negative).
pub fn check_reports(summary: &str, csv: &str) -> Result<(), Contradiction> {
    let s: Value =
        serde_json::from_str(summary).map_err(|e| format!("summary.json does not parse: {e}"))?;
    let total = s["requests"]["total"]
        .as_u64()
        .ok_or("summary.json: requests.total is not a count")?;
    let in_flight = s["requests"]["in_flight_at_end"]
        .as_u64()
        .ok_or("summary.json: requests.in_flight_at_end is not a count")?;
    let mut by_class = [0u64; 6];
    let mut answered = 0u64;
    for (code, n) in s["requests"]["by_status"]
        .as_object()
        .ok_or("summary.json: requests.by_status is not an object")?
    {
        let code: usize = code
            .parse()
            .map_err(|_| format!("summary.json: status {code:?}"))?;
        let n = n
            .as_u64()
            .ok_or("summary.json: a status count is not a count")?;
        answered += n;
        if (100..600).contains(&code) {
            by_class[code / 100] += n;
        }
    }
    ensure!(
        answered + in_flight == total,
        "summary.json: {answered} answered + {in_flight} in flight != {total} received"
    );
    let mut lines = csv.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or("timeseries.csv is empty")?
        .split(',')
        .collect();
    let mut sums = vec![0f64; header.len()];
    for (row, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        ensure!(
            cells.len() == header.len(),
            "timeseries.csv row {row}: {} cells, header has {}",
            cells.len(),
            header.len()
        );
        for (c, (cell, name)) in cells.iter().zip(&header).enumerate() {
            if cell.is_empty() {
                continue;
            }
            let v: f64 = cell.parse().map_err(|_| {
                format!("timeseries.csv row {row} {name}: {cell:?} is not a number")
            })?;
            ensure!(v.is_finite(), "timeseries.csv row {row} {name}: {cell}");
            if name.starts_with("AlarmState:") {
                ensure!(
                    [-1.0, 0.0, 1.0].contains(&v),
                    "timeseries.csv row {row} {name}: {cell}"
                );
            } else {
                ensure!(v >= 0.0, "timeseries.csv row {row} {name}: negative {cell}");
            }
            sums[c] += v;
        }
    }
    let col = |name: &str| -> Result<u64, Contradiction> {
        let i = header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("timeseries.csv has no {name} column"))?;
        Ok(sums[i] as u64)
    };
    if !header.contains(&"RequestCount") {
        // A model without a load balancer has no ALB columns: it can have had no requests.
        ensure!(
            total == 0,
            "timeseries.csv has no RequestCount column, summary.json says {total} requests"
        );
        return Ok(());
    }
    ensure!(
        col("RequestCount")? == total,
        "timeseries.csv RequestCount sums to {}, summary.json says {total} requests",
        col("RequestCount")?
    );
    for (class, elb) in [(3usize, true), (4, true), (5, true), (2, false)] {
        let target = col(&format!("HTTPCode_Target_{class}XX_Count"))?;
        let lb = if elb {
            col(&format!("HTTPCode_ELB_{class}XX_Count"))?
        } else {
            0
        };
        if elb {
            ensure!(
                target + lb == by_class[class],
                "{class}XX: timeseries.csv Target {target} + ELB {lb}, summary.json {}",
                by_class[class]
            );
        } else {
            // CloudWatch has no HTTPCode_ELB_2XX_Count: the ALB's own 2XX are fixed responses.
            let fixed = col("HTTP_Fixed_Response_Count")?;
            ensure!(
                target <= by_class[2] && by_class[2] - target <= fixed,
                "2XX: timeseries.csv Target {target} (+ at most {fixed} fixed responses), summary.json {}",
                by_class[2]
            );
        }
    }
    Ok(())
}
