//! Experiments: parameter sweeps over a model, with replications, run in parallel, resumable,
//! shardable over a cluster (`albsim sweep`, `albsim collect`).
//!
//! An experiment file (`experiments/*.json`, see [`spec`]) names a base model (or several to
//! compare), parameters as overrides by path into the model (the `path = value` seam of
//! `albsim run --set`), how many replications each point gets, and the metrics to collect (paths
//! into `summary.json`, see [`metric`]). [`spec::load`] reads it into an [`Experiment`]: the grid
//! expanded into [`Point`]s ([`grid`]), every point's model checked before anything runs.
//!
//! | file | what it does |
//! | --- | --- |
//! | [`spec`] | the experiment file: raw structs, checks, resolution into an [`Experiment`] |
//! | [`grid`] | parameters into points: products, lockstep groups, the constraint |
//! | [`expr`] | the small expression language of `constraint` and `subject_to` |
//! | [`seeds`] | a run's seed from (master seed, point, replication) |
//! | [`metric`] | metric paths into `summary.json`: checked against its schema, read from a run |
//! | [`summary`] | the finished runs grouped by point, each metric estimated once, for tables and plots |
//! | [`labels`] | numbers, metrics and points as people read them |
//! | [`stats`] | means and Student-t confidence intervals over replications |
//! | [`tables`] | `results.csv`, `points.csv`, `sweep.json`, `results.md`, best points |
//! | [`plots`] | metric curves with confidence bands, heat maps, capacity over time (SVG) |
//! | [`outcome`] | a run's metrics from its cached record |
//! | [`cache`] | one file per finished run, keyed by its resolved model: resume, shards, collect |
//! | [`inputs`] | the experiment and model texts a sweep ran, kept for `albsim collect` |
//! | [`shard`] | `--shard I/N` and `--shard auto`: slices of the runs for several machines |
//! | [`runner`] | points × replications on a rayon pool, Ctrl-C, progress |

pub mod cache;
pub mod expr;
pub mod grid;
pub mod inputs;
pub mod labels;
pub mod metric;
pub mod outcome;
pub mod plots;
pub mod runner;
pub mod seeds;
pub mod shard;
pub mod spec;
pub mod stats;
pub mod summary;
pub mod tables;
#[cfg(test)]
pub(crate) mod test_support;

use crate::scenario::overrides::Override;
use serde_json::Value;
use std::path::PathBuf;

/// A resolved experiment: every point of its grid, ready to run.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// The experiment file, as given on the command line (names it in messages).
    pub file: PathBuf,
    /// The experiment's `name`: it names the default output folder `output/<name>/`.
    pub name: String,
    /// What the experiment asks and what to look for, if given.
    pub description: Option<String>,
    /// The master seed every run's seed derives from ([`seeds::run_seed`]).
    pub seed: u64,
    /// Runs per point, each with its own seed.
    pub replications: u32,
    /// The models run: one, or several compared (then `parameters[0]` is the `model` parameter
    /// whose levels pick them).
    pub variants: Vec<Variant>,
    /// Overrides applied to every point before its parameters' (the experiment's `set`).
    pub fixed: Vec<Override>,
    /// The swept parameters, in the file's order.
    pub parameters: Vec<Parameter>,
    /// The grid after lockstep groups and the constraint, in run order; `points[k].index == k`.
    pub points: Vec<Point>,
    /// What is collected from each run, in the file's order.
    pub metrics: Vec<Metric>,
    /// Best points the report names.
    pub objectives: Vec<Objective>,
    /// What the plots show.
    pub plots: PlotSpec,
}

/// One model an experiment runs: the base model, or one of the `models` compared.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Its label in tables (`model` column): the variant's `name`, or the model's own name.
    pub label: String,
    /// The model file, as the experiment names it, resolved against the experiment's folder.
    pub file: PathBuf,
    /// The model file's text, read once (the runs and the resume keys use exactly this text).
    pub text: String,
    /// Overrides of this variant (its `set`), applied before the experiment's `set`.
    pub overrides: Vec<Override>,
}

/// One swept parameter and its levels.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Its name: a column of the tables, a variable of the constraint (`rate`, `cooldown`).
    pub name: String,
    /// Its levels, in order.
    pub levels: Vec<Level>,
    /// Every level is a number: the parameter can be an axis of a plot.
    pub numeric: bool,
}

/// One value of a parameter.
#[derive(Clone, Debug)]
pub struct Level {
    /// How tables and plots show it: the number (`120`), the text, a case's name, or the value
    /// as compact JSON.
    pub label: String,
    /// The value itself (a number for a numeric parameter; for a case, its name).
    pub value: Value,
    /// What it sets in the model, origins naming the experiment file and JSON path
    /// (`experiments/x.json: parameters[1].values[2]`).
    pub overrides: Vec<Override>,
    /// For the `model` parameter of several compared models: which [`Variant`].
    pub variant: Option<usize>,
}

