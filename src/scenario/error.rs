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
    #[error("{}: cannot read the model file", file.display())]
    Read {
        /// The model file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{}: not valid JSON: {message}", file.display())]
    Syntax {
        /// The model file.
        file: PathBuf,
        /// serde_json's description, with line and column.
        message: String,
    },
    /// A value is missing, of the wrong type, out of range, or refers to something that does not
    /// exist.
    #[error("{}: {path}: {message}", file.display())]
    Invalid {
        /// The model file.
        file: PathBuf,
        /// JSON path of the offending value.
        path: String,
        /// What was expected (with the allowed range) and what was found.
        message: String,
    },
    /// Several values are wrong: every one found, in the order found (one per line when shown).
    #[error("{}", several(file, errors, *truncated))]
    Several {
        /// The model file.
        file: PathBuf,
        /// Each problem, with its JSON path.
        errors: Vec<FieldError>,
        /// More problems exist than are listed (the list stops at a cap).
        truncated: bool,
    },
    /// The file is larger than albsim reads.
    #[error(
        "{}: the model file is larger than {limit} bytes ({mib} MiB), the most albsim reads; a model this large is almost certainly not a model (check the file name)",
        file.display(),
        mib = limit / (1024 * 1024)
    )]
    TooLarge {
        /// The model file.
        file: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
}

fn several(file: &std::path::Path, errors: &[FieldError], truncated: bool) -> String {
    let mut s = format!(
        "{}: {} errors{}",
        file.display(),
        errors.len(),
        if truncated { " (and more)" } else { "" }
    );
    for e in errors {
        s.push_str(&format!(
            "\n  {}: {}: {}",
            file.display(),
            e.path,
            e.message
        ));
    }
    if truncated {
        s.push_str("\n  … and more (fix these and validate again)");
    }
    s
}

impl ModelError {
    /// Each problem on its own line, `FILE: path: message` (one line for most errors).
    pub fn lines(&self) -> Vec<String> {
        match self {
            ModelError::Several {
                file,
                errors,
                truncated,
            } => {
                let mut lines: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}: {}", file.display(), e.path, e.message))
                    .collect();
                if *truncated {
                    lines.push(format!(
                        "{}: … and more (only the first {} are shown; fix these and validate again)",
                        file.display(),
                        errors.len()
                    ));
                }
                lines
            }
            other => vec![format!("{:#}", anyhow_like(other))],
        }
    }

    /// The number of problems listed.
    pub fn count(&self) -> usize {
        match self {
            ModelError::Several { errors, .. } => errors.len(),
            _ => 1,
        }
    }
}

/// `Display` of an error followed by its sources (as anyhow's `{:#}` shows them).
fn anyhow_like(e: &ModelError) -> String {
    use std::error::Error as _;
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    s
}

/// Every problem found while resolving a model (in the order found), before the file name is
/// known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Attaches the model file's name: one problem gives [`ModelError::Invalid`], several
    /// [`ModelError::Several`].
    pub fn in_file(self, file: impl Into<PathBuf>) -> ModelError {
        let file = file.into();
        let mut errors = self.0;
        if errors.len() == 1 {
            errors.pop().expect("one error").in_file(file)
        } else {
            ModelError::Several {
                file,
                errors,
                truncated: false,
            }
        }
    }

    /// The first problem (there is always at least one).
    pub fn first(&self) -> &FieldError {
        &self.0[0]
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        FieldErrors(vec![e])
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}: {}", e.path, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

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

/// Keeps the value of `r`, or records its error.
pub(super) fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}
