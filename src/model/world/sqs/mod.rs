//! SQS and SNS at run time (work in progress: the engine lands in the next commit).

use super::World;
use crate::model::resolved::Scenario;
use crate::model::sqs::{ProducerId, QueueId};

/// The run state of every queue, topic, producer and worker program.
#[derive(Debug, Default)]
pub(super) struct Messaging {}

impl Messaging {
    /// The messaging state of a run of `sc`.
    pub fn new(_sc: &Scenario) -> Messaging {
        Messaging {}
    }
}

impl World<'_> {
    pub(super) fn on_message_produced(&mut self, _producer: ProducerId) {}
    pub(super) fn on_poller_acts(&mut self, _poller: u32, _generation: u32) {}
    pub(super) fn on_heartbeat_fires(&mut self, _poller: u32, _generation: u32) {}
    pub(super) fn on_queue_timer_fires(&mut self, _queue: QueueId, _generation: u32) {}
    pub(super) fn on_resend_due(&mut self, _generation: u32) {}
    pub(super) fn poller_generation(&self, _poller: u32) -> u32 {
        0
    }
    pub(super) fn poller_instance(
        &self,
        _poller: u32,
        _generation: u32,
    ) -> Option<crate::model::ids::InstanceId> {
        None
    }
    pub(super) fn message_processed(&mut self, _poller: u32) {}
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
    /// Queue `q`'s `metric` over the period just closed (valid between the period's close and
    /// the next period's start; `None`: no datapoint, e.g. age of an empty queue).
    pub fn queue_metric(&self, _q: QueueId, _metric: QueueMetric) -> Option<f64> {
        None
    }

    /// Topic `t`'s `metric` over the period just closed.
    pub fn topic_metric(
        &self,
        _t: crate::model::sqs::TopicId,
        _metric: TopicMetric,
    ) -> Option<f64> {
        None
    }
}
