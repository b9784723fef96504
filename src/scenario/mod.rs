//! Model files: reading, checking and resolving them into a runnable [`Scenario`].
//!
//! Two stages, as ripgrep separates low-level and high-level arguments:
//! 1. [`raw`]: the JSON exactly as written (serde, AWS key names, unknown keys rejected);
//! 2. [`resolve`]: defaults applied, AWS ranges checked, names turned into typed ids and routes
//!    precomputed. The simulation only ever sees the resolved [`Scenario`].
//!
//! Every error names the file, the JSON path, what was expected (with the allowed range) and
//! what was found; see [`ModelError`].

mod error;
pub mod path;
pub mod raw;
mod resolve;
mod resolve_asg;
pub(crate) mod tagged;
pub mod values;

pub use error::{FieldError, ModelError, Warning};
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
pub fn from_json(text: &str, file: &Path) -> Result<Scenario, ModelError> {
    let raw = parse_raw(text, file)?;
    resolve(&raw).map_err(|e| e.in_file(file))
}

/// Reads, parses and resolves the model file at `file`.
pub fn load(file: &Path) -> Result<Scenario, ModelError> {
    let text = std::fs::read_to_string(file).map_err(|source| ModelError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    from_json(&text, file)
}

/// Parses JSON into the raw model, with the JSON path of any type or key error.
pub fn parse_raw(text: &str, file: &Path) -> Result<raw::RawModel, ModelError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: Result<raw::RawModel, _> = serde_path_to_error::deserialize(&mut de);
    let raw = match parsed {
        Ok(raw) => raw,
        Err(e) => {
            let inner = e.inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(ModelError::Syntax {
                    file: file.to_path_buf(),
                    message: inner.to_string(),
                });
            }
            let mut path = render_path(e.path());
            let full = inner.to_string();
            let (nested, message) = tagged::split_inner_path(&full);
            if let Some(nested) = nested {
                if path == "(top level)" {
                    path.clear();
                }
                if !nested.starts_with('[') && !path.is_empty() {
                    path.push('.');
                }
                path.push_str(nested);
            }
            let message = message.to_string();
            return Err(ModelError::Invalid {
                file: file.to_path_buf(),
                path,
                message,
            });
        }
    };
    de.end().map_err(|e| ModelError::Syntax {
        file: file.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(raw)
}

/// Renders serde_path_to_error's path the way [`path::JsonPath`] does (dotted keys quoted).
fn render_path(p: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut s = String::new();
    for seg in p.iter() {
        match seg {
            Segment::Seq { index } => s.push_str(&format!("[{index}]")),
            Segment::Map { key } => path::push_key(&mut s, key),
            Segment::Enum { variant } => path::push_key(&mut s, variant),
            Segment::Unknown => path::push_key(&mut s, "?"),
        }
    }
    if s.is_empty() {
        "(top level)".into()
    } else {
        s
    }
}
