//! `sweep.json`: the resolved grid, the seeds, the version, every run's metrics and every
//! point's estimates, with keys in a fixed order.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

use super::objectives::Best;
use crate::experiment::labels::{metric_source, metric_unit};
use crate::experiment::stats::Estimate;
use crate::experiment::summary::{PointResult, Summary};

/// Names and values serialised as a JSON object in the given order.
struct Ordered<V>(Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct Sweep<'a> {
    albsim_version: &'static str,
    experiment: ExperimentInfo<'a>,
    parameters: Vec<ParameterInfo<'a>>,
    metrics: Vec<MetricInfo<'a>>,
    points: Vec<PointInfo<'a>>,
    objectives: Vec<ObjectiveInfo<'a>>,
}

#[derive(Serialize)]
struct ExperimentInfo<'a> {
    name: &'a str,
    description: Option<&'a str>,
    file: String,
    models: Vec<ModelInfo<'a>>,
    seed: u64,
    replications: u32,
    seeds: &'static str,
}

#[derive(Serialize)]
struct ModelInfo<'a> {
    label: &'a str,
    file: String,
}

#[derive(Serialize)]
struct ParameterInfo<'a> {
    name: &'a str,
    numeric: bool,
    levels: Vec<LevelInfo<'a>>,
}

#[derive(Serialize)]
struct LevelInfo<'a> {
    label: &'a str,
    value: &'a Value,
}

#[derive(Serialize)]
struct MetricInfo<'a> {
    name: &'a str,
    source: String,
    unit: Option<&'static str>,
}

#[derive(Serialize)]
struct PointInfo<'a> {
    index: usize,
    parameters: Ordered<LevelInfo<'a>>,
    runs: Vec<RunInfo>,
    metrics: Ordered<EstimateInfo>,
}

#[derive(Serialize)]
struct RunInfo {
    replication: u32,
    seed: u64,
    metrics: Ordered<Option<f64>>,
}

#[derive(Serialize)]
struct EstimateInfo {
    n: usize,
    mean: Option<f64>,
    std_dev: Option<f64>,
    ci95: Option<[f64; 2]>,
}

#[derive(Serialize)]
struct ObjectiveInfo<'a> {
    name: &'a str,
    goal: &'static str,
    rank_by: &'a str,
    subject_to: Option<String>,
    for_each: Option<&'a str>,
    best: Vec<BestInfo<'a>>,
}

#[derive(Serialize)]
struct BestInfo<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    for_each_level: Option<&'a str>,
    point: Option<usize>,
    value: Option<f64>,
}

/// `sweep.json`, pretty-printed, ending in a newline.
pub(super) fn sweep(s: &Summary<'_>, best: &[Best]) -> String {
    let e = s.experiment;
    let doc = Sweep {
        albsim_version: env!("CARGO_PKG_VERSION"),
        experiment: ExperimentInfo {
            name: &e.name,
            description: e.description.as_deref(),
            file: e.file.display().to_string(),
            models: e
                .variants
                .iter()
                .map(|v| ModelInfo {
                    label: &v.label,
                    file: v.file.display().to_string(),
                })
                .collect(),
            seed: e.seed,
            replications: e.replications,
            seeds: "SplitMix64 of (seed, point, replication)",
        },
        parameters: e
            .parameters
            .iter()
            .map(|p| ParameterInfo {
                name: &p.name,
                numeric: p.numeric,
                levels: p
                    .levels
                    .iter()
                    .map(|l| LevelInfo {
                        label: &l.label,
                        value: &l.value,
                    })
                    .collect(),
            })
            .collect(),
        metrics: e
            .metrics
            .iter()
            .map(|m| MetricInfo {
                name: &m.name,
                source: metric_source(m),
                unit: metric_unit(m),
            })
            .collect(),
        points: s.points.iter().map(|p| point_info(s, p)).collect(),
        objectives: e
            .objectives
            .iter()
            .zip(best)
            .map(|(o, b)| ObjectiveInfo {
                name: &o.name,
                goal: if o.minimise { "minimise" } else { "maximise" },
                rank_by: &o.rank_by,
                subject_to: o.subject_to.as_ref().map(|c| c.to_string()),
                for_each: o.for_each.as_deref(),
                best: b
                    .groups
                    .iter()
                    .map(|g| BestInfo {
                        for_each_level: for_each_label(s, o.for_each.as_deref(), g.level),
                        point: g.point,
                        value: g.value,
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn for_each_label<'a>(
    s: &Summary<'a>,
    for_each: Option<&str>,
    level: Option<usize>,
) -> Option<&'a str> {
    let e = s.experiment;
    let k = e
        .parameters
        .iter()
        .position(|p| Some(p.name.as_str()) == for_each)?;
    Some(e.parameters[k].levels.get(level?)?.label.as_str())
}

fn point_info<'a>(s: &Summary<'a>, p: &PointResult<'a>) -> PointInfo<'a> {
    let e = s.experiment;
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    PointInfo {
        index: p.point.index,
        parameters: Ordered(
            e.parameters
                .iter()
                .zip(&p.point.levels)
                .map(|(param, &l)| {
                    let level = &param.levels[l];
                    (
                        param.name.clone(),
                        LevelInfo {
                            label: &level.label,
                            value: &level.value,
                        },
                    )
                })
                .collect(),
        ),
        runs: p
            .runs
            .iter()
            .map(|r| RunInfo {
                replication: r.run.replication,
                seed: r.seed,
                metrics: Ordered(
                    e.metrics
                        .iter()
                        .zip(&r.metrics)
                        .map(|(m, v)| (m.name.clone(), finite(*v)))
                        .collect(),
                ),
            })
            .collect(),
        metrics: Ordered(
            e.metrics
                .iter()
                .zip(&p.estimates)
                .map(|(m, est)| (m.name.clone(), estimate_info(est)))
                .collect(),
        ),
    }
}

fn estimate_info(est: &Estimate) -> EstimateInfo {
    EstimateInfo {
        n: est.n,
        mean: est.mean,
        std_dev: est.std_dev,
        ci95: est.ci95.map(|c| [c.low, c.high]),
    }
}
