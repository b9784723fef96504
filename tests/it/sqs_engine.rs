//! SQS and SNS rules as timelines (`aws-behavior.md` §12–13), and message latency against
//! queueing theory. Each test builds its queue, topic, producers and workers directly as resolved
//! settings on a small model (an instance that runs the worker program, and an idle client), so the
//! times below follow from the documented rule and the settings alone:
//! - API calls take effect at SQS when made; the caller continues `api_latency` (here 1 ms) later;
//! - a long poll waiting at the queue receives a message the instant it becomes visible.

use crate::common::{
    client, constant_ms, constant_rate, group, http_listener, instance, mmc_mean_response, model,
    t_interval_r10,
};
use albsim::Scenario;
use albsim::engine::SimDuration;
use albsim::model::arrival::{ArrivalProcess, Spacing};
use albsim::model::distribution::Distribution;
use albsim::model::ids::InstanceId;
use albsim::model::sqs::{
    AttributeMatch, ConsumerSpec, Destination, Endpoint, FilterPolicy, Heartbeat, MessageGroups,
    MessageTemplate, Placement, ProducerSpec, QueueId, QueueSpec, RedrivePolicy, StaleDelete,
    SubscriptionSpec, TopicId, TopicSpec,
};
use albsim::recorder::{ActivityKind, QueueActivity, QueueResult, RunResult};
use serde_json::json;

fn secs(s: f64) -> SimDuration {
    SimDuration::from_secs_f64(s)
}

/// A model of `seconds` with one instance `w-1` (`vcpus` vCPUs, 1 request worker) and a client
/// that never sends in that time; messaging is added by the caller.
fn base(seconds: f64, vcpus: u32, seed: u64) -> Scenario {
    base_with_faults(seconds, vcpus, seed, json!([]))
}

/// [`base`] with `faults` (`faults[]` of the model file).
fn base_with_faults(seconds: f64, vcpus: u32, seed: u64, faults: serde_json::Value) -> Scenario {
    let mut m = model(
        "sqs",
        seed,
        seconds,
        json!([client("idle", constant_rate(1e-6), constant_ms(1.0))]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["w-1"], "round_robin")]),
        json!([instance("w-1", &format!("test.c{vcpus}"), 1)]),
    );
    m["faults"] = faults;
    albsim::scenario::from_json(&m.to_string(), "sqs.json".as_ref()).unwrap()
}

fn queue(name: &str, visibility: f64) -> QueueSpec {
    QueueSpec {
        name: name.into(),
        fifo: false,
        content_based_deduplication: false,
        visibility_timeout: secs(visibility),
        receive_wait: SimDuration::ZERO,
        retention: secs(345_600.0),
        delay: SimDuration::ZERO,
        maximum_message_size: 262_144,
        redrive: None,
        duplicate_probability: 0.0,
        short_poll_sample: 0.5,
    }
}

fn message() -> MessageTemplate {
    MessageTemplate {
        size_bytes: 1024,
        attributes: Vec::new(),
        groups: MessageGroups::None,
        resend_probability: 0.0,
        resend_after: secs(1.0),
    }
}

/// Messages evenly spaced at `rate` per second (the first at 1/rate), until `until` s.
fn even(rate: f64, until: f64) -> ArrivalProcess {
    ArrivalProcess::piecewise(Spacing::Even, &[(0.0, rate), (until, rate), (until, 0.0)])
}

fn producer(destination: Destination, arrival: ArrivalProcess) -> ProducerSpec {
    ProducerSpec {
        name: format!("p{destination:?}"),
        destination,
        arrival,
        message: message(),
    }
}

