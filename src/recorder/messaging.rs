//! What a run records about SQS queues, SNS topics and worker programs: per-period CloudWatch
//! values (`AWS/SQS`, `AWS/SNS`) and end-of-run totals.

use super::LatencySummary;
use serde::Serialize;

/// One queue over one metric period (`AWS/SQS`, dimension `QueueName`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct QueuePeriod {
    /// `ApproximateNumberOfMessagesVisible` at the end of the period.
    pub visible: u64,
    /// `ApproximateNumberOfMessagesNotVisible` (in flight) at the end of the period.
    pub not_visible: u64,
    /// `ApproximateNumberOfMessagesDelayed` at the end of the period.
    pub delayed: u64,
    /// `ApproximateAgeOfOldestMessage` \[s\] at the end of the period: the oldest message not yet
    /// deleted, visible or not (`None`: the queue is empty).
    pub age_of_oldest_seconds: Option<f64>,
    /// `NumberOfMessagesSent`.
    pub sent: u64,
    /// `NumberOfMessagesReceived` (every receive, redeliveries included).
    pub received: u64,
    /// `NumberOfMessagesDeleted` (deletes that removed a message).
    pub deleted: u64,
    /// `NumberOfEmptyReceives`.
    pub empty_receives: u64,
    /// Messages moved to the dead-letter queue (`NumberOfMessagesMovedToDLQ`, albsim's name).
    pub moved_to_dlq: u64,
}

/// One topic over one metric period (`AWS/SNS`, dimension `TopicName`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TopicPeriod {
    /// `NumberOfMessagesPublished`.
    pub published: u64,
    /// `NumberOfNotificationsDelivered`.
    pub delivered: u64,
    /// `NumberOfNotificationsFilteredOut`.
    pub filtered_out: u64,
}

/// One worker program over one metric period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ConsumerPeriod {
    /// Pollers running at the end of the period (pollers per instance × instances running it).
    pub pollers: u32,
    /// Pollers processing a message, time-averaged over the period.
    pub busy_pollers: f64,
    /// Messages whose processing finished in the period (failures included).
    pub processed: u64,
}

/// A queue's totals over the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QueueResult {
    /// `QueueName`.
    pub name: String,
    /// `FifoQueue`.
    pub fifo: bool,
    /// `VisibilityTimeout` \[s\].
    pub visibility_timeout_seconds: f64,
    /// Its `RedrivePolicy`'s dead-letter queue, if any (left out of `summary.json` without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter_queue: Option<String>,
    /// `NumberOfMessagesSent` (a deduplicated FIFO send is not counted).
    pub sent: u64,
    /// Sends a FIFO queue accepted but dropped as duplicates (5-minute deduplication interval).
    pub deduplicated: u64,
    /// `NumberOfMessagesReceived`.
    pub received: u64,
    /// Receives of a message already received before (visibility expired or processing failed).
    pub redelivered: u64,
    /// `NumberOfMessagesDeleted`.
    pub deleted: u64,
    /// `NumberOfEmptyReceives`.
    pub empty_receives: u64,
    /// `ReceiveMessage` calls.
    pub receive_calls: u64,
    /// Messages moved to the dead-letter queue.
    pub moved_to_dlq: u64,
    /// Messages deleted by `MessageRetentionPeriod`.
    pub expired: u64,
    /// Messages a worker held when its instance was terminated or its process died.
    pub lost_by_workers: u64,
    /// Processings of a message that had already been processed once (the duplicate work of at
    /// least once delivery).
    pub duplicate_processings: u64,
    /// `DeleteMessage` calls with a stale receipt handle (the message was received again since).
    pub stale_deletes: u64,
    /// `ChangeMessageVisibility` calls rejected (beyond 12 h from the receive).
    pub rejected_visibility_changes: u64,
    /// API calls refused with `ThrottlingException` (FIFO, 300 per second per action; not billed).
    pub throttled_calls: u64,
    /// Sends that failed after the SDK's 3 attempts, all throttled (the producer got an error; the
    /// message was never enqueued).
    pub failed_sends: u64,
    /// Messages moved here from a source queue's redrive (a dead-letter queue's arrivals: not
    /// `NumberOfMessagesSent`).
    pub moved_in: u64,
    /// Requests billed (each 64 KiB chunk of a call is one; empty receives count).
    pub billed_requests: u64,
    /// What the requests cost \[USD\].
    pub cost_usd: f64,
    /// Enqueue (`SendMessage`) to delete, of deleted messages \[ms\].
    pub message_latency_ms: Option<LatencySummary>,
    /// Visible messages at the end.
    pub visible_at_end: u64,
    /// In-flight messages at the end.
    pub in_flight_at_end: u64,
    /// Delayed messages at the end.
    pub delayed_at_end: u64,
    /// Most visible messages at a period end.
    pub max_visible: u64,
    /// Largest `ApproximateAgeOfOldestMessage` at a period end \[s\].
    pub max_age_of_oldest_seconds: f64,
}

/// A topic's totals over the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TopicResult {
    /// `TopicName`.
    pub name: String,
    /// `NumberOfMessagesPublished`.
    pub published: u64,
    /// `NumberOfNotificationsDelivered`, over all subscriptions.
    pub delivered: u64,
    /// `NumberOfNotificationsFilteredOut`.
    pub filtered_out: u64,
    /// Deliveries per subscription, in the topic's order: (protocol, endpoint, delivered).
    pub subscriptions: Vec<SubscriptionResult>,
    /// Publish requests billed (per 64 KiB chunk).
    pub billed_requests: u64,
    /// What the publishes cost \[USD\].
    pub cost_usd: f64,
}

/// One subscription's deliveries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SubscriptionResult {
    /// `Protocol`.
    pub protocol: String,
    /// `Endpoint` (the queue name for `sqs`).
    pub endpoint: String,
    /// Notifications delivered.
    pub delivered: u64,
    /// Notifications its filter policy dropped.
    pub filtered_out: u64,
}

/// A worker program's totals over the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ConsumerResult {
    /// Name.
    pub name: String,
    /// The queue it polls.
    pub queue: String,
    /// Messages it finished processing (failures included).
    pub processed: u64,
    /// Processings that failed (message not deleted).
    pub failed: u64,
    /// Messages it deleted.
    pub deleted: u64,
    /// Processing that was wasted: of messages that had been processed before (each processing of
    /// a message beyond its first) \[CPU seconds\].
    pub wasted_cpu_seconds: f64,
    /// Busy share of its pollers over the run (0–1).
    pub utilisation: f64,
}
