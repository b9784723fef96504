//! Amazon SQS queues, Amazon SNS topics, and the programs that use them: producers that send
//! messages and worker fleets that poll for them (`aws-behavior.md` §12–13).
//!
//! These are the resolved settings (AWS defaults applied, ranges checked, names turned into ids);
//! the run-time state lives in `world/sqs/`. Every time is a [`SimDuration`].

use super::arrival::ArrivalProcess;
use super::distribution::Distribution;
use super::ids::{AsgId, InstanceId};
use crate::engine::SimDuration;

pub use super::ids::{ConsumerId, ProducerId, QueueId, TopicId};

/// Longest visibility a message can have from its receive: 12 hours (`ChangeMessageVisibility`
/// beyond it is rejected).
pub const MAX_VISIBILITY: SimDuration = SimDuration::from_secs(43_200);

/// The FIFO deduplication interval: 5 minutes.
pub const DEDUPLICATION_INTERVAL: SimDuration = SimDuration::from_secs(300);

/// Most in-flight messages a queue holds (standard and FIFO): 120,000.
pub const MAX_IN_FLIGHT: u32 = 120_000;

/// FIFO queues without high throughput: API calls per second per action (`SendMessage`,
/// `ReceiveMessage`, `DeleteMessage`); above it a call gets `ThrottlingException`.
pub const FIFO_CALLS_PER_SECOND: u32 = 300;

/// Bytes billed as one SQS or SNS request (each 64 KiB chunk of a payload is a request).
pub const BILLING_CHUNK_BYTES: u64 = 65_536;

/// A queue's `RedrivePolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedrivePolicy {
    /// `deadLetterTargetArn`: the dead-letter queue.
    pub dead_letter_queue: QueueId,
    /// `maxReceiveCount` (1–1,000): receives after which an undeleted message moves there.
    pub max_receive_count: u32,
}

/// What `DeleteMessage` with a receipt handle that is not the most recent one does. AWS: "the
/// request will still succeed, but the message might not be deleted".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaleDelete {
    /// The message is not deleted (the default: the documented worst case).
    NotDeleted,
    /// The message is deleted anyway.
    Deleted,
}

/// A resolved SQS queue (`CreateQueue` / `AWS::SQS::Queue`).
#[derive(Clone, Debug)]
pub struct QueueSpec {
    /// `QueueName` (FIFO queue names end in `.fifo`).
    pub name: String,
    /// `FifoQueue`.
    pub fifo: bool,
    /// `ContentBasedDeduplication` (FIFO): the body's SHA-256 is the deduplication id.
    pub content_based_deduplication: bool,
    /// `VisibilityTimeout` (default 30 s; 0–12 h).
    pub visibility_timeout: SimDuration,
    /// `ReceiveMessageWaitTimeSeconds` (default 0 s: short polling; 0–20 s).
    pub receive_wait: SimDuration,
    /// `MessageRetentionPeriod` (default 4 days; 60 s–14 days).
    pub retention: SimDuration,
    /// `DelaySeconds` (default 0; 0–15 min).
    pub delay: SimDuration,
    /// `MaximumMessageSize` \[bytes\] (default 262,144; 1,024–1,048,576).
    pub maximum_message_size: u64,
    /// `RedrivePolicy`, if any.
    pub redrive: Option<RedrivePolicy>,
    /// Standard queues: the chance that a deleted message survives on a server that missed the
    /// delete and is delivered again (at-least-once delivery; albsim setting, default 0).
    pub duplicate_probability: f64,
    /// Short polling: the share of the queue's servers one `ReceiveMessage` samples; each
    /// visible message is found with this probability (albsim setting, default 0.5; AWS says
    /// only "a subset").
    pub short_poll_sample: f64,
}

impl QueueSpec {
    /// Price per million requests \[USD\]: standard $0.40, FIFO $0.50 (us-east-1, after the
    /// free tier).
    pub fn price_per_million_requests(&self) -> f64 {
        if self.fifo { 0.50 } else { 0.40 }
    }
}

/// SNS price per million publishes \[USD\] (us-east-1; deliveries to SQS are free).
pub const SNS_PRICE_PER_MILLION_PUBLISHES: f64 = 0.50;

/// One condition of a subscription's `FilterPolicy` on a message attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeMatch {
    /// Exactly this string (`"a"`).
    Equals(String),
    /// Any value but these (`{"anything-but": [...]}`); an absent attribute does not match.
    AnythingBut(Vec<String>),
    /// A string starting with this (`{"prefix": "..."}`).
    Prefix(String),
    /// The attribute is present (`{"exists": true}`) or absent (`false`).
    Exists(bool),
    /// A number within the bounds (`{"numeric": [">=", 10, "<", 20]}`, or a bare number for
    /// `=`); `None`: unbounded. Each bound: (value, included).
    Numeric {
        /// Lower bound and whether it is included.
        low: Option<(f64, bool)>,
        /// Upper bound and whether it is included.
        high: Option<(f64, bool)>,
    },
}

