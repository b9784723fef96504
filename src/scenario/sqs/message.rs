//! What a program sends: the destination (`queue` or `topic`, by name or ARN) and the message
//! template (`size_bytes`, `attributes`, `message_groups`, resends), shared by producers and the
//! request path (`clients[].requests[].messages[]`).

use super::super::FieldError;
use super::super::path::JsonPath;
use super::super::values::DurationValue;
use super::Destinations;
use super::checks::{Upper, duration_in, probability};
use super::names::shown;
use crate::model::sqs::{
    Destination, Endpoint, MessageGroups, MessageTemplate, RequestMessage, SNS_ENVELOPE_BYTES,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// Most message attributes a message may carry (AWS: 10).
pub(super) const MAX_ATTRIBUTES: usize = 10;

/// Largest message SNS publishes \[bytes\] (256 KiB).
pub(super) const SNS_MAX_MESSAGE_BYTES: u64 = 262_144;

/// Most FIFO message groups a template spreads messages over.
const MAX_GROUPS: u32 = 100_000;

/// Default body size \[bytes\].
const DEFAULT_SIZE: u64 = 1024;

/// What each message looks like (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMessage {
    /// Body size \[bytes\] (default 1024).
    #[serde(default)]
    pub size_bytes: Option<u64>,
    /// `MessageAttributes`: name → string or number (at most 10).
    #[serde(default)]
    pub attributes: BTreeMap<String, Value>,
    /// FIFO: number of `MessageGroupId`s messages are spread over (default 1).
    #[serde(default)]
    pub message_groups: Option<u32>,
    /// albsim: chance \[0, 1\] that a send is repeated (a producer retry; default 0).
    #[serde(default)]
    pub resend_probability: Option<f64>,
    /// albsim: how long after the send a repeat comes (0–15 min, default 1 s).
    #[serde(default)]
    pub resend_after: Option<DurationValue>,
}

/// A message a request type's target sends after serving it: the destination and the keys of
/// [`RawMessage`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequestMessage {
    /// `SendMessage` to this queue (name or ARN); or give `topic`.
    #[serde(default)]
    pub queue: Option<String>,
    /// `Publish` to this topic (name or ARN); or give `queue`.
    #[serde(default)]
    pub topic: Option<String>,
    /// Body size \[bytes\] (default 1024).
    #[serde(default)]
    pub size_bytes: Option<u64>,
    /// `MessageAttributes`: name → string or number (at most 10).
    #[serde(default)]
    pub attributes: BTreeMap<String, Value>,
    /// FIFO: number of `MessageGroupId`s messages are spread over (default 1).
    #[serde(default)]
    pub message_groups: Option<u32>,
    /// albsim: chance \[0, 1\] that a send is repeated (default 0).
    #[serde(default)]
    pub resend_probability: Option<f64>,
    /// albsim: how long after the send a repeat comes (default 1 s).
    #[serde(default)]
    pub resend_after: Option<DurationValue>,
}

/// The template keys of either kind of message, borrowed.
pub(super) struct TemplateKeys<'a> {
    /// `size_bytes`.
    pub size_bytes: Option<u64>,
    /// `attributes`.
    pub attributes: &'a BTreeMap<String, Value>,
    /// `message_groups`.
    pub message_groups: Option<u32>,
    /// `resend_probability`.
    pub resend_probability: Option<f64>,
    /// `resend_after`.
    pub resend_after: Option<DurationValue>,
}

impl RawMessage {
    /// Its template keys.
    pub(super) fn keys(&self) -> TemplateKeys<'_> {
        TemplateKeys {
            size_bytes: self.size_bytes,
            attributes: &self.attributes,
            message_groups: self.message_groups,
            resend_probability: self.resend_probability,
            resend_after: self.resend_after,
        }
    }
}

impl RawRequestMessage {
    /// Its template keys (all but `queue` and `topic`).
    fn keys(&self) -> TemplateKeys<'_> {
        TemplateKeys {
            size_bytes: self.size_bytes,
            attributes: &self.attributes,
            message_groups: self.message_groups,
            resend_probability: self.resend_probability,
            resend_after: self.resend_after,
        }
    }
}

/// Exactly one of `queue` / `topic` of the object at `at`, resolved.
pub(super) fn destination(
    queue: Option<&str>,
    topic: Option<&str>,
    at: &JsonPath,
    dest: &Destinations,
) -> Result<Destination, FieldError> {
    match (queue, topic) {
        (Some(q), None) => dest
            .queues
            .find(q, &at.key("queue"))
            .map(Destination::Queue),
        (None, Some(t)) => dest
            .topics
            .find(t, &at.key("topic"))
            .map(Destination::Topic),
        (Some(_), Some(_)) => {
            Err(at
                .error("expected either \"queue\" (SendMessage) or \"topic\" (Publish), not both"))
        }
        (None, None) => Err(at
            .error("expected \"queue\" (a queue to send to) or \"topic\" (a topic to publish to)")),
    }
}

/// Whether messages to `to` carry a `MessageGroupId` (a FIFO queue or topic).
fn fifo(to: Destination, dest: &Destinations) -> bool {
    match to {
        Destination::Queue(q) => dest.queues.specs[q.index()].fifo,
        Destination::Topic(t) => dest.topics.specs[t.index()].fifo,
    }
}

