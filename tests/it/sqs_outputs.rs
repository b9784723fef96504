//! SQS queues, SNS topics and worker programs in the outputs: metric paths of experiments name
//! them (`queues.<name>.message_latency_ms.p99`, `cost.sqs`, a topic's subscriptions by
//! endpoint) and read what `summary.json` holds; models without them write none of it.
//!
//! The results are built by hand on a real run of a tiny model, so these tests hold whatever the
//! engine does; its own tests check the figures.

use albsim::RunResult;
use albsim::engine::SimDuration;
use albsim::experiment::metric::SummaryPath;
use albsim::model::distribution::Distribution;
use albsim::model::sqs::{
    ConsumerSpec, Endpoint, Placement, QueueId, QueueSpec, StaleDelete, SubscriptionSpec, TopicSpec,
};
use albsim::recorder::{
    ConsumerResult, LatencySummary, QueueResult, SubscriptionResult, TopicResult,
};
use albsim::report::{summary, terminal, timeline, timeseries};
use albsim::scenario::Scenario;
use serde_json::Value;

/// A minute of one client against a fixed response: no queues.
fn plain_scenario() -> Scenario {
    albsim::scenario::from_json(
        r#"{ "name": "plain", "duration": "1m", "seed": 5,
             "clients": [{ "name": "c", "arrival": { "type": "constant", "rate_per_second": 2 },
                           "requests": [{ "name": "r", "service_time": { "distribution": "constant", "ms": 1 } }] }],
             "load_balancer": { "name": "lb", "listeners": [{ "port": 80, "protocol": "HTTP",
                 "default_actions": [{ "type": "fixed-response", "status_code": 200 }] }] },
             "target_groups": [], "instances": [] }"#,
        std::path::Path::new("plain.json"),
    )
    .expect("test model")
}

fn queue(name: &str) -> QueueSpec {
    QueueSpec {
        name: name.into(),
        fifo: false,
        content_based_deduplication: false,
        visibility_timeout: SimDuration::from_secs(30),
        receive_wait: SimDuration::ZERO,
        retention: SimDuration::from_secs(345_600),
        delay: SimDuration::ZERO,
        maximum_message_size: 262_144,
        redrive: None,
        duplicate_probability: 0.0,
        short_poll_sample: 0.5,
    }
}

fn subscription(protocol: &str, endpoint: &str, to: Endpoint) -> SubscriptionSpec {
    SubscriptionSpec {
        protocol: protocol.into(),
        endpoint_name: endpoint.into(),
        endpoint: to,
        raw_message_delivery: false,
        filter: None,
    }
}

/// The plain model with queue `orders` (and `orders-dlq`), topic `order-events` fanning out to
/// `orders` and an e-mail address, and worker program `order-worker`.
fn messaging_scenario() -> Scenario {
    let mut sc = plain_scenario();
    let m = &mut sc.messaging;
    m.queues = vec![queue("orders"), queue("orders-dlq")];
    m.topics = vec![TopicSpec {
        name: "order-events".into(),
        fifo: false,
        subscriptions: vec![
            subscription("sqs", "orders", Endpoint::Queue(QueueId(0))),
            subscription("email", "ops@example.com", Endpoint::Counted),
        ],
    }];
    m.consumers = vec![ConsumerSpec {
        name: "order-worker".into(),
        queue: QueueId(0),
        placement: Placement::Instances(Vec::new()),
        pollers_per_instance: 4,
        max_messages: 1,
        wait: SimDuration::ZERO,
        processing_time: Distribution::Constant { ns: 1e9 },
        failure_probability: 0.0,
        heartbeat: None,
        scale_in_protection: false,
        stale_delete: StaleDelete::NotDeleted,
        api_latency: SimDuration::ZERO,
        empty_receive_pause: SimDuration::ZERO,
        throttle_backoff: SimDuration::from_millis(100),
    }];
    sc
}

