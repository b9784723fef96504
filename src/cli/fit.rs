//! `albsim fit ACCESS_LOGS…`: reads ALB access logs and prints, per request class, the logged
//! target times and a `service_time` to paste into a model (see [`crate::access_log::fit`]).

use super::args::FitArgs;
use super::{Exit, print_stdout};
use crate::access_log::fit::{ClassFit, Collector, Suggestion};
use crate::access_log::parse::{LogSummary, read_logs};
use crate::engine::human::thousands;
use anyhow::Result;
use serde_json::{Value, json};
use std::fmt::Write;

/// Logs without a single well-formed entry.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NothingToFit(String);

/// Fits service times per request class and prints them.
pub fn fit(a: &FitArgs) -> Result<Exit> {
    let mut collector = Collector::new(a.by_method);
    let mut span = Span::default();
    let summary = read_logs(&a.logs, a.strict, |_, _, r| {
        collector.add(r);
        span.add(r.request_creation_time_us);
    })?;
    let classes = collector.finish();
    if classes.is_empty() {
        let first = summary
            .first_malformed
            .first()
            .map_or(String::new(), |l| format!("; the first: {l}"));
        return Err(NothingToFit(format!(
            "no access-log entries in {} ({} line{}, {} malformed{first}): nothing to fit",
            files_shown(a),
            summary.lines,
            if summary.lines == 1 { "" } else { "s" },
            summary.malformed
        ))
        .into());
    }
    for line in malformed_lines(&summary) {
        eprintln!("{line}");
    }
    let text = if a.json {
        let mut s = serde_json::to_string_pretty(&as_json(&summary, &classes, &span))?;
        s.push('\n');
        s
    } else {
        table(&summary, &classes, &span)
    };
    print_stdout(&text)?;
    Ok(Exit::Success)
}

fn files_shown(a: &FitArgs) -> String {
    let names: Vec<String> = a.logs.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

/// `warning: N malformed lines skipped …` and the first of them, when there are any.
fn malformed_lines(s: &LogSummary) -> Vec<String> {
    if s.malformed == 0 {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "warning: {} malformed line{} skipped (--strict stops at the first); the first:",
        thousands(s.malformed),
        if s.malformed == 1 { "" } else { "s" }
    )];
    lines.extend(s.first_malformed.iter().map(|l| format!("  {l}")));
    lines
}

/// The logged requests' `request_creation_time`s: first, last and how many.
#[derive(Debug, Default)]
struct Span {
    first_us: Option<i64>,
    last_us: Option<i64>,
    requests: u64,
}

impl Span {
    fn add(&mut self, created_us: Option<i64>) {
        if let Some(t) = created_us {
            self.first_us = Some(self.first_us.map_or(t, |f| f.min(t)));
            self.last_us = Some(self.last_us.map_or(t, |l| l.max(t)));
            self.requests += 1;
        }
    }

    /// Seconds from the first to the last request.
    fn seconds(&self) -> Option<f64> {
        Some((self.last_us? - self.first_us?) as f64 / 1e6).filter(|&s| s > 0.0)
    }

    /// The mean arrival rate \[requests/s\]: requests after the first over the span.
    fn rate(&self) -> Option<f64> {
        Some((self.requests - 1) as f64 / self.seconds()?)
    }
}

/// Milliseconds with one decimal.
fn ms(s: f64) -> String {
    format!("{:.1}", s * 1e3)
}

