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
