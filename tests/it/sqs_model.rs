//! The model file's SQS/SNS sections (`queues`, `topics`, `producers`, `consumers`, request-path
//! `messages`): AWS defaults and ranges, every cross-reference rule, filter policies, ARNs, models
//! without a load balancer, warnings and limits. Expected values come from AWS's documented
//! defaults and ranges (`aws-behavior.md` §12–13) and from the model written here.

use albsim::engine::SimDuration;
use albsim::model::distribution::Distribution;
use albsim::model::sqs::{
    AttributeMatch, Destination, Endpoint, MessageGroups, Placement, QueueId, StaleDelete, TopicId,
};
use albsim::scenario::Scenario;
use serde_json::{Value, json};
use std::path::Path;

/// A queue-and-workers model: orders (with a dead-letter queue) sent by a producer and polled by
/// a worker fleet. No load balancer, clients or target groups.
fn workers() -> Value {
    json!({
        "name": "orders", "duration": "10m",
        "queues": [
            { "QueueName": "orders",
              "RedrivePolicy": { "deadLetterTargetArn": "orders-dlq", "maxReceiveCount": 5 } },
            { "QueueName": "orders-dlq", "MessageRetentionPeriod": 1_209_600 } ],
        "producers": [
            { "name": "shop", "queue": "orders",
              "arrival": { "type": "poisson", "rate_per_second": 5 } } ],
        "auto_scaling_groups": [
            { "AutoScalingGroupName": "workers", "MinSize": 1, "MaxSize": 4,
              "LaunchTemplate": { "instance_type": "c5.large" },
              "AvailabilityZones": ["us-east-1a"] } ],
        "consumers": [
            { "name": "order-worker", "queue": "orders", "auto_scaling_group": "workers",
              "processing_time": { "distribution": "exponential", "mean_ms": 200 } } ]
    })
}

/// [`workers`] with a FIFO queue and an SNS topic fanning out to `orders` and an email address.
fn with_topic() -> Value {
    let mut m = workers();
    m["queues"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "QueueName": "audit.fifo", "FifoQueue": true }));
    m["topics"] = json!([
        { "TopicName": "OrderAlerts",
          "Subscriptions": [
            { "Protocol": "sqs", "Endpoint": "orders" },
            { "Protocol": "email", "Endpoint": "ops@example.com" } ] },
        { "TopicName": "Audit.fifo", "FifoTopic": true,
          "Subscriptions": [ { "Protocol": "sqs", "Endpoint": "audit.fifo" } ] } ]);
    m
}

/// The quickstart-sized ALB part: one client, one listener, one target group and instance.
fn with_alb(mut m: Value) -> Value {
    m["clients"] = json!([
        { "name": "browsers", "arrival": { "type": "poisson", "rate_per_second": 10 },
          "requests": [
            { "name": "order", "method": "POST", "path": "/orders",
              "service_time": { "distribution": "constant", "ms": 5 } } ] } ]);
    m["load_balancer"] = json!({ "name": "web-alb",
        "listeners": [ { "port": 80, "protocol": "HTTP",
            "default_actions": [ { "type": "forward", "target_group": "web" } ] } ] });
    m["target_groups"] = json!([
        { "name": "web", "port": 8080, "protocol": "HTTP", "targets": ["web-1"] } ]);
    m["instances"] = json!([
        { "id": "web-1", "instance_type": "c5.large", "availability_zone": "us-east-1a",
          "workers": 4 } ]);
    m
}

fn resolve(m: &Value) -> Scenario {
    albsim::scenario::from_json(&m.to_string(), Path::new("m.json"))
        .unwrap_or_else(|e| panic!("{}", e.lines().join("\n")))
}

/// Every `(path, message)` the model's check reports.
fn errors(m: &Value) -> Vec<(String, String)> {
    match albsim::scenario::from_json(&m.to_string(), Path::new("m.json")) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .lines()
            .into_iter()
            .map(|line| {
                let rest = line.strip_prefix("m.json: ").unwrap_or(&line).to_string();
                match rest.split_once(": ") {
                    Some((p, m)) => (p.to_string(), m.to_string()),
                    None => (String::new(), rest),
                }
            })
            .collect(),
    }
}

/// The one error of `m`: at `path`, containing `want`.
#[track_caller]
fn assert_error(m: &Value, path: &str, want: &str) {
    let e = errors(m);
    assert!(
        e.iter().any(|(p, msg)| p == path && msg.contains(want)),
        "no error at {path} containing {want:?}: {e:?}"
    );
    assert_eq!(e.len(), 1, "{e:?}");
}

/// Sets the value at a JSON pointer (`/queues/0/VisibilityTimeout`), creating the last key.
fn set(mut m: Value, pointer: &str, v: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let p = m.pointer_mut(parent).unwrap_or_else(|| panic!("{parent}"));
    match p {
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = v,
        Value::Object(o) => {
            o.insert(key.to_string(), v);
        }
        _ => panic!("{parent} is neither object nor list"),
    }
    m
}

fn remove(mut m: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    m.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    m
}

