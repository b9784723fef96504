//! A client's `retry` settings as written, and their check into a [`RetryPolicy`].
//!
//! Defaults are the AWS SDKs' `standard` retry mode: 3 attempts, exponential backoff from 100 ms
//! (the JavaScript v3 and Java v2 SDKs; botocore starts at 1 s) capped at 20 s with full jitter,
//! the transient statuses 500, 502, 503 and 504 and timeouts retried, and the retry quota of 500
//! tokens (5 a retry, 10 after a timeout, 1 back for a first-attempt success).

use super::FieldError;
use super::path::JsonPath;
use super::ranges::count_in;
use super::sqs::checks::{duration_in, words};
use super::values::DurationValue;
use crate::model::retry::{BackoffKind, CLIENT_GAVE_UP, Jitter, QuotaSpec, RetryPolicy};
use serde::Deserialize;
use std::time::Duration;

/// `clients[i].retry`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetry {
    /// Attempts in all, the first included (1–10, default 3).
    #[serde(default)]
    pub max_attempts: Option<u8>,
    /// `exponential` (default) or `constant`.
    #[serde(default)]
    pub backoff: Option<RawBackoff>,
    /// First delay (exponential) or every delay (constant), before jitter (default 100 ms).
    #[serde(default)]
    pub base: Option<DurationValue>,
    /// Longest delay (default 20 s).
    #[serde(default)]
    pub max: Option<DurationValue>,
    /// `full` (default), `equal`, `decorrelated` or `none`.
    #[serde(default)]
    pub jitter: Option<RawJitter>,
    /// Status codes retried (default 500, 502, 503, 504).
    #[serde(default)]
    pub on_status: Option<Vec<u16>>,
    /// Whether a request the client gave up on (its type's `timeout`) is retried (default true).
    #[serde(default)]
    pub on_timeout: Option<bool>,
    /// The retry quota: `"off"`, or tokens (default: the SDK's).
    #[serde(default)]
    pub quota: Option<serde_json::Value>,
}

/// `retry.backoff`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawBackoff {
    /// Doubling delays.
    Exponential,
    /// The same delay every time.
    Constant,
}

/// `retry.jitter`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawJitter {
    /// No randomness.
    None,
    /// Uniform from 0 to the delay.
    Full,
    /// Half the delay plus uniform up to the other half.
    Equal,
    /// Uniform from base to three times the previous delay.
    Decorrelated,
}

/// The SDK's retry quota (`standard` mode).
pub const SDK_QUOTA: QuotaSpec = QuotaSpec {
    initial_tokens: 500,
    retry_cost: 5,
    timeout_cost: 10,
    success_increment: 1,
};

/// The SDK's transient statuses.
const SDK_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// Longest backoff accepted.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Checks `raw` (at `path`, a client's `retry`).
pub(super) fn resolve_retry(raw: &RawRetry, path: &JsonPath) -> Result<RetryPolicy, FieldError> {
    let max_attempts = count_in(
        raw.max_attempts.unwrap_or(3),
        &path.key("max_attempts"),
        1,
        10,
        "attempts (the first included)",
    )?;
    let base = duration_in(
        raw.base,
        &path.key("base"),
        Duration::ZERO,
        MAX_BACKOFF,
        Duration::from_millis(100),
        false,
    )?;
    let max = duration_in(
        raw.max,
        &path.key("max"),
        Duration::ZERO,
        MAX_BACKOFF,
        Duration::from_secs(20),
        false,
    )?;
    if max < base {
        return Err(path.key("max").error(format!(
            "expected the longest delay to be at least base ({}), got {}",
            words(Duration::from_nanos(base.0)),
            words(Duration::from_nanos(max.0))
        )));
    }
    let mut on_status = raw
        .on_status
        .clone()
        .unwrap_or_else(|| SDK_STATUSES.to_vec());
    for (i, &s) in on_status.iter().enumerate() {
        if !(400..=599).contains(&s) || s == CLIENT_GAVE_UP {
            return Err(path.key("on_status").index(i).error(format!(
                "expected an error status from 400 to 599 (not 460: a timeout is retried by on_timeout), got {s}"
            )));
        }
    }
    on_status.sort_unstable();
    on_status.dedup();
    Ok(RetryPolicy {
        max_attempts,
        kind: match raw.backoff.unwrap_or(RawBackoff::Exponential) {
            RawBackoff::Exponential => BackoffKind::Exponential,
            RawBackoff::Constant => BackoffKind::Constant,
        },
        base,
        max,
        jitter: match raw.jitter.unwrap_or(RawJitter::Full) {
            RawJitter::None => Jitter::None,
            RawJitter::Full => Jitter::Full,
            RawJitter::Equal => Jitter::Equal,
            RawJitter::Decorrelated => Jitter::Decorrelated,
        },
        on_status,
        on_timeout: raw.on_timeout.unwrap_or(true),
        quota: resolve_quota(raw.quota.as_ref(), &path.key("quota"))?,
    })
}

/// `"off"`, an object of tokens, or nothing (the SDK's quota).
fn resolve_quota(
    v: Option<&serde_json::Value>,
    path: &JsonPath,
) -> Result<Option<QuotaSpec>, FieldError> {
    use serde_json::Value;
    let map = match v {
        None => return Ok(Some(SDK_QUOTA)),
        Some(Value::String(s)) if s == "off" => return Ok(None),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(path.error(format!(
                "expected \"off\" or {{\"initial_tokens\": 500, \"retry_cost\": 5, \"timeout_cost\": 10, \"success_increment\": 1}}, got {other}"
            )));
        }
    };
    const KEYS: [&str; 4] = [
        "initial_tokens",
        "retry_cost",
        "timeout_cost",
        "success_increment",
    ];
    if let Some(k) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(path.key(k).error(format!(
            "unknown key {k:?}; allowed keys: {}",
            KEYS.join(", ")
        )));
    }
    let tokens = |key: &str, default: u32| -> Result<u32, FieldError> {
        match map.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|&n| n <= 1_000_000)
                .map(|n| n as u32)
                .ok_or_else(|| {
                    path.key(key).error(format!(
                        "expected a whole number of tokens from 0 to 1000000, got {v}"
                    ))
                }),
        }
    };
    let spec = QuotaSpec {
        initial_tokens: tokens("initial_tokens", SDK_QUOTA.initial_tokens)?,
        retry_cost: tokens("retry_cost", SDK_QUOTA.retry_cost)?,
        timeout_cost: tokens("timeout_cost", SDK_QUOTA.timeout_cost)?,
        success_increment: tokens("success_increment", SDK_QUOTA.success_increment)?,
    };
    Ok(Some(spec))
}

/// A request type's `timeout` (at `path`): from 1 ms to 1 h.
pub(super) fn resolve_timeout(
    v: Option<DurationValue>,
    path: &JsonPath,
) -> Result<Option<crate::engine::SimDuration>, FieldError> {
    v.map(|d| {
        duration_in(
            Some(d),
            path,
            Duration::from_millis(1),
            MAX_BACKOFF,
            Duration::ZERO,
            false,
        )
    })
    .transpose()
}
