//! SQS and SNS happenings worth telling: the first redelivery of a message, moves to the
//! dead-letter queue, retention expiry, throttling, work lost with a worker. The subject of each
//! line is the queue's name.

use std::fmt;

/// Something that happened at a queue.
#[derive(Clone, Debug, PartialEq)]
pub enum QueueActivity {
    /// A message was received again: its visibility timeout expired before it was deleted (said
    /// for the first message this happens to, then counted in the summary).
    FirstRedelivery {
        /// The message (`MessageId`, albsim numbers messages per queue from 1).
        message: u64,
        /// Its `ApproximateReceiveCount` now.
        receive_count: u32,
        /// `VisibilityTimeout` \[s\].
        visibility_timeout_seconds: f64,
        /// Seconds since its previous receive.
        since_previous_receive_seconds: f64,
    },
    /// A message reached `maxReceiveCount` and moved to the dead-letter queue.
    MovedToDeadLetterQueue {
        /// The message.
        message: u64,
        /// Receives it had.
        receive_count: u32,
        /// The dead-letter queue.
        dead_letter_queue: String,
        /// Messages moved so far (this one included).
        total: u64,
        /// The last move told: later ones are only counted.
        last_told: bool,
    },
    /// Messages older than `MessageRetentionPeriod` were deleted (said the first time, then
    /// counted in the summary).
    RetentionExpired {
        /// How many at this instant.
        messages: u64,
        /// `MessageRetentionPeriod` \[s\].
        retention_seconds: f64,
    },
    /// An API call got `ThrottlingException` (first time per action).
    Throttled {
        /// `SendMessage`, `ReceiveMessage` or `DeleteMessage`.
        action: &'static str,
        /// The limit per second.
        limit: u32,
    },
    /// A worker's instance was terminated or its process died while holding messages: they
    /// reappear when their visibility timeout expires.
    LostByWorker {
        /// The instance.
        instance: String,
        /// Messages it held.
        messages: u32,
        /// Why (`terminated by scale-in`, `the process crashed`…).
        why: &'static str,
    },
    /// A `DeleteMessage` with a stale receipt handle (first time): the message was received
    /// again since, and the delete did not remove it (or did, per the model's setting).
    StaleDelete {
        /// The message.
        message: u64,
        /// Whether it was deleted anyway.
        deleted: bool,
    },
    /// `ChangeMessageVisibility` was rejected: beyond 12 hours from the receive (first time).
    VisibilityChangeRejected {
        /// The message.
        message: u64,
    },
    /// A message was delivered to a queue once more after its delete (at-least-once delivery,
    /// first time).
    DuplicateDelivery {
        /// The message.
        message: u64,
    },
}

impl fmt::Display for QueueActivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueActivity::FirstRedelivery {
                message,
                receive_count,
                visibility_timeout_seconds,
                since_previous_receive_seconds,
            } => write!(
                f,
                "message {message} received again (ApproximateReceiveCount {receive_count}): it was not deleted within the VisibilityTimeout of {visibility_timeout_seconds:.0} s ({since_previous_receive_seconds:.1} s since its previous receive); later redeliveries are counted in summary.json"
            ),
            QueueActivity::MovedToDeadLetterQueue {
                message,
                receive_count,
                dead_letter_queue,
                total,
                last_told,
            } => {
                write!(
                    f,
                    "message {message} moved to dead-letter queue {dead_letter_queue} after {receive_count} receives (maxReceiveCount); {total} moved so far"
                )?;
                if *last_told {
                    f.write_str("; later moves are counted in summary.json")?;
                }
                Ok(())
            }
            QueueActivity::RetentionExpired {
                messages,
                retention_seconds,
            } => write!(
                f,
                "{messages} message{} deleted: older than the MessageRetentionPeriod of {retention_seconds:.0} s; later expiries are counted in summary.json",
                if *messages == 1 { "" } else { "s" }
            ),
            QueueActivity::Throttled { action, limit } => write!(
                f,
                "{action} throttled (ThrottlingException): a FIFO queue takes {limit} calls per second per action; callers retry after a backoff"
            ),
            QueueActivity::LostByWorker {
                instance,
                messages,
                why,
            } => write!(
                f,
                "{messages} in-flight message{} lost with {instance} ({why}): {} visible again when the visibility timeout expires",
                if *messages == 1 { "" } else { "s" },
                if *messages == 1 {
                    "it becomes"
                } else {
                    "they become"
                }
            ),
            QueueActivity::StaleDelete { message, deleted } => write!(
                f,
                "DeleteMessage of message {message} used a stale receipt handle (received again since): {}",
                if *deleted {
                    "the message was deleted anyway"
                } else {
                    "the call succeeded but the message was not deleted"
                }
            ),
            QueueActivity::VisibilityChangeRejected { message } => write!(
                f,
                "ChangeMessageVisibility of message {message} rejected: beyond 12 hours from its receive"
            ),
            QueueActivity::DuplicateDelivery { message } => write!(
                f,
                "message {message} delivered again after its delete (a server missed the delete: at-least-once delivery)"
            ),
        }
    }
}
