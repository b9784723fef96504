//! What a sweep's tables and plots are made from: its finished runs grouped by point, each
//! metric estimated over the replications once ([`Summary`]), and why a file could not be made.

use super::stats::Estimate;
use super::{Experiment, Point, RunOutcome};

/// Everything a sweep's tables are made from.
#[derive(Clone, Copy, Debug)]
pub struct SweepResults<'a> {
    /// The resolved experiment.
    pub experiment: &'a Experiment,
    /// Every run, in [`Experiment::runs`] order.
    pub runs: &'a [RunOutcome],
}

/// Why a sweep's tables could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    /// A run does not fit the experiment (a point or a metric it does not have).
    #[error("run results do not match the experiment: {0}")]
    Mismatch(String),
    /// A plot could not be drawn.
    #[error("cannot draw {file}: {why}")]
    Plot {
        /// The plot's file name.
        file: String,
        /// What the plotting library said.
        why: String,
    },
}

/// One point with its runs and each metric's estimate over them.
#[derive(Clone, Debug)]
pub struct PointResult<'a> {
    /// The point.
    pub point: &'a Point,
    /// Its finished runs, by replication.
    pub runs: Vec<&'a RunOutcome>,
    /// Each metric's estimate, in [`Experiment::metrics`]' order.
    pub estimates: Vec<Estimate>,
}

/// The runs of every point, grouped and estimated once for all tables and plots.
#[derive(Clone, Debug)]
pub struct Summary<'a> {
    /// The experiment.
    pub experiment: &'a Experiment,
    /// One entry per point, in [`Experiment::points`]' order.
    pub points: Vec<PointResult<'a>>,
}

impl<'a> Summary<'a> {
    /// Groups the runs by point and estimates every metric; a run naming a point the experiment
    /// does not have, or with another number of metrics, is refused.
    pub fn of(r: &SweepResults<'a>) -> Result<Summary<'a>, RenderError> {
        let e = r.experiment;
        let mut runs: Vec<Vec<&RunOutcome>> = vec![Vec::new(); e.points.len()];
        for run in r.runs {
            let Some(slot) = runs.get_mut(run.run.point) else {
                return Err(RenderError::Mismatch(format!(
                    "run of point {} but the experiment has {} points",
                    run.run.point,
                    e.points.len()
                )));
            };
            if run.metrics.len() != e.metrics.len() {
                return Err(RenderError::Mismatch(format!(
                    "point {} replication {} has {} metric values, the experiment {} metrics",
                    run.run.point,
                    run.run.replication,
                    run.metrics.len(),
                    e.metrics.len()
                )));
            }
            slot.push(run);
        }
        let points = e
            .points
            .iter()
            .zip(runs)
            .map(|(point, mut runs)| {
                runs.sort_by_key(|r| r.run.replication);
                let estimates = (0..e.metrics.len())
                    .map(|m| Estimate::of(runs.iter().map(|r| r.metrics[m])))
                    .collect();
                PointResult {
                    point,
                    runs,
                    estimates,
                }
            })
            .collect();
        Ok(Summary {
            experiment: e,
            points,
        })
    }
}
