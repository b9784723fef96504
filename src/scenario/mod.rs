//! Model files: reading, checking and resolving them into a runnable [`Scenario`].
//!
//! Stages, as ripgrep separates low-level and high-level arguments:
//! 1. [`read_model`]: at most [`limits::MAX_MODEL_BYTES`] of UTF-8 text;
//! 2. [`shape`] + [`raw`]: the JSON exactly as written (AWS key names, unknown keys rejected),
//!    every type and key error reported at once, in JSON's words;
//! 3. [`resolve`]: defaults applied, names and AWS ranges checked, names turned into typed ids,
//!    routes precomputed, sizes checked against [`limits`] — again every error at once;
//! 4. warnings for valid but suspicious settings ([`Scenario::warnings`]).
//!
//! The simulation only ever sees the resolved [`Scenario`]. Every error names the file, the JSON
//! path, what was expected (with the allowed range) and what was found; see [`ModelError`].
//!
//! Resolution runs one way: this module reads `crate::model`'s runtime types and builds them;
//! `model` never imports `scenario`. One file per concept holds that concept's `Raw…` structs (the
//! JSON as written, re-exported from [`raw`]) and its resolver:
//!
//! | file | what it resolves | AWS names |
//! | --- | --- | --- |
//! | `resolve.rs` | the whole model, section by section, every error at once | — |
//! | `load_balancer.rs` | the load balancer's attributes and listener list | `idle_timeout.timeout_seconds`, `client_keep_alive.seconds`, `routing.http2.enabled` |
//! | `listener.rs` | listeners, rules, conditions, their quotas | `Listener`, `Rule`, `path-pattern`, `host-header`, `source-ip` |
//! | `action.rs` | rule actions, target group names to ids | `forward`, `redirect`, `fixed-response`, `TargetGroupStickinessConfig` |
//! | `target_group.rs` | target groups and their attributes | `deregistration_delay.timeout_seconds`, `load_balancing.algorithm.type`, `stickiness.*`, `slow_start.duration_seconds` |
//! | `health.rs` | health check settings | `HealthCheckIntervalSeconds`, `HealthyThresholdCount`, `Matcher` |
//! | `instance.rs` | instances and the instance type catalog | EC2 instance types (`t3.micro`), Availability Zones |
//! | `client.rs` | clients, request types and their routes | — |
//! | `arrival.rs` | arrival patterns and closed-loop users | — |
//! | `load_end.rs` | when the load ends (the last way down of a schedule or spike) | — |
//! | `distribution.rs` | random durations | — |
//! | `fault.rs` | injected failures, register/deregister operations | `RegisterTargets`, `DeregisterTargets` |
//! | `autoscaling.rs` | Auto Scaling groups, launch templates, lifecycle hooks, scheduled actions | `CreateAutoScalingGroup`, `MinSize`, `DefaultCooldown`, `PutScheduledUpdateGroupAction` |
//! | `policy.rs` | scaling policies (and the alarms target tracking creates) | `TargetTrackingScaling`, `StepScaling`, `SimpleScaling` |
//! | `alarm.rs` | CloudWatch alarms and metric names | `PutMetricAlarm`, `ComparisonOperator`, `TreatMissingData` |
//! | `sqs/` | SQS queues, SNS topics and subscriptions, producers, worker programs, request-path messages | `QueueName`, `VisibilityTimeout`, `RedrivePolicy`, `FilterPolicy`, `ReceiveMessage` |
//! | [`raw`] | the top level of the file ([`raw::RawModel`]) | — |
//! | `ranges.rs`, [`timing`], `number.rs`, `names.rs` | shared checks: integer ranges, times (366 days at most), numbers in messages, names | — |
//! | [`limits`], `lint.rs` | size limits; warnings for valid but suspicious settings | AWS quotas |
//! | [`shape`], [`values`], [`path`], `error.rs` | JSON shape errors, value formats, JSON paths, errors | — |

