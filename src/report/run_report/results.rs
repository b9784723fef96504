//! "Results": the headline figures of `summary.json` (its shape is documented in
//! `report/summary.rs`), formatted for people, and a table per kind of resource.

use super::format::{Clock, count, ms, number, percent, share, usd};
use crate::report::document::{Block, Section, Table, Text};
use crate::report::folder::RunFolder;
use serde_json::Value;

/// The "Results" section.
pub fn section(f: &RunFolder) -> Section {
    let j = &f.summary;
    let clock = Clock::for_run(f.model.duration.as_secs_f64());
    let mut blocks = Vec::new();
    if let Some(p) = j.get("partial").filter(|p| p.is_object()) {
        blocks.push(Block::Paragraph(partial(p, clock)));
    }
    let has_lb = !f.model.listeners.is_empty() || int(j, "/requests/total") > 0;
    if has_lb {
        blocks.push(Block::Heading("Requests".into()));
        blocks.push(Block::Pairs(requests(j)));
        blocks.push(Block::Table(latency(j)));
    }
    if let Some(w) = j.get("websockets").filter(|w| w.is_object()) {
        blocks.push(Block::Heading("WebSocket connections".into()));
        blocks.push(Block::Pairs(
            [
                ("Opened", "opened"),
                ("Closed by the idle timeout", "closed_by_idle_timeout"),
                ("Closed by deregistration", "closed_by_deregistration"),
                ("Closed by a target failure", "closed_by_target_failure"),
                ("Messages", "messages"),
                ("Pings", "pings"),
            ]
            .iter()
            .map(|(label, key)| {
                (
                    label.to_string(),
                    Text::plain(count(int(w, &format!("/{key}")))),
                )
            })
            .collect(),
        ));
    }
    if let Some(t) = end_users(j) {
        blocks.push(Block::Heading(
            "End users (clients that time out or retry)".into(),
        ));
        blocks.push(Block::Table(t));
    }
    blocks.push(Block::Heading("Cost".into()));
    blocks.push(Block::Pairs(cost(j)));
    if let Some(t) = instances(j, clock) {
        blocks.push(Block::Heading("Instances".into()));
        blocks.push(Block::Table(t));
    }
    if let Some(t) = auto_scaling_groups(j, clock) {
        blocks.push(Block::Heading("Auto Scaling groups".into()));
        blocks.push(Block::Table(t));
    }
    for (title, table) in [
        ("SQS queues", queues(j)),
        ("SNS topics", topics(j)),
        ("Worker programs", consumers(j)),
    ] {
        if let Some(t) = table {
            blocks.push(Block::Heading(title.into()));
            blocks.push(Block::Table(t));
        }
    }
    Section {
        id: "results".into(),
        title: "Results".into(),
        blocks,
    }
}

/// The sentence that says a guard stopped the run, and what the figures cover.
fn partial(p: &Value, clock: Clock) -> Text {
    let by = match p.get("stopped_by").and_then(Value::as_str) {
        Some("max_events") => "--max-events",
        Some("max_wall") => "--max-wall",
        _ => "a limit",
    };
    Text(vec![])
        .and_strong("This run is partial.")
        .and(format!(
            " {by} stopped it at {} of the {} asked for; every figure below covers only the simulated time reached.",
            clock.at(float(p, "/simulated_seconds_reached").unwrap_or(0.0)),
            clock.at(float(p, "/simulated_seconds_requested").unwrap_or(0.0)),
        ))
}

/// Requests: total, by status code, 5XX, in flight at the end.
fn requests(j: &Value) -> Vec<(String, Text)> {
    let mut p = vec![(
        "Requests".to_string(),
        Text::plain(count(int(j, "/requests/total"))),
    )];
    if let Some(by) = j.pointer("/requests/by_status").and_then(Value::as_object) {
        // Status codes are keys of an ordered map: "200" < "502" < "503".
        for (code, n) in by {
            p.push((
                format!("HTTP {code}"),
                Text::plain(count(n.as_u64().unwrap_or(0))),
            ));
        }
    }
    let total = int(j, "/requests/total");
    let errors = int(j, "/requests/errors_5xx");
    let mut err = count(errors);
    if total > 0 && errors > 0 {
        err.push_str(&format!(
            " ({} of all)",
            share(errors as f64 / total as f64)
        ));
    }
    p.push(("5XX responses".into(), Text::plain(err)));
    p.push((
        "In flight at the end".into(),
        Text::plain(count(int(j, "/requests/in_flight_at_end"))),
    ));
    p
}