fn worker(q: QueueId, pollers: u32, processing: Distribution, wait: f64) -> ConsumerSpec {
    ConsumerSpec {
        name: format!("worker{}", q.0),
        queue: q,
        placement: Placement::Instances(vec![InstanceId(0)]),
        pollers_per_instance: pollers,
        max_messages: 1,
        wait: secs(wait),
        processing_time: processing,
        failure_probability: 0.0,
        heartbeat: None,
        scale_in_protection: false,
        stale_delete: StaleDelete::NotDeleted,
        api_latency: SimDuration::from_millis(1),
        empty_receive_pause: SimDuration::ZERO,
        throttle_backoff: SimDuration::from_millis(100),
    }
}

fn constant(s: f64) -> Distribution {
    Distribution::Constant { ns: s * 1e9 }
}

fn queue_lines(r: &RunResult, name: &str) -> Vec<(f64, QueueActivity)> {
    r.activity
        .iter()
        .filter(|a| a.subject == name)
        .filter_map(|a| match &a.kind {
            ActivityKind::Queue(q) => Some((a.time_seconds, q.clone())),
            _ => None,
        })
        .collect()
}

fn q0(r: &RunResult) -> &QueueResult {
    &r.queues[0]
}

fn assert_at(t: f64, want: f64, what: &str) {
    assert!(
        (t - want).abs() < 0.01,
        "{what}: at {t} s, expected {want} s"
    );
}

/// Processing P = 45 s > VisibilityTimeout V = 30 s, three long-polling pollers, one message at
/// 100 s, maxReceiveCount 3: it is received at 100, 130 and 160 (each V after the previous
/// receive, while the earlier receivers still work on it), every delete uses a stale receipt and
/// removes nothing, and at 190 — V after the third receive — it moves to the dead-letter queue.
#[test]
fn a_message_processed_longer_than_its_visibility_timeout_reappears_until_the_dlq() {
    let mut sc = base(300.0, 4, 1);
    let mut q = queue("orders", 30.0);
    q.redrive = Some(RedrivePolicy {
        dead_letter_queue: QueueId(1),
        max_receive_count: 3,
    });
    sc.messaging.queues = vec![q, queue("orders-dlq", 30.0)];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.01, 150.0))];
    sc.messaging.consumers = vec![worker(QueueId(0), 3, constant(45.0), 20.0)];
    let r = albsim::run(&sc);
    let q = q0(&r);
    assert_eq!((q.sent, q.received, q.redelivered), (1, 3, 2));
    assert_eq!((q.deleted, q.moved_to_dlq), (0, 1));
    assert!(q.stale_deletes >= 2, "{q:?}");
    assert_eq!(r.queues[1].moved_in, 1, "the dead-letter queue got it");
    assert_eq!(r.queues[1].sent, 0, "a move is not NumberOfMessagesSent");
    assert_eq!(r.queues[1].visible_at_end, 1);
    let lines = queue_lines(&r, "orders");
    let (t, first) = &lines[0];
    assert_at(*t, 130.0, "first redelivery");
    assert!(matches!(
        first,
        QueueActivity::FirstRedelivery { receive_count: 2, since_previous_receive_seconds, .. }
            if (since_previous_receive_seconds - 30.0).abs() < 1e-9
    ));
    let dlq: Vec<_> = lines
        .iter()
        .filter(|(_, l)| matches!(l, QueueActivity::MovedToDeadLetterQueue { .. }))
        .collect();
    assert_eq!(dlq.len(), 1);
    assert_at(dlq[0].0, 190.0, "move to the dead-letter queue");
    assert!(matches!(
        dlq[0].1,
        QueueActivity::MovedToDeadLetterQueue {
            receive_count: 3,
            ..
        }
    ));
    // Three processings of one message: two were duplicates.
    assert_eq!(q.duplicate_processings, 2);
}