mod action;
mod alarm;
mod anomaly;
mod arrival;
mod autoscaling;
pub(crate) use autoscaling::MAX_GROUP_SIZE;
mod client;
mod distribution;
mod error;
mod fault;
mod health;
mod instance;
pub mod limits;
mod lint;
mod listener;
mod load_balancer;
mod load_end;
mod metric_math;
pub(crate) mod names;
mod number;
pub mod overrides;
pub mod path;
mod policy;
mod ranges;
pub mod raw;
mod resolve;
mod retry;
pub mod shape;
mod shape_error;
mod sqs;
pub(crate) mod strict_json;
pub(crate) mod tagged;
mod target_group;
pub mod timing;
pub mod values;
mod zones;

pub use crate::model::resolved::{Scenario, Warning};
use error::keep;
pub use error::{FieldError, FieldErrors, ModelError};
pub use resolve::resolve;

use std::path::Path;

/// Parses and resolves a model from JSON text; `file` names it in errors.
///
/// Every problem is reported (up to [`shape::MAX_ERRORS`]): the shape errors (types, keys) if
/// there are any, otherwise every range and reference error.
pub fn from_json(text: &str, file: &Path) -> Result<Scenario, ModelError> {
    scenario_from_value(&model_value(text, file)?, file)
}

/// [`from_json`] for a copy of a model kept elsewhere (an output folder's `model.json`): errors
/// name `file`, and the files the model names (replayed access logs) are looked for relative to
/// `files_base`, the folder of the model file that was run.
pub fn from_json_kept(text: &str, file: &Path, files_base: &Path) -> Result<Scenario, ModelError> {
    let value = model_value(text, file)?;
    let mut raw = raw_from_value(&value, file)?;
    anchor_files_at(&mut raw, files_base);
    resolve(&raw).map_err(|e| e.in_file(file))
}

/// [`from_json`] with `overrides` applied to the JSON before it is read; problems they cause
/// name them (see [`overrides`]).
pub fn from_json_with(
    text: &str,
    file: &Path,
    overrides: &[overrides::Override],
) -> Result<Scenario, overrides::LoadError> {
    let value = model_value(text, file)?;
    overrides::read_with(value, file, overrides, |v| scenario_from_value(v, file))
}

/// The model's JSON as it is run: the text of `file` with `overrides` applied, as the output
/// folder's `model.json` keeps it (so `albsim run DIR/model.json` runs the same model again).
pub fn model_as_run(
    text: &str,
    file: &Path,
    overrides: &[overrides::Override],
) -> Result<serde_json::Value, overrides::LoadError> {
    let mut value = model_value(text, file)?;
    overrides::apply(&mut value, overrides).map_err(|problems| {
        overrides::LoadError::Overridden {
            file: file.to_path_buf(),
            problems,
            truncated: false,
        }
    })?;
    Ok(value)
}

/// Reads, parses and resolves the model file at `file`.
pub fn load(file: &Path) -> Result<Scenario, ModelError> {
    let text = read_model(file)?;
    from_json(&text, file)
}

/// [`load`] with `overrides` applied (see [`from_json_with`]).
pub fn load_with(
    file: &Path,
    overrides: &[overrides::Override],
) -> Result<Scenario, overrides::LoadError> {
    let text = read_model(file)?;
    from_json_with(&text, file, overrides)
}