/// The template written at `at` for messages to `to`; every problem goes to `errors`.
pub(super) fn template(
    keys: &TemplateKeys,
    at: &JsonPath,
    to: Destination,
    dest: &Destinations,
    errors: &mut Vec<FieldError>,
) -> MessageTemplate {
    let size_bytes = keys.size_bytes.unwrap_or(DEFAULT_SIZE);
    check_size(size_bytes, &at.key("size_bytes"), to, dest, errors);
    let attr_at = at.key("attributes");
    if keys.attributes.len() > MAX_ATTRIBUTES {
        errors.push(attr_at.error(format!(
            "expected at most {MAX_ATTRIBUTES} message attributes (AWS limit), got {}",
            keys.attributes.len()
        )));
    }
    let mut attributes = Vec::with_capacity(keys.attributes.len());
    for (name, value) in keys.attributes {
        let text =
            match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => {
                    errors.push(attr_at.key(name).error(
                        "expected a string (DataType String) or a number (DataType Number)",
                    ));
                    continue;
                }
            };
        if name.is_empty() || name.len() > 256 {
            errors.push(attr_at.key(name).error(format!(
                "expected a message attribute name of 1–256 characters, got {}",
                shown(name)
            )));
        }
        attributes.push((name.clone(), text));
    }
    let is_fifo = fifo(to, dest);
    let groups_at = at.key("message_groups");
    let groups = match (keys.message_groups, is_fifo) {
        (None, false) => MessageGroups::None,
        (None, true) => MessageGroups::Random { count: 1 },
        (Some(_), false) => {
            errors.push(groups_at.error(
                "message_groups applies to FIFO queues and topics only (a MessageGroupId orders messages of one group); the destination is standard",
            ));
            MessageGroups::None
        }
        (Some(n), true) if (1..=MAX_GROUPS).contains(&n) => MessageGroups::Random { count: n },
        (Some(n), true) => {
            errors
                .push(groups_at.error(format!("expected 1–{MAX_GROUPS} message groups, got {n}")));
            MessageGroups::Random { count: 1 }
        }
    };
    let resend_probability = probability(
        keys.resend_probability,
        &at.key("resend_probability"),
        Upper::Included,
    )
    .unwrap_or_else(|e| {
        errors.push(e);
        0.0
    });
    let resend_after = duration_in(
        keys.resend_after,
        &at.key("resend_after"),
        Duration::ZERO,
        Duration::from_secs(900),
        Duration::from_secs(1),
        false,
    )
    .unwrap_or_else(|e| {
        errors.push(e);
        crate::engine::SimDuration::from_secs(1)
    });
    MessageTemplate {
        size_bytes,
        attributes,
        groups,
        resend_probability,
        resend_after,
    }
}

/// A body of `size` bytes must fit the queue it is sent to, or SNS's limit and every queue the
/// topic delivers it to (with SNS's JSON envelope unless `RawMessageDelivery`).
fn check_size(
    size: u64,
    at: &JsonPath,
    to: Destination,
    dest: &Destinations,
    errors: &mut Vec<FieldError>,
) {
    if size == 0 {
        errors.push(at.error("expected a message of at least 1 byte, got 0"));
        return;
    }
    match to {
        Destination::Queue(q) => {
            let queue = &dest.queues.specs[q.index()];
            if size > queue.maximum_message_size {
                errors.push(at.error(format!(
                    "expected 1–{} bytes (the MaximumMessageSize of queue {}), got {size}",
                    queue.maximum_message_size,
                    shown(&queue.name)
                )));
            }
        }
        Destination::Topic(t) => {
            let topic = &dest.topics.specs[t.index()];
            if size > SNS_MAX_MESSAGE_BYTES {
                errors.push(at.error(format!(
                    "expected 1–{SNS_MAX_MESSAGE_BYTES} bytes (the largest message SNS publishes), got {size}"
                )));
                return;
            }
            for s in &topic.subscriptions {
                let Endpoint::Queue(q) = s.endpoint else {
                    continue;
                };
                let queue = &dest.queues.specs[q.index()];
                let delivered = if s.raw_message_delivery {
                    size
                } else {
                    size + SNS_ENVELOPE_BYTES
                };
                if delivered > queue.maximum_message_size {
                    let how = if s.raw_message_delivery {
                        String::new()
                    } else {
                        format!(
                            " with SNS's JSON envelope (about {SNS_ENVELOPE_BYTES} bytes; RawMessageDelivery is off)"
                        )
                    };
                    errors.push(at.error(format!(
                        "a message of {size} bytes published to topic {} reaches queue {} as {delivered} bytes{how}, more than its MaximumMessageSize of {}: expected at most {} bytes",
                        shown(&topic.name),
                        shown(&queue.name),
                        queue.maximum_message_size,
                        queue
                            .maximum_message_size
                            .saturating_sub(delivered - size)
                    )));
                }
            }
        }
    }
}

/// Most messages one request type sends.
pub(super) const MAX_REQUEST_MESSAGES: usize = 10;

/// The messages of one request type, written at `at`; every problem goes to `errors`.
pub(crate) fn request_messages(
    raw: &[RawRequestMessage],
    at: &JsonPath,
    dest: &Destinations,
    errors: &mut Vec<FieldError>,
) -> Vec<RequestMessage> {
    if raw.len() > MAX_REQUEST_MESSAGES {
        errors.push(at.error(format!(
            "expected at most {MAX_REQUEST_MESSAGES} messages per request type, got {}",
            raw.len()
        )));
    }
    let mut out = Vec::with_capacity(raw.len());
    for (i, m) in raw.iter().enumerate() {
        let m_at = at.index(i);
        match destination(m.queue.as_deref(), m.topic.as_deref(), &m_at, dest) {
            Ok(to) => {
                let message = template(&m.keys(), &m_at, to, dest, errors);
                out.push(RequestMessage {
                    destination: to,
                    message,
                });
            }
            Err(e) => errors.push(e),
        }
    }
    out
}