/// The same message with V = 60 s > P = 45 s: received once, deleted once, no duplicate.
#[test]
fn a_visibility_timeout_above_the_processing_time_delivers_once() {
    let mut sc = base(300.0, 4, 1);
    sc.messaging.queues = vec![queue("orders", 60.0)];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.01, 150.0))];
    sc.messaging.consumers = vec![worker(QueueId(0), 3, constant(45.0), 20.0)];
    let r = albsim::run(&sc);
    let q = q0(&r);
    assert_eq!((q.received, q.redelivered, q.deleted), (1, 0, 1));
    let latency = q.message_latency_ms.as_ref().unwrap();
    // Received at 100 s, answer back after 1 ms, 45 s of processing, deleted at completion.
    assert!((latency.mean - 45_001.0).abs() < 0.5, "{latency:?}");
}

/// A heartbeat every 20 s setting VisibilityTimeout 60 s keeps a 100-s job invisible under a
/// 30-s queue timeout: each call counts from the call (20 → 80, 40 → 100, …).
#[test]
fn a_heartbeat_keeps_a_long_job_invisible() {
    let mut sc = base(400.0, 4, 1);
    sc.messaging.queues = vec![queue("jobs", 30.0)];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.01, 150.0))];
    let mut w = worker(QueueId(0), 2, constant(100.0), 20.0);
    w.heartbeat = Some(Heartbeat {
        interval: secs(20.0),
        visibility_timeout: secs(60.0),
    });
    sc.messaging.consumers = vec![w];
    let r = albsim::run(&sc);
    let q = q0(&r);
    assert_eq!((q.received, q.redelivered, q.deleted), (1, 0, 1));
    assert_eq!(q.rejected_visibility_changes, 0);
}

/// `ChangeMessageVisibility` is capped at 12 h from the receive: a 13-hour job whose heartbeat
/// sets 2 hours every 20 s is extended until the call that reaches exactly 12 h after the receive
/// (at 10 h); later calls are rejected, and the message reappears 12 h after its receive at 100 s.
#[test]
fn change_message_visibility_beyond_12_hours_is_rejected() {
    let mut sc = base(14.0 * 3600.0, 4, 1);
    sc.messaging.queues = vec![queue("jobs", 30.0)];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.01, 150.0))];
    let mut w = worker(QueueId(0), 2, constant(13.0 * 3600.0), 20.0);
    w.heartbeat = Some(Heartbeat {
        interval: secs(20.0),
        visibility_timeout: secs(7200.0),
    });
    sc.messaging.consumers = vec![w];
    let r = albsim::run(&sc);
    let q = q0(&r);
    // The calls after 10 h and before 12 h from the receive (every 20 s) are rejected: 359 of
    // them (at 12 h the message is visible again and received by the other poller).
    assert_eq!(q.rejected_visibility_changes, 359, "{q:?}");
    assert_eq!(q.redelivered, 1);
    let lines = queue_lines(&r, "jobs");
    let redelivery = lines
        .iter()
        .find(|(_, l)| matches!(l, QueueActivity::FirstRedelivery { .. }))
        .expect("a redelivery");
    assert_at(
        redelivery.0,
        100.0 + 12.0 * 3600.0,
        "redelivery at the 12-hour cap",
    );
}

/// Long polling returns empty only when `WaitTimeSeconds` pass (20 s, then the 1-ms answer and a
/// new poll): 4 empty receives in 90 s. Short polling answers at once: a poll every 1 ms.
#[test]
fn long_polling_waits_and_short_polling_spins() {
    let mut sc = base(90.0, 4, 1);
    sc.messaging.queues = vec![queue("idle", 30.0)];
    sc.messaging.consumers = vec![worker(QueueId(0), 1, constant(1.0), 20.0)];
    let long = albsim::run(&sc);
    assert_eq!(q0(&long).empty_receives, 4);
    assert_eq!(
        q0(&long).billed_requests,
        4,
        "a long poll is billed once, when it returns"
    );
    sc.messaging.consumers = vec![worker(QueueId(0), 1, constant(1.0), 0.0)];
    let short = albsim::run(&sc);
    let n = q0(&short).empty_receives;
    assert!((89_999..=90_001).contains(&n), "{n} empty receives");
    assert_eq!(
        q0(&short).billed_requests,
        n,
        "every empty receive is billed"
    );
}

