//! `summary.json`: the run's totals, in stable field names that other tools read.
//!
//! ```json
//! {
//!   "albsim_version": "0.1.0",
//!   "model": "quickstart",            // model name
//!   "description": "…",               // model description, or null
//!   "seed": 42,                       // master seed
//!   "duration_seconds": 1800.0,       // simulated time
//!   "load_ends_seconds": 1800.0,      // when the load ends (rule below), or null
//!   "partial": {                      // only when --max-events/--max-wall stopped the run:
//!     "stopped_by": "max_events",     // or "max_wall"
//!     "simulated_seconds_reached": 412.5,    // = duration_seconds: every figure covers only the time reached
//!     "simulated_seconds_requested": 1800.0
//!   },
//!   "requests": {
//!     "total": 144035,                // requests that reached the ALB
//!     "by_status": { "200": 144030 }, // responses by status code
//!     "errors_5xx": 0,                // 5XX responses, from the ALB or targets
//!     "in_flight_at_end": 5           // requests still unanswered when the run ended
//!   },
//!   "latency_ms": {                   // all responses, from the request reaching the ALB to the
//!     "mean": …, "p50": …, "p90": …,  // response (TLS handshake on new connections included);
//!     "p99": …, "p999": …, "max": …   // null if there were no responses
//!   },
//!   "target_groups": { "web": { "requests": …, "latency_ms": { … } } },
//!   "instances": [ { "id": "web-1", "instance_type": "t3.micro", "availability_zone": "us-east-1a",
//!                    "cpu_utilization": 31.2, "requests_completed": 57551,
//!                    "launched_seconds": 0.0, "terminated_seconds": null, "price_per_hour": 0.0104 } ],
//!   "websockets": { "opened": …, "closed_by_idle_timeout": …, "closed_by_deregistration": …,
//!                   "closed_by_target_failure": …, "messages": …, "pings": … },  // only with WebSocket clients
//!   "clients": { "shoppers": {        // clients that retry or time out, by name, only with them:
//!       "name": "shoppers", "requests": 9000,    // end-user requests finished (last answer came)
//!       "succeeded": 8700, "failed": 300,        // last answer below 400 / an error
//!       "attempts": 9600, "retries": 600,        // requests to the ALB (in RequestCount); retries
//!       "retry_share": 0.0625,                   // retries / attempts
//!       "timeouts": 450,                         // attempts given up at timeout (ALB 460)
//!       "quota_refused": 20, "retries_after_end": 0,  // retries the quota or the run's end stopped
//!       "latency_ms": { "mean": …, … } } },      // first attempt → last answer, backoffs included
//!   "auto_scaling_groups": [ { "name": "web-asg", "starting_capacity": 2,
//!       "instance_hours": 2.9,      // its instances' hours, billed as cost.instance_hours
//!       "returned_to_starting_capacity_seconds": 6300.0,       // back at 2 for good, or null
//!       "seconds_from_load_end_to_starting_capacity": 4500.0,  // that minus load_ends_seconds
//!       "scale_out_activities": 1, "scale_in_activities": 1,
//!       "unhealthy_replacements": 0, "instances_launched": 4, "average_desired_capacity": 2.9,
//!       "average_in_service": 2.8, "max_in_service": 4 } ],   // only with Auto Scaling groups
//!   "queues": { "orders": {           // SQS queues by QueueName, only with queues
//!       "name": "orders", "fifo": false, "visibility_timeout_seconds": 30.0,
//!       "dead_letter_queue": "orders-dlq",     // its RedrivePolicy target, or null
//!       "sent": 1200, "deduplicated": 0,        // NumberOfMessagesSent; FIFO sends dropped as duplicates
//!       "received": 1530, "redelivered": 330,   // NumberOfMessagesReceived; of them, receives again
//!       "deleted": 1100, "empty_receives": 2400, "receive_calls": 3900,
//!       "moved_to_dlq": 40, "expired": 0, "lost_by_workers": 0,
//!       "duplicate_processings": 290,           // processings of a message processed before
//!       "stale_deletes": 12, "rejected_visibility_changes": 0, "throttled_calls": 0,
//!       "failed_sends": 0, "moved_in": 0,      // sends given up after 3 throttled attempts; DLQ arrivals
//!       "billed_requests": 6500, "cost_usd": 0.0026,
//!       "message_latency_ms": { "mean": …, "p50": …, … },   // SendMessage to DeleteMessage, or null
//!       "visible_at_end": 60, "in_flight_at_end": 10, "delayed_at_end": 0,
//!       "max_visible": 120, "max_age_of_oldest_seconds": 95.0 } },
//!   "topics": { "order-events": {     // SNS topics by TopicName, only with topics
//!       "name": "order-events", "published": 1000, "delivered": 1700, "filtered_out": 300,
//!       "subscriptions": [ { "protocol": "sqs", "endpoint": "orders", "delivered": 1000,
//!                            "filtered_out": 0 }, … ],   // in the topic's order
//!       "billed_requests": 1000, "cost_usd": 0.0005 } },
//!   "consumers": { "order-worker": {  // worker programs by name, only with worker programs
//!       "name": "order-worker", "queue": "orders", "processed": 1500, "failed": 12,
//!       "deleted": 1100, "wasted_cpu_seconds": 320.5, "utilisation": 0.87 } },
//!   "cost": { "ec2": 0.031, "alb": 0.0231, "total": 0.054, "instance_hours": 2.9, "lcu_hours": 0.01 },
//!                                     // + "sqs" with queues, "sns" with topics (after "alb");
//!                                     // "alb" and "lcu_hours" are 0 without a load balancer
//!   "events_processed": 432106,       // events popped from the queue
//!   "wall_seconds": 0.05              // wall-clock time: the only field that varies between runs
//! }
//! ```
//!
//! **The load's end** (`load_ends_seconds`) is the earliest time after which every open-loop
//! client's offered rate stays at or below its final rate: when the last `schedule` step or ramp
//! down, or the last `spike`, came down (the latest such time over the clients). Clients at a
//! steady rate (`constant`, `poisson`), closed-loop `users` and `websocket` clients are
//! background that never ends and do not move it. It is null when no client's rate ever comes
//! down (only background load, or schedules that only rise) and whenever a `diurnal` client
//! is present (a day curve rises and falls for ever). It may lie beyond the run's end.
//!
//! **Back to the starting capacity**: `returned_to_starting_capacity_seconds` is the first time
//! at or after the load's end from which the group's desired capacity (`GroupDesiredCapacity`,
//! at the exact time it changed, not per period) stays at `starting_capacity` (its
//! `DesiredCapacity` at the start) to the run's end: the load's end itself if the group is
//! there already (0 s after it if it never scaled). Without a load end it is measured from the
//! run's start. It is null when the desired capacity is not back at the run's end (a return
//! followed by another change does not count), or the run ends before the load does.
//! `seconds_from_load_end_to_starting_capacity` is that time minus `load_ends_seconds` (null
//! when either is null).
//!
//! [`SCHEMA`] lists every number of the file (the paths experiments' metrics read).
//!
//! Maps are ordered (`BTreeMap`) and floats printed by `serde_json`'s shortest round-trip
//! formatting, so the same model and seed give byte-identical files (wall time aside).

