//! The shipped SQS/SNS models tell their stories (`models/sqs-*.json`, `models/sns-fanout.json`).
//! One test per model loads the real file and checks the story against the rules of
//! `aws-behavior.md` §12–13 and the model's own numbers (read from the file, so a changed model
//! fails loudly), never against a run's output:
//!
//! - counts of random arrivals against 99.9 % Poisson or binomial intervals;
//! - pollers' busy share against the utilisation law (busy time = Σ processing times, a compound
//!   Poisson sum with variance λ·t·E\[S²\]), since every model runs at most as many pollers as
//!   vCPUs on an instance (each job at its drawn CPU time);
//! - times from the rules: a message is received again `VisibilityTimeout` after a receive, moves
//!   to the dead-letter queue after `maxReceiveCount` receives, target tracking's alarms need 3
//!   (high) and 15 (low) datapoints, a long poll returns empty after `WaitTimeSeconds`.

use crate::common::{
    Z_999, activity, asg_activity, assert_binomial, assert_near, assert_poisson, lognormal_moments,
    model_file, model_file_json, run_model_file, tt_alarms,
};
use albsim::RunResult;
use albsim::recorder::{
    ActivityKind, ConsumerResult, QueueActivity, QueueResult, ScalingActivity, ScalingCause,
    TopicResult,
};
use serde_json::Value;

/// `api_latency` of every shipped consumer (none sets it; the default is 10 ms) [s].
const API_LATENCY: f64 = 0.010;

fn queue<'a>(r: &'a RunResult, name: &str) -> &'a QueueResult {
    (r.queues.iter().find(|q| q.name == name)).unwrap_or_else(|| panic!("no queue {name}"))
}

fn consumer<'a>(r: &'a RunResult, name: &str) -> &'a ConsumerResult {
    (r.consumers.iter().find(|c| c.name == name)).unwrap_or_else(|| panic!("no consumer {name}"))
}

fn topic<'a>(r: &'a RunResult, name: &str) -> &'a TopicResult {
    (r.topics.iter().find(|t| t.name == name)).unwrap_or_else(|| panic!("no topic {name}"))
}

/// Index of Auto Scaling group `name` (the order of [`albsim::recorder::PeriodRow::groups`]).
fn group_index(r: &RunResult, name: &str) -> usize {
    (r.auto_scaling_groups.iter().position(|g| g.name == name))
        .unwrap_or_else(|| panic!("no Auto Scaling group {name}"))
}

fn queue_index(r: &RunResult, name: &str) -> usize {
    (r.queues.iter().position(|q| q.name == name)).unwrap_or_else(|| panic!("no queue {name}"))
}

/// Every message sent (or moved in by a redrive) is deleted, moved to the dead-letter queue, expired, or still in the
/// queue at the end (visible, in flight or delayed).
fn assert_conserved(q: &QueueResult) {
    assert_eq!(
        q.sent + q.moved_in,
        q.deleted
            + q.moved_to_dlq
            + q.expired
            + q.visible_at_end
            + q.in_flight_at_end
            + q.delayed_at_end,
        "{}: messages not accounted for: {q:?}",
        q.name
    );
}

