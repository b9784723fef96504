//! SNS topics as written (`topics[]`, `AWS::SNS::Topic` and `AWS::SNS::Subscription` property
//! names) and their resolution into [`TopicSpec`]s: names, protocols, the queues they deliver to,
//! FIFO pairing and filter policies.

use super::super::path::JsonPath;
use super::super::values::AwsBool;
use super::super::{FieldError, keep};
use super::filter::filter_policy;
use super::names::{FIFO_SUFFIX, Service, check_name, referenced, shown};
use super::queue::{Queues, listed};
use crate::model::sqs::{Endpoint, SubscriptionSpec, TopicId, TopicSpec};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// An SNS topic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    /// `TopicName`: 1–256 letters, digits, `-`, `_`; a FIFO topic's ends in `.fifo`.
    #[serde(rename = "TopicName")]
    pub name: String,
    /// `FifoTopic` (default false); true exactly when the name ends in `.fifo`.
    #[serde(rename = "FifoTopic", default)]
    pub fifo: Option<AwsBool>,
    /// `Subscription`: where published messages go.
    #[serde(rename = "Subscriptions", default)]
    pub subscriptions: Vec<RawSubscription>,
}

/// A subscription of a topic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubscription {
    /// `Protocol`: `sqs`, or an endpoint albsim only counts (`email`, `https`, `lambda`…).
    #[serde(rename = "Protocol")]
    pub protocol: String,
    /// `Endpoint`: for `sqs`, a queue name of the model or its ARN.
    #[serde(rename = "Endpoint")]
    pub endpoint: String,
    /// `RawMessageDelivery` (default false: the queue gets SNS's JSON envelope).
    #[serde(rename = "RawMessageDelivery", default)]
    pub raw_message_delivery: Option<AwsBool>,
    /// `FilterPolicy`: which messages it gets, by message attributes (default: all).
    #[serde(rename = "FilterPolicy", default)]
    pub filter_policy: Option<BTreeMap<String, Value>>,
    /// `FilterPolicyScope`: `MessageAttributes` (the default and the only one albsim reads).
    #[serde(rename = "FilterPolicyScope", default)]
    pub filter_policy_scope: Option<String>,
}

/// Protocols whose endpoints albsim only counts.
const COUNTED: &[&str] = &[
    "email",
    "email-json",
    "http",
    "https",
    "lambda",
    "sms",
    "application",
    "firehose",
];

/// The model's topics, resolved: one spec per written topic.
#[derive(Debug, Default)]
pub(crate) struct Topics {
    /// One per `topics[i]`.
    pub specs: Vec<TopicSpec>,
    /// Topic names (as written) to ids; a duplicate keeps the first.
    pub ids: BTreeMap<String, TopicId>,
    /// Whether the topic's kind is certain (`FifoTopic` and the name agree).
    pub kind_known: Vec<bool>,
}

impl Topics {
    /// The topic a reference at `at` (a name or an SNS ARN) names.
    pub(crate) fn find(&self, text: &str, at: &JsonPath) -> Result<TopicId, FieldError> {
        let name = referenced(text, at, Service::Sns)?;
        self.ids.get(name).copied().ok_or_else(|| {
            at.error(format!(
                "expected a topic of this model ({}), got {}",
                listed(self.ids.keys()),
                shown(text)
            ))
        })
    }
}

