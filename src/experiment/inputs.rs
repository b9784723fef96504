//! A sweep's inputs, kept in its output folder (`inputs.json`): the experiment file's text and
//! every model file's text, as the sweep read them. `albsim collect` loads the experiment from
//! them, so merging shards needs neither the files nor the same folder layout, and shards run
//! from different inputs are told apart instead of merged.

use super::Experiment;
use super::spec::{self, ExperimentError};
use crate::scenario::ModelError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file's name in a sweep's output folder.
pub const FILE_NAME: &str = "inputs.json";

/// The experiment file and the model files of a sweep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// The experiment file, as given on the command line.
    pub experiment_file: PathBuf,
    /// Its text.
    pub experiment_text: String,
    /// Each model file (as the experiment resolved its path) and its text.
    pub models: Vec<InputFile>,
}

/// One model file of a sweep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path the experiment named, resolved against the experiment file's folder.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
}

impl Inputs {
    /// The inputs of `exp`, loaded from `experiment_text`.
    pub fn of(exp: &Experiment, experiment_text: String) -> Inputs {
        let mut models: Vec<InputFile> = Vec::new();
        for v in &exp.variants {
            if !models.iter().any(|m| m.file == v.file) {
                models.push(InputFile {
                    file: v.file.clone(),
                    text: v.text.clone(),
                });
            }
        }
        Inputs {
            experiment_file: exp.file.clone(),
            experiment_text,
            models,
        }
    }

    /// The text of the model file `file`, if it is one of them.
    pub fn model_text(&self, file: &Path) -> Option<&str> {
        self.models
            .iter()
            .find(|m| m.file == file)
            .map(|m| m.text.as_str())
    }

    /// The experiment, loaded from the recorded texts only (no file outside the folder is read):
    /// a model file the experiment names that is not among them is an error.
    pub fn experiment(&self) -> Result<Experiment, ExperimentError> {
        let read_model = |file: &Path| -> Result<String, ModelError> {
            self.model_text(file)
                .map(str::to_string)
                .ok_or_else(|| ModelError::Read {
                    file: file.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("not among the inputs recorded in {FILE_NAME}"),
                    ),
                })
        };
        spec::load_with_reader(&self.experiment_file, &self.experiment_text, &read_model)
    }

    /// The file's contents (pretty JSON, ending in a newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).expect("strings serialize");
        text.push('\n');
        text.into_bytes()
    }
}