/// Latency percentiles: all responses, then each target group.
fn latency(j: &Value) -> Table {
    let mut t = Table::new(
        &[
            "Responses",
            "Requests",
            "Mean",
            "p50",
            "p90",
            "p99",
            "p99.9",
            "Max",
        ],
        &[false, true, true, true, true, true, true, true],
    );
    let row = |name: String, n: u64, l: Option<&Value>| {
        let cell = |key: &str| {
            Text::plain(
                l.and_then(|l| float(l, &format!("/{key}")))
                    .map_or("–".to_string(), ms),
            )
        };
        vec![
            Text::plain(name),
            Text::plain(count(n)),
            cell("mean"),
            cell("p50"),
            cell("p90"),
            cell("p99"),
            cell("p999"),
            cell("max"),
        ]
    };
    t.row(row(
        "all".into(),
        int(j, "/requests/total"),
        j.get("latency_ms").filter(|l| l.is_object()),
    ));
    for (name, g) in object(j, "target_groups") {
        t.row(row(
            format!("target group {name}"),
            int(g, "/requests"),
            g.get("latency_ms").filter(|l| l.is_object()),
        ));
    }
    t
}

/// Cost in USD and the hours billed.
fn cost(j: &Value) -> Vec<(String, Text)> {
    let mut p = Vec::new();
    for (label, key) in [
        ("EC2", "ec2"),
        ("ALB", "alb"),
        ("SQS", "sqs"),
        ("SNS", "sns"),
        ("Total", "total"),
    ] {
        if let Some(x) = float(j, &format!("/cost/{key}")) {
            let v = Text::plain(usd(x));
            p.push((
                label.to_string(),
                if key == "total" {
                    Text(vec![]).and_strong(usd(x))
                } else {
                    v
                },
            ));
        }
    }
    p.push((
        "Instance-hours".into(),
        Text::plain(number(float(j, "/cost/instance_hours").unwrap_or(0.0))),
    ));
    p.push((
        "LCU-hours".into(),
        Text::plain(number(float(j, "/cost/lcu_hours").unwrap_or(0.0))),
    ));
    p
}

/// One row per instance: id, type, AZ, launched, terminated, CPU, requests completed.
fn instances(j: &Value, clock: Clock) -> Option<Table> {
    let list = j.get("instances")?.as_array().filter(|l| !l.is_empty())?;
    let mut t = Table::new(
        &[
            "Instance",
            "Type",
            "Availability Zone",
            "Launched",
            "Terminated",
            "CPUUtilization",
            "Requests completed",
        ],
        &[false, false, false, true, true, true, true],
    );
    for i in list {
        t.row(vec![
            Text::plain(string(i, "id")),
            Text::plain(string(i, "instance_type")),
            Text::plain(string(i, "availability_zone")),
            Text::plain(time(i, "/launched_seconds", clock)),
            Text::plain(time(i, "/terminated_seconds", clock)),
            Text::plain(float(i, "/cpu_utilization").map_or("–".into(), percent)),
            Text::plain(count(int(i, "/requests_completed"))),
        ]);
    }
    Some(t)
}

/// One row per Auto Scaling group.
fn auto_scaling_groups(j: &Value, clock: Clock) -> Option<Table> {
    let list = j
        .get("auto_scaling_groups")?
        .as_array()
        .filter(|l| !l.is_empty())?;
    let mut t = Table::new(
        &[
            "Group",
            "Starting capacity",
            "Scale-outs",
            "Scale-ins",
            "Replacements",
            "Launched",
            "Max InService",
            "Instance-hours",
            "Back to starting capacity",
        ],
        &[false, true, true, true, true, true, true, true],
    );
    for g in list {
        let back = match float(g, "/returned_to_starting_capacity_seconds") {
            None => "not by the end".to_string(),
            Some(at) => match float(g, "/seconds_from_load_end_to_starting_capacity") {
                Some(after) => format!(
                    "{} ({} after the load)",
                    clock.at(at),
                    Clock::for_run(after).at(after)
                ),
                None => clock.at(at),
            },
        };
        t.row(vec![
            Text::plain(string(g, "name")),
            Text::plain(count(int(g, "/starting_capacity"))),
            Text::plain(count(int(g, "/scale_out_activities"))),
            Text::plain(count(int(g, "/scale_in_activities"))),
            Text::plain(count(int(g, "/unhealthy_replacements"))),
            Text::plain(count(int(g, "/instances_launched"))),
            Text::plain(count(int(g, "/max_in_service"))),
            Text::plain(number(float(g, "/instance_hours").unwrap_or(0.0))),
            Text::plain(back),
        ]);
    }
    Some(t)
}