#[test]
fn a_queue_with_only_its_name_takes_aws_defaults() {
    let sc = resolve(&workers());
    let q = &sc.messaging.queues[1];
    assert_eq!(q.name, "orders-dlq");
    let q = &sc.messaging.queues[0];
    assert_eq!(q.visibility_timeout, SimDuration::from_secs(30));
    assert_eq!(q.receive_wait, SimDuration::ZERO);
    assert_eq!(q.retention, SimDuration::from_secs(345_600));
    assert_eq!(q.delay, SimDuration::ZERO);
    assert_eq!(q.maximum_message_size, 262_144);
    assert!(!q.fifo && !q.content_based_deduplication);
    assert_eq!(q.duplicate_probability, 0.0);
    assert_eq!(q.short_poll_sample, 0.5);
    let r = q.redrive.expect("RedrivePolicy");
    assert_eq!((r.dead_letter_queue, r.max_receive_count), (QueueId(1), 5));
    assert!(sc.messaging.queues[1].redrive.is_none());
}

#[test]
fn programs_take_their_defaults() {
    let sc = resolve(&workers());
    let p = &sc.messaging.producers[0];
    assert_eq!(p.destination, Destination::Queue(QueueId(0)));
    assert_eq!(p.message.size_bytes, 1024);
    assert!(p.message.attributes.is_empty());
    assert_eq!(p.message.groups, MessageGroups::None);
    assert_eq!(p.message.resend_probability, 0.0);
    assert_eq!(p.message.resend_after, SimDuration::from_secs(1));
    let c = &sc.messaging.consumers[0];
    assert_eq!(c.queue, QueueId(0));
    assert_eq!(c.placement, Placement::Group(albsim::model::ids::AsgId(0)));
    assert_eq!((c.pollers_per_instance, c.max_messages), (1, 1));
    assert_eq!(
        c.wait,
        SimDuration::ZERO,
        "the queue's ReceiveMessageWaitTimeSeconds"
    );
    assert!(matches!(c.processing_time, Distribution::Exponential { mean_ns } if mean_ns == 2e8));
    assert_eq!(c.failure_probability, 0.0);
    assert!(c.heartbeat.is_none() && !c.scale_in_protection);
    assert_eq!(c.stale_delete, StaleDelete::NotDeleted);
    assert_eq!(c.api_latency, SimDuration::from_millis(10));
    assert_eq!(c.empty_receive_pause, SimDuration::ZERO);
    assert_eq!(c.throttle_backoff, SimDuration::from_millis(100));

    // WaitTimeSeconds follows the queue's long polling; a heartbeat's timeout the queue's.
    let m = set(
        workers(),
        "/queues/0/ReceiveMessageWaitTimeSeconds",
        json!(20),
    );
    let m = set(m, "/queues/0/VisibilityTimeout", json!("90"));
    let m = set(m, "/consumers/0/heartbeat", json!({ "interval": "20s" }));
    let sc = resolve(&m);
    let c = &sc.messaging.consumers[0];
    assert_eq!(c.wait, SimDuration::from_secs(20));
    let h = c.heartbeat.unwrap();
    assert_eq!(h.interval, SimDuration::from_secs(20));
    assert_eq!(h.visibility_timeout, SimDuration::from_secs(90));

    // A FIFO destination gets one message group unless told otherwise.
    let mut m = with_topic();
    m["producers"] = json!([
        { "name": "audit", "topic": "Audit.fifo",
          "arrival": { "type": "constant", "rate_per_second": 1 } },
        { "name": "audit-direct", "queue": "audit.fifo",
          "arrival": { "type": "constant", "rate_per_second": 1 },
          "message": { "message_groups": 10 } } ]);
    let sc = resolve(&m);
    assert_eq!(
        sc.messaging.producers[0].destination,
        Destination::Topic(TopicId(1))
    );
    assert_eq!(
        sc.messaging.producers[0].message.groups,
        MessageGroups::Random { count: 1 }
    );
    assert_eq!(
        sc.messaging.producers[1].message.groups,
        MessageGroups::Random { count: 10 }
    );
}

#[test]
fn a_queue_and_workers_model_needs_no_load_balancer() {
    let sc = resolve(&workers());
    assert_eq!(sc.load_balancer, "");
    assert!(sc.listeners.is_empty() && sc.clients.is_empty() && sc.target_groups.is_empty());
    assert!(sc.warnings.is_empty(), "{:?}", sc.warnings);
    // Consumers alone send nothing.
    let m = remove(workers(), "/producers");
    assert_error(&m, "producers", "expected at least one client or producer");
}

#[test]
fn clients_without_a_load_balancer_are_a_clear_error() {
    let m = with_alb(workers());
    assert!(errors(&m).is_empty(), "{:?}", errors(&m));
    let m = remove(remove(m, "/load_balancer"), "/target_groups");
    assert_error(
        &m,
        "clients",
        "clients send their requests to a load balancer, and the model has none",
    );
}

