//! Producers as written (`producers[]`: open-loop programs calling `SendMessage` or `Publish`)
//! and their resolution into [`ProducerSpec`]s. They use the clients' open-loop arrival shapes.

use super::super::FieldError;
use super::super::arrival::{RawArrival, resolve_load};
use super::super::path::JsonPath;
use super::Destinations;
use super::message::{RawMessage, destination, template};
use crate::model::client::Load;
use crate::model::sqs::ProducerSpec;
use serde::Deserialize;

/// An open-loop program sending messages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProducer {
    /// Name (unique among producers and clients); also names its random streams.
    pub name: String,
    /// `SendMessage` to this queue (name or ARN); or give `topic`.
    #[serde(default)]
    pub queue: Option<String>,
    /// `Publish` to this topic (name or ARN); or give `queue`.
    #[serde(default)]
    pub topic: Option<String>,
    /// When messages are sent: `constant`, `poisson`, `schedule`, `spike` or `diurnal`.
    pub arrival: RawArrival,
    /// What each message looks like (default: 1024 bytes, no attributes).
    #[serde(default)]
    pub message: Option<RawMessage>,
}

/// Resolves the producer written at `at` of a run of `run_secs` seconds; every problem goes to
/// `errors`.
pub(super) fn resolve_producer(
    raw: &RawProducer,
    at: &JsonPath,
    dest: &Destinations,
    run_secs: f64,
    errors: &mut Vec<FieldError>,
) -> Option<ProducerSpec> {
    let before = errors.len();
    let arrival_at = at.key("arrival");
    let arrival = match &raw.arrival {
        RawArrival::Users(_) | RawArrival::Websocket(_) => {
            errors.push(arrival_at.key("type").error(
                "a producer sends on a clock, whatever the queue does (open loop): expected one of \"constant\", \"poisson\", \"schedule\", \"spike\", \"diurnal\" (users and websocket are for clients)",
            ));
            None
        }
        open => match resolve_load(open, &arrival_at, run_secs) {
            Ok(Load::Open(process)) => Some(process),
            Ok(_) => None,
            Err(mut e) => {
                // The arrival shapes are the clients'; a producer sends messages.
                e.message = e
                    .message
                    .replace("requests per second", "messages per second")
                    .replace("per client", "per producer");
                errors.push(e);
                None
            }
        },
    };
    let to = match destination(raw.queue.as_deref(), raw.topic.as_deref(), at, dest) {
        Ok(to) => Some(to),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let default_message = RawMessage::default();
    let message = to.map(|to| {
        let m = raw.message.as_ref().unwrap_or(&default_message);
        template(&m.keys(), &at.key("message"), to, dest, errors)
    });
    if errors.len() > before {
        return None;
    }
    Some(ProducerSpec {
        name: raw.name.clone(),
        destination: to?,
        arrival: arrival?,
        message: message?,
    })
}