pub use super::summary_schema::SCHEMA;
use crate::recorder::CostResult;
use crate::recorder::RunEnd;
use crate::recorder::{
    AsgResult, ClientResult, ConsumerResult, GroupResult, InstanceResult, LatencySummary,
    QueueResult, RunResult, TopicResult, WebsocketResult,
};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Summary<'a> {
    albsim_version: &'static str,
    model: &'a str,
    description: Option<&'a str>,
    seed: u64,
    duration_seconds: f64,
    load_ends_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial: Option<&'a Partial>,
    requests: Requests,
    latency_ms: Option<&'a LatencySummary>,
    target_groups: &'a BTreeMap<String, GroupResult>,
    instances: &'a [InstanceResult],
    #[serde(skip_serializing_if = "Option::is_none")]
    websockets: Option<&'a WebsocketResult>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    clients: BTreeMap<&'a str, &'a ClientResult>,
    #[serde(skip_serializing_if = "<[AsgResult]>::is_empty")]
    auto_scaling_groups: &'a [AsgResult],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    queues: BTreeMap<&'a str, &'a QueueResult>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    topics: BTreeMap<&'a str, &'a TopicResult>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    consumers: BTreeMap<&'a str, &'a ConsumerResult>,
    cost: &'a CostResult,
    events_processed: u64,
    wall_seconds: f64,
}