/// One row per queue: what went in, what came out, what went wrong.
fn queues(j: &Value) -> Option<Table> {
    let qs = object(j, "queues");
    if qs.is_empty() {
        return None;
    }
    let cols = [
        ("Sent", "sent"),
        ("Received", "received"),
        ("Received again", "redelivered"),
        ("Deleted", "deleted"),
        ("Empty receives", "empty_receives"),
        ("Moved to DLQ", "moved_to_dlq"),
        ("Duplicate processings", "duplicate_processings"),
        ("Stale deletes", "stale_deletes"),
        ("Visible at end", "visible_at_end"),
    ];
    let mut header = vec!["Queue", "VisibilityTimeout"];
    header.extend(cols.iter().map(|c| c.0));
    header.extend(["Message latency p50", "Message latency p99", "Cost"]);
    let mut t = Table::new(
        &header,
        &[
            false, true, true, true, true, true, true, true, true, true, true, true, true, true,
        ],
    );
    for (name, q) in qs {
        let mut row = vec![
            Text::plain(name.clone()),
            Text::plain(format!(
                "{} s",
                number(float(q, "/visibility_timeout_seconds").unwrap_or(0.0))
            )),
        ];
        row.extend(
            cols.iter()
                .map(|c| Text::plain(count(int(q, &format!("/{}", c.1))))),
        );
        for key in ["p50", "p99"] {
            row.push(Text::plain(
                float(q, &format!("/message_latency_ms/{key}")).map_or("–".into(), ms),
            ));
        }
        row.push(Text::plain(usd(float(q, "/cost_usd").unwrap_or(0.0))));
        t.row(row);
    }
    Some(t)
}

/// One row per topic.
fn topics(j: &Value) -> Option<Table> {
    let ts = object(j, "topics");
    if ts.is_empty() {
        return None;
    }
    let mut t = Table::new(
        &["Topic", "Published", "Delivered", "Filtered out", "Cost"],
        &[false, true, true, true, true],
    );
    for (name, x) in ts {
        t.row(vec![
            Text::plain(name.clone()),
            Text::plain(count(int(x, "/published"))),
            Text::plain(count(int(x, "/delivered"))),
            Text::plain(count(int(x, "/filtered_out"))),
            Text::plain(usd(float(x, "/cost_usd").unwrap_or(0.0))),
        ]);
    }
    Some(t)
}

/// One row per worker program.
/// Per client that times out or retries: what its end users got, and what it cost the ALB.
fn end_users(j: &Value) -> Option<Table> {
    let cs = object(j, "clients");
    if cs.is_empty() {
        return None;
    }
    let mut t = Table::new(
        &[
            "Client",
            "End users",
            "Succeeded",
            "To the ALB",
            "Retries",
            "460s",
            "Quota refused",
            "p99",
        ],
        &[false, true, true, true, true, true, true, true],
    );
    for (name, c) in cs {
        let requests = int(c, "/requests");
        let succeeded = int(c, "/succeeded");
        t.row(vec![
            Text::plain(name.clone()),
            Text::plain(count(requests)),
            Text::plain(if requests == 0 {
                "–".into()
            } else {
                share(succeeded as f64 / requests as f64)
            }),
            Text::plain(count(int(c, "/attempts"))),
            Text::plain(format!(
                "{} ({})",
                count(int(c, "/retries")),
                share(float(c, "/retry_share").unwrap_or(0.0))
            )),
            Text::plain(count(int(c, "/timeouts"))),
            Text::plain(count(int(c, "/quota_refused"))),
            Text::plain(
                float(c, "/latency_ms/p99").map_or("–".into(), |ms| format!("{} ms", number(ms))),
            ),
        ]);
    }
    Some(t)
}

fn consumers(j: &Value) -> Option<Table> {
    let cs = object(j, "consumers");
    if cs.is_empty() {
        return None;
    }
    let mut t = Table::new(
        &[
            "Worker",
            "Queue",
            "Processed",
            "Failed",
            "Deleted",
            "Wasted CPU",
            "Pollers busy",
        ],
        &[false, false, true, true, true, true, true],
    );
    for (name, c) in cs {
        t.row(vec![
            Text::plain(name.clone()),
            Text::plain(string(c, "queue")),
            Text::plain(count(int(c, "/processed"))),
            Text::plain(count(int(c, "/failed"))),
            Text::plain(count(int(c, "/deleted"))),
            Text::plain(format!(
                "{} s",
                number(float(c, "/wasted_cpu_seconds").unwrap_or(0.0))
            )),
            Text::plain(float(c, "/utilisation").map_or("–".into(), share)),
        ]);
    }
    Some(t)
}

/// The whole number at `pointer`, 0 if there is none.
fn int(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer).and_then(Value::as_u64).unwrap_or(0)
}

/// The number at `pointer`, if there is one (null is none).
fn float(v: &Value, pointer: &str) -> Option<f64> {
    v.pointer(pointer).and_then(Value::as_f64)
}

/// The string under `key`, empty if there is none.
fn string(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// A run time at `pointer`, `–` when null.
fn time(v: &Value, pointer: &str, clock: Clock) -> String {
    float(v, pointer).map_or("–".to_string(), |t| clock.at(t))
}

/// The object under `key` (ordered by key), empty if there is none.
fn object<'a>(v: &'a Value, key: &str) -> Vec<(&'a String, &'a Value)> {
    v.get(key)
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}
