//! The experiment file exactly as written: a serde mirror of its JSON, read by the model's shape
//! checker (`scenario::shape::check`), so every type and key error is reported at once with its
//! JSON path, and an unknown key is an error (`deny_unknown_fields` everywhere).

use serde::Deserialize;
use serde_json::{Map, Value};

/// The whole experiment file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExperiment {
    /// Names the output folder `output/<name>/`.
    pub name: String,
    /// The story: what the experiment asks.
    #[serde(default)]
    pub description: Option<String>,
    /// The base model, relative to the experiment file's folder.
    #[serde(default)]
    pub model: Option<String>,
    /// Models to compare (instead of `model`).
    #[serde(default)]
    pub models: Option<Vec<RawVariant>>,
    /// The master seed.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Runs per point.
    #[serde(default)]
    pub replications: Option<u32>,
    /// Overrides of every point (path: value).
    #[serde(default)]
    pub set: Option<Map<String, Value>>,
    /// The swept parameters.
    pub parameters: Vec<RawParameter>,
    /// Groups of parameters that advance together.
    #[serde(default)]
    pub lockstep: Option<Vec<Vec<String>>>,
    /// The condition a point must meet to be run.
    #[serde(default)]
    pub constraint: Option<String>,
    /// What is collected: a path string or an object (read by `spec::metrics`).
    pub metrics: Vec<Value>,
    /// Best points the report names.
    #[serde(default)]
    pub objectives: Option<Vec<RawObjective>>,
    /// What the plots show.
    #[serde(default)]
    pub plots: Option<RawPlots>,
}

/// One model of `models`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    /// Its label (default: the model file's own `name`).
    #[serde(default)]
    pub name: Option<String>,
    /// The model file, relative to the experiment file's folder.
    pub file: String,
    /// Overrides of this model only.
    #[serde(default)]
    pub set: Option<Map<String, Value>>,
}

/// One swept parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParameter {
    /// Its name (an identifier).
    pub name: String,
    /// The one path its value goes to.
    #[serde(default)]
    pub path: Option<String>,
    /// Several paths that take the same value.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
    /// Named cases, each a set of overrides.
    #[serde(default)]
    pub cases: Option<Vec<RawCase>>,
    /// Its values, listed.
    #[serde(default)]
    pub values: Option<Vec<Value>>,
    /// Its values, as a linear or log range.
    #[serde(default)]
    pub range: Option<RawRange>,
}

/// A named case of a parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    /// Its label.
    pub name: String,
    /// What it sets (path: value).
    pub set: Map<String, Value>,
}

/// A range of values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// The first value.
    pub from: f64,
    /// The last value (inclusive).
    pub to: f64,
    /// The distance between values (linear ranges).
    #[serde(default)]
    pub step: Option<f64>,
    /// How many values (log ranges, or linear ones evenly spaced).
    #[serde(default)]
    pub count: Option<u64>,
    /// `linear` (default) or `log`.
    #[serde(default)]
    pub scale: Option<String>,
}

/// A metric written as an object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// Its name (an identifier).
    pub name: String,
    /// A path into `summary.json`.
    #[serde(default)]
    pub path: Option<String>,
    /// An expression over parameters and earlier metrics.
    #[serde(default)]
    pub expression: Option<String>,
}

/// A best point to name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObjective {
    /// What the report calls it.
    pub name: String,
    /// The metric or numeric parameter to minimise.
    #[serde(default)]
    pub minimise: Option<String>,
    /// The metric or numeric parameter to maximise.
    #[serde(default)]
    pub maximise: Option<String>,
    /// The condition a point must meet.
    #[serde(default)]
    pub subject_to: Option<String>,
    /// One best point per level of this parameter.
    #[serde(default)]
    pub for_each: Option<String>,
}

/// What the plots show.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlots {
    /// The parameter on the x axis.
    #[serde(default)]
    pub x: Option<String>,
    /// One line per level of this parameter.
    #[serde(default)]
    pub lines: Option<String>,
    /// Points whose capacity over time is drawn.
    #[serde(default)]
    pub capacity_points: Option<Vec<usize>>,
}
