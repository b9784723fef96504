//! Amazon SQS queues, Amazon SNS topics, producers and worker programs as written (`queues`,
//! `topics`, `producers`, `consumers`, and `clients[].requests[].messages`), and their
//! resolution into [`Messaging`] (`aws-behavior.md` §12–13).
//!
//! Queues resolve first (a dead-letter queue refers to another queue), then topics (their `sqs`
//! subscriptions refer to queues), then the programs and request-path messages that send to
//! them, then the worker programs that poll them. Every element is checked even when an earlier
//! one failed, and a wrong setting takes its default, so every problem is reported at once.
//!
//! | file | what it resolves | AWS names |
//! | --- | --- | --- |
//! | `queue.rs` | queues, their dead-letter queues | `QueueName`, `FifoQueue`, `VisibilityTimeout`, `RedrivePolicy` |
//! | `topic.rs` | topics and subscriptions | `TopicName`, `FifoTopic`, `Protocol`, `Endpoint`, `RawMessageDelivery` |
//! | `filter.rs` | subscription filter policies | `FilterPolicy`, `anything-but`, `prefix`, `exists`, `numeric` |
//! | `message.rs` | destinations, message templates, request-path messages | `SendMessage`, `Publish`, `MessageAttributes`, `MessageGroupId` |
//! | `producer.rs` | open-loop producers | — |
//! | `consumer.rs` | worker programs | `MaxNumberOfMessages`, `WaitTimeSeconds`, `ChangeMessageVisibility` |
//! | `names.rs`, `checks.rs` | queue and topic names, ARNs; probabilities and durations | — |
//! | `lint.rs` | warnings | — |

pub(super) mod checks;
mod consumer;
mod filter;
pub(super) mod lint;
mod message;
mod names;
mod producer;
mod queue;
mod topic;

pub use consumer::{RawConsumer, RawHeartbeat, RawStaleDelete};
pub use message::{RawMessage, RawRequestMessage};
pub use producer::RawProducer;
pub use queue::{RawQueue, RawRedrivePolicy};
pub use topic::{RawSubscription, RawTopic};

pub(in crate::scenario) use consumer::MAX_POLLERS_PER_INSTANCE;
pub(super) use message::request_messages;
pub(crate) use queue::Queues;
pub(crate) use topic::Topics;

use super::FieldError;
use super::path::JsonPath;
use super::raw::RawModel;
use crate::model::ids::{AsgId, InstanceId};
use crate::model::sqs::Messaging;
use std::collections::{BTreeMap, BTreeSet};

/// The queues and topics of a model, resolved: what producers, request types, subscriptions
/// and workers refer to.
#[derive(Debug, Default)]
pub(crate) struct Destinations {
    /// The queues.
    pub queues: Queues,
    /// The topics.
    pub topics: Topics,
}

/// Resolves `queues` and `topics`, adding every problem to `errors`.
pub(super) fn resolve_destinations(raw: &RawModel, errors: &mut Vec<FieldError>) -> Destinations {
    let root = JsonPath::root();
    let queues = queue::resolve_queues(&raw.queues, &root.key("queues"), errors);
    let topics = topic::resolve_topics(&raw.topics, &root.key("topics"), &queues, errors);
    Destinations { queues, topics }
}

/// Where worker programs may run: the model's Auto Scaling groups and instances, by name.
pub(super) struct Fleet<'a> {
    /// `AutoScalingGroupName` → group.
    pub groups: BTreeMap<&'a str, AsgId>,
    /// Instance id → instance.
    pub instances: &'a BTreeMap<String, InstanceId>,
}

/// Resolves `producers` and `consumers` against `dest` and the model's fleet, for a run of
/// `run_secs` seconds, adding every problem to `errors`.
pub(super) fn resolve_messaging(
    raw: &RawModel,
    dest: Destinations,
    instances: &BTreeMap<String, InstanceId>,
    run_secs: f64,
    errors: &mut Vec<FieldError>,
) -> Messaging {
    let root = JsonPath::root();
    let clients: BTreeSet<&str> = raw.clients.iter().map(|c| c.name.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut producers = Vec::with_capacity(raw.producers.len());
    for (i, p) in raw.producers.iter().enumerate() {
        let at = root.key("producers").index(i);
        unique(&mut seen, &p.name, &at.key("name"), "producer name", errors);
        if clients.contains(p.name.as_str()) {
            errors.push(at.key("name").error(format!(
                "expected a producer name that no client has (both name random streams and report lines), got {:?}",
                p.name
            )));
        }
        if let Some(spec) = producer::resolve_producer(p, &at, &dest, run_secs, errors) {
            producers.push(spec);
        }
    }
    let fleet = Fleet {
        groups: raw
            .auto_scaling_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), AsgId(i as u32)))
            .rev()
            .collect(),
        instances,
    };
    let mut seen = BTreeSet::new();
    let mut consumers = Vec::with_capacity(raw.consumers.len());
    for (i, c) in raw.consumers.iter().enumerate() {
        let at = root.key("consumers").index(i);
        unique(&mut seen, &c.name, &at.key("name"), "consumer name", errors);
        if let Some(spec) = consumer::resolve_consumer(c, &at, &dest, &fleet, errors) {
            consumers.push(spec);
        }
    }
    Messaging {
        queues: dest.queues.specs,
        topics: dest.topics.specs,
        producers,
        consumers,
    }
}

/// A program name: written into reports, unique among its kind.
fn unique<'a>(
    seen: &mut BTreeSet<&'a str>,
    name: &'a str,
    at: &JsonPath,
    what: &str,
    errors: &mut Vec<FieldError>,
) {
    if let Err(e) = super::names::check_name(name, at, what) {
        errors.push(e);
    } else if !seen.insert(name) {
        errors.push(at.error(format!("duplicate {what} {name:?}")));
    }
}