#[test]
fn without_producers_or_consumers_the_load_balancer_keys_stay_required() {
    let m = json!({ "name": "m", "duration": 60, "queues": [ { "QueueName": "q" } ] });
    let e = errors(&m);
    for key in ["clients", "load_balancer", "target_groups"] {
        let want = format!("missing required key \"{key}\"");
        assert!(
            e.iter().any(|(p, msg)| p == "(top level)" && *msg == want),
            "{want}: {e:?}"
        );
    }
    assert_eq!(e.len(), 3, "{e:?}");
}

/// Every AWS range of a queue, a consumer and a message: (pointer, value, path, message).
#[test]
fn every_range_names_its_path_and_its_range() {
    let cases: &[(&str, Value, &str, &str)] = &[
        (
            "/queues/0/VisibilityTimeout",
            json!(43_201),
            "queues[0].VisibilityTimeout",
            "expected an integer in 0–43200 (seconds), got 43201",
        ),
        (
            "/queues/0/VisibilityTimeout",
            json!(-1),
            "queues[0].VisibilityTimeout",
            "expected an integer in 0–43200 (seconds), got -1",
        ),
        (
            "/queues/0/ReceiveMessageWaitTimeSeconds",
            json!(21),
            "queues[0].ReceiveMessageWaitTimeSeconds",
            "expected an integer in 0–20 (seconds), got 21",
        ),
        (
            "/queues/0/MessageRetentionPeriod",
            json!(59),
            "queues[0].MessageRetentionPeriod",
            "expected an integer in 60–1209600 (seconds), got 59",
        ),
        (
            "/queues/0/MessageRetentionPeriod",
            json!(1_209_601),
            "queues[0].MessageRetentionPeriod",
            "expected an integer in 60–1209600 (seconds), got 1209601",
        ),
        (
            "/queues/0/DelaySeconds",
            json!(901),
            "queues[0].DelaySeconds",
            "expected an integer in 0–900 (seconds), got 901",
        ),
        (
            "/queues/0/MaximumMessageSize",
            json!(1023),
            "queues[0].MaximumMessageSize",
            "expected an integer in 1024–1048576 (bytes), got 1023",
        ),
        (
            "/queues/0/MaximumMessageSize",
            json!(1_048_577),
            "queues[0].MaximumMessageSize",
            "expected an integer in 1024–1048576 (bytes), got 1048577",
        ),
        (
            "/queues/0/RedrivePolicy/maxReceiveCount",
            json!(0),
            "queues[0].RedrivePolicy.maxReceiveCount",
            "expected an integer in 1–1000, got 0",
        ),
        (
            "/queues/0/RedrivePolicy/maxReceiveCount",
            json!(1001),
            "queues[0].RedrivePolicy.maxReceiveCount",
            "expected an integer in 1–1000, got 1001",
        ),
        (
            "/queues/0/duplicate_probability",
            json!(1),
            "queues[0].duplicate_probability",
            "expected a probability from 0 up to (not including) 1, got 1",
        ),
        (
            "/queues/0/short_poll_sample",
            json!(0),
            "queues[0].short_poll_sample",
            "above 0 and at most 1, got 0",
        ),
        (
            "/queues/0/short_poll_sample",
            json!(1.5),
            "queues[0].short_poll_sample",
            "above 0 and at most 1, got 1.5",
        ),
        (
            "/consumers/0/pollers_per_instance",
            json!(0),
            "consumers[0].pollers_per_instance",
            "expected 1–1000 pollers per instance, got 0",
        ),
        (
            "/consumers/0/pollers_per_instance",
            json!(1001),
            "consumers[0].pollers_per_instance",
            "expected 1–1000 pollers per instance, got 1001",
        ),
        (
            "/consumers/0/MaxNumberOfMessages",
            json!(11),
            "consumers[0].MaxNumberOfMessages",
            "expected an integer in 1–10, got 11",
        ),
        (
            "/consumers/0/MaxNumberOfMessages",
            json!(0),
            "consumers[0].MaxNumberOfMessages",
            "expected an integer in 1–10, got 0",
        ),
        (
            "/consumers/0/WaitTimeSeconds",
            json!(21),
            "consumers[0].WaitTimeSeconds",
            "expected an integer in 0–20 (seconds), got 21",
        ),
        (
            "/consumers/0/failure_probability",
            json!(1.5),
            "consumers[0].failure_probability",
            "expected a probability from 0 to 1, got 1.5",
        ),
        (
            "/consumers/0/heartbeat",
            json!({ "interval": 0 }),
            "consumers[0].heartbeat.interval",
            "expected a duration above 0 s to 12 h, got 0 s",
        ),
        (
            "/consumers/0/heartbeat",
            json!({ "interval": "13h" }),
            "consumers[0].heartbeat.interval",
            "expected a duration above 0 s to 12 h, got 13 h",
        ),
        (
            "/consumers/0/heartbeat",
            json!({ "interval": "10s", "VisibilityTimeout": 43_201 }),
            "consumers[0].heartbeat.VisibilityTimeout",
            "expected an integer in 0–43200 (seconds), got 43201",
        ),
        (
            "/consumers/0/api_latency",
            json!("0.5ms"),
            "consumers[0].api_latency",
            "expected a duration from 1 ms to 10 s, got 0.5 ms",
        ),
        (
            "/consumers/0/api_latency",
            json!("11s"),
            "consumers[0].api_latency",
            "expected a duration from 1 ms to 10 s, got 11 s",
        ),
        (
            "/consumers/0/empty_receive_pause",
            json!("2h"),
            "consumers[0].empty_receive_pause",
            "expected a duration from 0 s to 1 h, got 2 h",
        ),
        (
            "/consumers/0/throttle_backoff",
            json!("2m"),
            "consumers[0].throttle_backoff",
            "expected a duration from 1 ms to 1 min, got 2 min",
        ),
        (
            "/consumers/0/throttle_backoff",
            json!(0),
            "consumers[0].throttle_backoff",
            "expected a duration from 1 ms to 1 min, got 0 s",
        ),
        (
            "/producers/0/message",
            json!({ "size_bytes": 0 }),
            "producers[0].message.size_bytes",
            "expected a message of at least 1 byte, got 0",
        ),
        (
            "/producers/0/message",
            json!({ "size_bytes": 262_145 }),
            "producers[0].message.size_bytes",
            "expected 1–262144 bytes (the MaximumMessageSize of queue \"orders\"), got 262145",
        ),
        (
            "/producers/0/message",
            json!({ "resend_probability": 2 }),
            "producers[0].message.resend_probability",
            "expected a probability from 0 to 1, got 2",
        ),
        (
            "/producers/0/message",
            json!({ "resend_after": "16m" }),
            "producers[0].message.resend_after",
            "expected a duration from 0 s to 15 min, got 16 min",
        ),
        (
            "/producers/0/arrival",
            json!({ "type": "poisson", "rate_per_second": 0 }),
            "producers[0].arrival.rate_per_second",
            "expected messages per second, above 0",
        ),
    ];
    for (pointer, value, path, want) in cases {
        let m = set(workers(), pointer, value.clone());
        assert_error(&m, path, want);
    }
    // A larger MaximumMessageSize lets larger messages in, up to it exactly.
    let m = set(workers(), "/queues/0/MaximumMessageSize", json!(1_048_576));
    let ok = set(
        m.clone(),
        "/producers/0/message",
        json!({ "size_bytes": 1_048_576 }),
    );
    assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
    let m = set(
        m,
        "/producers/0/message",
        json!({ "size_bytes": 1_048_577 }),
    );
    assert_error(
        &m,
        "producers[0].message.size_bytes",
        "expected 1–1048576 bytes",
    );
}

