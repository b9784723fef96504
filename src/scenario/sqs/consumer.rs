//! Worker programs as written (`consumers[]`: pollers calling `ReceiveMessage`, processing each
//! message on the instance's CPU, then `DeleteMessage`) and their resolution into
//! [`ConsumerSpec`]s.

use super::super::FieldError;
use super::super::distribution::{RawDistribution, resolve_distribution};
use super::super::path::JsonPath;
use super::super::ranges::{count_in, ranged_count, ranged_seconds};
use super::super::values::{AwsInt, DurationValue};
use super::checks::{Upper, duration_in, probability};
use super::names::shown;
use super::queue::listed;
use super::{Destinations, Fleet};
use crate::engine::SimDuration;
use crate::model::sqs::{ConsumerSpec, Heartbeat, MAX_VISIBILITY, Placement, StaleDelete};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::time::Duration;

/// Most pollers one instance runs.
pub(in crate::scenario) const MAX_POLLERS_PER_INSTANCE: u32 = 1000;

/// A worker program.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsumer {
    /// Name (unique among consumers).
    pub name: String,
    /// The queue it polls (name or ARN).
    pub queue: String,
    /// Runs on every instance of this Auto Scaling group; or give `instances`.
    #[serde(default)]
    pub auto_scaling_group: Option<String>,
    /// Runs on these instances (ids); or give `auto_scaling_group`.
    #[serde(default)]
    pub instances: Option<Vec<String>>,
    /// Pollers per instance, each holding one receive at a time (1–1000, default 1).
    #[serde(default)]
    pub pollers_per_instance: Option<u32>,
    /// `MaxNumberOfMessages` per `ReceiveMessage` (1–10, default 1).
    #[serde(rename = "MaxNumberOfMessages", default)]
    pub max_number_of_messages: Option<AwsInt>,
    /// `WaitTimeSeconds` (0–20; default: the queue's `ReceiveMessageWaitTimeSeconds`).
    #[serde(rename = "WaitTimeSeconds", default)]
    pub wait_time_seconds: Option<AwsInt>,
    /// CPU time to process one message.
    pub processing_time: RawDistribution,
    /// Chance \[0, 1\] that processing fails and the message is not deleted (default 0).
    #[serde(default)]
    pub failure_probability: Option<f64>,
    /// `ChangeMessageVisibility` while processing (default: none).
    #[serde(default)]
    pub heartbeat: Option<RawHeartbeat>,
    /// Instance scale-in protection while it holds messages (only with `auto_scaling_group`).
    #[serde(default)]
    pub scale_in_protection: Option<bool>,
    /// What a `DeleteMessage` with a stale receipt handle does (default `not_deleted`).
    #[serde(default)]
    pub stale_receipt_delete: Option<RawStaleDelete>,
    /// Round trip of one SQS API call (1 ms–10 s, default 10 ms).
    #[serde(default)]
    pub api_latency: Option<DurationValue>,
    /// Pause after an empty receive (0–1 h, default 0).
    #[serde(default)]
    pub empty_receive_pause: Option<DurationValue>,
    /// Wait before retrying a throttled call (1 ms–1 min, default 100 ms).
    #[serde(default)]
    pub throttle_backoff: Option<DurationValue>,
}

/// A heartbeat: `ChangeMessageVisibility` every `interval` while a message is processed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeartbeat {
    /// How often (above 0, at most 12 h).
    pub interval: DurationValue,
    /// `VisibilityTimeout` each call sets \[s\], counted from the call (0–43200; default: the
    /// queue's `VisibilityTimeout`).
    #[serde(rename = "VisibilityTimeout", default)]
    pub visibility_timeout: Option<AwsInt>,
}

/// `stale_receipt_delete`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawStaleDelete {
    /// The message is not deleted (AWS: it "might not be deleted").
    NotDeleted,
    /// The message is deleted anyway.
    Deleted,
}