/// A run of the plain model with the messaging results of [`messaging_scenario`] attached, its
/// cost computed again (`summary_schema` walks its summary too).
pub(crate) fn messaging_result() -> RunResult {
    let mut r = albsim::run(&plain_scenario());
    let latency = LatencySummary {
        mean: 1_200.0,
        p50: 1_000.0,
        p90: 2_000.0,
        p99: 4_500.0,
        p999: 6_000.0,
        max: 6_100.0,
    };
    r.queues = vec![
        QueueResult {
            name: "orders".into(),
            sent: 120,
            received: 130,
            redelivered: 10,
            deleted: 118,
            duplicate_processings: 9,
            billed_requests: 400,
            cost_usd: 400.0 * 0.40 / 1e6,
            message_latency_ms: Some(latency),
            ..Default::default()
        },
        QueueResult {
            name: "orders-dlq".into(),
            sent: 2,
            cost_usd: 2.0 * 0.40 / 1e6,
            ..Default::default()
        },
    ];
    r.topics = vec![TopicResult {
        name: "order-events".into(),
        published: 100,
        delivered: 160,
        filtered_out: 40,
        subscriptions: vec![
            SubscriptionResult {
                protocol: "sqs".into(),
                endpoint: "orders".into(),
                delivered: 100,
                filtered_out: 0,
            },
            SubscriptionResult {
                protocol: "email".into(),
                endpoint: "ops@example.com".into(),
                delivered: 60,
                filtered_out: 40,
            },
        ],
        billed_requests: 100,
        cost_usd: 100.0 * 0.50 / 1e6,
    }];
    r.consumers = vec![ConsumerResult {
        name: "order-worker".into(),
        queue: "orders".into(),
        processed: 127,
        utilisation: 0.75,
        ..Default::default()
    }];
    r.cost = albsim::recorder::cost(&r);
    r
}

fn summary_of(r: &RunResult) -> Value {
    serde_json::from_str(&summary::to_json(r)).expect("summary.json parses")
}

#[test]
fn metric_paths_name_queues_topics_subscriptions_and_workers() {
    let sc = messaging_scenario();
    let r = messaging_result();
    let s = summary_of(&r);
    let sqs = 400.0 * 0.40 / 1e6 + 2.0 * 0.40 / 1e6;
    for (path, expected) in [
        ("queues.orders.message_latency_ms.p99", Some(4_500.0)),
        ("queues.orders.duplicate_processings", Some(9.0)),
        ("queues.orders.redelivered", Some(10.0)),
        ("queues.orders-dlq.sent", Some(2.0)),
        ("topics.order-events.published", Some(100.0)),
        (
            "topics.order-events.subscriptions[endpoint=orders].delivered",
            Some(100.0),
        ),
        (
            "topics.order-events.subscriptions[endpoint=\"ops@example.com\"].filtered_out",
            Some(40.0),
        ),
        ("topics.order-events.subscriptions[1].delivered", Some(60.0)),
        ("consumers.order-worker.utilisation", Some(0.75)),
        ("cost.sqs", Some(sqs)),
        ("cost.sns", Some(100.0 * 0.50 / 1e6)),
    ] {
        let p = SummaryPath::parse(path).unwrap();
        assert_eq!(p.check(&sc), Ok(()), "{path}");
        let read = p.read(&s);
        let close = match (read, expected) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
            (a, b) => a == b,
        };
        assert!(close, "{path}: read {read:?}, expected {expected:?}");
    }
    // The total holds them: EC2 and the ALB as before, plus SQS and SNS.
    let c = &r.cost;
    let expected_total = c.ec2 + c.alb + sqs + 100.0 * 0.50 / 1e6;
    assert!((c.total - expected_total).abs() < 1e-12, "{c:?}");
}