#[test]
fn message_limits_of_aws() {
    let attrs: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("a{i}"), json!(i))).collect();
    let m = set(
        workers(),
        "/producers/0/message",
        json!({ "attributes": attrs }),
    );
    assert_error(
        &m,
        "producers[0].message.attributes",
        "expected at most 10 message attributes (AWS limit), got 11",
    );
    let m = set(
        workers(),
        "/producers/0/message",
        json!({ "attributes": { "a": true } }),
    );
    assert_error(&m, "producers[0].message.attributes.a", "expected a string");
    // Numbers are kept as their JSON text.
    let m = set(
        workers(),
        "/producers/0/message",
        json!({ "attributes": { "event": "order_placed", "amount": 120.5 } }),
    );
    let sc = resolve(&m);
    assert_eq!(
        sc.messaging.producers[0].message.attributes,
        [
            ("amount".to_string(), "120.5".to_string()),
            ("event".to_string(), "order_placed".to_string())
        ]
    );
    let mut m = with_topic();
    m["producers"][0] = json!({ "name": "a", "queue": "audit.fifo",
        "arrival": { "type": "constant", "rate_per_second": 1 } });
    for (n, want) in [(0, "got 0"), (100_001, "got 100001")] {
        let m = set(
            m.clone(),
            "/producers/0/message",
            json!({ "message_groups": n }),
        );
        assert_error(
            &m,
            "producers[0].message.message_groups",
            &format!("expected 1–100000 message groups, {want}"),
        );
    }
    let m = set(
        workers(),
        "/producers/0/message",
        json!({ "message_groups": 4 }),
    );
    assert_error(
        &m,
        "producers[0].message.message_groups",
        "message_groups applies to FIFO queues and topics only",
    );
}

