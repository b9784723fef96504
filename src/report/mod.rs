//! Turning a [`RunResult`](crate::RunResult) into files and terminal text.
//!
//! Every function here is a pure mapping from results to bytes (hyperfine's exporters are the
//! model): reports never touch the engine, so they can be tested without running anything.
//!
//! | file | writes |
//! | --- | --- |
//! | [`summary`] | `summary.json` |
//! | [`summary_schema`] | the numbers of `summary.json`, as a tree metric paths are checked against |
//! | [`activity_log`] | `activity.log` |
//! | [`timeseries`] | `timeseries.csv` |
//! | [`timeline`] + [`timeline_plot`] | `timeline.svg` |
//! | [`terminal`] | the summary printed after a run |
//! | [`events`] | `events.json`: the important moments explained (plot markers, narrative) |
//! | [`output`] | the output folder, written all-or-nothing |
//! | [`document`] + [`run_report`], [`sweep_report`] | `report.html`, `report.md` (`albsim report`) |
//! | [`folder`] | reading a run's or sweep's folder back for a report |
//! | [`png`] | PNG images of the SVG plots |
//! | [`report_files`] | the report's files: HTML, Markdown, PNG |

pub mod activity_log;
pub mod document;
pub mod events;
pub mod folder;
pub mod output;
pub mod png;
pub mod report_files;
pub mod run_report;
pub mod summary;
pub mod summary_schema;
pub mod sweep_report;
pub mod terminal;
#[cfg(test)]
pub(crate) mod test_support;
pub mod timeline;
pub mod timeline_plot;
pub mod timeseries;