impl AttributeMatch {
    /// Whether the attribute's value (`None`: absent) matches.
    pub fn matches(&self, value: Option<&str>) -> bool {
        match self {
            AttributeMatch::Exists(want) => value.is_some() == *want,
            AttributeMatch::Equals(x) => value == Some(x.as_str()),
            AttributeMatch::AnythingBut(values) => {
                value.is_some_and(|v| values.iter().all(|x| x != v))
            }
            AttributeMatch::Prefix(p) => value.is_some_and(|v| v.starts_with(p.as_str())),
            AttributeMatch::Numeric { low, high } => {
                value.and_then(|v| v.parse::<f64>().ok()).is_some_and(|x| {
                    low.is_none_or(|(b, inclusive)| if inclusive { x >= b } else { x > b })
                        && high.is_none_or(|(b, inclusive)| if inclusive { x <= b } else { x < b })
                })
            }
        }
    }
}

/// A subscription's `FilterPolicy` on message attributes (`FilterPolicyScope:
/// MessageAttributes`): every key must match (AND), a key matches when one of its conditions
/// does (OR).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterPolicy {
    /// (attribute name, its conditions), in the policy's key order.
    pub conditions: Vec<(String, Vec<AttributeMatch>)>,
}

/// Where a subscription delivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// An SQS queue (`Protocol: sqs`).
    Queue(QueueId),
    /// An endpoint albsim only counts (`email`, `http`, `https`, `lambda`…).
    Counted,
}

/// A topic subscription (`Subscribe` / `AWS::SNS::Subscription`).
#[derive(Clone, Debug)]
pub struct SubscriptionSpec {
    /// `Protocol` as written (`sqs`, `email`, `https`…), for reports.
    pub protocol: String,
    /// `Endpoint`, for reports (the queue name for `sqs`).
    pub endpoint_name: String,
    /// Where it delivers.
    pub endpoint: Endpoint,
    /// `RawMessageDelivery` (default false: the queue gets the JSON envelope, which adds bytes).
    pub raw_message_delivery: bool,
    /// `FilterPolicy` (`None`: every message).
    pub filter: Option<FilterPolicy>,
}

/// A resolved SNS topic (`CreateTopic` / `AWS::SNS::Topic`).
#[derive(Clone, Debug)]
pub struct TopicSpec {
    /// `TopicName`.
    pub name: String,
    /// `FifoTopic` (name ends in `.fifo`; fans out to FIFO queues).
    pub fifo: bool,
    /// Its subscriptions.
    pub subscriptions: Vec<SubscriptionSpec>,
}

/// Bytes the SNS JSON envelope adds to a message delivered without `RawMessageDelivery`
/// (`Type`, `MessageId`, `TopicArn`, `Timestamp`, `Signature`… about 1 KB; albsim assumption).
pub const SNS_ENVELOPE_BYTES: u64 = 1_024;

/// Where a message goes: a queue (`SendMessage`) or a topic (`Publish`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Destination {
    /// `SendMessage` to a queue.
    Queue(QueueId),
    /// `Publish` to a topic.
    Topic(TopicId),
}

/// How FIFO messages get their `MessageGroupId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageGroups {
    /// Standard queues: no group.
    None,
    /// One of `count` groups, each message drawn uniformly (`order-0` … `order-{count-1}`).
    Random {
        /// Number of groups.
        count: u32,
    },
}

/// What each sent message looks like.
#[derive(Clone, Debug)]
pub struct MessageTemplate {
    /// Body size \[bytes\].
    pub size_bytes: u64,
    /// `MessageAttributes` (name, string value), for filter policies. Numbers are written as
    /// their text.
    pub attributes: Vec<(String, String)>,
    /// `MessageGroupId` (FIFO).
    pub groups: MessageGroups,
    /// A producer retry: the chance that a send is repeated with the same body (same
    /// `MessageDeduplicationId`), `resend_after` later (albsim setting, default 0).
    pub resend_probability: f64,
    /// Delay of a repeated send.
    pub resend_after: SimDuration,
}

/// An open-loop message producer (a program calling `SendMessage` or `Publish`).
#[derive(Clone, Debug)]
pub struct ProducerSpec {
    /// Name, for reports.
    pub name: String,
    /// Where it sends.
    pub destination: Destination,
    /// When messages are sent (the clients' open-loop arrival shapes).
    pub arrival: ArrivalProcess,
    /// What they look like.
    pub message: MessageTemplate,
}

/// A message a request type's target sends after its service time (the request path: `POST
/// /orders` → `OrderAlerts` → `OrderQueue`).
#[derive(Clone, Debug)]
pub struct RequestMessage {
    /// Where it goes.
    pub destination: Destination,
    /// What it looks like.
    pub message: MessageTemplate,
}

/// Where a worker program runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// On every instance of an Auto Scaling group (its launch template starts it).
    Group(AsgId),
    /// On these instances of the model.
    Instances(Vec<InstanceId>),
}

/// A heartbeat: `ChangeMessageVisibility` on the messages a poller holds, while it works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    /// How often it is called.
    pub interval: SimDuration,
    /// The `VisibilityTimeout` each call sets, counted from the call.
    pub visibility_timeout: SimDuration,
}

