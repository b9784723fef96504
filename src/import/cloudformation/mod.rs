//! `albsim import cloudformation TEMPLATE`: a CloudFormation template (YAML with short-form tags,
//! or JSON) → an albsim model.
//!
//! ```text
//! template text ──load──▶ Node tree (tags normalised to Fn:: long forms, line:column kept)
//!        │ Stack::new (parameters, pseudo-parameters, conditions, mappings)
//!        ▼
//!   Stack::resolve(logical id, node) — lazily, only for the resources albsim maps
//!        │ map
//!        ▼
//!   Imported { model (JSON, stable key order), assumed, ignored, notes }
//! ```

pub mod load;
pub mod map;
pub mod node;
pub mod resolve;

pub use node::{Mark, Node, Value};
pub use resolve::{Parameter, Stack};

use std::path::{Path, PathBuf};

/// A template albsim cannot import, with where it went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.line())]
pub struct ImportError {
    /// The template file.
    pub file: PathBuf,
    /// Where in the file (1-based), when known.
    pub mark: Option<Mark>,
    /// The resource (logical id) or section it concerns, e.g. `Resources.WebTG`.
    pub context: Option<String>,
    /// What is wrong, in a user's words.
    pub message: String,
}

impl ImportError {
    /// `FILE:LINE:COLUMN: CONTEXT: message`.
    pub fn line(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(m) = self.mark {
            s.push_str(&format!(":{}:{}", m.line, m.column));
        }
        if let Some(c) = &self.context {
            s.push_str(&format!(": {c}"));
        }
        s.push_str(&format!(": {}", self.message));
        s
    }
}

/// What `import` made of a template.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The albsim model, ready to write as pretty JSON (keys in a stable order).
    pub model: serde_json::Value,
    /// What the template does not say and albsim filled in (traffic, service times…), one line
    /// each, naming the model path.
    pub assumed: Vec<String>,
    /// Resources albsim does not model: (logical id, type).
    pub ignored: Vec<(String, String)>,
    /// Settings albsim changed or read differently from the template, and why (e.g. slow start
    /// with least outstanding requests, which AWS does not support).
    pub notes: Vec<String>,
}

/// Where the imported model's run lies on the calendar (`--start`, `--duration`); what is not
/// given is albsim's default, listed among the assumptions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunWindow {
    /// The instant (seconds since the epoch, UTC) at which simulated time 0 falls.
    pub start: Option<u64>,
    /// The run's length, as the model writes it (e.g. `"8h"`), and in seconds.
    pub duration: Option<(String, u64)>,
}

/// Imports a template's text. `parameters` are `--parameters Key=Value` in the order given.
pub fn import(
    text: &str,
    file: &Path,
    parameters: &[(String, String)],
    window: &RunWindow,
) -> Result<Imported, ImportError> {
    let root = load::load(text, file)?;
    let stack = Stack::new(&root, file, parameters)?;
    map::map(&stack, window)
}