/// A long poll returns the instant a message becomes visible: the message's end-to-end latency
/// is the processing alone (plus the 1-ms answer), however long the poll had waited.
#[test]
fn long_polling_returns_at_the_first_message() {
    let mut sc = base(200.0, 4, 1);
    sc.messaging.queues = vec![queue("q", 30.0)];
    sc.messaging.producers = vec![producer(
        Destination::Queue(QueueId(0)),
        even(1.0 / 37.0, 150.0),
    )];
    sc.messaging.consumers = vec![worker(QueueId(0), 1, constant(2.0), 20.0)];
    let r = albsim::run(&sc);
    let latency = q0(&r).message_latency_ms.clone().unwrap();
    assert_eq!(q0(&r).deleted, 4);
    assert!(
        (latency.mean - 2001.0).abs() < 0.5 && (latency.max - 2001.0).abs() < 2.0,
        "{latency:?}"
    );
}

/// `DelaySeconds` 30: a message sent at 100 s is received at 130 s.
#[test]
fn a_delay_queue_hides_new_messages() {
    let mut sc = base(200.0, 4, 1);
    let mut q = queue("q", 30.0);
    q.delay = secs(30.0);
    sc.messaging.queues = vec![q];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.01, 150.0))];
    sc.messaging.consumers = vec![worker(QueueId(0), 1, constant(2.0), 20.0)];
    let r = albsim::run(&sc);
    let latency = q0(&r).message_latency_ms.clone().unwrap();
    assert!((latency.mean - 32_001.0).abs() < 0.5, "{latency:?}");
}

/// `MessageRetentionPeriod` 60 s and no worker: of the messages sent every 10 s from 10 s to
/// 120 s, those sent at or before 65 s are deleted by 125 s.
#[test]
fn retention_deletes_messages_older_than_the_period() {
    let mut sc = base(125.0, 4, 1);
    let mut q = queue("q", 30.0);
    q.retention = secs(60.0);
    sc.messaging.queues = vec![q];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.1, 1000.0))];
    let r = albsim::run(&sc);
    assert_eq!((q0(&r).sent, q0(&r).expired), (12, 6));
    assert_eq!(q0(&r).visible_at_end, 6);
}

/// FIFO with one message group: two pollers, three messages sent at 1, 2 and 3 s, 10 s each —
/// never two in flight at once, so the third is deleted only at about 31 s. A standard queue
/// processes two at a time and finishes all three by about 21 s.
#[test]
fn fifo_never_hands_out_two_messages_of_one_group_at_once() {
    let run = |fifo: bool, seconds: f64| {
        let mut sc = base(seconds, 4, 1);
        let mut q = queue(if fifo { "q.fifo" } else { "q" }, 30.0);
        q.fifo = fifo;
        sc.messaging.queues = vec![q];
        let mut p = producer(Destination::Queue(QueueId(0)), even(1.0, 3.5));
        if fifo {
            p.message.groups = MessageGroups::Random { count: 1 };
        }
        sc.messaging.producers = vec![p];
        sc.messaging.consumers = vec![worker(QueueId(0), 2, constant(10.0), 20.0)];
        albsim::run(&sc)
    };
    assert_eq!(q0(&run(true, 30.0)).deleted, 2);
    assert_eq!(q0(&run(true, 32.0)).deleted, 3);
    assert_eq!(q0(&run(false, 22.0)).deleted, 3);
}

