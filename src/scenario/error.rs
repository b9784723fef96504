//! Errors in a model file: what is wrong, where (file and JSON path), and what is allowed.
//!
//! Every message follows one pattern, so a user can fix the file without reading code:
//! `models/x.json: load_balancer.attributes."idle_timeout.timeout_seconds": expected an integer in
//! 1–4000 (seconds), got 5000`.

use std::path::PathBuf;
use thiserror::Error;

/// A problem at one position of the model, before the file name is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path, e.g. `clients[0].arrival.rate_per_second`.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

/// Why a model file could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The file could not be read.
    #[error("{file}: cannot read the model file")]
    Read {
        /// The model file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{file}: not valid JSON: {message}")]
    Syntax {
        /// The model file.
        file: PathBuf,
        /// serde_json's description, with line and column.
        message: String,
    },
    /// A value is missing, of the wrong type, out of range, or refers to something that does not
    /// exist.
    #[error("{file}: {path}: {message}")]
    Invalid {
        /// The model file.
        file: PathBuf,
        /// JSON path of the offending value.
        path: String,
        /// What was expected (with the allowed range) and what was found.
        message: String,
    },
}

/// Something valid but suspicious in a model (an `at` beyond the run's end, zero think time, a rule
/// that can never match…): reported by `validate` and `run`, never fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// JSON path, e.g. `faults[0].at`.
    pub path: String,
    /// What looks wrong and why it matters.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl FieldError {
    /// Attaches the model file's name.
    pub fn in_file(self, file: impl Into<PathBuf>) -> ModelError {
        ModelError::Invalid {
            file: file.into(),
            path: self.path,
            message: self.message,
        }
    }
}