/// The table, the caveat and the snippet a user pastes.
fn table(s: &LogSummary, classes: &[ClassFit], span: &Span) -> String {
    let requests: u64 = classes.iter().map(ClassFit::requests).sum();
    let untimed: u64 = classes.iter().map(|c| c.without_target_time).sum();
    let mut out = format!(
        "Read {} file{}: {} request{} in {} class{} ({} malformed line{} skipped).\n",
        s.files,
        if s.files == 1 { "" } else { "s" },
        thousands(requests),
        if requests == 1 { "" } else { "s" },
        thousands(classes.len() as u64),
        if classes.len() == 1 { "" } else { "es" },
        thousands(s.malformed),
        if s.malformed == 1 { "" } else { "s" },
    );
    if untimed > 0 {
        let _ = writeln!(
            out,
            "{} logged with target_processing_time -1 (not sent to a target, or no answer): counted, not timed.",
            thousands(untimed)
        );
    }
    let name_width = classes
        .iter()
        .map(|c| c.name().chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "\n{:<name_width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>16}  suggested",
        "class", "requests", "mean ms", "p50 ms", "p90 ms", "p99 ms", "KS D / 5 % crit."
    );
    for c in classes {
        let p = |q| c.percentile(q).map_or("-".to_string(), ms);
        let ks = match c.lognormal {
            Some((_, d)) => format!("{d:.3} / {:.3}", c.ks_critical()),
            None => "-".to_string(),
        };
        let suggested = match (c.timed, c.suggestion()) {
            (0, _) => "-",
            (_, Suggestion::Lognormal) => "lognormal",
            (_, Suggestion::Empirical) => "empirical",
        };
        let _ = writeln!(
            out,
            "{:<name_width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>16}  {suggested}",
            c.name(),
            thousands(c.requests()),
            if c.timed == 0 {
                "-".to_string()
            } else {
                ms(c.mean_s)
            },
            p(50.0),
            p(90.0),
            p(99.0),
            ks
        );
    }
    out.push_str(
        "\nKS D: the largest gap between the logged times' distribution and the fitted lognormal; \
         the lognormal is suggested when it is under the 5 % critical value.\n\
         target_processing_time is the whole time at the target (waiting for a worker, then \
         served): it is the service time only where the targets were not busy.\n",
    );
    let entries: Vec<Value> = classes.iter().filter_map(ClassFit::request_type).collect();
    let _ = writeln!(
        out,
        "\nPaste into a client's \"requests\" (weight: the class's share of the requests logged; leave the weights out in a client that replays the logs):\n{}",
        snippet(&entries)
    );
    if let (Some(secs), Some(rate)) = (span.seconds(), span.rate()) {
        let _ = writeln!(
            out,
            "\nThe requests arrived over {} (first to last request_creation_time), {rate:.3} per second on average: as a Poisson client's \"arrival\", {}; or replay the logs themselves (\"type\": \"access_log\").",
            humantime::format_duration(std::time::Duration::from_secs(secs.round() as u64)),
            format_args!(
                "{{\"type\": \"poisson\", \"rate_per_second\": {}}}",
                (rate * 1000.0).round() / 1000.0
            )
        );
    }
    out
}

/// One request type per line, so the snippet is short and diffs well.
fn snippet(entries: &[Value]) -> String {
    let lines: Vec<String> = entries
        .iter()
        .map(|e| format!("  {}", serde_json::to_string(e).unwrap_or_default()))
        .collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

/// `--json`: what was read and every class with both fits.
fn as_json(s: &LogSummary, classes: &[ClassFit], span: &Span) -> Value {
    let classes: Vec<Value> = classes
        .iter()
        .map(|c| {
            json!({
                "name": c.name(),
                "method": c.method,
                "path": c.path,
                "requests": c.requests(),
                "without_target_time": c.without_target_time,
                "mean_ms": c.mean_s * 1e3,
                "p50_ms": c.percentile(50.0).map(|s| s * 1e3),
                "p90_ms": c.percentile(90.0).map(|s| s * 1e3),
                "p99_ms": c.percentile(99.0).map(|s| s * 1e3),
                "lognormal": c.lognormal.map(|(f, d)| json!({
                    "mu": f.mu, "sigma": f.sigma, "ks_distance": d,
                    "ks_critical_5_percent": c.ks_critical(),
                    "service_time": crate::access_log::fit::lognormal_json(&f),
                })),
                "empirical": c.empirical_json(),
                "suggested": c.request_type(),
            })
        })
        .collect();
    json!({
        "files": s.files,
        "lines": s.lines,
        "malformed": s.malformed,
        "first_malformed": s.first_malformed,
        "span_seconds": span.seconds(),
        "requests_per_second": span.rate(),
        "classes": classes,
    })
}
