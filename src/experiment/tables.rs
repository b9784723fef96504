//! (being written) `results.csv`, `points.csv`, `sweep.json`, `results.md`, best points.

use super::{Experiment, RunOutcome};

/// Everything a sweep's tables are made from (stub: the helper writing `tables.rs` replaces it).
#[derive(Clone, Copy, Debug)]
pub struct SweepResults<'a> {
    /// The experiment.
    pub experiment: &'a Experiment,
    /// Every run, in `Experiment::runs()` order.
    pub runs: &'a [RunOutcome],
}

/// A table or plot that could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot {0}")]
pub struct RenderError(pub String);

/// Every table and plot file (name, contents), in a fixed order.
pub fn render_all(r: &SweepResults<'_>) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let _ = r;
    Ok(Vec::new())
}