/// A worker program: pollers on each instance calling `ReceiveMessage`, processing each message
/// on the instance's CPU, then `DeleteMessage`.
#[derive(Clone, Debug)]
pub struct ConsumerSpec {
    /// Name, for reports.
    pub name: String,
    /// The queue it polls.
    pub queue: QueueId,
    /// Where it runs.
    pub placement: Placement,
    /// Pollers (threads or processes) per instance, each with one message at a time.
    pub pollers_per_instance: u32,
    /// `MaxNumberOfMessages` (1–10, default 1).
    pub max_messages: u32,
    /// `WaitTimeSeconds` (0–20; default: the queue's `ReceiveMessageWaitTimeSeconds`).
    pub wait: SimDuration,
    /// CPU time to process one message.
    pub processing_time: Distribution,
    /// The chance that processing fails: the message is not deleted.
    pub failure_probability: f64,
    /// `ChangeMessageVisibility` while processing, if any.
    pub heartbeat: Option<Heartbeat>,
    /// Sets instance scale-in protection while it holds messages (the AWS worker pattern).
    pub scale_in_protection: bool,
    /// What a delete with a stale receipt handle does.
    pub stale_delete: StaleDelete,
    /// Round trip of one SQS API call (`ReceiveMessage`, `DeleteMessage`…) \[albsim setting,
    /// default 10 ms\].
    pub api_latency: SimDuration,
    /// Pause after an empty receive before polling again (default 0: poll again at once).
    pub empty_receive_pause: SimDuration,
    /// Wait after a throttled call before it is retried (default 100 ms).
    pub throttle_backoff: SimDuration,
}

/// Everything a model says about messaging.
#[derive(Clone, Debug, Default)]
pub struct Messaging {
    /// Queues.
    pub queues: Vec<QueueSpec>,
    /// Topics.
    pub topics: Vec<TopicSpec>,
    /// Open-loop producers.
    pub producers: Vec<ProducerSpec>,
    /// Worker programs.
    pub consumers: Vec<ConsumerSpec>,
}

impl Messaging {
    /// Whether the model has any queue or topic.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty() && self.topics.is_empty()
    }
}

/// Whether `attributes` pass `filter` (SNS subscription filter policies on message attributes).
pub fn filter_matches(filter: &FilterPolicy, attributes: &[(String, String)]) -> bool {
    filter.conditions.iter().all(|(key, any_of)| {
        let value = attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str());
        any_of.iter().any(|c| c.matches(value))
    })
}

/// Requests one API call carrying `bytes` is billed as: one per started 64 KiB chunk, at least one.
pub fn billed_requests(bytes: u64) -> u64 {
    bytes.div_ceil(BILLING_CHUNK_BYTES).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_filter_policy_needs_every_key_and_one_value_of_each() {
        let filter = FilterPolicy {
            conditions: vec![
                (
                    "event".into(),
                    vec![
                        AttributeMatch::Equals("order_placed".into()),
                        AttributeMatch::Equals("order_paid".into()),
                    ],
                ),
                (
                    "amount".into(),
                    vec![AttributeMatch::Numeric {
                        low: Some((100.0, true)),
                        high: None,
                    }],
                ),
            ],
        };
        assert!(filter_matches(
            &filter,
            &attrs(&[("event", "order_paid"), ("amount", "250")])
        ));
        assert!(!filter_matches(
            &filter,
            &attrs(&[("event", "order_paid"), ("amount", "99.5")])
        ));
        assert!(!filter_matches(&filter, &attrs(&[("event", "order_paid")])));
        assert!(!filter_matches(
            &filter,
            &attrs(&[("event", "refund"), ("amount", "500")])
        ));
    }

    #[test]
    fn anything_but_prefix_and_exists() {
        let but = FilterPolicy {
            conditions: vec![(
                "t".into(),
                vec![AttributeMatch::AnythingBut(vec!["x".into()])],
            )],
        };
        assert!(filter_matches(&but, &attrs(&[("t", "y")])));
        assert!(!filter_matches(&but, &attrs(&[("t", "x")])));
        assert!(!filter_matches(&but, &attrs(&[])), "absent is no match");
        let prefix = FilterPolicy {
            conditions: vec![("t".into(), vec![AttributeMatch::Prefix("eu-".into())])],
        };
        assert!(filter_matches(&prefix, &attrs(&[("t", "eu-west-1")])));
        let absent = FilterPolicy {
            conditions: vec![("t".into(), vec![AttributeMatch::Exists(false)])],
        };
        assert!(filter_matches(&absent, &attrs(&[])));
        assert!(!filter_matches(&absent, &attrs(&[("t", "a")])));
    }

    #[test]
    fn each_64_kib_chunk_is_a_request() {
        assert_eq!(billed_requests(0), 1);
        assert_eq!(billed_requests(1), 1);
        assert_eq!(billed_requests(65_536), 1);
        assert_eq!(billed_requests(65_537), 2);
        assert_eq!(billed_requests(262_144), 4);
    }
}