/// Resolves `topics` (written at `at`) against the model's `queues`.
pub(crate) fn resolve_topics(
    raw: &[RawTopic],
    at: &JsonPath,
    queues: &Queues,
    errors: &mut Vec<FieldError>,
) -> Topics {
    let mut topics = Topics::default();
    for (i, t) in raw.iter().enumerate() {
        let t_at = at.index(i);
        let name_at = t_at.key("TopicName");
        keep(errors, check_name(&t.name, &name_at, Service::Sns));
        if topics.ids.contains_key(&t.name) {
            errors.push(name_at.error(format!("duplicate topic name {}", shown(&t.name))));
        } else {
            topics.ids.insert(t.name.clone(), TopicId(i as u32));
        }
        let named_fifo = t.name.ends_with(FIFO_SUFFIX);
        let fifo = t.fifo.is_some_and(|b| b.0);
        if fifo && !named_fifo {
            errors.push(name_at.error(format!(
                "expected the name of a FIFO topic to end in \".fifo\" (AWS rejects it otherwise), got {}: name it \"{}.fifo\", or leave FifoTopic out for a standard topic",
                shown(&t.name),
                t.name
            )));
        } else if named_fifo && !fifo {
            errors.push(t_at.key("FifoTopic").error(format!(
                "the topic name {} ends in \".fifo\", which only a FIFO topic's name may (AWS rejects it): set \"FifoTopic\": true, or drop the suffix for a standard topic",
                shown(&t.name)
            )));
        }
        let kind_known = fifo == named_fifo;
        let mut subscriptions = Vec::with_capacity(t.subscriptions.len());
        for (j, s) in t.subscriptions.iter().enumerate() {
            let s_at = t_at.key("Subscriptions").index(j);
            if let Some(spec) = subscription(s, &s_at, fifo, kind_known, queues, errors) {
                subscriptions.push(spec);
            }
        }
        topics.specs.push(TopicSpec {
            name: t.name.clone(),
            fifo,
            subscriptions,
        });
        topics.kind_known.push(kind_known);
    }
    topics
}

/// One subscription of a topic that is FIFO when `fifo` (certainly so when `kind_known`).
fn subscription(
    s: &RawSubscription,
    at: &JsonPath,
    fifo: bool,
    kind_known: bool,
    queues: &Queues,
    errors: &mut Vec<FieldError>,
) -> Option<SubscriptionSpec> {
    let before = errors.len();
    let endpoint_at = at.key("Endpoint");
    let endpoint = match s.protocol.as_str() {
        "sqs" => match queues.find(&s.endpoint, &endpoint_at) {
            Ok(q) => {
                let queue = &queues.specs[q.index()];
                let certain = kind_known && queues.kind_known[q.index()];
                if certain && fifo && !queue.fifo {
                    errors.push(endpoint_at.error(format!(
                        "a FIFO topic delivers to FIFO queues only (AWS rule), but {} is a standard queue",
                        shown(&queue.name)
                    )));
                } else if certain && !fifo && queue.fifo {
                    errors.push(endpoint_at.error(format!(
                        "a standard topic cannot deliver to a FIFO queue (AWS rule), and {} is one: subscribe it to a FIFO topic",
                        shown(&queue.name)
                    )));
                }
                Some(Endpoint::Queue(q))
            }
            Err(e) => {
                errors.push(e);
                None
            }
        },
        p if COUNTED.contains(&p) => {
            if fifo && kind_known {
                errors.push(at.key("Protocol").error(format!(
                    "a FIFO topic delivers to SQS FIFO queues only (AWS rule): expected \"sqs\", got {p:?}"
                )));
            }
            if s.endpoint.is_empty() {
                errors.push(endpoint_at.error(format!(
                    "expected the {p} endpoint (an address, URL or ARN), got an empty string"
                )));
            }
            Some(Endpoint::Counted)
        }
        other => {
            errors.push(at.key("Protocol").error(format!(
                "expected one of \"sqs\", {}, got {other:?}",
                COUNTED
                    .iter()
                    .map(|p| format!("{p:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
            None
        }
    };
    match s.filter_policy_scope.as_deref() {
        None | Some("MessageAttributes") => {}
        Some("MessageBody") => errors.push(at.key("FilterPolicyScope").error(
            "albsim filters on message attributes only: expected \"MessageAttributes\" (the default), got \"MessageBody\"; put the fields the policy tests into the producer's message attributes",
        )),
        Some(other) => errors.push(at.key("FilterPolicyScope").error(format!(
            "expected \"MessageAttributes\" (the default; albsim does not filter on \"MessageBody\"), got {other:?}"
        ))),
    }
    let filter = s
        .filter_policy
        .as_ref()
        .and_then(|f| filter_policy(f, &at.key("FilterPolicy"), errors));
    let raw_message_delivery = s.raw_message_delivery.is_some_and(|b| b.0);
    let endpoint_name = match endpoint {
        Some(Endpoint::Queue(q)) => queues.specs[q.index()].name.clone(),
        _ => s.endpoint.clone(),
    };
    (errors.len() == before).then(|| SubscriptionSpec {
        protocol: s.protocol.clone(),
        endpoint_name,
        endpoint: endpoint.expect("no error: endpoint resolved"),
        raw_message_delivery,
        filter,
    })
}
