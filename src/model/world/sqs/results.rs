//! What the queues, topics and worker programs report: each metric period's `AWS/SQS` and
//! `AWS/SNS` values (for `timeseries.csv` and for alarms), and the run's totals.

use super::Messaging;
use crate::engine::SimTime;
use crate::model::resolved::Scenario;
use crate::model::sqs::{QueueId, TopicId};
use crate::model::world::World;
use crate::recorder::{
    ConsumerPeriod, ConsumerResult, QueuePeriod, QueueResult, SubscriptionResult, TopicPeriod,
    TopicResult,
};

/// A topic's counts in the current metric period.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TopicCounts {
    pub published: u64,
    pub delivered: u64,
    pub filtered_out: u64,
}

/// A queue's `AWS/SQS` metric over the metric period just closed, for alarms and target
/// tracking (gauges at the period's end, counts over the period).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) enum QueueMetric {
    /// `ApproximateNumberOfMessagesVisible`.
    Visible,
    /// `ApproximateNumberOfMessagesNotVisible`.
    NotVisible,
    /// `ApproximateNumberOfMessagesDelayed`.
    Delayed,
    /// `ApproximateAgeOfOldestMessage` \[s\].
    AgeOfOldest,
    /// `NumberOfMessagesSent`.
    Sent,
    /// `NumberOfMessagesReceived`.
    Received,
    /// `NumberOfMessagesDeleted`.
    Deleted,
    /// `NumberOfEmptyReceives`.
    EmptyReceives,
}

/// A topic's `AWS/SNS` metric over the metric period just closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model::world) enum TopicMetric {
    /// `NumberOfMessagesPublished`.
    Published,
    /// `NumberOfNotificationsDelivered`.
    Delivered,
}

impl Messaging {
    /// Queue `q`'s `metric` over the period just closed (valid from the period's close until the
    /// next period starts; `None`: no datapoint, e.g. the age of an empty queue).
    pub fn queue_metric(&self, q: QueueId, metric: QueueMetric) -> Option<f64> {
        let row = self.closed.queues.get(q.index())?;
        Some(match metric {
            QueueMetric::Visible => row.visible as f64,
            QueueMetric::NotVisible => row.not_visible as f64,
            QueueMetric::Delayed => row.delayed as f64,
            QueueMetric::AgeOfOldest => return row.age_of_oldest_seconds,
            QueueMetric::Sent => row.sent as f64,
            QueueMetric::Received => row.received as f64,
            QueueMetric::Deleted => row.deleted as f64,
            QueueMetric::EmptyReceives => row.empty_receives as f64,
        })
    }

    /// Topic `t`'s `metric` over the period just closed.
    pub fn topic_metric(&self, t: TopicId, metric: TopicMetric) -> Option<f64> {
        let row = self.closed.topics.get(t.index())?;
        Some(match metric {
            TopicMetric::Published => row.published as f64,
            TopicMetric::Delivered => row.delivered as f64,
        })
    }
}

/// The values of the last closed metric period.
#[derive(Clone, Debug, Default)]
pub(super) struct ClosedPeriod {
    pub queues: Vec<QueuePeriod>,
    pub topics: Vec<TopicPeriod>,
    pub consumers: Vec<ConsumerPeriod>,
}

impl World<'_> {
    /// Closes the metric period ending now for every queue, topic and worker program: their row
    /// values (kept for alarms until the next close), then fresh counts.
    pub(in crate::model::world) fn close_messaging_period(&mut self) {
        if self.sc.messaging.is_empty() {
            return;
        }
        let now = self.now;
        let start = self.period_start();
        let length = now.since(start).0.max(1) as f64;
        let mut queues = Vec::with_capacity(self.sqs.queues.len());
        for run in &mut self.sqs.queues {
            let age = run.state.age_of_oldest(now);
            let p = run.state.period;
            let row = QueuePeriod {
                visible: run.state.visible_count,
                not_visible: run.state.in_flight_count,
                delayed: run.state.delayed_count,
                age_of_oldest_seconds: age,
                sent: p.sent,
                received: p.received,
                deleted: p.deleted,
                empty_receives: p.empty_receives,
                moved_to_dlq: p.moved_to_dlq,
            };
            run.totals.max_visible = run.totals.max_visible.max(row.visible);
            run.totals.max_age_seconds = run.totals.max_age_seconds.max(age.unwrap_or(0.0));
            run.state.start_period();
            queues.push(row);
        }
        let topics = (self.sqs.topics.iter_mut())
            .map(|t| {
                let p = std::mem::take(&mut t.period);
                TopicPeriod {
                    published: p.published,
                    delivered: p.delivered,
                    filtered_out: p.filtered_out,
                }
            })
            .collect();
        let consumers = (self.sqs.consumers.iter_mut())
            .map(|c| {
                c.advance(now);
                let busy = (c.busy_ns - c.busy_mark) as f64 / length;
                c.busy_mark = c.busy_ns;
                let processed = std::mem::take(&mut c.period_processed);
                ConsumerPeriod {
                    pollers: c.pollers,
                    busy_pollers: busy,
                    processed,
                }
            })
            .collect();
        let closed = super::results::ClosedPeriod {
            queues,
            topics,
            consumers,
        };
        self.rec.messaging_row(
            closed.queues.clone(),
            closed.topics.clone(),
            closed.consumers.clone(),
        );
        self.sqs.closed = closed;
    }

    /// When the period ending now started.
    fn period_start(&self) -> SimTime {
        SimTime(
            self.now
                .0
                .saturating_sub(self.sc.period.0)
                .max(self.rec.periods_closed().saturating_sub(1) as u64 * self.sc.period.0),
        )
    }
}