#[test]
fn fifo_names_and_settings_follow_aws() {
    let m = set(workers(), "/queues/0/FifoQueue", json!(true));
    assert_error(
        &m,
        "queues[0].QueueName",
        "expected the name of a FIFO queue to end in \".fifo\"",
    );
    let m = set(workers(), "/queues/1/QueueName", json!("orders-dlq.fifo"));
    let m = set(
        m,
        "/queues/0/RedrivePolicy/deadLetterTargetArn",
        json!("orders-dlq.fifo"),
    );
    assert_error(
        &m,
        "queues[1].FifoQueue",
        "ends in \".fifo\", which only a FIFO queue's name may",
    );
    let m = set(
        workers(),
        "/queues/0/ContentBasedDeduplication",
        json!(true),
    );
    assert_error(
        &m,
        "queues[0].ContentBasedDeduplication",
        "applies to FIFO queues only",
    );
    // Written as false on a standard queue (as CloudFormation templates do) is fine.
    let m = set(
        workers(),
        "/queues/0/ContentBasedDeduplication",
        json!("false"),
    );
    assert!(errors(&m).is_empty(), "{:?}", errors(&m));
    let mut m = with_topic();
    m["queues"][2]["duplicate_probability"] = json!(0.1);
    assert_error(
        &m,
        "queues[2].duplicate_probability",
        "duplicate_probability applies to standard queues only",
    );
    let m = set(with_topic(), "/topics/1/FifoTopic", json!(false));
    assert_error(
        &m,
        "topics[1].FifoTopic",
        "ends in \".fifo\", which only a FIFO topic's name may",
    );
    let m = set(with_topic(), "/topics/0/FifoTopic", json!(true));
    // Its name does not end in .fifo: the kind is in doubt, so only the name is reported.
    assert_error(
        &m,
        "topics[0].TopicName",
        "expected the name of a FIFO topic to end in \".fifo\"",
    );
    for (name, want) in [
        ("a.b", "letters, digits, '-' and '_'"),
        ("", "1–80 characters"),
        (&"x".repeat(81) as &str, "1–80 characters"),
    ] {
        let mut m = workers();
        m["queues"][1]["QueueName"] = json!(name);
        m["queues"][0]["RedrivePolicy"]["deadLetterTargetArn"] = json!(name);
        let e = errors(&m);
        assert!(
            e.iter()
                .any(|(p, msg)| p == "queues[1].QueueName" && msg.contains(want)),
            "{name}: {e:?}"
        );
    }
}

#[test]
fn dead_letter_queues_must_exist_differ_and_match_the_kind() {
    let at = "queues[0].RedrivePolicy.deadLetterTargetArn";
    let m = set(
        workers(),
        "/queues/0/RedrivePolicy/deadLetterTargetArn",
        json!("nope"),
    );
    assert_error(
        &m,
        at,
        "expected a queue of this model (\"orders\", \"orders-dlq\"), got \"nope\"",
    );
    let m = set(
        workers(),
        "/queues/0/RedrivePolicy/deadLetterTargetArn",
        json!("orders"),
    );
    assert_error(&m, at, "cannot be its own dead-letter queue");
    let mut m = with_topic();
    m["queues"][0]["RedrivePolicy"]["deadLetterTargetArn"] = json!("audit.fifo");
    assert_error(
        &m,
        at,
        "the dead-letter queue of a standard queue must be a standard queue too (AWS rule), but \"audit.fifo\" is a FIFO queue",
    );
    let mut m = with_topic();
    m["queues"][2]["RedrivePolicy"] =
        json!({ "deadLetterTargetArn": "orders-dlq", "maxReceiveCount": 3 });
    assert_error(
        &m,
        "queues[2].RedrivePolicy.deadLetterTargetArn",
        "the dead-letter queue of a FIFO queue must be a FIFO queue too",
    );
    let mut m = workers();
    m["queues"][1]["QueueName"] = json!("orders");
    let e = errors(&m);
    assert!(
        e.iter()
            .any(|(p, msg)| p == "queues[1].QueueName" && msg == "duplicate queue name \"orders\""),
        "{e:?}"
    );
}

#[test]
fn topics_deliver_only_to_queues_of_their_kind() {
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/0/Endpoint",
        json!("audit.fifo"),
    );
    assert_error(
        &m,
        "topics[0].Subscriptions[0].Endpoint",
        "a standard topic cannot deliver to a FIFO queue (AWS rule)",
    );
    let m = set(
        with_topic(),
        "/topics/1/Subscriptions/0/Endpoint",
        json!("orders"),
    );
    assert_error(
        &m,
        "topics[1].Subscriptions[0].Endpoint",
        "a FIFO topic delivers to FIFO queues only (AWS rule), but \"orders\" is a standard queue",
    );
    let m = set(
        with_topic(),
        "/topics/1/Subscriptions/0",
        json!({ "Protocol": "email", "Endpoint": "a@example.com" }),
    );
    assert_error(
        &m,
        "topics[1].Subscriptions[0].Protocol",
        "expected \"sqs\", got \"email\"",
    );
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/1/Protocol",
        json!("pigeon"),
    );
    assert_error(
        &m,
        "topics[0].Subscriptions[1].Protocol",
        "expected one of \"sqs\", \"email\", \"email-json\", \"http\", \"https\", \"lambda\", \"sms\", \"application\", \"firehose\", got \"pigeon\"",
    );
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/0/Endpoint",
        json!("nope"),
    );
    assert_error(
        &m,
        "topics[0].Subscriptions[0].Endpoint",
        "expected a queue of this model",
    );
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/0/FilterPolicyScope",
        json!("MessageBody"),
    );
    assert_error(
        &m,
        "topics[0].Subscriptions[0].FilterPolicyScope",
        "albsim filters on message attributes only",
    );
    let sc = resolve(&with_topic());
    let t = &sc.messaging.topics[0];
    assert_eq!(t.subscriptions[0].endpoint, Endpoint::Queue(QueueId(0)));
    assert_eq!(t.subscriptions[1].endpoint, Endpoint::Counted);
    assert!(!t.subscriptions[0].raw_message_delivery && t.subscriptions[0].filter.is_none());
}

