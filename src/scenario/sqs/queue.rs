//! SQS queues as written (`queues[]`, `AWS::SQS::Queue` property names) and their resolution into
//! [`QueueSpec`]s: AWS defaults and ranges, the FIFO naming rule, and the dead-letter queue.

use super::super::path::JsonPath;
use super::super::ranges::{ranged, ranged_count, ranged_seconds};
use super::super::values::{AwsBool, AwsInt};
use super::super::{FieldError, keep};
use super::checks::{Upper, probability};
use super::names::{FIFO_SUFFIX, Service, check_name, referenced, shown};
use crate::model::sqs::{QueueId, QueueSpec, RedrivePolicy};
use serde::Deserialize;
use std::collections::BTreeMap;

/// An SQS queue (`CreateQueue` attributes, with CloudFormation's key names).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    /// `QueueName`: 1–80 letters, digits, `-`, `_`; a FIFO queue's ends in `.fifo`.
    #[serde(rename = "QueueName")]
    pub name: String,
    /// `FifoQueue` (default false); true exactly when the name ends in `.fifo`.
    #[serde(rename = "FifoQueue", default)]
    pub fifo: Option<AwsBool>,
    /// `ContentBasedDeduplication` (FIFO only; default false).
    #[serde(rename = "ContentBasedDeduplication", default)]
    pub content_based_deduplication: Option<AwsBool>,
    /// `VisibilityTimeout` \[s\], 0–43200, default 30.
    #[serde(rename = "VisibilityTimeout", default)]
    pub visibility_timeout: Option<AwsInt>,
    /// `ReceiveMessageWaitTimeSeconds` \[s\], 0–20, default 0 (short polling).
    #[serde(rename = "ReceiveMessageWaitTimeSeconds", default)]
    pub receive_message_wait_time_seconds: Option<AwsInt>,
    /// `MessageRetentionPeriod` \[s\], 60–1209600, default 345600 (4 days).
    #[serde(rename = "MessageRetentionPeriod", default)]
    pub message_retention_period: Option<AwsInt>,
    /// `DelaySeconds` \[s\], 0–900, default 0.
    #[serde(rename = "DelaySeconds", default)]
    pub delay_seconds: Option<AwsInt>,
    /// `MaximumMessageSize` \[bytes\], 1024–1048576, default 262144.
    #[serde(rename = "MaximumMessageSize", default)]
    pub maximum_message_size: Option<AwsInt>,
    /// `RedrivePolicy`: where messages go after `maxReceiveCount` receives.
    #[serde(rename = "RedrivePolicy", default)]
    pub redrive_policy: Option<RawRedrivePolicy>,
    /// albsim: chance \[0, 1) that a deleted message of a standard queue is delivered again
    /// (default 0).
    #[serde(default)]
    pub duplicate_probability: Option<f64>,
    /// albsim: share (0, 1] of the queue's messages one short-polling receive can find (default
    /// 0.5).
    #[serde(default)]
    pub short_poll_sample: Option<f64>,
}

/// A queue's `RedrivePolicy`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedrivePolicy {
    /// `deadLetterTargetArn`: a queue name of the model, or its ARN.
    #[serde(rename = "deadLetterTargetArn")]
    pub dead_letter_target_arn: String,
    /// `maxReceiveCount`, 1–1000.
    #[serde(rename = "maxReceiveCount")]
    pub max_receive_count: AwsInt,
}

/// The model's queues, resolved: one spec per written queue (a wrong setting takes its default,
/// so every other setting and every reference is still checked).
#[derive(Debug, Default)]
pub(crate) struct Queues {
    /// One per `queues[i]`.
    pub specs: Vec<QueueSpec>,
    /// Queue names (as written) to ids; a duplicate keeps the first.
    pub ids: BTreeMap<String, QueueId>,
    /// Whether the queue's kind (standard or FIFO) is certain: false when `FifoQueue` and the
    /// name disagree, so checks of the kind would only repeat that error.
    pub kind_known: Vec<bool>,
}

impl Queues {
    /// The queue a reference at `at` (a name or an SQS ARN) names.
    pub(crate) fn find(&self, text: &str, at: &JsonPath) -> Result<QueueId, FieldError> {
        let name = referenced(text, at, Service::Sqs)?;
        self.ids.get(name).copied().ok_or_else(|| {
            at.error(format!(
                "expected a queue of this model ({}), got {}",
                listed(self.ids.keys()),
                shown(text)
            ))
        })
    }
}

/// Names for a message: `"a", "b", "c"` (at most 10, then `…`), or "it has none".
pub(super) fn listed<S: AsRef<str>>(names: impl Iterator<Item = S>) -> String {
    let names: Vec<S> = names.collect();
    if names.is_empty() {
        return "it has none".into();
    }
    let mut s: Vec<String> = names
        .iter()
        .take(10)
        .map(|n| format!("{:?}", n.as_ref()))
        .collect();
    if names.len() > 10 {
        s.push("…".into());
    }
    s.join(", ")
}

/// Resolves `queues` (written at `at`), adding every problem to `errors`.
pub(crate) fn resolve_queues(
    raw: &[RawQueue],
    at: &JsonPath,
    errors: &mut Vec<FieldError>,
) -> Queues {
    let mut queues = Queues::default();
    for (i, q) in raw.iter().enumerate() {
        let q_at = at.index(i);
        let name_at = q_at.key("QueueName");
        keep(errors, check_name(&q.name, &name_at, Service::Sqs));
        if queues.ids.contains_key(&q.name) {
            errors.push(name_at.error(format!("duplicate queue name {}", shown(&q.name))));
        } else {
            queues.ids.insert(q.name.clone(), QueueId(i as u32));
        }
        let (spec, kind_known) = resolve_queue(q, &q_at, errors);
        queues.specs.push(spec);
        queues.kind_known.push(kind_known);
    }
    for (i, q) in raw.iter().enumerate() {
        if let Some(r) = &q.redrive_policy {
            let r_at = at.index(i).key("RedrivePolicy");
            queues.specs[i].redrive = keep(errors, redrive(&queues, i, r, &r_at));
        }
    }
    queues
}