/// Reads a model file, refusing more than [`limits::MAX_MODEL_BYTES`] (at most one byte more is
/// read, so `/dev/zero` or an endless pipe cannot fill memory).
pub fn read_model(file: &Path) -> Result<String, ModelError> {
    use std::io::Read;
    let read_error = |source| ModelError::Read {
        file: file.to_path_buf(),
        source,
    };
    let handle = std::fs::File::open(file).map_err(read_error)?;
    let mut bytes = Vec::new();
    handle
        .take(limits::MAX_MODEL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limits::MAX_MODEL_BYTES {
        return Err(ModelError::TooLarge {
            file: file.to_path_buf(),
            limit: limits::MAX_MODEL_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|e| ModelError::Syntax {
        file: file.to_path_buf(),
        message: format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Parses JSON into the raw model; reports every type and key error with its JSON path.
pub fn parse_raw(text: &str, file: &Path) -> Result<raw::RawModel, ModelError> {
    raw_from_value(&model_value(text, file)?, file)
}

/// [`parse_raw`] with `overrides` applied to the JSON before it is read; problems they cause
/// name them (see [`overrides`]).
pub fn parse_raw_with(
    text: &str,
    file: &Path,
    overrides: &[overrides::Override],
) -> Result<raw::RawModel, overrides::LoadError> {
    let value = model_value(text, file)?;
    overrides::read_with(value, file, overrides, |v| raw_from_value(v, file))
}

/// The model's JSON, at most [`limits::MAX_MODEL_BYTES`] of it, no key written twice.
fn model_value(text: &str, file: &Path) -> Result<serde_json::Value, ModelError> {
    if text.len() as u64 > limits::MAX_MODEL_BYTES {
        return Err(ModelError::TooLarge {
            file: file.to_path_buf(),
            limit: limits::MAX_MODEL_BYTES,
        });
    }
    // A key written twice is refused here (serde_json's Value would keep the last silently).
    Ok(serde_json::from_str::<strict_json::StrictValue>(text)
        .map_err(|e| ModelError::Syntax {
            file: file.to_path_buf(),
            message: e.to_string(),
        })?
        .0)
}

/// The resolved scenario of the model's JSON.
fn scenario_from_value(value: &serde_json::Value, file: &Path) -> Result<Scenario, ModelError> {
    let mut raw = raw_from_value(value, file)?;
    anchor_files(&mut raw, file);
    resolve(&raw).map_err(|e| e.in_file(file))
}

/// The raw model of the model's JSON, with every type and key error.
fn raw_from_value(value: &serde_json::Value, file: &Path) -> Result<raw::RawModel, ModelError> {
    shape::check::<raw::RawModel>(value).map_err(|e| {
        let mut errors = e.errors;
        if let Some(mut rest) = e
            .with_placeholders
            .filter(|_| placeholders_are_inert(&errors))
        {
            anchor_files(&mut rest, file);
            if let Err(more) = resolve(&rest) {
                let at_placeholder =
                    |f: &FieldError| errors.iter().any(|e| inside(&f.path, &e.path));
                let more: Vec<FieldError> =
                    more.0.into_iter().filter(|f| !at_placeholder(f)).collect();
                errors.extend(more);
            }
        }
        if errors.len() == 1 && !e.truncated {
            errors.pop().expect("one error").in_file(file)
        } else {
            ModelError::Several {
                file: file.to_path_buf(),
                errors,
                truncated: e.truncated,
            }
        }
    })
}

/// Files a model names (replayed access logs) are relative to the model file's folder.
fn anchor_files(raw: &mut raw::RawModel, file: &Path) {
    anchor_files_at(raw, file.parent().unwrap_or(Path::new("")));
}

/// Files a model names are relative to `base`.
/// Rewrites the replayed access-log `files` of the model JSON `value`, written relative to the
/// folder of `model_file`, to be relative to `folder` (absolute, resolved), where the model is
/// kept as `model.json`: `albsim run FOLDER/model.json` then reads the same logs. Absolute paths,
/// and files that cannot be found, stay as written.
pub fn rebase_files(value: &mut serde_json::Value, model_file: &Path, folder: &Path) {
    let model_dir = model_file.parent().unwrap_or(Path::new(""));
    for f in replayed_file_entries(value) {
        let Some(p) = f.as_str().map(Path::new).filter(|p| p.is_relative()) else {
            continue;
        };
        if let Ok(full) = model_dir.join(p).canonicalize() {
            *f = serde_json::Value::String(relative_path(&full, folder).display().to_string());
        }
    }
}

/// The replayed access-log files of the model JSON `value` (of the file `model_file`), resolved
/// (symbolic links and `..` followed); files that cannot be found are left out.
pub fn replayed_files(value: &serde_json::Value, model_file: &Path) -> Vec<std::path::PathBuf> {
    let model_dir = model_file.parent().unwrap_or(Path::new(""));
    (value.get("clients").and_then(|c| c.as_array()))
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("arrival"))
        .filter(|a| a.get("type").and_then(|t| t.as_str()) == Some("access_log"))
        .filter_map(|a| a.get("files").and_then(|f| f.as_array()))
        .flatten()
        .filter_map(|f| f.as_str().map(|p| model_dir.join(p)))
        .filter_map(|p| p.canonicalize().ok())
        .collect()
}

/// The entries of every `clients[i].arrival.files` list whose arrival is `access_log`.
fn replayed_file_entries(
    value: &mut serde_json::Value,
) -> impl Iterator<Item = &mut serde_json::Value> {
    (value.get_mut("clients").and_then(|c| c.as_array_mut()))
        .into_iter()
        .flatten()
        .filter_map(|c| c.get_mut("arrival"))
        .filter(|a| a.get("type").and_then(|t| t.as_str()) == Some("access_log"))
        .filter_map(|a| a.get_mut("files").and_then(|f| f.as_array_mut()))
        .flatten()
}

/// `to` relative to the folder `from` (both absolute).
fn relative_path(to: &Path, from: &Path) -> std::path::PathBuf {
    let (to, from): (Vec<_>, Vec<_>) = (to.components().collect(), from.components().collect());
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut out = std::path::PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    out.extend(&to[common..]);
    out
}

fn anchor_files_at(raw: &mut raw::RawModel, base: &Path) {
    for c in &mut raw.clients {
        if let raw::RawArrival::AccessLog(a) = &mut c.arrival {
            a.base_dir = base.to_path_buf();
        }
    }
}

/// Keys whose placeholder (an empty name or list) would make other parts of the model look wrong:
/// names and ids that others refer to, and the lists and references that routes and groups are
/// built from.
const REFERENCED_KEYS: &[&str] = &[
    "name",
    "id",
    "AutoScalingGroupName",
    "PolicyName",
    "AlarmName",
    "LifecycleHookName",
    "ScheduledActionName",
    "clients",
    "load_balancer",
    "listeners",
    "port",
    "rules",
    "actions",
    "default_actions",
    "target_group",
    "target_groups",
    "targets",
    "TargetGroupARNs",
    "instances",
    "instance",
    "instance_type",
    "instance_types",
    "auto_scaling_groups",
    "LaunchTemplate",
    "alarms",
    "Policies",
    "queues",
    "topics",
    "producers",
    "consumers",
    "QueueName",
    "TopicName",
    "FifoQueue",
    "FifoTopic",
    "MaximumMessageSize",
    "RedrivePolicy",
    "deadLetterTargetArn",
    "Subscriptions",
    "Protocol",
    "Endpoint",
    "RawMessageDelivery",
    "queue",
    "topic",
    "messages",
    "auto_scaling_group",
];

/// Whether range and reference checks of the rest of a document with shape errors say something
/// true: no placeholder stands for a whole element, the whole document, or something that other
/// parts refer to (those checks would then report consequences of the shape errors, not errors).
fn placeholders_are_inert(errors: &[FieldError]) -> bool {
    errors.iter().all(|e| {
        let last = e.path.rsplit(['.', '[']).next().unwrap_or("");
        e.path != "(top level)" && !e.path.ends_with(']') && !REFERENCED_KEYS.contains(&last)
    })
}

/// Whether `path` is `at` or inside it (`a.b` is inside `a`; `a.bc` is not).
fn inside(path: &str, at: &str) -> bool {
    path.strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}
