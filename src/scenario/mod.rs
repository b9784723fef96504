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

mod error;
pub mod limits;
mod lint;
pub(crate) mod names;
pub mod overrides;
pub mod path;
pub mod raw;
mod resolve;
mod resolve_asg;
pub mod shape;
mod shape_error;
mod strict_json;
pub(crate) mod tagged;
pub mod values;

pub use error::{FieldError, FieldErrors, ModelError, Warning};
pub use resolve::resolve;

use crate::engine::SimDuration;
use crate::model::autoscaling::{AlarmSpec, AsgSpec};
use crate::model::client::ClientSpec;
use crate::model::fault::{FaultSpec, OperationSpec};
use crate::model::instance::InstanceSpec;
use crate::model::listener::ListenerSpec;
use crate::model::route::RouteTable;
use crate::model::target_group::TargetGroupSpec;
use std::path::Path;

/// A resolved, runnable model.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Model name.
    pub name: String,
    /// What the model shows.
    pub description: Option<String>,
    /// Simulated time.
    pub duration: SimDuration,
    /// Master seed.
    pub seed: u64,
    /// CloudWatch metric period of `timeseries.csv` (default 60 s).
    pub period: SimDuration,
    /// Load balancer name.
    pub load_balancer: String,
    /// `idle_timeout.timeout_seconds` (default 60 s).
    pub idle_timeout: SimDuration,
    /// `client_keep_alive.seconds` (default 3600 s).
    pub client_keep_alive: SimDuration,
    /// Listeners.
    pub listeners: Vec<ListenerSpec>,
    /// Routes of every request type.
    pub routes: RouteTable,
    /// Clients.
    pub clients: Vec<ClientSpec>,
    /// Target groups.
    pub target_groups: Vec<TargetGroupSpec>,
    /// Instances.
    pub instances: Vec<InstanceSpec>,
    /// Injected failures.
    pub faults: Vec<FaultSpec>,
    /// Scheduled register/deregister operations.
    pub operations: Vec<OperationSpec>,
    /// Auto Scaling groups.
    pub auto_scaling_groups: Vec<AsgSpec>,
    /// CloudWatch alarms: the model's, and those target tracking policies create.
    pub alarms: Vec<AlarmSpec>,
    /// Valid but suspicious settings, for `validate` and `run` to show.
    pub warnings: Vec<Warning>,
}

/// Parses and resolves a model from JSON text; `file` names it in errors.
///
/// Every problem is reported (up to [`shape::MAX_ERRORS`]): the shape errors (types, keys) if
/// there are any, otherwise every range and reference error.
pub fn from_json(text: &str, file: &Path) -> Result<Scenario, ModelError> {
    scenario_from_value(&model_value(text, file)?, file)
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
    let raw = raw_from_value(value, file)?;
    resolve(&raw).map_err(|e| e.in_file(file))
}

/// The raw model of the model's JSON, with every type and key error.
fn raw_from_value(value: &serde_json::Value, file: &Path) -> Result<raw::RawModel, ModelError> {
    shape::check::<raw::RawModel>(value).map_err(|e| {
        let mut errors = e.errors;
        if let Some(rest) = e
            .with_placeholders
            .filter(|_| placeholders_are_inert(&errors))
        {
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