#[test]
fn published_messages_must_fit_every_queue_with_the_envelope() {
    let mut m = with_topic();
    m["queues"][0]["MaximumMessageSize"] = json!(2048);
    m["producers"][0] = json!({ "name": "alerts", "topic": "OrderAlerts",
        "arrival": { "type": "poisson", "rate_per_second": 1 },
        "message": { "size_bytes": 1025 } });
    // 1025 + 1024 envelope bytes > 2048; with raw delivery the body alone fits.
    assert_error(
        &m,
        "producers[0].message.size_bytes",
        "reaches queue \"orders\" as 2049 bytes with SNS's JSON envelope",
    );
    m["topics"][0]["Subscriptions"][0]["RawMessageDelivery"] = json!("true");
    assert!(errors(&m).is_empty(), "{:?}", errors(&m));
    m["producers"][0]["message"]["size_bytes"] = json!(262_145);
    assert_error(
        &m,
        "producers[0].message.size_bytes",
        "expected 1–262144 bytes (the largest message SNS publishes), got 262145",
    );
}

#[test]
fn filter_policies_resolve_into_conditions() {
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/0/FilterPolicy",
        json!({ "event": ["order_placed", "order_paid"], "amount": [{ "numeric": [">=", 100] }],
                "region": [{ "anything-but": ["test"] }], "tier": [{ "prefix": "gold" }],
                "vip": [{ "exists": true }] }),
    );
    let sc = resolve(&m);
    let f = sc.messaging.topics[0].subscriptions[0]
        .filter
        .as_ref()
        .unwrap();
    let find = |k: &str| &f.conditions.iter().find(|(key, _)| key == k).unwrap().1;
    assert_eq!(
        find("event"),
        &[
            AttributeMatch::Equals("order_placed".into()),
            AttributeMatch::Equals("order_paid".into())
        ]
    );
    assert_eq!(
        find("amount"),
        &[AttributeMatch::Numeric {
            low: Some((100.0, true)),
            high: None
        }]
    );
    assert_eq!(
        find("region"),
        &[AttributeMatch::AnythingBut(vec!["test".into()])]
    );
    assert_eq!(find("tier"), &[AttributeMatch::Prefix("gold".into())]);
    assert_eq!(find("vip"), &[AttributeMatch::Exists(true)]);
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/0/FilterPolicy",
        json!({ "a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"] }),
    );
    assert_error(
        &m,
        "topics[0].Subscriptions[0].FilterPolicy",
        "expected at most 5 attribute names in a filter policy (AWS quota), got 6",
    );
    let m = set(
        with_topic(),
        "/topics/0/Subscriptions/0/FilterPolicy",
        json!({ "amount": [{ "between": [1, 2] }] }),
    );
    assert_error(
        &m,
        "topics[0].Subscriptions[0].FilterPolicy.amount[0]",
        "{\"numeric\": [\">=\", 0, \"<\", 100]}",
    );
}

#[test]
fn arns_name_queues_and_topics() {
    let mut m = with_topic();
    m["queues"][0]["RedrivePolicy"]["deadLetterTargetArn"] =
        json!("arn:aws:sqs:us-east-1:123456789012:orders-dlq");
    m["topics"][0]["Subscriptions"][0]["Endpoint"] =
        json!("arn:aws:sqs:us-east-1:123456789012:orders");
    m["producers"][0] = json!({ "name": "alerts",
        "topic": "arn:aws:sns:us-east-1:123456789012:OrderAlerts",
        "arrival": { "type": "poisson", "rate_per_second": 1 } });
    m["consumers"][0]["queue"] = json!("arn:aws:sqs:us-east-1:123456789012:orders");
    let sc = resolve(&m);
    let ms = &sc.messaging;
    assert_eq!(ms.queues[0].redrive.unwrap().dead_letter_queue, QueueId(1));
    assert_eq!(
        ms.topics[0].subscriptions[0].endpoint,
        Endpoint::Queue(QueueId(0))
    );
    assert_eq!(ms.topics[0].subscriptions[0].endpoint_name, "orders");
    assert_eq!(ms.producers[0].destination, Destination::Topic(TopicId(0)));
    assert_eq!(ms.consumers[0].queue, QueueId(0));
    let m = set(
        workers(),
        "/producers/0/queue",
        json!("arn:aws:sns:us-east-1:1:orders"),
    );
    assert_error(&m, "producers[0].queue", "SQS ARN such as");
}