/// How far a run got that a guard (`--max-events`, `--max-wall`) stopped: its results are
/// partial, and `summary.json` and the terminal summary say so.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Partial {
    /// Which guard stopped the run.
    pub stopped_by: RunEnd,
    /// Simulated time reached \[s\]: the result's `duration_seconds`.
    pub simulated_seconds_reached: f64,
    /// Simulated time the model asked for \[s\]; `None` (left out of `summary.json`) if the
    /// caller does not know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated_seconds_requested: Option<f64>,
}

impl Partial {
    /// How far the run `r` got, if a guard stopped it (`None` if it completed); `requested` is
    /// the simulated time the model asked for \[s\], if known.
    pub fn of(r: &RunResult, requested: Option<f64>) -> Option<Partial> {
        (r.end != RunEnd::Completed).then_some(Partial {
            stopped_by: r.end,
            simulated_seconds_reached: r.duration_seconds,
            simulated_seconds_requested: requested,
        })
    }
}

#[derive(Serialize)]
struct Requests {
    total: u64,
    by_status: BTreeMap<String, u64>,
    errors_5xx: u64,
    in_flight_at_end: u64,
}

/// The `summary.json` text of a run, marked partial as [`Partial::of`] says (the simulated time
/// asked for unknown): the same as [`to_json_with`] for a run that completed.
pub fn to_json(r: &RunResult) -> String {
    to_json_with(r, Partial::of(r, None).as_ref())
}