/// The queue lines of activity.log for `name`, as (time, line).
fn queue_lines<'a>(r: &'a RunResult, name: &str) -> Vec<(f64, &'a QueueActivity)> {
    activity(r, name)
        .into_iter()
        .filter_map(|(t, k)| match k {
            ActivityKind::Queue(q) => Some((t, q)),
            _ => None,
        })
        .collect()
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

/// A `uniform` processing time's (min, max) [s].
fn uniform_s(d: &Value) -> (f64, f64) {
    assert_eq!(d["distribution"], "uniform", "the model changed: {d}");
    (
        num(&d["min_ms"], "min_ms") / 1000.0,
        num(&d["max_ms"], "max_ms") / 1000.0,
    )
}

/// Half-width of a 99.9 % interval on the busy share of `pollers` pollers over `seconds` when
/// jobs arrive at `rate` per second with processing-time second moment `es2` [s²].
fn busy_half(rate: f64, es2: f64, seconds: f64, pollers: f64) -> f64 {
    Z_999 * (rate * seconds * es2).sqrt() / (pollers * seconds)
}

// ---------------------------------------------------------------------------------------------
// sqs-messages-reappear and sqs-visibility-fixed
// ---------------------------------------------------------------------------------------------

/// The settings both models share, read from the file: (rate [1/s], pollers, (min, max)
/// processing [s], duration [s]).
fn orders_settings(m: &Value) -> (f64, f64, (f64, f64), f64) {
    let rate = num(
        &m["producers"][0]["arrival"]["rate_per_second"],
        "producer rate",
    );
    let c = &m["consumers"][0];
    let pollers = num(&c["pollers_per_instance"], "pollers")
        * c["instances"].as_array().expect("instances").len() as f64;
    assert_eq!(m["duration"], "1h", "the model changed: revisit this test");
    (rate, pollers, uniform_s(&c["processing_time"]), 3600.0)
}

/// sqs-messages-reappear: 20–70 s jobs under the default 30-s VisibilityTimeout. Each rule of
/// the story shows: the first redelivery comes exactly 30 s after the previous receive, the
/// earlier receiver's delete finds a stale receipt, every DLQ move is at maxReceiveCount 3, the
/// DLQ holds exactly what was moved, every duplicate processing burns at least the shortest job's
/// CPU, and the pollers work well beyond what the orders need (the utilisation law).
#[test]
fn sqs_messages_reappear_processes_orders_twice_and_fills_the_dlq() {
    let m = model_file_json("sqs-messages-reappear");
    let (rate, pollers, (p_min, p_max), t) = orders_settings(&m);
    let v = 30.0; // the queue leaves VisibilityTimeout at AWS's default
    assert!(m["queues"][0].get("VisibilityTimeout").is_none());
    let max_receives = num(
        &m["queues"][0]["RedrivePolicy"]["maxReceiveCount"],
        "maxReceiveCount",
    ) as u32;
    // validate and run warn about exactly this.
    let sc = albsim::scenario::load(&model_file("sqs-messages-reappear")).unwrap();
    assert_eq!(sc.warnings.len(), 1, "{:?}", sc.warnings);
    assert!(
        sc.warnings[0]
            .message
            .contains("longer than the VisibilityTimeout"),
        "{:?}",
        sc.warnings
    );

    let r = run_model_file("sqs-messages-reappear");
    let q = queue(&r, "orders");
    let dlq = queue(&r, "orders-dlq");
    let w = consumer(&r, "order-worker");
    assert_poisson(q.sent, rate * t, "orders sent (Poisson)");
    assert_conserved(q);
    assert_conserved(dlq);
    assert_eq!(q.visibility_timeout_seconds, v);

    // Messages reappear and are processed more than once.
    assert!(q.redelivered > 0 && q.duplicate_processings > 0, "{q:?}");
    assert!(q.stale_deletes > 0, "{q:?}");
    // At most maxReceiveCount receives per message.
    assert!(q.received <= u64::from(max_receives) * q.sent, "{q:?}");
    let lines = queue_lines(&r, "orders");
    let first = lines
        .iter()
        .find_map(|(t, l)| match l {
            QueueActivity::FirstRedelivery {
                receive_count,
                since_previous_receive_seconds,
                ..
            } => Some((*t, *receive_count, *since_previous_receive_seconds)),
            _ => None,
        })
        .expect("a first redelivery in activity.log");
    assert_eq!(first.1, 2, "the first redelivery is the second receive");
    assert!(
        (first.2 - v).abs() < 1e-6,
        "received again {} s after the previous receive, expected the VisibilityTimeout {v} s",
        first.2
    );
    assert!(
        lines
            .iter()
            .any(|(_, l)| matches!(l, QueueActivity::StaleDelete { deleted: false, .. })),
        "a stale-receipt delete that deleted nothing"
    );

    // Some land in the DLQ, each after maxReceiveCount receives; the DLQ got exactly those.
    let moves: Vec<_> = lines
        .iter()
        .filter_map(|(_, l)| match l {
            QueueActivity::MovedToDeadLetterQueue {
                receive_count,
                dead_letter_queue,
                ..
            } => Some((*receive_count, dead_letter_queue.as_str())),
            _ => None,
        })
        .collect();
    // The history tells the first 5 moves (the fifth says later ones are only counted).
    assert_eq!(moves.len() as u64, q.moved_to_dlq.min(5));
    assert!(q.moved_to_dlq > 5, "{q:?}");
    assert!(
        moves
            .iter()
            .all(|&(n, d)| n == max_receives && d == "orders-dlq")
    );
    assert_eq!(
        (dlq.moved_in, dlq.sent),
        (q.moved_to_dlq, 0),
        "moves are not NumberOfMessagesSent"
    );
    assert_eq!(
        (dlq.received, dlq.visible_at_end),
        (0, dlq.moved_in),
        "no one polls the DLQ"
    );

    // Wasted capacity: every duplicate processing ran a whole job (≥ the shortest, ≤ the longest;
    // pollers never outnumber vCPUs, so a job runs at its drawn time).
    assert!(
        w.wasted_cpu_seconds >= p_min * q.duplicate_processings as f64,
        "{} CPU-seconds wasted on {} duplicate processings of jobs ≥ {p_min} s",
        w.wasted_cpu_seconds,
        q.duplicate_processings
    );
    assert!(
        w.wasted_cpu_seconds
            <= p_max * (q.duplicate_processings + q.stale_deletes) as f64 + f64::EPSILON,
        "{w:?}"
    );
    // The orders need rate × E[P] / pollers of the pollers' time; the duplicates push the busy
    // share well beyond it (beyond the interval the fixed model stays in).
    let (mean, es2) = (
        (p_min + p_max) / 2.0,
        (p_min * p_min + p_min * p_max + p_max * p_max) / 3.0,
    );
    let need = rate * mean / pollers;
    let half = busy_half(rate, es2, t, pollers);
    assert!(
        w.utilisation > need + half,
        "pollers {:.3} busy, the orders alone need {need:.3} ± {half:.3}",
        w.utilisation
    );
    // The orders wait: a median order is deleted later than the median job takes.
    let latency = q.message_latency_ms.as_ref().expect("some deleted");
    assert!(latency.p50 / 1000.0 > mean, "{latency:?}");
}

/// sqs-visibility-fixed: VisibilityTimeout 90 s > the longest job (70 s) plus the delete call:
/// no order is ever visible while held, so none is received twice, none is a duplicate or moves
/// to the DLQ; deleted = sent but what is in flight at the end; the pollers' busy share follows
/// the utilisation law; an order's median latency is the jobs' median (45 s) plus a short wait.
#[test]
fn sqs_visibility_fixed_delivers_each_order_once() {
    let m = model_file_json("sqs-visibility-fixed");
    let (rate, pollers, (p_min, p_max), t) = orders_settings(&m);
    let v = num(&m["queues"][0]["VisibilityTimeout"], "VisibilityTimeout");
    assert!(
        v > p_max + 2.0 * API_LATENCY,
        "the fix must outlast the longest job"
    );
    let sc = albsim::scenario::load(&model_file("sqs-visibility-fixed")).unwrap();
    assert!(sc.warnings.is_empty(), "{:?}", sc.warnings);

    let r = run_model_file("sqs-visibility-fixed");
    let q = queue(&r, "orders");
    let w = consumer(&r, "order-worker");
    assert_poisson(q.sent, rate * t, "orders sent (Poisson)");
    assert_conserved(q);
    assert_eq!(
        (
            q.redelivered,
            q.duplicate_processings,
            q.moved_to_dlq,
            q.stale_deletes
        ),
        (0, 0, 0, 0),
        "{q:?}"
    );
    assert_eq!(queue(&r, "orders-dlq").sent, 0);
    assert_eq!(w.wasted_cpu_seconds, 0.0);
    assert_eq!(q.received, q.sent - q.visible_at_end, "each received once");
    assert!(q.in_flight_at_end <= pollers as u64, "{q:?}");
    assert_eq!(q.deleted, q.sent - q.in_flight_at_end - q.visible_at_end);

    let (mean, es2) = (
        (p_min + p_max) / 2.0,
        (p_min * p_min + p_min * p_max + p_max * p_max) / 3.0,
    );
    // Busy share: the work sent, minus at most the jobs in flight at the end (≤ p_max each).
    let half = busy_half(rate, es2, t, pollers) + p_max / t;
    assert_near(
        w.utilisation,
        rate * mean / pollers,
        half,
        "order-worker busy share (utilisation law)",
    );
    // Median latency: the median job (45 s) plus a wait for a free poller. Sample median of n
    // uniform draws: standard error (max - min) / (2 √n).
    let latency = q.message_latency_ms.as_ref().expect("some deleted");
    let se = (p_max - p_min) / (2.0 * (q.deleted as f64).sqrt());
    let p50 = latency.p50 / 1000.0;
    assert!(p50 >= mean - Z_999 * se, "{latency:?}");
    assert!(
        p50 <= mean + Z_999 * se + 10.0,
        "{latency:?}: orders wait long"
    );
}

// ---------------------------------------------------------------------------------------------
// sqs-backlog-scaling
// ---------------------------------------------------------------------------------------------

/// "changing the desired capacity from X to Y" in a scaling activity's Cause: (X, Y).
fn desired_change(cause: &str) -> (u32, u32) {
    let tail = cause
        .split("changing the desired capacity from ")
        .nth(1)
        .unwrap_or_else(|| panic!("no capacity change in {cause:?}"));
    let mut words = tail.split_whitespace();
    let from = words.next().unwrap().parse().unwrap();
    assert_eq!(words.next(), Some("to"));
    let to = words.next().unwrap().trim_end_matches('.').parse().unwrap();
    (from, to)
}

/// sqs-backlog-scaling: target tracking on backlog per instance (m1 / m2) through a burst.
/// - The backlog per instance the alarm reads is ApproximateNumberOfMessagesVisible ÷
///   GroupInServiceInstances of the same minute.
/// - The high alarm needs 3 datapoints above the target: before the burst the 2 instances keep up
///   (λ = 1/s against 2 × 2 pollers / 2 s), from the burst's first minute the backlog grows by
///   about 6 a second, so the alarm fires at the end of the burst's third minute.
/// - Each scale-out sets ceil(InService × backlog per instance / TargetValue), at most MaxSize.
/// - The backlog drains once the fleet does more than the burst's rate, by the time that rate
///   difference allows.
/// - After the burst the low alarm needs 15 datapoints below 0.9 × target; the group then goes
///   back to MinSize and loses no message (scale-in protection).
#[test]
fn sqs_backlog_scaling_follows_backlog_per_instance() {
    let m = model_file_json("sqs-backlog-scaling");
    let g = &m["auto_scaling_groups"][0];
    let (min, max) = (num(&g["MinSize"], "MinSize"), num(&g["MaxSize"], "MaxSize"));
    let tt = &g["Policies"][0]["TargetTrackingConfiguration"];
    let target = num(&tt["TargetValue"], "TargetValue");
    let a = &m["producers"][0]["arrival"];
    let (base, peak) = (
        num(&a["base_rate_per_second"], "base rate"),
        num(&a["spike_rate_per_second"], "spike rate"),
    );
    assert_eq!(
        (a["at"].as_str(), a["duration"].as_str()),
        (Some("10m"), Some("10m"))
    );
    let (burst_from, burst_to) = (600.0, 1200.0);
    let c = &m["consumers"][0];
    let pollers = num(&c["pollers_per_instance"], "pollers");
    let es = num(&c["processing_time"]["mean_ms"], "mean_ms") / 1000.0;
    let per_instance = pollers / es; // orders a second one instance processes
    assert_eq!(m["duration"], "1h15m");
    let t = 4500.0;

    let r = run_model_file("sqs-backlog-scaling");
    let q = queue(&r, "orders");
    let qi = queue_index(&r, "orders");
    let gi = group_index(&r, "workers");
    assert_poisson(
        q.sent,
        base * (t - (burst_to - burst_from)) + peak * (burst_to - burst_from),
        "orders sent",
    );
    assert_conserved(q);
    let (high, low) = tt_alarms("workers", "backlog-per-instance");
    let (hk, _) = r.alarm(&high).expect("the high alarm");
    let (lk, _) = r.alarm(&low).expect("the low alarm");
    let end = |p: &albsim::recorder::PeriodRow| p.start_seconds + p.length_seconds;

    // The metric math: e1 = m1 / m2 of the same minute.
    for p in &r.periods {
        let (visible, n) = (p.queues[qi].visible as f64, p.groups[gi].in_service as f64);
        if let Some(e1) = p.alarms[hk].value {
            assert!(n > 0.0);
            assert!(
                (e1 - visible / n).abs() < 1e-9,
                "{}: backlog per instance {e1}, expected {visible} / {n}",
                end(p)
            );
        }
    }
    // 2 instances keep up before the burst (λ = base < 2 × per_instance); from the burst's start
    // the backlog grows by (peak - 2 × per_instance) a second: 360 by its first minute's end, far
    // above 2 × target. Three datapoints above: ALARM at the end of the third minute.
    assert!(base < min * per_instance && peak > min * per_instance + 2.0 * target / 60.0);
    let first_alarm = (r.periods.iter())
        .find(|p| p.alarms[hk].state == 1)
        .map(end)
        .expect("the high alarm fires");
    assert_eq!(
        first_alarm,
        burst_from + 3.0 * 60.0,
        "3 datapoints above the target"
    );

    // Each scale-out: ceil(InService × backlog per instance / target), at most MaxSize, from the
    // datapoint of the minute that ends at the scaling time.
    let launches: Vec<(f64, (u32, u32))> = asg_activity(&r, "workers")
        .into_iter()
        .filter_map(|(t, a)| match a {
            // AZRebalance moves an instance between zones: no capacity change.
            ScalingActivity::Launching { cause, .. }
                if !matches!(cause, ScalingCause::AzRebalance { .. }) =>
            {
                Some((t, desired_change(&cause.to_string())))
            }
            _ => None,
        })
        .collect();
    assert!(!launches.is_empty(), "the group scales out");
    let mut changes = launches.clone();
    changes.dedup_by(|a, b| a.0 == b.0);
    for (at, (from, to)) in &changes {
        let p = (r.periods.iter())
            .find(|p| (end(p) - at).abs() < 1e-6)
            .unwrap_or_else(|| panic!("a scale-out at {at} s, not at a datapoint"));
        let (e1, n) = (p.alarms[hk].value.unwrap(), p.groups[gi].in_service as f64);
        let want = ((n * e1 / target).ceil()).min(max) as u32;
        assert_eq!(*to, want, "at {at} s: {n} InService × {e1} / {target}");
        assert!(to > from);
    }
    assert_eq!(changes[0].0, first_alarm);

    // Drained: from the first minute end at which the InService fleet does more than the burst's
    // rate, the backlog falls by at least (capacity - peak) a second (Poisson and exponential
    // noise: one minute of slack), so it is drained (at most one second of the burst's arrivals
    // left) by that time + backlog / (capacity - peak) + 60 s.
    let k = (r.periods.iter())
        .position(|p| p.groups[gi].in_service as f64 * per_instance > peak + 1.0)
        .expect("the fleet outgrows the burst");
    let pk = &r.periods[k];
    let capacity = pk.groups[gi].in_service as f64 * per_instance;
    let drained_by = end(pk) + pk.queues[qi].visible as f64 / (capacity - peak) + 60.0;
    assert!(
        drained_by < burst_to,
        "the story says it drains during the burst"
    );
    let drained = (r.periods.iter())
        .find(|p| end(p) >= end(pk) && p.queues[qi].visible as f64 <= peak)
        .map(end)
        .expect("the backlog drains");
    assert!(
        drained <= drained_by.ceil(),
        "drained at {drained} s, expected by {drained_by:.0} s"
    );

    // Scale-in: the low alarm fires at the 15th consecutive datapoint below 0.9 × target.
    let values: Vec<(f64, Option<f64>, i32)> = (r.periods.iter())
        .map(|p| (end(p), p.alarms[lk].value, p.alarms[lk].state))
        .collect();
    let low_at = (values.iter())
        .position(|&(_, _, s)| s == 1)
        .expect("the low alarm fires");
    assert!(low_at >= 14);
    let window = &values[low_at - 14..=low_at];
    assert!(
        window
            .iter()
            .all(|&(_, v, _)| v.is_some_and(|v| v < 0.9 * target))
    );
    assert!(
        values[low_at - 15].1.is_none_or(|v| v >= 0.9 * target),
        "ALARM at the first 15th datapoint below, not later"
    );
    let low_time = values[low_at].0;
    assert!(low_time > burst_to);
    let terminations: Vec<f64> = asg_activity(&r, "workers")
        .into_iter()
        .filter(|(_, a)| matches!(a, ScalingActivity::Terminating { .. }))
        .map(|(t, _)| t)
        .collect();
    assert!(!terminations.is_empty());
    assert!(
        terminations.iter().all(|&t| t >= low_time),
        "{terminations:?}"
    );
    let last = r.periods.last().unwrap().groups[gi];
    assert_eq!(
        (last.desired, last.in_service),
        (min as u32, min as u32),
        "back at MinSize"
    );
    assert_eq!(q.lost_by_workers, 0, "scale-in protection: no job lost");
}

// ---------------------------------------------------------------------------------------------
// sns-fanout
// ---------------------------------------------------------------------------------------------

/// sns-fanout: every answered order publishes once to OrderAlerts, which delivers one copy to
/// each matching subscription: OrderQueue and the e-mail endpoint get every one, AuditQueue only
/// tier = big (the big orders: 0.1 / 0.5 of them) and the rest are filtered out. Orders are
/// half the requests (weights 0.4 + 0.1). The workers' busy shares and the web servers' CPU follow
/// the utilisation law.
#[test]
fn sns_fanout_delivers_one_copy_per_matching_subscription() {
    let m = model_file_json("sns-fanout");
    let reqs = m["clients"][0]["requests"].as_array().unwrap();
    let weight = |i: usize| num(&reqs[i]["weight"], "weight");
    assert_eq!(
        (reqs[1]["name"].as_str(), reqs[2]["name"].as_str()),
        (Some("order"), Some("big-order"))
    );
    let order_share = weight(1) + weight(2);
    let big_share = weight(2) / order_share;
    let rate = num(&m["clients"][0]["arrival"]["rate_per_second"], "rate");
    let t = 1800.0;
    assert_eq!(m["duration"], "30m");

    let r = run_model_file("sns-fanout");
    let answered: u64 = r.by_status.values().sum();
    assert_eq!(r.by_status.get(&200), Some(&answered), "{:?}", r.by_status);
    let tp = topic(&r, "OrderAlerts");
    assert_binomial(tp.published, answered, order_share, "orders published");
    let (orders, audit) = (queue(&r, "OrderQueue"), queue(&r, "AuditQueue"));
    assert_eq!(orders.sent, tp.published, "OrderQueue: every order");
    assert_binomial(
        audit.sent,
        tp.published,
        big_share,
        "AuditQueue: the big orders",
    );
    let subs = &tp.subscriptions;
    assert_eq!(subs.len(), 3);
    assert_eq!((subs[0].delivered, subs[0].filtered_out), (orders.sent, 0));
    assert_eq!(
        (subs[1].delivered, subs[1].filtered_out),
        (audit.sent, tp.published - audit.sent)
    );
    assert_eq!(
        (subs[2].protocol.as_str(), subs[2].delivered),
        ("email", tp.published)
    );
    assert_eq!(tp.delivered, subs.iter().map(|s| s.delivered).sum::<u64>());
    assert_eq!(tp.filtered_out, subs[1].filtered_out);
    assert_conserved(orders);
    assert_conserved(audit);
    assert_eq!(
        orders.duplicate_processings + audit.duplicate_processings,
        0
    );

    // Utilisation law per worker program: (copies / t) × E[P] / pollers.
    for (name, q, pollers, mean_s) in [
        ("order-worker", orders, 4.0, 0.2),
        ("audit-worker", audit, 1.0, 0.1),
    ] {
        let lambda = q.sent as f64 / t;
        let half = busy_half(lambda, 2.0 * mean_s * mean_s, t, pollers) + 0.005;
        assert_near(
            consumer(&r, name).utilisation,
            lambda * mean_s / pollers,
            half,
            &format!("{name} busy share"),
        );
    }
    // The web tier: CPU by the utilisation law, half the requests browse.
    // Round robin halves the stream; 2 vCPUs each. The busy time is a compound sum with variance
    // λ·t·E[S²] (99.9 % interval), plus < 0.01 % of health checks.
    let (browse, browse2) = lognormal_moments(20.0, 100.0);
    let (order, order2) = lognormal_moments(40.0, 200.0);
    let es_ms = weight(0) * browse + order_share * order;
    let es2_ms = weight(0) * browse2 + order_share * order2;
    let (per_instance, vcpus) = (rate / 2.0, 2.0);
    let cpu = 100.0 * per_instance * es_ms / 1000.0 / vcpus;
    let half = Z_999 * 100.0 * (per_instance * t * es2_ms * 1e-6).sqrt() / (t * vcpus) + 0.01;
    for id in ["web-1", "web-2"] {
        let i = r.instances.iter().find(|i| i.id == id).unwrap();
        assert_near(i.cpu_utilization, cpu, half, &format!("{id} CPU %"));
    }
}

// ---------------------------------------------------------------------------------------------
// sqs-scale-in-loses-work
// ---------------------------------------------------------------------------------------------

/// sqs-scale-in-loses-work: the same jobs (one every 25 s until 20:00: 48 per queue) on two
/// fleets; at 20:00 both are told to go from 6 to 2 instances.
/// - fleet-a (no protection): 4 instances terminate at 20:00 with their jobs (at most 2 pollers
///   each); each lost job is received again exactly VisibilityTimeout (600 s) after its receive
///   and finishes: its latency is at least 600 s plus the shortest job.
/// - fleet-b (scale-in protection while a worker holds a job): no job lost or received twice; the
///   group terminates instances only as their workers go idle, all by the time the jobs in hand
///   at 20:00 and those still queued can have finished.
#[test]
fn sqs_scale_in_loses_work_without_scale_in_protection() {
    let m = model_file_json("sqs-scale-in-loses-work");
    let c = &m["consumers"][0];
    let (p_min, p_max) = uniform_s(&c["processing_time"]);
    let v = num(&m["queues"][0]["VisibilityTimeout"], "VisibilityTimeout");
    assert!(v > p_max, "a job reappears only when it is lost");
    let rate = num(
        &m["producers"][0]["arrival"]["steps"][0]["rate_per_second"],
        "rate",
    );
    let scale_in = 1200.0; // ScheduledActions[0].at: "20m", the producers' last step too
    assert_eq!(
        m["auto_scaling_groups"][0]["ScheduledActions"][0]["at"],
        "20m"
    );
    let pollers = num(&c["pollers_per_instance"], "pollers") as u64;
    let (from, to) = (
        num(&m["auto_scaling_groups"][0]["DesiredCapacity"], "desired") as u64,
        num(
            &m["auto_scaling_groups"][0]["ScheduledActions"][0]["DesiredCapacity"],
            "new desired",
        ) as u64,
    );

    let r = run_model_file("sqs-scale-in-loses-work");
    let jobs = (rate * scale_in).floor() as u64; // evenly spaced: the first at 1 / rate
    let (qa, qb) = (queue(&r, "render-a"), queue(&r, "render-b"));
    for q in [qa, qb] {
        assert_eq!(q.sent, jobs, "{}", q.name);
        assert_eq!(q.deleted, jobs, "{}: every job is done by the end", q.name);
        assert_eq!(q.duplicate_processings, 0);
        assert_conserved(q);
    }

    // Unprotected: jobs lost at 20:00 with the terminated instances, received again.
    assert!(qa.lost_by_workers > 0, "{qa:?}");
    assert!(qa.lost_by_workers <= (from - to) * pollers);
    let lost: Vec<(f64, u32)> = queue_lines(&r, "render-a")
        .into_iter()
        .filter_map(|(t, l)| match l {
            QueueActivity::LostByWorker {
                messages, instance, ..
            } => {
                assert!(instance.starts_with("fleet-a-"), "{instance}");
                Some((t, *messages))
            }
            _ => None,
        })
        .collect();
    assert!(
        lost.iter().all(|&(t, _)| (t - scale_in).abs() < 1e-6),
        "{lost:?}"
    );
    assert_eq!(
        lost.iter().map(|&(_, n)| u64::from(n)).sum::<u64>(),
        qa.lost_by_workers
    );
    assert_eq!(
        qa.redelivered, qa.lost_by_workers,
        "each lost job is received again once"
    );
    let redelivery = queue_lines(&r, "render-a")
        .into_iter()
        .find_map(|(t, l)| match l {
            QueueActivity::FirstRedelivery {
                since_previous_receive_seconds,
                ..
            } => Some((t, *since_previous_receive_seconds)),
            _ => None,
        })
        .expect("a redelivery");
    assert!((redelivery.1 - v).abs() < 1e-6, "{redelivery:?}");
    assert!(redelivery.0 > scale_in && redelivery.0 <= scale_in + v);
    let la = qa.message_latency_ms.as_ref().unwrap();
    assert!(la.max / 1000.0 >= v + p_min, "{la:?}");
    let a_terms: Vec<f64> = asg_activity(&r, "fleet-a")
        .into_iter()
        .filter(|(_, a)| matches!(a, ScalingActivity::Terminating { .. }))
        .map(|(t, _)| t)
        .collect();
    assert_eq!(a_terms.len() as u64, from - to);
    assert!(a_terms.iter().all(|&t| (t - scale_in).abs() < 1e-6));

    // Protected: nothing lost; no job waits for a visibility timeout.
    assert_eq!((qb.lost_by_workers, qb.redelivered), (0, 0), "{qb:?}");
    let lb = qb.message_latency_ms.as_ref().unwrap();
    assert!(lb.max / 1000.0 < v, "{lb:?}");
    // The protected workers go as they finish, whichever zone they are in; the group then
    // rebalances its zones (AZRebalance: a launch, then a termination, never of a busy worker:
    // nothing is lost).
    let b_terms: Vec<f64> = asg_activity(&r, "fleet-b")
        .into_iter()
        .filter(|(_, a)| {
            matches!(a, ScalingActivity::Terminating { cause, .. }
                if !matches!(cause, ScalingCause::AzRebalance { .. }))
        })
        .map(|(t, _)| t)
        .collect();
    assert_eq!(b_terms.len() as u64, from - to);
    assert!(b_terms.iter().all(|&t| t >= scale_in - 1e-6));
    // A job in hand at 20:00 ends by 20:00 + p_max; one still queued then, by + 2 p_max.
    assert!(
        b_terms.iter().all(|&t| t <= scale_in + 2.0 * p_max + 1.0),
        "{b_terms:?}"
    );
    assert!(
        asg_activity(&r, "fleet-b")
            .iter()
            .any(|(_, a)| matches!(a, ScalingActivity::AllProtected)),
        "the group found its busy instances protected"
    );
    for g in ["fleet-a", "fleet-b"] {
        let last = r.periods.last().unwrap().groups[group_index(&r, g)];
        assert_eq!(u64::from(last.in_service), to, "{g}");
    }
}

// ---------------------------------------------------------------------------------------------
// sqs-short-vs-long-polling
// ---------------------------------------------------------------------------------------------

/// sqs-short-vs-long-polling: the same jobs on both queues (SNS fan-out). A poller's idle time
/// is its time not processing. Long polling: one empty receive per idle stretch of 20 s (each
/// poll waits `WaitTimeSeconds`, then the answer's 10 ms), at most idle / 20 s, and at least that
/// less one per stretch (stretches end with a receive). Short polling: an empty receive every
/// 10 ms (the call's round trip) of idle time. Short polling gets two orders of magnitude more
/// empty receives, and pays for them (each is a billed request at $0.40 per million).
#[test]
fn sqs_short_vs_long_polling_compares_empty_receives_and_cost() {
    let m = model_file_json("sqs-short-vs-long-polling");
    let c = &m["consumers"];
    assert_eq!(
        (
            num(&c[0]["WaitTimeSeconds"], "wait"),
            num(&c[1]["WaitTimeSeconds"], "wait")
        ),
        (0.0, 20.0)
    );
    let pollers = num(&c[0]["pollers_per_instance"], "pollers");
    let t = 3600.0;
    assert_eq!(m["duration"], "1h");

    let r = run_model_file("sqs-short-vs-long-polling");
    let published = topic(&r, "jobs").published;
    let rate = num(&m["producers"][0]["arrival"]["rate_per_second"], "rate");
    assert_poisson(published, rate * t, "jobs published");
    let (short, long) = (queue(&r, "jobs-short"), queue(&r, "jobs-long"));
    assert_eq!(
        (short.sent, long.sent),
        (published, published),
        "the same work"
    );
    for q in [short, long] {
        assert_conserved(q);
        assert_eq!(q.duplicate_processings, 0);
        let price = q.billed_requests as f64 * 0.40 / 1e6;
        assert!(
            (q.cost_usd - price).abs() < 1e-12,
            "{}: {} USD",
            q.name,
            q.cost_usd
        );
        assert!(
            q.billed_requests >= q.empty_receives,
            "every empty receive is billed"
        );
    }
    let idle = |name: &str| pollers * t * (1.0 - consumer(&r, name).utilisation);

    let idle_long = idle("long-poller");
    let stretches = (long.received + pollers as u64) as f64;
    let (lo, hi) = (
        idle_long / (20.0 + API_LATENCY) - stretches,
        idle_long / 20.0,
    );
    let n = long.empty_receives as f64;
    eprintln!("long polling: {n} empty receives, expected in [{lo:.0}, {hi:.0}]");
    assert!(
        lo <= n && n <= hi,
        "long polling: {n} empty receives, expected in [{lo}, {hi}]"
    );

    // Idle time also holds each job's two calls that are not empty receives: the receive that got
    // it and its delete (10 ms each).
    let idle_short = idle("short-poller");
    let calls = 2.0 * short.received as f64;
    let stretches = (short.received + pollers as u64) as f64;
    let (lo, hi) = (
        idle_short / API_LATENCY - calls - stretches,
        idle_short / API_LATENCY,
    );
    let n = short.empty_receives as f64;
    eprintln!("short polling: {n} empty receives, expected in [{lo:.0}, {hi:.0}]");
    assert!(
        lo <= n && n <= hi + 1.0,
        "short polling: {n}, expected in [{lo}, {hi}]"
    );

    assert!(short.empty_receives > 100 * long.empty_receives);
    assert!(short.cost_usd > 100.0 * long.cost_usd);
}