/// A FIFO queue drops a repeated send with the same deduplication id inside 5 minutes; a
/// standard queue keeps both copies.
#[test]
fn fifo_deduplicates_within_five_minutes() {
    let run = |fifo: bool, resend_after: f64| {
        let mut sc = base(1000.0, 4, 1);
        let mut q = queue(if fifo { "q.fifo" } else { "q" }, 30.0);
        q.fifo = fifo;
        sc.messaging.queues = vec![q];
        let mut p = producer(Destination::Queue(QueueId(0)), even(0.1, 100.0));
        p.message.resend_probability = 1.0;
        p.message.resend_after = secs(resend_after);
        if fifo {
            p.message.groups = MessageGroups::Random { count: 4 };
        }
        sc.messaging.producers = vec![p];
        albsim::run(&sc)
    };
    let inside = run(true, 60.0);
    assert_eq!((q0(&inside).sent, q0(&inside).deduplicated), (10, 10));
    let outside = run(true, 400.0);
    assert_eq!((q0(&outside).sent, q0(&outside).deduplicated), (20, 0));
    let standard = run(false, 60.0);
    assert_eq!((q0(&standard).sent, q0(&standard).deduplicated), (20, 0));
}

/// SNS delivers one copy per matching subscription: the unfiltered queue and the e-mail sink get
/// every message, the filtered queue only those whose attribute matches.
#[test]
fn sns_fans_out_one_copy_per_matching_subscription() {
    // Messages at 1, 2, … 100 s and 2, 4, … 100 s.
    let mut sc = base(100.5, 4, 1);
    sc.messaging.queues = vec![queue("all", 30.0), queue("big", 30.0)];
    let filter = FilterPolicy {
        conditions: vec![(
            "amount".into(),
            vec![AttributeMatch::Numeric {
                low: Some((100.0, true)),
                high: None,
            }],
        )],
    };
    let sub = |endpoint, filter| SubscriptionSpec {
        protocol: "sqs".into(),
        endpoint_name: "q".into(),
        endpoint,
        raw_message_delivery: true,
        filter,
    };
    sc.messaging.topics = vec![TopicSpec {
        name: "OrderAlerts".into(),
        fifo: false,
        subscriptions: vec![
            sub(Endpoint::Queue(QueueId(0)), None),
            sub(Endpoint::Queue(QueueId(1)), Some(filter)),
            sub(Endpoint::Counted, None),
        ],
    }];
    let mut small = producer(Destination::Topic(TopicId(0)), even(1.0, 1000.0));
    small.message.attributes = vec![("amount".into(), "20".into())];
    let mut big = producer(Destination::Topic(TopicId(0)), even(0.5, 1000.0));
    big.name = "big".into();
    big.message.attributes = vec![("amount".into(), "250".into())];
    sc.messaging.producers = vec![small, big];
    let r = albsim::run(&sc);
    let t = &r.topics[0];
    assert_eq!(t.published, 150);
    assert_eq!((r.queues[0].sent, r.queues[1].sent), (150, 50));
    assert_eq!(t.subscriptions[2].delivered, 150);
    assert_eq!(t.subscriptions[1].filtered_out, 100);
}

/// A worker process that crashes while processing loses its message: it stays in flight until
/// its visibility timeout (received at 100 s, visible again at 130 s), then is processed again.
#[test]
fn a_crashed_worker_loses_its_message_until_the_visibility_timeout() {
    let crash = json!([{"type": "crash", "instance": "w-1", "at": "105s", "duration": "10s"}]);
    let mut sc = base_with_faults(300.0, 4, 1, crash);
    sc.messaging.queues = vec![queue("q", 30.0)];
    sc.messaging.producers = vec![producer(Destination::Queue(QueueId(0)), even(0.01, 150.0))];
    sc.messaging.consumers = vec![worker(QueueId(0), 1, constant(20.0), 20.0)];
    let r = albsim::run(&sc);
    let q = q0(&r);
    assert_eq!((q.lost_by_workers, q.redelivered, q.deleted), (1, 1, 1));
    let lines = queue_lines(&r, "q");
    assert!(matches!(
        lines[0].1,
        QueueActivity::LostByWorker { messages: 1, .. }
    ));
    assert_at(lines[0].0, 105.0, "lost with the crash");
    let latency = q.message_latency_ms.as_ref().unwrap();
    // Visible again at 130 s, received at once (the poller is back and waiting), 20 s more.
    assert!((latency.mean - 50_001.0).abs() < 0.5, "{latency:?}");
}

