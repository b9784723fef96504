//! Everything that can happen in a run, as one plain `enum` dispatched by a single `match`
//! (no boxing, no trait objects per event). Each variant says what happens, in the present tense
//! (`RequestArrives`, `HealthCheckTimesOut`, `PeriodEnds`); its handler is `on_<the same words>`.

use super::ids::{
    AsgId, AsgMemberId, CheckerId, ClientId, FaultId, InstanceId, MemberId, OperationId,
    ScheduledActionId, TargetGroupId, UserId,
};
use super::instance::Job;
use super::sqs::{ProducerId, QueueId};

/// A scheduled happening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next open-loop request of a client arrives at the load balancer.
    RequestArrives {
        /// The client.
        client: ClientId,
    },
    /// A closed-loop user starts (or finishes thinking) and sends a request.
    UserWakes {
        /// Index into the world's user table.
        user: UserId,
    },
    /// The TLS handshake of a request's new HTTPS connection completed; the listener reads it.
    HandshakeCompletes {
        /// Request slot.
        slot: u32,
        /// Slot generation when scheduled.
        generation: u32,
    },
    /// The earliest running request on an instance completes (stale if `generation` moved on).
    ServiceCompletes {
        /// The instance.
        instance: InstanceId,
        /// Generation of the instance's completion timer.
        generation: u32,
    },
    /// A job (request or health check) on a fixed-speed instance (workers ≤ vCPUs) finishes.
    /// Stale if its slot was freed (the instance crashed and the slot may now hold another job)
    /// or the instance's epoch moved on (it hung or restarted).
    JobCompletes {
        /// The request or health check.
        job: Job,
        /// Its slot's generation when it started.
        generation: u32,
        /// Instance epoch when the request started.
        epoch: u32,
    },
    /// The 10 s connect timeout to an unreachable target expires: the ALB answers 504.
    ConnectTimesOut {
        /// Request slot.
        slot: u32,
        /// Slot generation when scheduled.
        generation: u32,
    },
    /// A request's `timeout` passes: if it is still unanswered, the client closes the
    /// connection (the ALB logs 460).
    ClientGivesUp {
        /// Request slot.
        slot: u32,
        /// Slot generation when scheduled.
        generation: u32,
    },
    /// A client's backoff delay ends: it sends the request again.
    RetryDue {
        /// Slot of the request waiting for its retry.
        slot: u32,
        /// Slot generation when scheduled.
        generation: u32,
    },
    /// A load balancer node sends its next health check to a target.
    HealthCheckStarts {
        /// Index into the world's checker table.
        checker: CheckerId,
    },
    /// `HealthCheckTimeoutSeconds` after a check was sent (moot if it was answered).
    HealthCheckTimesOut {
        /// Index into the world's checker table.
        checker: CheckerId,
        /// Which check of that checker.
        seq: u32,
    },
    /// The deregistration delay of a draining target ends.
    DeregistrationDelayEnds {
        /// Target group index.
        group: TargetGroupId,
        /// Member index in the group.
        member: MemberId,
        /// Member generation when deregistered.
        generation: u32,
    },
    /// A fault starts.
    FaultStarts {
        /// Index into the scenario's faults.
        fault: FaultId,
    },
    /// A fault ends (recovery).
    FaultEnds {
        /// Index into the scenario's faults.
        fault: FaultId,
    },
    /// A WebSocket connection's next frame or idle timeout is due (stale if `generation` moved on).
    WebsocketTimerFires {
        /// The WebSocket client (index into the world's user table).
        user: UserId,
        /// Connection generation when scheduled.
        generation: u32,
    },
    /// An Auto Scaling instance finished booting (`Pending` ends).
    AsgLaunchCompletes {
        /// The group.
        asg: AsgId,
        /// The instance, as a member of the group.
        member: AsgMemberId,
    },
    /// A lifecycle hook's wait ends (`Pending:Wait` or `Terminating:Wait`).
    LifecycleHookEnds {
        /// The group.
        asg: AsgId,
        /// The instance, as a member of the group.
        member: AsgMemberId,
    },
    /// A terminating instance's deregistration delay is over: termination proceeds.
    AsgDrainEnds {
        /// The group.
        asg: AsgId,
        /// The instance, as a member of the group.
        member: AsgMemberId,
    },
    /// The group's periodic health check.
    AsgHealthCheckRuns {
        /// The group.
        asg: AsgId,
    },
    /// A scheduled action is due.
    ScheduledActionRuns {
        /// The group.
        asg: AsgId,
        /// The action, among the group's scheduled actions.
        action: ScheduledActionId,
    },
    /// A scheduled register/deregister operation is due.
    OperationRuns {
        /// Index into the scenario's operations.
        operation: OperationId,
    },
    /// The ALB idle timeout (`idle_timeout.timeout_seconds`) of the oldest request at a target
    /// expires: the ALB answers 504 (stale if `generation` moved on).
    IdleTimeoutExpires {
        /// Generation of the deadline timer.
        generation: u32,
    },
    /// An open-loop producer sends its next message (`SendMessage` or `Publish`).
    MessageProduced {
        /// The producer.
        producer: ProducerId,
    },
    /// An SQS poller's next step is due: a `ReceiveMessage` answer arrives, a long poll's
    /// `WaitTimeSeconds` ends, a `DeleteMessage` returns, a pause ends (stale if `generation`
    /// moved on).
    PollerActs {
        /// The poller (index into the world's poller table).
        poller: u32,
        /// Its timer's generation when scheduled.
        generation: u32,
    },
    /// A long poll's `WaitTimeSeconds` may have ended: empty if the poller still waits and its
    /// deadline is due; a poll that began later moves the wake-up to its own deadline (one pending
    /// wake-up per poller, however many polls a busy queue answers early).
    LongPollEnds {
        /// The poller.
        poller: u32,
        /// Its slot's generation when scheduled.
        generation: u32,
    },
    /// A poller's heartbeat: `ChangeMessageVisibility` on the messages it holds (stale if
    /// `generation` moved on).
    HeartbeatFires {
        /// The poller.
        poller: u32,
        /// Its heartbeat's generation when scheduled.
        generation: u32,
    },
    /// The earliest timer of a queue is due: a delayed message becomes visible, a visibility
    /// timeout expires, or a message outlives `MessageRetentionPeriod` (stale if `generation`
    /// moved on).
    QueueTimerFires {
        /// The queue.
        queue: QueueId,
        /// Its timer's generation when scheduled.
        generation: u32,
    },
    /// A producer's repeated send is due (a retry with the same deduplication id).
    ResendDue {
        /// The resend timer's generation when scheduled.
        generation: u32,
    },
    /// Automatic Target Weights' 5-second step: anomaly detection, then mitigation, in every
    /// target group.
    AnomalyDetectionRuns,
    /// A CloudWatch metric period ends.
    PeriodEnds,
}