#[test]
fn paths_to_queues_the_model_lacks_say_what_it_has() {
    let sc = messaging_scenario();
    let check = |path: &str| SummaryPath::parse(path).unwrap().check(&sc);
    assert_eq!(
        check("queues.payments.sent"),
        Err("queues.payments: no queue 'payments' in the model; known: orders, orders-dlq".into())
    );
    assert_eq!(
        check("consumers.billing.processed"),
        Err(
            "consumers.billing: no worker program 'billing' in the model; known: order-worker"
                .into()
        )
    );
    assert_eq!(
        check("topics.order-events.subscriptions[endpoint=billing].delivered"),
        Err("topics.order-events.subscriptions[endpoint=billing]: no subscription to 'billing' in topic order-events; known endpoints: orders, ops@example.com".into())
    );
    assert_eq!(
        check("topics.order-events.subscriptions[2].delivered"),
        Err("topics.order-events.subscriptions[2]: no subscription at index 2; topic order-events has 2 subscriptions".into())
    );
    assert_eq!(
        check("topics.order-events.subscriptions.delivered"),
        Err("topics.order-events.subscriptions.delivered: topics.order-events.subscriptions is a list of subscriptions; pick one first: topics.order-events.subscriptions[endpoint=orders] or topics.order-events.subscriptions[0]".into())
    );
    let queue = check("queues.orders").unwrap_err();
    assert!(
        queue.starts_with("queues.orders: an object, not a number; the numbers in it: visibility_timeout_seconds, sent,"),
        "{queue}"
    );
    // A model without queues: the sections are not there, and the message says why.
    let plain = plain_scenario();
    let check = |path: &str| SummaryPath::parse(path).unwrap().check(&plain);
    assert_eq!(
        check("cost.sqs"),
        Err(
            "cost.sqs: the model has no SQS queues (summary.json has cost.sqs only with them)"
                .into()
        )
    );
    assert_eq!(
        check("topics.order-events.published"),
        Err("topics: the model has no SNS topics (summary.json has topics only with them)".into())
    );
    assert_eq!(
        check("consumers.order-worker.processed"),
        Err("consumers: the model has no worker programs (summary.json has consumers only with them)".into())
    );
    // Nor are they offered.
    let unknown = check("cost.usd").unwrap_err();
    assert_eq!(
        unknown,
        "cost.usd: no field 'usd' in cost; known: ec2, alb, total, instance_hours, lcu_hours"
    );
}

#[test]
fn a_model_without_queues_writes_no_messaging_output() {
    let r = albsim::run(&plain_scenario());
    let s = summary_of(&r);
    for section in ["queues", "topics", "consumers"] {
        assert!(s.get(section).is_none(), "{section}");
    }
    assert!(s["cost"].get("sqs").is_none() && s["cost"].get("sns").is_none());
    let csv = timeseries::to_csv(&r);
    let header = csv.lines().next().unwrap();
    for metric in [
        "ApproximateNumberOf",
        "NumberOfMessages",
        "Pollers",
        "Notifications",
    ] {
        assert!(!header.contains(metric), "{header}");
    }
    let text = terminal::summary(&r);
    for label in ["  sqs ", "  sns ", "  workers "] {
        assert!(!text.contains(label), "{text}");
    }
    assert!(text.contains(", ALB $"), "{text}");
    let svg = timeline::to_svg(&r).unwrap();
    assert!(!svg.contains("SQS queue") && !svg.contains("Worker pollers"));
}

#[test]
fn a_model_with_queues_writes_them_everywhere() {
    let r = messaging_result();
    let csv = timeseries::to_csv(&r);
    let header = csv.lines().next().unwrap();
    for column in [
        "ApproximateNumberOfMessagesVisible:orders",
        "ApproximateAgeOfOldestMessage:orders-dlq",
        "NumberOfNotificationsDelivered:order-events",
        "BusyPollers:order-worker",
    ] {
        assert!(header.split(',').any(|h| h == column), "{column}: {header}");
    }
    let text = terminal::summary(&r);
    assert!(
        text.contains("  sqs        orders: 120 sent, 130 received (10 redelivered), 118 deleted"),
        "{text}"
    );
    assert!(
        text.contains("  sns        order-events: 100 published, 160 delivered, 40 filtered out")
    );
    assert!(text.contains("  workers    order-worker (orders): 127 processed"));
    let svg = timeline::to_svg(&r).unwrap();
    for title in [
        "SQS queue orders: ApproximateNumberOfMessages",
        "SQS queue orders-dlq: ApproximateNumberOfMessages",
        "ApproximateAgeOfOldestMessage",
        "Worker pollers",
    ] {
        assert!(svg.contains(title), "{title}");
    }
}