/// The `summary.json` text of a run; `partial` (from [`Partial::of`]) marks the results of a run
/// that a guard stopped.
pub fn to_json_with(r: &RunResult, partial: Option<&Partial>) -> String {
    let summary = Summary {
        albsim_version: env!("CARGO_PKG_VERSION"),
        model: &r.model,
        description: r.description.as_deref(),
        seed: r.seed,
        duration_seconds: r.duration_seconds,
        load_ends_seconds: r.load_ends_seconds,
        partial,
        requests: Requests {
            total: r.requests_total,
            by_status: r
                .by_status
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            errors_5xx: r.errors_5xx(),
            in_flight_at_end: r.in_flight_at_end(),
        },
        latency_ms: r.latency_ms.as_ref(),
        target_groups: &r.target_groups,
        instances: &r.instances,
        websockets: r.websockets.as_ref(),
        clients: r.clients.iter().map(|c| (c.name.as_str(), c)).collect(),
        auto_scaling_groups: &r.auto_scaling_groups,
        queues: r.queues.iter().map(|q| (q.name.as_str(), q)).collect(),
        topics: r.topics.iter().map(|t| (t.name.as_str(), t)).collect(),
        consumers: r.consumers.iter().map(|c| (c.name.as_str(), c)).collect(),
        cost: &r.cost,
        events_processed: r.events_processed,
        wall_seconds: r.wall_seconds,
    };
    // Serializing plain structs, maps and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&summary).expect("summary serializes");
    text.push('\n');
    text
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A one-minute run of one client against a fixed response: the reports' shared fixture.
    pub(in crate::report) fn result() -> RunResult {
        let sc = crate::scenario::from_json(
            r#"{ "name": "t", "duration": "1m", "seed": 3,
                 "clients": [{ "name": "c", "arrival": { "type": "constant", "rate_per_second": 1 },
                               "requests": [{ "name": "r", "service_time": { "distribution": "constant", "ms": 1 } }] }],
                 "load_balancer": { "name": "lb", "listeners": [{ "port": 80, "protocol": "HTTP",
                     "default_actions": [{ "type": "fixed-response", "status_code": 200 }] }] },
                 "target_groups": [], "instances": [] }"#,
            std::path::Path::new("t.json"),
        )
        .unwrap();
        crate::run(&sc)
    }

    #[test]
    fn a_complete_run_has_no_partial_field() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&result())).unwrap();
        assert!(json.get("partial").is_none(), "{json}");
    }

    #[test]
    fn a_stopped_run_says_why_and_how_far_it_got() {
        let stopped = RunResult {
            end: RunEnd::MaxWall,
            duration_seconds: 12.5,
            ..result()
        };
        let partial = Partial::of(&stopped, Some(60.0));
        let json: serde_json::Value =
            serde_json::from_str(&to_json_with(&stopped, partial.as_ref())).unwrap();
        assert_eq!(
            json["partial"],
            serde_json::json!({ "stopped_by": "max_wall", "simulated_seconds_reached": 12.5,
                                "simulated_seconds_requested": 60.0 })
        );
        assert_eq!(json["duration_seconds"], 12.5);
        // Without the model's duration, what the result knows.
        let json: serde_json::Value = serde_json::from_str(&to_json(&stopped)).unwrap();
        assert_eq!(
            json["partial"],
            serde_json::json!({ "stopped_by": "max_wall", "simulated_seconds_reached": 12.5 })
        );
    }

    #[test]
    fn queues_topics_and_workers_are_keyed_by_name_and_priced() {
        let r = crate::report::test_support::messaging_result();
        let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap();
        let q = &json["queues"]["orders"];
        assert_eq!(q["duplicate_processings"], 3);
        assert_eq!(q["redelivered"], 3);
        assert_eq!(q["message_latency_ms"]["p99"], 31_000.0);
        assert_eq!(q["max_age_of_oldest_seconds"], 48.0);
        let t = &json["topics"]["order-events"];
        assert_eq!(t["published"], 100);
        assert_eq!(t["subscriptions"][1]["endpoint"], "ops@example.com");
        assert_eq!(t["subscriptions"][1]["filtered_out"], 50);
        assert_eq!(json["consumers"]["order-worker"]["utilisation"], 0.625);
        // Every field of the result types is written.
        let fields = |v: &serde_json::Value| v.as_object().unwrap().len();
        let q_fields = serde_json::to_value(&r.queues[0]).unwrap();
        assert_eq!(fields(q), fields(&q_fields));
        // SQS: 700 requests at $0.40 per million; SNS: 100 publishes at $0.50 per million; no
        // ALB; EC2: one t3.micro for 3 minutes.
        let cost = &json["cost"];
        let (sqs, sns) = (700.0 * 0.40 / 1e6, 100.0 * 0.50 / 1e6);
        let ec2 = 0.0104 * 180.0 / 3600.0;
        assert!(
            (cost["sqs"].as_f64().unwrap() - sqs).abs() < 1e-15,
            "{cost}"
        );
        assert!(
            (cost["sns"].as_f64().unwrap() - sns).abs() < 1e-15,
            "{cost}"
        );
        assert_eq!(
            (cost["alb"].as_f64(), cost["lcu_hours"].as_f64()),
            (Some(0.0), Some(0.0))
        );
        assert!(
            (cost["ec2"].as_f64().unwrap() - ec2).abs() < 1e-15,
            "{cost}"
        );
        let total = cost["total"].as_f64().unwrap();
        assert!((total - (ec2 + sqs + sns)).abs() < 1e-15, "{cost}");
        // The SQS and SNS parts come after the ALB's, before the total.
        let text = to_json(&r);
        let cost_text = &text[text.find("\"cost\"").unwrap()..];
        let at = |key: &str| cost_text.find(&format!("\"{key}\":")).unwrap();
        assert!(at("alb") < at("sqs") && at("sqs") < at("sns") && at("sns") < at("total"));
    }

    #[test]
    fn a_run_without_queues_has_no_messaging_sections() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&result())).unwrap();
        for section in ["queues", "topics", "consumers"] {
            assert!(json.get(section).is_none(), "{section}: {json}");
        }
        let cost = json["cost"].as_object().unwrap();
        assert!(
            !cost.contains_key("sqs") && !cost.contains_key("sns"),
            "{cost:?}"
        );
    }

    #[test]
    fn a_complete_run_is_never_partial() {
        let r = result();
        assert_eq!(Partial::of(&r, Some(60.0)), None);
        assert_eq!(to_json(&r), to_json_with(&r, None));
    }
}