impl Event {
    /// What the event is, in a user's words (for messages; never on the hot path).
    pub fn describe(&self) -> &'static str {
        match self {
            Event::RequestArrives { .. } => "an open-loop request arriving",
            Event::UserWakes { .. } => "a user sending its next request",
            Event::HandshakeCompletes { .. } => "a TLS handshake completing",
            Event::ServiceCompletes { .. } | Event::JobCompletes { .. } => {
                "a target finishing a request"
            }
            Event::ConnectTimesOut { .. } => "a connection to a target timing out",
            Event::ClientGivesUp { .. } => "a client's request timing out",
            Event::RetryDue { .. } => "a client retrying a request",
            Event::HealthCheckStarts { .. } => "a health check being sent",
            Event::HealthCheckTimesOut { .. } => "a health check timing out",
            Event::DeregistrationDelayEnds { .. } => "a deregistration delay ending",
            Event::FaultStarts { .. } => "a fault starting",
            Event::FaultEnds { .. } => "a fault ending",
            Event::WebsocketTimerFires { .. } => "a WebSocket frame or idle timeout",
            Event::AsgLaunchCompletes { .. } => "an Auto Scaling instance finishing its boot",
            Event::LifecycleHookEnds { .. } => "a lifecycle hook's wait ending",
            Event::AsgDrainEnds { .. } => "a terminating instance's deregistration delay ending",
            Event::AsgHealthCheckRuns { .. } => "an Auto Scaling group's health check",
            Event::ScheduledActionRuns { .. } => "a scheduled action",
            Event::OperationRuns { .. } => "a register/deregister operation",
            Event::IdleTimeoutExpires { .. } => "an idle timeout expiring",
            Event::MessageProduced { .. } => "a producer sending a message",
            Event::PollerActs { .. } => "an SQS poller's next step",
            Event::LongPollEnds { .. } => "an SQS long poll's wait ending",
            Event::HeartbeatFires { .. } => "a worker's ChangeMessageVisibility heartbeat",
            Event::QueueTimerFires { .. } => "an SQS message becoming visible or expiring",
            Event::ResendDue { .. } => "a producer repeating a send",
            Event::AnomalyDetectionRuns => "the load balancer's anomaly detection",
            Event::PeriodEnds => "a CloudWatch period ending",
        }
    }
}
