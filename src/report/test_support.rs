//! Hand-built results the reports' tests read: a queue-and-workers run without a load balancer.

use crate::recorder::{
    Activity, ActivityKind, ConsumerPeriod, ConsumerResult, CpuRow, InstanceResult, LatencySummary,
    PeriodRow, QueueActivity, QueuePeriod, QueueResult, RunEnd, RunResult, StatusCounts,
    SubscriptionResult, TopicPeriod, TopicResult,
};
use std::collections::BTreeMap;

/// The queue of [`messaging_result`]: its per-period values, in order.
pub(crate) const QUEUE_PERIODS: [QueuePeriod; 3] = [
    QueuePeriod {
        visible: 5,
        not_visible: 10,
        delayed: 0,
        age_of_oldest_seconds: Some(12.5),
        sent: 40,
        received: 35,
        deleted: 30,
        empty_receives: 100,
        moved_to_dlq: 0,
    },
    QueuePeriod {
        visible: 20,
        not_visible: 10,
        delayed: 1,
        age_of_oldest_seconds: Some(48.0),
        sent: 40,
        received: 38,
        deleted: 25,
        empty_receives: 20,
        moved_to_dlq: 1,
    },
    QueuePeriod {
        visible: 0,
        not_visible: 0,
        delayed: 0,
        age_of_oldest_seconds: None,
        sent: 20,
        received: 30,
        deleted: 45,
        empty_receives: 300,
        moved_to_dlq: 1,
    },
];

/// The topic of [`messaging_result`]: its per-period values, in order.
pub(crate) const TOPIC_PERIODS: [TopicPeriod; 3] = [
    TopicPeriod {
        published: 40,
        delivered: 60,
        filtered_out: 20,
    },
    TopicPeriod {
        published: 40,
        delivered: 60,
        filtered_out: 20,
    },
    TopicPeriod {
        published: 20,
        delivered: 30,
        filtered_out: 10,
    },
];

/// The worker program of [`messaging_result`]: its per-period values, in order.
pub(crate) const CONSUMER_PERIODS: [ConsumerPeriod; 3] = [
    ConsumerPeriod {
        pollers: 10,
        busy_pollers: 6.5,
        processed: 30,
    },
    ConsumerPeriod {
        pollers: 10,
        busy_pollers: 10.0,
        processed: 28,
    },
    ConsumerPeriod {
        pollers: 10,
        busy_pollers: 2.25,
        processed: 47,
    },
];

/// A period row of a run without a load balancer: only the messaging values and the worker
/// instance's CPU.
fn row(k: usize) -> PeriodRow {
    PeriodRow {
        start_seconds: 60.0 * k as f64,
        length_seconds: 60.0,
        request_count: 0,
        target_response_time_avg: None,
        target_response_time_p50: None,
        target_response_time_p99: None,
        target_response_time_quantiles: Vec::new(),
        elb: StatusCounts::default(),
        target: StatusCounts::default(),
        redirect_count: 0,
        fixed_response_count: 0,
        target_connection_error_count: 0,
        clients: Vec::new(),
        hosts: Vec::new(),
        active_connection_count: 0,
        new_connection_count: 0,
        processed_bytes: 0,
        groups: Vec::new(),
        alarms: Vec::new(),
        cpu_utilization: CpuRow::from(vec![Some([65.0, 100.0, 22.5][k])]),
        queues: vec![QUEUE_PERIODS[k]],
        topics: vec![TOPIC_PERIODS[k]],
        consumers: vec![CONSUMER_PERIODS[k]],
    }
}

/// Three minutes of one queue (`orders`), one topic (`order-events`, fanning out to `orders`
/// and an e-mail address) and one worker program (`order-worker`, 10 pollers on `worker-1`), no
/// load balancer; the cost computed from it.
pub(crate) fn messaging_result() -> RunResult {
    let queue = QueueResult {
        name: "orders".into(),
        fifo: false,
        visibility_timeout_seconds: 30.0,
        dead_letter_queue: None,
        sent: 100,
        deduplicated: 0,
        received: 103,
        redelivered: 3,
        deleted: 100,
        empty_receives: 420,
        receive_calls: 500,
        moved_to_dlq: 2,
        expired: 1,
        lost_by_workers: 4,
        duplicate_processings: 3,
        stale_deletes: 1,
        rejected_visibility_changes: 0,
        throttled_calls: 0,
        failed_sends: 0,
        moved_in: 0,
        // 100 sends, 500 receives, 100 deletes.
        billed_requests: 700,
        cost_usd: 700.0 * 0.40 / 1e6,
        message_latency_ms: Some(LatencySummary {
            mean: 2_500.0,
            p50: 1_800.0,
            p90: 4_000.0,
            p99: 31_000.0,
            p999: 45_000.0,
            max: 46_000.0,
        }),
        visible_at_end: 0,
        in_flight_at_end: 0,
        delayed_at_end: 0,
        max_visible: 20,
        max_age_of_oldest_seconds: 48.0,
    };
    let topic = TopicResult {
        name: "order-events".into(),
        published: 100,
        delivered: 150,
        filtered_out: 50,
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
                delivered: 50,
                filtered_out: 50,
            },
        ],
        billed_requests: 100,
        cost_usd: 100.0 * 0.50 / 1e6,
    };
    let consumer = ConsumerResult {
        name: "order-worker".into(),
        queue: "orders".into(),
        processed: 105,
        failed: 2,
        deleted: 100,
        wasted_cpu_seconds: 4.5,
        utilisation: 0.625,
    };
    let mut r = RunResult {
        model: "workers".into(),
        description: None,
        seed: 7,
        duration_seconds: 180.0,
        load_ends_seconds: None,
        period_seconds: 60.0,
        requests_total: 0,
        by_status: BTreeMap::new(),
        latency_ms: None,
        target_groups: BTreeMap::new(),
        target_group_order: Vec::new(),
        clients: Vec::new(),
        instances: vec![InstanceResult {
            id: "worker-1".into(),
            instance_type: "t3.micro".into(),
            availability_zone: "us-east-1a".into(),
            cpu_utilization: 62.5,
            requests_completed: 0,
            launched_seconds: 0.0,
            terminated_seconds: None,
            price_per_hour: 0.0104,
        }],
        periods: (0..3).map(row).collect(),
        activity: vec![Activity {
            time_seconds: 75.0,
            subject: "orders".into(),
            kind: ActivityKind::Queue(QueueActivity::FirstRedelivery {
                message: 17,
                receive_count: 2,
                visibility_timeout_seconds: 30.0,
                since_previous_receive_seconds: 30.0,
            }),
        }],
        websockets: None,
        auto_scaling_groups: Vec::new(),
        alarms: Vec::new(),
        queues: vec![queue],
        topics: vec![topic],
        consumers: vec![consumer],
        has_load_balancer: false,
        cost: Default::default(),
        events_processed: 1234,
        wall_seconds: 0.01,
        end: RunEnd::Completed,
    };
    r.cost = crate::recorder::cost(&r);
    r
}
