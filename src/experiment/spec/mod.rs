//! The experiment file (`experiments/*.json`): read, checked, resolved into an [`Experiment`],
//! and every point's model checked before anything runs.
//!
//! Reading follows the model's rules: at most [`MAX_EXPERIMENT_BYTES`], strict JSON (a key
//! written twice is refused), every type and unknown-key error at once with its JSON path
//! ([`raw`] through `scenario::shape`), then every rule of the format (`resolve`), then each
//! point's model with its overrides (`points`). Errors print as model errors do:
//! `error: experiments/x.json: parameters[0].values[2]: auto_scaling_groups[0].MinSize: expected
//! a whole number …`, then `experiments/x.json: 1 error (in 4 of 12 points)`.

mod metrics;
mod models;
mod names;
mod parameters;
mod points;
pub mod raw;
mod resolve;
mod sets;

use super::Experiment;
use crate::scenario::{self, FieldError, ModelError};
use std::path::Path;

/// The largest experiment file albsim reads (as large as a model may be).
pub const MAX_EXPERIMENT_BYTES: u64 = scenario::limits::MAX_MODEL_BYTES;

/// Why an experiment file cannot be run: every problem found, one line each.
#[derive(Debug, thiserror::Error)]
#[error("{}", lines.join("\n"))]
pub struct ExperimentError {
    /// The lines as printed.
    lines: Vec<String>,
    /// How many problems were found.
    count: usize,
}

impl ExperimentError {
    /// Every line as printed: one `error: FILE: path: message` per problem, then, when there
    /// are several (or they come from points), a count line `FILE: 3 errors (in 4 of 12
    /// points)`.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// How many problems were found (all of them, even past the 100 listed).
    pub fn count(&self) -> usize {
        self.count
    }

    /// One problem of the file as a whole (it cannot be read, it is not JSON).
    fn whole_file(file: &Path, message: impl std::fmt::Display) -> ExperimentError {
        ExperimentError {
            lines: vec![format!("error: {}: {message}", file.display())],
            count: 1,
        }
    }

    /// Problems at JSON paths of the experiment file.
    fn at_paths(file: &Path, errors: &[FieldError], truncated: bool) -> ExperimentError {
        let mut lines: Vec<String> = errors
            .iter()
            .map(|e| format!("error: {}: {}: {}", file.display(), e.path, e.message))
            .collect();
        if errors.len() > 1 || truncated {
            lines.push(format!(
                "{}: {}{}",
                file.display(),
                errors_word(errors.len()),
                if truncated { " (and more)" } else { "" }
            ));
        }
        ExperimentError {
            lines,
            count: errors.len(),
        }
    }
}

/// `1 error`, `3 errors`.
fn errors_word(n: usize) -> String {
    if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    }
}

/// Reads, checks and resolves the experiment file at `file`, checking every point's model.
pub fn load(file: &Path) -> Result<Experiment, ExperimentError> {
    let text = read_experiment(file)?;
    load_with_reader(file, &text, &|model| scenario::read_model(model))
}

/// [`load`] of the experiment text `text` (read from `file`), its model files read by
/// `read_model` (`albsim collect` reads them from a snapshot of the sweep's inputs).
pub fn load_with_reader(
    file: &Path,
    text: &str,
    read_model: &dyn Fn(&Path) -> Result<String, ModelError>,
) -> Result<Experiment, ExperimentError> {
    if text.len() as u64 > MAX_EXPERIMENT_BYTES {
        return Err(too_large(file));
    }
    let value = serde_json::from_str::<scenario::strict_json::StrictValue>(text)
        .map_err(|e| ExperimentError::whole_file(file, format!("not valid JSON: {e}")))?
        .0;
    let raw = scenario::shape::check::<raw::RawExperiment>(&value)
        .map_err(|e| ExperimentError::at_paths(file, &e.errors, e.truncated))?;
    let experiment = resolve::resolve(file, &raw, read_model)
        .map_err(|errors| ExperimentError::at_paths(file, &errors, false))?;
    points::check(&experiment)?;
    Ok(experiment)
}

fn too_large(file: &Path) -> ExperimentError {
    ExperimentError::whole_file(
        file,
        format!(
            "the experiment file is larger than {MAX_EXPERIMENT_BYTES} bytes, the most albsim reads (check the file name)"
        ),
    )
}

/// Reads the experiment file, refusing more than [`MAX_EXPERIMENT_BYTES`] (reading at most one
/// byte more).
/// The text of the experiment file at `file` (size-limited, UTF-8), as [`load`] reads it.
pub fn read_experiment(file: &Path) -> Result<String, ExperimentError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        ExperimentError::whole_file(file, format!("cannot read the experiment file: {e}"))
    };
    let handle = std::fs::File::open(file).map_err(cannot)?;
    let mut bytes = Vec::new();
    handle
        .take(MAX_EXPERIMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_EXPERIMENT_BYTES {
        return Err(too_large(file));
    }
    String::from_utf8(bytes).map_err(|e| {
        ExperimentError::whole_file(
            file,
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}
