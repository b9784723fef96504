//! The result files of a run, listed once: each file's name and how it is made from the run's
//! results. `albsim run` writes them in this order, the manifest lists them, the "wrote …" line
//! names them; `report` and `sweep` commands are to use the same list.

use crate::RunResult;
use crate::report::summary::Partial;
use crate::report::{activity_log, events, summary, timeline, timeseries};

/// What result files are made from: one run's results, and whether a guard stopped it.
#[derive(Clone, Copy, Debug)]
pub struct RunOutput<'a> {
    /// The run's results.
    pub result: &'a RunResult,
    /// Set if `--max-events` or `--max-wall` stopped the run (see [`Partial::of`]).
    pub partial: Option<&'a Partial>,
    /// The model's JSON as run (the file with the overrides applied), kept as `model.json`.
    pub model: &'a serde_json::Value,
}

/// One file of an output folder, next to the manifest.
#[derive(Clone, Copy, Debug)]
pub struct ResultFile {
    /// The file's name in the output folder.
    pub name: &'static str,
    /// Its contents for a run.
    render: fn(RunOutput<'_>) -> Result<Vec<u8>, RenderError>,
}

impl ResultFile {
    /// The file's contents for `run`.
    pub fn render(&self, run: RunOutput<'_>) -> Result<Vec<u8>, RenderError> {
        (self.render)(run)
    }
}

/// A result file that could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot {what}")]
pub struct RenderError {
    /// What was being done: `draw the timeline`.
    what: &'static str,
    /// Why it failed.
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// The result files of a run, in the order they are written and listed.
pub const RESULT_FILES: [ResultFile; 6] = [
    ResultFile {
        name: "summary.json",
        render: |run| Ok(summary::to_json_with(run.result, run.partial).into_bytes()),
    },
    ResultFile {
        name: "timeseries.csv",
        render: |run| Ok(timeseries::to_csv(run.result).into_bytes()),
    },
    ResultFile {
        name: "timeline.svg",
        render: |run| match timeline::to_svg(run.result) {
            Ok(svg) => Ok(svg.into_bytes()),
            Err(e) => Err(RenderError {
                what: "draw the timeline",
                source: Box::new(e),
            }),
        },
    },
    ResultFile {
        name: "activity.log",
        render: |run| Ok(activity_log::to_text(run.result).into_bytes()),
    },
    ResultFile {
        name: events::FILE_NAME,
        render: |run| Ok(events::to_json(&events::explain(run.result)).into_bytes()),
    },
    ResultFile {
        name: MODEL_FILE,
        render: |run| {
            // A JSON value always serializes.
            let mut text = serde_json::to_string_pretty(run.model).expect("JSON serializes");
            text.push('\n');
            Ok(text.into_bytes())
        },
    },
];

/// The model as run, in the output folder.
pub const MODEL_FILE: &str = "model.json";

/// Every result file of `run` (name, contents), in [`RESULT_FILES`]' order.
pub fn render_all(run: RunOutput<'_>) -> Result<Vec<(&'static str, Vec<u8>)>, RenderError> {
    RESULT_FILES
        .iter()
        .map(|f| Ok((f.name, f.render(run)?)))
        .collect()
}

/// The names of the result files, in [`RESULT_FILES`]' order.
pub fn names() -> impl Iterator<Item = &'static str> {
    RESULT_FILES.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_listed_once() {
        let mut names: Vec<&str> = names().collect();
        assert_eq!(
            names,
            [
                "summary.json",
                "timeseries.csv",
                "timeline.svg",
                "activity.log",
                "events.json",
                "model.json"
            ]
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RESULT_FILES.len());
        assert!(!names.contains(&super::super::manifest::FILE_NAME));
    }
}