#[test]
fn producers_and_consumers_refer_to_what_exists() {
    let m = set(workers(), "/producers/0/topic", json!("OrderAlerts"));
    assert_error(&m, "producers[0]", "not both");
    let m = remove(workers(), "/producers/0/queue");
    assert_error(
        &m,
        "producers[0]",
        "expected \"queue\" (a queue to send to) or \"topic\"",
    );
    let m = set(workers(), "/producers/0/queue", json!("nope"));
    assert_error(&m, "producers[0].queue", "expected a queue of this model");
    let m = set(workers(), "/producers/0/topic", json!("nope"));
    let m = remove(m, "/producers/0/queue");
    assert_error(
        &m,
        "producers[0].topic",
        "expected a topic of this model (it has none), got \"nope\"",
    );
    let m = set(
        workers(),
        "/producers/0/arrival",
        json!({ "type": "users", "count": 5,
                "think_time": { "distribution": "constant", "ms": 1 } }),
    );
    assert_error(
        &m,
        "producers[0].arrival.type",
        "a producer sends on a clock",
    );
    let m = set(workers(), "/consumers/0/queue", json!("nope"));
    assert_error(&m, "consumers[0].queue", "expected a queue of this model");
    let m = set(workers(), "/consumers/0/auto_scaling_group", json!("nope"));
    assert_error(
        &m,
        "consumers[0].auto_scaling_group",
        "expected an Auto Scaling group of this model (\"workers\"), got \"nope\"",
    );
    let m = set(workers(), "/consumers/0/instances", json!(["w-1"]));
    assert_error(&m, "consumers[0]", "not both");
    let m = remove(workers(), "/consumers/0/auto_scaling_group");
    assert_error(&m, "consumers[0]", "expected \"auto_scaling_group\"");
    let mut m = remove(workers(), "/consumers/0/auto_scaling_group");
    m["instances"] = json!([
        { "id": "w-1", "instance_type": "c5.large", "availability_zone": "us-east-1a", "workers": 1 } ]);
    let ok = set(m.clone(), "/consumers/0/instances", json!(["w-1"]));
    let sc = resolve(&ok);
    assert_eq!(
        sc.messaging.consumers[0].placement,
        Placement::Instances(vec![albsim::model::ids::InstanceId(0)])
    );
    let bad = set(m.clone(), "/consumers/0/instances", json!([]));
    assert_error(
        &bad,
        "consumers[0].instances",
        "expected at least one instance id",
    );
    let bad = set(m.clone(), "/consumers/0/instances", json!(["w-1", "w-1"]));
    assert_error(
        &bad,
        "consumers[0].instances[1]",
        "duplicate instance id \"w-1\"",
    );
    let bad = set(m.clone(), "/consumers/0/instances", json!(["w-2"]));
    assert_error(&bad, "consumers[0].instances[0]", "got \"w-2\"");
    let bad = set(ok, "/consumers/0/scale_in_protection", json!(true));
    assert_error(
        &bad,
        "consumers[0].scale_in_protection",
        "it applies only with \"auto_scaling_group\"",
    );
}

#[test]
fn program_names_are_unique() {
    let mut m = workers();
    let p = m["producers"][0].clone();
    m["producers"].as_array_mut().unwrap().push(p);
    assert_error(&m, "producers[1].name", "duplicate producer name \"shop\"");
    let mut m = workers();
    let c = m["consumers"][0].clone();
    m["consumers"].as_array_mut().unwrap().push(c);
    assert_error(
        &m,
        "consumers[1].name",
        "duplicate consumer name \"order-worker\"",
    );
    let m = set(with_alb(workers()), "/producers/0/name", json!("browsers"));
    assert_error(&m, "producers[0].name", "no client has");
}

#[test]
fn request_types_send_messages_after_their_service() {
    let mut m = with_alb(with_topic());
    m["clients"][0]["requests"][0]["messages"] = json!([
        { "queue": "orders", "size_bytes": 2000, "attributes": { "event": "order_placed" } },
        { "topic": "OrderAlerts" } ]);
    let sc = resolve(&m);
    let msgs = &sc.clients[0].types[0].messages;
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].destination, Destination::Queue(QueueId(0)));
    assert_eq!(msgs[0].message.size_bytes, 2000);
    assert_eq!(msgs[1].destination, Destination::Topic(TopicId(0)));
    let at = "clients[0].requests[0].messages";
    let bad = set(
        m.clone(),
        "/clients/0/requests/0/messages/0/queue",
        json!("nope"),
    );
    assert_error(
        &bad,
        &format!("{at}[0].queue"),
        "expected a queue of this model",
    );
    let bad = set(
        m.clone(),
        "/clients/0/requests/0/messages/1/message_groups",
        json!(2),
    );
    assert_error(
        &bad,
        &format!("{at}[1].message_groups"),
        "FIFO queues and topics only",
    );
    let eleven: Vec<Value> = (0..11).map(|_| json!({ "queue": "orders" })).collect();
    let bad = set(m, "/clients/0/requests/0/messages", json!(eleven));
    assert_error(
        &bad,
        at,
        "expected at most 10 messages per request type, got 11",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let m = set(workers(), "/queues/0/VisibilityTimeout", json!(50_000));
    let m = set(m, "/queues/0/DelaySeconds", json!(1000));
    let m = set(m, "/queues/1/MaximumMessageSize", json!(5));
    let m = set(m, "/producers/0/queue", json!("nope"));
    let m = set(m, "/consumers/0/MaxNumberOfMessages", json!(20));
    let m = set(m, "/consumers/0/api_latency", json!("1m"));
    let paths: Vec<String> = errors(&m).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "queues[0].VisibilityTimeout",
            "queues[0].DelaySeconds",
            "queues[1].MaximumMessageSize",
            "producers[0].queue",
            "consumers[0].MaxNumberOfMessages",
            "consumers[0].api_latency",
        ]
    );
}

