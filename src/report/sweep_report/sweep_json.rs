//! `sweep.json` read back (the part a report needs), as `experiment::tables::json` writes it.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The whole file.
#[derive(Clone, Debug, Deserialize)]
pub struct SweepJson {
    /// The albsim version that wrote it.
    pub albsim_version: String,
    /// The experiment as run.
    pub experiment: ExperimentJson,
    /// The swept parameters, in the experiment's order.
    pub parameters: Vec<ParameterJson>,
    /// The metrics, in the experiment's order.
    pub metrics: Vec<MetricJson>,
    /// The points, in grid order.
    pub points: Vec<PointJson>,
    /// The objectives and their best points.
    #[serde(default)]
    pub objectives: Vec<ObjectiveJson>,
}

/// `experiment`: names, files, seeds.
#[derive(Clone, Debug, Deserialize)]
pub struct ExperimentJson {
    /// The experiment's `name`.
    pub name: String,
    /// Its `description`, if any.
    pub description: Option<String>,
    /// The experiment file, as given on the command line.
    pub file: String,
    /// The model (or models compared) it runs.
    pub models: Vec<ModelJson>,
    /// The master seed.
    pub seed: u64,
    /// Runs per point.
    pub replications: u32,
    /// How each run's seed is derived (`SplitMix64 of (seed, point, replication)`).
    pub seeds: String,
}

/// One model of the experiment.
#[derive(Clone, Debug, Deserialize)]
pub struct ModelJson {
    /// Its label in the tables.
    pub label: String,
    /// Its file.
    pub file: String,
}

/// One parameter and its levels.
#[derive(Clone, Debug, Deserialize)]
pub struct ParameterJson {
    /// Its name.
    pub name: String,
    /// Every level is a number.
    pub numeric: bool,
    /// Its levels, in order.
    pub levels: Vec<LevelJson>,
}

/// One level of a parameter.
#[derive(Clone, Debug, Deserialize)]
pub struct LevelJson {
    /// How tables show it.
    pub label: String,
    /// Its value (a case's name for a case).
    pub value: Value,
}

/// One metric.
#[derive(Clone, Debug, Deserialize)]
pub struct MetricJson {
    /// Its name.
    pub name: String,
    /// The summary path or expression it comes from.
    pub source: String,
    /// Its unit, when its name or path says one.
    pub unit: Option<String>,
}

/// One point: its levels, its runs, its estimates.
#[derive(Clone, Debug, Deserialize)]
pub struct PointJson {
    /// Its index (`--point K`).
    pub index: usize,
    /// Each parameter's level, by parameter name.
    pub parameters: BTreeMap<String, LevelJson>,
    /// Its finished runs.
    pub runs: Vec<RunJson>,
    /// Each metric's estimate over the runs, by metric name.
    pub metrics: BTreeMap<String, EstimateJson>,
}

/// One finished run of a point.
#[derive(Clone, Debug, Deserialize)]
pub struct RunJson {
    /// Its replication (from 0).
    pub replication: u32,
    /// Its seed.
    pub seed: u64,
}

/// A metric's estimate at a point.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct EstimateJson {
    /// How many runs had a value.
    pub n: usize,
    /// The mean of those values.
    pub mean: Option<f64>,
    /// The 95 % confidence interval `[low, high]`, from two values on.
    pub ci95: Option<[f64; 2]>,
}

impl EstimateJson {
    /// The half-width of the 95 % confidence interval, if there is one.
    pub fn half_width(&self) -> Option<f64> {
        self.ci95.map(|[low, high]| (high - low) / 2.0)
    }
}

/// One objective and its best points.
#[derive(Clone, Debug, Deserialize)]
pub struct ObjectiveJson {
    /// Its name.
    pub name: String,
    /// `minimise` or `maximise`.
    pub goal: String,
    /// The metric or parameter ranked.
    pub rank_by: String,
    /// The condition on the means, if any.
    pub subject_to: Option<String>,
    /// The parameter it names one best point per level of, if any.
    pub for_each: Option<String>,
    /// Its best points: one, or one per level of `for_each`.
    pub best: Vec<BestJson>,
}

/// One best point of an objective.
#[derive(Clone, Debug, Deserialize)]
pub struct BestJson {
    /// The `for_each` parameter's level (its label), if any.
    #[serde(default)]
    pub for_each_level: Option<String>,
    /// The winning point's index; `None` when no point qualifies.
    pub point: Option<usize>,
    /// Its `rank_by` value.
    pub value: Option<f64>,
}

impl SweepJson {
    /// The point with index `index`.
    pub fn point(&self, index: usize) -> Option<&PointJson> {
        self.points.iter().find(|p| p.index == index)
    }

    /// The level labels of point `p`, in parameter order.
    pub fn level_labels<'a>(&'a self, p: &'a PointJson) -> Vec<(&'a str, &'a str)> {
        self.parameters
            .iter()
            .map(|param| {
                let label = p
                    .parameters
                    .get(&param.name)
                    .map_or("–", |l| l.label.as_str());
                (param.name.as_str(), label)
            })
            .collect()
    }

    /// Point `p`'s levels as `a=1, b=2` (the terminal's and `results.md`'s form).
    pub fn point_label(&self, p: &PointJson) -> String {
        self.level_labels(p)
            .iter()
            .map(|(name, label)| format!("{name}={label}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