/// One point of the grid: a level of every parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// Its position in [`Experiment::points`] (`--point K`, the seeds).
    pub index: usize,
    /// For each parameter (in [`Experiment::parameters`]' order), the index of its level.
    pub levels: Vec<usize>,
}

/// A metric collected from each run.
#[derive(Clone, Debug)]
pub struct Metric {
    /// Its name: a column of the tables, a variable of `subject_to` (`p99_ms`).
    pub name: String,
    /// Where its value comes from.
    pub source: MetricSource,
}

/// Where a metric's value comes from.
#[derive(Clone, Debug)]
pub enum MetricSource {
    /// A path into the run's `summary.json` (`latency_ms.p99`, `requests.by_status.502`).
    Summary(metric::SummaryPath),
    /// An expression over the point's parameters and the metrics before it (`interval * threshold`).
    Expression(expr::Expr),
}

/// A best point the experiment asks for: the point that minimises (or maximises) a metric or
/// parameter among those that meet a condition, for each level of a parameter if asked.
#[derive(Clone, Debug)]
pub struct Objective {
    /// What it is called in the report (`smallest fleet for p99 ≤ 200 ms`).
    pub name: String,
    /// The metric or numeric parameter ranked.
    pub rank_by: String,
    /// Smallest (true) or largest (false) wins.
    pub minimise: bool,
    /// The condition a point must meet (over parameters and metric means), if any.
    pub subject_to: Option<expr::Expr>,
    /// One best point per level of this parameter, if given.
    pub for_each: Option<String>,
}

/// What the plots show; defaults from the parameters when the experiment does not say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotSpec {
    /// The parameter on the x axis (index into [`Experiment::parameters`]), if any is numeric.
    pub x: Option<usize>,
    /// One line per level of this parameter, if any.
    pub lines: Option<usize>,
    /// Points whose capacity over time is drawn (`GroupInServiceInstances`).
    pub capacity_points: Vec<usize>,
}

impl Experiment {
    /// Every run of the experiment, in order: each point's replications, point by point.
    pub fn runs(&self) -> impl Iterator<Item = RunId> + '_ {
        let reps = self.replications;
        self.points.iter().flat_map(move |p| {
            (0..reps).map(move |replication| RunId {
                point: p.index,
                replication,
            })
        })
    }

    /// How many runs the experiment has: points × replications.
    pub fn run_count(&self) -> usize {
        self.points.len() * self.replications as usize
    }

    /// The seed of one run (see [`seeds::run_seed`]).
    pub fn seed_of(&self, run: RunId) -> u64 {
        seeds::run_seed(self.seed, run.point, run.replication)
    }

    /// The label of point `p`'s level of parameter `k`.
    pub fn level_label(&self, p: &Point, k: usize) -> &str {
        &self.parameters[k].levels[p.levels[k]].label
    }

    /// Which model point `p` runs.
    pub fn variant_of(&self, p: &Point) -> usize {
        self.parameters
            .iter()
            .zip(&p.levels)
            .find_map(|(param, &l)| param.levels[l].variant)
            .unwrap_or(0)
    }

    /// The overrides of one run, in the order they apply: the variant's, the experiment's `set`,
    /// each parameter's level, then the run's seed.
    pub fn overrides_of(&self, run: RunId) -> Vec<Override> {
        let p = &self.points[run.point];
        let variant = &self.variants[self.variant_of(p)];
        let mut all = variant.overrides.clone();
        all.extend(self.fixed.iter().cloned());
        for (param, &l) in self.parameters.iter().zip(&p.levels) {
            all.extend(param.levels[l].overrides.iter().cloned());
        }
        all.push(
            Override::from_option("seed", "", "seed", Value::from(self.seed_of(run))).with_origin(
                format!(
                    "{}: point {} replication {} (seed)",
                    self.file.display(),
                    run.point,
                    run.replication
                ),
            ),
        );
        all
    }
}

/// One run of an experiment: a point and a replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunId {
    /// The point's index.
    pub point: usize,
    /// The replication, from 0.
    pub replication: u32,
}

/// What the sweep keeps of one finished run: its seed, its metrics, its capacity over time.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    /// Which run.
    pub run: RunId,
    /// The seed it ran with.
    pub seed: u64,
    /// Each metric's value, in [`Experiment::metrics`]' order (`None`: null in the summary, as
    /// the latency of a run without responses, or a group that never returned to its start).
    pub metrics: Vec<Option<f64>>,
    /// Each Auto Scaling group's in-service instances per period.
    pub capacity: Capacity,
}

/// `GroupInServiceInstances` of each Auto Scaling group of a run, one value per period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Capacity {
    /// The length of a period \[s\] (the timeline's, 60 unless detailed everywhere).
    pub period_seconds: f64,
    /// Each group's name and its in-service count at the end of each period.
    pub groups: Vec<(String, Vec<u32>)>,
}