/// Resolves the consumer written at `at`; every problem goes to `errors`.
pub(super) fn resolve_consumer(
    raw: &RawConsumer,
    at: &JsonPath,
    dest: &Destinations,
    fleet: &Fleet,
    errors: &mut Vec<FieldError>,
) -> Option<ConsumerSpec> {
    let before = errors.len();
    let queue = push(dest.queues.find(&raw.queue, &at.key("queue")), errors);
    let placement = push(placement(raw, at, fleet), errors);
    let pollers_per_instance = push(
        count_in(
            raw.pollers_per_instance.unwrap_or(1),
            &at.key("pollers_per_instance"),
            1,
            MAX_POLLERS_PER_INSTANCE,
            "pollers per instance",
        ),
        errors,
    );
    let max_messages = push(
        ranged_count(
            raw.max_number_of_messages.map(|v| v.0),
            &at.key("MaxNumberOfMessages"),
            1,
            10,
            1,
        ),
        errors,
    );
    let queue_spec = queue.map(|q| &dest.queues.specs[q.index()]);
    let queue_wait = queue_spec.map_or(0, |q| q.receive_wait.0 / 1_000_000_000) as i64;
    let wait = push(
        ranged_seconds(
            raw.wait_time_seconds.map(|v| v.0),
            &at.key("WaitTimeSeconds"),
            0,
            20,
            queue_wait,
        ),
        errors,
    );
    let processing_time = push(
        resolve_distribution(&raw.processing_time, &at.key("processing_time")),
        errors,
    );
    let failure_probability = push(
        probability(
            raw.failure_probability,
            &at.key("failure_probability"),
            Upper::Included,
        ),
        errors,
    );
    let heartbeat = match &raw.heartbeat {
        None => Some(None),
        Some(h) => {
            let default = queue_spec.map_or(SimDuration::from_secs(30), |q| q.visibility_timeout);
            push(heartbeat(h, &at.key("heartbeat"), default), errors).map(Some)
        }
    };
    let scale_in_protection = raw.scale_in_protection.unwrap_or(false);
    if scale_in_protection && raw.auto_scaling_group.is_none() {
        errors.push(at.key("scale_in_protection").error(
            "scale-in protection is an Auto Scaling group's (SetInstanceProtection): it applies only with \"auto_scaling_group\", not with \"instances\"",
        ));
    }
    let stale_delete = match raw.stale_receipt_delete {
        None | Some(RawStaleDelete::NotDeleted) => StaleDelete::NotDeleted,
        Some(RawStaleDelete::Deleted) => StaleDelete::Deleted,
    };
    let ms = Duration::from_millis;
    let api_latency = push(
        duration_in(
            raw.api_latency,
            &at.key("api_latency"),
            ms(1),
            ms(10_000),
            ms(10),
            false,
        ),
        errors,
    );
    let empty_receive_pause = push(
        duration_in(
            raw.empty_receive_pause,
            &at.key("empty_receive_pause"),
            Duration::ZERO,
            Duration::from_secs(3600),
            Duration::ZERO,
            false,
        ),
        errors,
    );
    let throttle_backoff = push(
        duration_in(
            raw.throttle_backoff,
            &at.key("throttle_backoff"),
            ms(1),
            ms(60_000),
            ms(100),
            false,
        ),
        errors,
    );
    if errors.len() > before {
        return None;
    }
    Some(ConsumerSpec {
        name: raw.name.clone(),
        queue: queue?,
        placement: placement?,
        pollers_per_instance: pollers_per_instance?,
        max_messages: max_messages? as u32,
        wait: wait?,
        processing_time: processing_time?,
        failure_probability: failure_probability?,
        heartbeat: heartbeat?,
        scale_in_protection,
        stale_delete,
        api_latency: api_latency?,
        empty_receive_pause: empty_receive_pause?,
        throttle_backoff: throttle_backoff?,
    })
}

/// The value of `r`, or `None` with its error added to `errors`.
fn push<T>(r: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    super::super::keep(errors, r)
}

/// Exactly one of `auto_scaling_group` / `instances`.
fn placement(raw: &RawConsumer, at: &JsonPath, fleet: &Fleet) -> Result<Placement, FieldError> {
    match (&raw.auto_scaling_group, &raw.instances) {
        (Some(g), None) => {
            let g_at = at.key("auto_scaling_group");
            fleet.groups.get(g.as_str()).map(|&id| Placement::Group(id)).ok_or_else(|| {
                g_at.error(format!(
                    "expected an Auto Scaling group of this model ({}), got {}",
                    listed(fleet.groups.keys()),
                    shown(g)
                ))
            })
        }
        (None, Some(ids)) => {
            let i_at = at.key("instances");
            if ids.is_empty() {
                return Err(i_at.error("expected at least one instance id"));
            }
            let mut seen = BTreeSet::new();
            let mut out = Vec::with_capacity(ids.len());
            for (k, id) in ids.iter().enumerate() {
                let here = i_at.index(k);
                if !seen.insert(id.as_str()) {
                    return Err(here.error(format!("duplicate instance id {}", shown(id))));
                }
                let found = fleet.instances.get(id.as_str()).ok_or_else(|| {
                    here.error(format!(
                        "expected an instance id of this model's instances, got {}",
                        shown(id)
                    ))
                })?;
                out.push(*found);
            }
            Ok(Placement::Instances(out))
        }
        (Some(_), Some(_)) => Err(at.error(
            "expected either \"auto_scaling_group\" or \"instances\" (where the workers run), not both",
        )),
        (None, None) => Err(at.error(
            "expected \"auto_scaling_group\" (workers on every instance of a group) or \"instances\" (workers on these instances)",
        )),
    }
}

/// A heartbeat written at `at`; `default` is the queue's `VisibilityTimeout`.
fn heartbeat(
    h: &RawHeartbeat,
    at: &JsonPath,
    default: SimDuration,
) -> Result<Heartbeat, FieldError> {
    let interval = duration_in(
        Some(h.interval),
        &at.key("interval"),
        Duration::ZERO,
        Duration::from_nanos(MAX_VISIBILITY.0),
        Duration::ZERO,
        true,
    )?;
    let visibility_timeout = match h.visibility_timeout {
        None => default,
        Some(v) => ranged_seconds(Some(v.0), &at.key("VisibilityTimeout"), 0, 43_200, 0)?,
    };
    Ok(Heartbeat {
        interval,
        visibility_timeout,
    })
}