/// The run's totals per queue, topic and worker program (at `end`).
pub(in crate::model::world) fn messaging_results(
    sc: &Scenario,
    sqs: &mut Messaging,
    end: SimTime,
) -> (Vec<QueueResult>, Vec<TopicResult>, Vec<ConsumerResult>) {
    let queues = (sc.messaging.queues.iter().zip(&mut sqs.queues))
        .map(|(spec, run)| {
            let t = run.totals;
            let cost = t.billed_requests as f64 / 1e6 * spec.price_per_million_requests();
            QueueResult {
                name: spec.name.clone(),
                fifo: spec.fifo,
                visibility_timeout_seconds: spec.visibility_timeout.as_secs_f64(),
                dead_letter_queue: spec.redrive.map(|d| {
                    sc.messaging.queues[d.dead_letter_queue.index()]
                        .name
                        .clone()
                }),
                sent: t.sent,
                deduplicated: t.deduplicated,
                received: t.received,
                redelivered: t.redelivered,
                deleted: t.deleted,
                empty_receives: t.empty_receives,
                receive_calls: t.receive_calls,
                moved_to_dlq: t.moved_to_dlq,
                expired: t.expired,
                lost_by_workers: t.lost_by_workers,
                duplicate_processings: t.duplicate_processings,
                stale_deletes: t.stale_deletes,
                rejected_visibility_changes: t.rejected_visibility_changes,
                throttled_calls: t.throttled_calls,
                failed_sends: t.failed_sends,
                moved_in: t.moved_in,
                billed_requests: t.billed_requests,
                cost_usd: cost,
                message_latency_ms: run.latency.summary(),
                visible_at_end: run.state.visible_count,
                in_flight_at_end: run.state.in_flight_count,
                delayed_at_end: run.state.delayed_count,
                max_visible: t.max_visible,
                max_age_of_oldest_seconds: t.max_age_seconds,
            }
        })
        .collect();
    let topics = (sc.messaging.topics.iter().zip(&sqs.topics))
        .map(|(spec, run)| TopicResult {
            name: spec.name.clone(),
            published: run.published,
            delivered: run.subscriptions.iter().map(|s| s.0).sum(),
            filtered_out: run.subscriptions.iter().map(|s| s.1).sum(),
            subscriptions: (spec.subscriptions.iter().zip(&run.subscriptions))
                .map(|(s, &(delivered, filtered_out))| SubscriptionResult {
                    protocol: s.protocol.clone(),
                    endpoint: s.endpoint_name.clone(),
                    delivered,
                    filtered_out,
                })
                .collect(),
            billed_requests: run.billed_requests,
            cost_usd: run.billed_requests as f64 / 1e6
                * crate::model::sqs::SNS_PRICE_PER_MILLION_PUBLISHES,
        })
        .collect();
    let consumers = (sc.messaging.consumers.iter().zip(&mut sqs.consumers))
        .map(|(spec, run)| {
            run.advance(end);
            ConsumerResult {
                name: spec.name.clone(),
                queue: sc.messaging.queues[spec.queue.index()].name.clone(),
                processed: run.processed,
                failed: run.failed,
                deleted: run.deleted,
                wasted_cpu_seconds: run.wasted_ns as f64 / 1e9,
                utilisation: if run.poller_ns == 0 {
                    0.0
                } else {
                    run.busy_ns as f64 / run.poller_ns as f64
                },
            }
        })
        .collect();
    (queues, topics, consumers)
}
