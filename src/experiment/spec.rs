//! (being written) The experiment file: raw structs, checks, resolution into an [`Experiment`].

use super::Experiment;
use std::path::Path;

/// Why an experiment file cannot be run (stub).
#[derive(Debug, thiserror::Error)]
#[error("{}", lines.join("\n"))]
pub struct ExperimentError {
    /// One `FILE: path: message` line per problem.
    pub lines: Vec<String>,
}

/// Reads, checks and resolves the experiment file at `file`, checking every point's model.
pub fn load(file: &Path) -> Result<Experiment, ExperimentError> {
    Err(ExperimentError {
        lines: vec![format!("{}: not written yet", file.display())],
    })
}

/// [`load`] from the experiment's `text`, reading model files with `read_model` (stub).
pub fn load_with_reader(
    file: &Path,
    text: &str,
    read_model: &dyn Fn(&Path) -> Result<String, crate::scenario::ModelError>,
) -> Result<Experiment, ExperimentError> {
    let _ = (text, read_model);
    load(file)
}