#[test]
fn warnings_tell_what_will_go_wrong() {
    let warnings = |m: &Value| -> Vec<(String, String)> {
        resolve(m)
            .warnings
            .into_iter()
            .map(|w| (w.path, w.message))
            .collect()
    };
    let one = |m: &Value, path: &str, want: &str| {
        let w = warnings(m);
        assert!(
            w.iter().any(|(p, msg)| p == path && msg.contains(want)),
            "no warning at {path} containing {want:?}: {w:?}"
        );
        assert_eq!(w.len(), 1, "{w:?}");
    };
    one(
        &remove(workers(), "/consumers"),
        "queues[0]",
        "no consumer polls it: they pile up until its MessageRetentionPeriod (4 days)",
    );
    // 45 s of processing against the default 30 s visibility timeout.
    let slow = set(
        workers(),
        "/consumers/0/processing_time",
        json!({ "distribution": "constant", "ms": 45_000 }),
    );
    one(
        &slow,
        "consumers[0].processing_time",
        "messages will reappear and be processed more than once",
    );
    let beat = set(
        slow.clone(),
        "/consumers/0/heartbeat",
        json!({ "interval": "20s" }),
    );
    assert!(warnings(&beat).is_empty(), "{:?}", warnings(&beat));
    let late = set(
        slow,
        "/consumers/0/heartbeat",
        json!({ "interval": "60s", "VisibilityTimeout": 60 }),
    );
    one(
        &late,
        "consumers[0].heartbeat.interval",
        "use an interval below 1 min",
    );
    let short = remove(workers(), "/queues/1/MessageRetentionPeriod");
    one(
        &short,
        "queues[0].RedrivePolicy.deadLetterTargetArn",
        "keeps messages for 4 days, not longer than this queue's 4 days",
    );
}

#[test]
fn count_limits_are_clear() {
    let mut m = workers();
    let queues: Vec<Value> = (0..1001)
        .map(|i| json!({ "QueueName": format!("q{i}") }))
        .collect();
    m["queues"] = json!(queues);
    m["queues"][0]["QueueName"] = json!("orders");
    m["queues"][1]["QueueName"] = json!("orders-dlq");
    let e = errors(&m);
    assert!(
        e.iter().any(|(p, msg)| p == "queues"
            && msg == "expected at most 1000 queues (albsim's limit), got 1001"),
        "{e:?}"
    );
    let mut m = with_topic();
    let subs: Vec<Value> = (0..101)
        .map(|_| json!({ "Protocol": "email", "Endpoint": "ops@example.com" }))
        .collect();
    m["topics"][0]["Subscriptions"] = json!(subs);
    assert_error(
        &m,
        "topics[0].Subscriptions",
        "expected at most 100 subscriptions (albsim's limit, AWS's quota for FIFO topics), got 101",
    );
    let m = set(workers(), "/auto_scaling_groups/0/MaxSize", json!(101));
    let m = set(m, "/consumers/0/pollers_per_instance", json!(1000));
    assert_error(
        &m,
        "consumers[0].pollers_per_instance",
        "expected at most 100000 pollers over all consumers",
    );
    let m = set(m, "/auto_scaling_groups/0/MaxSize", json!(100));
    assert!(
        errors(&m).is_empty(),
        "100 × 1000 is allowed: {:?}",
        errors(&m)
    );
}

#[test]
fn a_producer_burst_ends_the_load_like_a_client_burst() {
    let m = set(
        workers(),
        "/producers/0/arrival",
        json!({ "type": "spike", "base_rate_per_second": 1, "spike_rate_per_second": 50,
                "at": "2m", "duration": "3m" }),
    );
    let sc = resolve(&m);
    assert_eq!(
        sc.load_ends,
        Some(SimDuration::from_secs(300)),
        "2 min + 3 min"
    );
    assert_eq!(
        resolve(&workers()).load_ends,
        None,
        "a steady rate never ends"
    );
}

/// Backlog per instance (`m1 / GroupInServiceInstances`) with `MinSize` 0: once the group is
/// empty the value has no datapoint and the group never scales out again — a warning.
#[test]
fn backlog_per_instance_with_min_size_zero_warns() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/sqs-backlog-scaling.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        resolve(&m).warnings.is_empty(),
        "the shipped model has no warning"
    );
    m["auto_scaling_groups"][0]["MinSize"] = json!(0);
    let sc = resolve(&m);
    assert_eq!(sc.warnings.len(), 1, "{:?}", sc.warnings);
    assert_eq!(sc.warnings[0].path, "auto_scaling_groups[0].Policies[0]");
    assert!(
        sc.warnings[0].message.contains("MinSize is 0"),
        "{}",
        sc.warnings[0]
    );
}
