//! A sweep's tables from its finished runs: `results.csv`, `points.csv`, `sweep.json`,
//! `results.md`, the best points of its objectives, and the plots of [`super::plots`].
//!
//! Everything here is a pure function of the [`Experiment`](super::Experiment) and its
//! [`RunOutcome`](super::RunOutcome)s, so the same runs give byte-identical files whatever the
//! thread count, the order the runs finished in or the shards they ran on.

mod csv;
mod json;
mod markdown;
pub mod objectives;

use super::summary::{RenderError, Summary, SweepResults};

/// Each objective's best points, one line each, as the terminal shows them after a sweep.
pub fn best_point_lines(r: &SweepResults<'_>) -> Result<Vec<String>, RenderError> {
    let summary = Summary::of(r)?;
    let best = objectives::best_points(&summary);
    Ok(markdown::best_point_lines(&summary, &best))
}

/// Every table and plot file (name, contents), in a fixed order: `results.csv`, `points.csv`,
/// `sweep.json`, `results.md`, then the plots ([`super::plots::render`]).
pub fn render_all(r: &SweepResults<'_>) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let summary = Summary::of(r)?;
    let best = objectives::best_points(&summary);
    let plots = super::plots::render(&summary)?;
    let plot_names: Vec<&str> = plots.iter().map(|(name, _)| name.as_str()).collect();
    let mut files = vec![
        (
            "results.csv".to_string(),
            csv::results(&summary).into_bytes(),
        ),
        ("points.csv".to_string(), csv::points(&summary).into_bytes()),
        (
            "sweep.json".to_string(),
            json::sweep(&summary, &best).into_bytes(),
        ),
        (
            "results.md".to_string(),
            markdown::report(&summary, &best, &plot_names).into_bytes(),
        ),
    ];
    files.extend(plots);
    Ok(files)
}

#[cfg(test)]
mod tests;