/// Poisson messages, c long-polling pollers (one vCPU each), exponential processing, a visibility
/// timeout far above it: the mean enqueue-to-delete time is M/M/c's response time (Erlang C),
/// plus the 1-ms receive answer, within a Student-t interval over R replications; and Little's
/// law holds on the queue (messages not yet deleted = rate × time from send to delete). (Each poller also
/// spends 1 ms returning from its delete: service is 1/μ + 1 ms, a 0.1 % change of the load that
/// moves the mean by well under the interval's half-width.)
#[test]
fn message_latency_follows_erlang_c() {
    let (c, mu, rho) = (4u32, 1.0, 0.75);
    let lambda = rho * f64::from(c) * mu;
    let mut little = Vec::new();
    let means: Vec<f64> = (1..=10)
        .map(|seed| {
            let mut sc = base(60_000.0, 10, seed);
            sc.messaging.queues = vec![queue("q", 43_200.0)];
            sc.messaging.producers = vec![producer(
                Destination::Queue(QueueId(0)),
                ArrivalProcess::steady(Spacing::Poisson, lambda),
            )];
            sc.messaging.consumers = vec![worker(
                QueueId(0),
                c,
                Distribution::Exponential { mean_ns: 1e9 / mu },
                20.0,
            )];
            let r = albsim::run(&sc);
            let w = r.queues[0].message_latency_ms.as_ref().unwrap().mean / 1000.0;
            // Little's law on the queue: messages sent and not yet deleted (visible + in flight,
            // sampled at every minute's end) = arrival rate × time from send to delete.
            let l: f64 = (r.periods.iter())
                .map(|p| (p.queues[0].visible + p.queues[0].not_visible) as f64)
                .sum::<f64>()
                / r.periods.len() as f64;
            let lambda_hat = r.queues[0].sent as f64 / r.duration_seconds;
            little.push(l / (lambda_hat * w) - 1.0);
            w * 1000.0
        })
        .collect();
    t_interval_r10(&little).assert_contains(0.0, "Little's law on the queue: L / (λ W) − 1");
    let theory_ms = 1000.0 * (mmc_mean_response(c, lambda, 1.0 / (1.0 / mu + 0.001)) + 0.001);
    t_interval_r10(&means).assert_contains(theory_ms, "M/M/4 ρ = 0.75: message latency [ms]");
}

/// A FIFO queue takes 300 `SendMessage` calls a second: a producer sending 400 a second is
/// throttled, and each throttled send is retried as the SDKs' standard mode does — at most 3
/// attempts in all — so about a quarter of the sends fail instead of retrying for ever (the work
/// stays proportional to the messages: no retry storm).
#[test]
fn throttled_fifo_sends_give_up_after_three_attempts() {
    let mut sc = base(60.0, 4, 1);
    let mut q = queue("q.fifo", 30.0);
    q.fifo = true;
    sc.messaging.queues = vec![q];
    let mut p = producer(
        Destination::Queue(QueueId(0)),
        ArrivalProcess::steady(Spacing::Poisson, 400.0),
    );
    p.message.groups = MessageGroups::Random { count: 1000 };
    sc.messaging.producers = vec![p];
    let r = albsim::run(&sc);
    let q = q0(&r);
    let offered = 400.0 * 60.0;
    assert!(q.sent as f64 <= 300.0 * 60.0 + 300.0, "{q:?}");
    assert!(q.failed_sends > 0 && q.throttled_calls > 0, "{q:?}");
    // Each message is tried at most 3 times.
    assert!((q.throttled_calls as f64) < 3.0 * offered, "{q:?}");
    assert!(
        (r.events_processed as f64) < 10.0 * offered,
        "{} events",
        r.events_processed
    );
    assert_eq!(
        q.billed_requests,
        q.sent + q.deduplicated,
        "throttled calls are not billed"
    );
}