/// One queue's own settings (everything but its dead-letter queue), and whether its kind is
/// certain.
fn resolve_queue(q: &RawQueue, at: &JsonPath, errors: &mut Vec<FieldError>) -> (QueueSpec, bool) {
    let named_fifo = q.name.ends_with(FIFO_SUFFIX);
    let fifo = q.fifo.is_some_and(|b| b.0);
    let kind_known = fifo == named_fifo;
    if fifo && !named_fifo {
        errors.push(at.key("QueueName").error(format!(
            "expected the name of a FIFO queue to end in \".fifo\" (AWS rejects it otherwise), got {}: name it \"{}.fifo\", or leave FifoQueue out for a standard queue",
            shown(&q.name),
            q.name
        )));
    } else if named_fifo && !fifo {
        errors.push(at.key("FifoQueue").error(format!(
            "the queue name {} ends in \".fifo\", which only a FIFO queue's name may (AWS rejects it): set \"FifoQueue\": true, or drop the suffix for a standard queue",
            shown(&q.name)
        )));
    }
    if q.content_based_deduplication.is_some_and(|b| b.0) && !fifo {
        errors.push(at.key("ContentBasedDeduplication").error(
            "ContentBasedDeduplication applies to FIFO queues only (standard queues do not deduplicate): set \"FifoQueue\": true or leave it out",
        ));
    }
    let secs = |key: &str, v: Option<AwsInt>, lo, hi, default, errors: &mut Vec<FieldError>| {
        let at = at.key(key);
        keep(errors, ranged_seconds(v.map(|v| v.0), &at, lo, hi, default))
            .unwrap_or(crate::engine::SimDuration::from_secs(default as u64))
    };
    let visibility_timeout = secs(
        "VisibilityTimeout",
        q.visibility_timeout,
        0,
        43_200,
        30,
        errors,
    );
    let receive_wait = secs(
        "ReceiveMessageWaitTimeSeconds",
        q.receive_message_wait_time_seconds,
        0,
        20,
        0,
        errors,
    );
    let retention = secs(
        "MessageRetentionPeriod",
        q.message_retention_period,
        60,
        1_209_600,
        345_600,
        errors,
    );
    let delay = secs("DelaySeconds", q.delay_seconds, 0, 900, 0, errors);
    // A wrong size takes the largest allowed, so the sizes of messages sent here are not
    // reported as well.
    let maximum_message_size = keep(
        errors,
        ranged(
            q.maximum_message_size.map(|v| v.0),
            &at.key("MaximumMessageSize"),
            1024,
            1_048_576,
            262_144,
            "bytes",
        ),
    )
    .unwrap_or(1_048_576) as u64;
    let dup_at = at.key("duplicate_probability");
    let mut duplicate_probability = keep(
        errors,
        probability(q.duplicate_probability, &dup_at, Upper::Excluded),
    )
    .unwrap_or(0.0);
    if fifo && duplicate_probability > 0.0 {
        errors.push(dup_at.error(
            "FIFO queues deliver each message once (exactly-once processing): duplicate_probability applies to standard queues only",
        ));
        duplicate_probability = 0.0;
    }
    let short_poll_sample = match q.short_poll_sample {
        None => 0.5,
        Some(s) if s > 0.0 && s <= 1.0 => s,
        Some(s) => {
            errors.push(at.key("short_poll_sample").error(format!(
                "expected the share of messages a short poll can find, above 0 and at most 1, got {}",
                super::super::number::readable(s)
            )));
            0.5
        }
    };
    let spec = QueueSpec {
        name: q.name.clone(),
        fifo,
        content_based_deduplication: fifo && q.content_based_deduplication.is_some_and(|b| b.0),
        visibility_timeout,
        receive_wait,
        retention,
        delay,
        maximum_message_size,
        redrive: None,
        duplicate_probability,
        short_poll_sample,
    };
    (spec, kind_known)
}

/// The `RedrivePolicy` of queue `i`, written at `at`.
fn redrive(
    queues: &Queues,
    i: usize,
    r: &RawRedrivePolicy,
    at: &JsonPath,
) -> Result<RedrivePolicy, FieldError> {
    let count_at = at.key("maxReceiveCount");
    let max_receive_count = ranged_count(Some(r.max_receive_count.0), &count_at, 1, 1000, 0)?;
    let target_at = at.key("deadLetterTargetArn");
    let dlq = queues.find(&r.dead_letter_target_arn, &target_at)?;
    let (source, target) = (&queues.specs[i], &queues.specs[dlq.index()]);
    if dlq.index() == i {
        return Err(target_at.error(format!(
            "expected another queue: queue {} cannot be its own dead-letter queue",
            shown(&source.name)
        )));
    }
    let certain = queues.kind_known[i] && queues.kind_known[dlq.index()];
    if certain && source.fifo != target.fifo {
        let kind = |fifo| if fifo { "a FIFO" } else { "a standard" };
        return Err(target_at.error(format!(
            "the dead-letter queue of {} queue must be {} queue too (AWS rule), but {} is {} queue",
            kind(source.fifo),
            kind(source.fifo),
            shown(&target.name),
            kind(target.fifo)
        )));
    }
    Ok(RedrivePolicy {
        dead_letter_queue: dlq,
        max_receive_count: max_receive_count as u32,
    })
}
