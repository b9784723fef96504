//! Reading a model with overrides, and naming the override behind each problem.
//!
//! A problem is the overrides' if the model without them does not have it (at that path, with
//! that message). It is named after the last override whose value holds the problem's path
//! (`--set 'clients[0].arrival={…}'` for `clients[0].arrival.rate_per_second`), else the last
//! one that changed something inside it (`--set clients[0].arrival.type=spike` for a key now
//! missing from `clients[0].arrival`), else the last one that set something beside it in the
//! same object or list (`--set 'auto_scaling_groups[0].MinSize=9'` for a `MaxSize` now below
//! it); a problem that none explains (a top-level `duration` now shorter than a fault's `at`)
//! names the file and every override. Problems the file has anyway name
//! the file, as without overrides.

use super::{Applied, Override, apply};
use crate::scenario::{FieldError, ModelError};
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem of a model read with overrides, named by what caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What caused it: an override as the user gave it (`--set duration=500d`, `--duration
    /// 500d`), or the model file.
    pub origin: String,
    /// The JSON path (empty when the origin already names it, as `--duration` does).
    pub path: String,
    /// What was expected (with the allowed range) and what was found.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(f, "{}: {}: {}", self.origin, self.path, self.message)
        }
    }
}

/// Why a model could not be read with overrides.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The model's own problem, exactly as without the overrides (none of them caused it).
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Overrides could not be applied, or made the model wrong: every problem, each named by
    /// what caused it.
    #[error("{}", lines(problems, *truncated, file).join("\n"))]
    Overridden {
        /// The model file.
        file: PathBuf,
        /// Each problem, in the order found.
        problems: Vec<Problem>,
        /// More problems exist than are listed.
        truncated: bool,
    },
}

impl LoadError {
    /// Each problem on its own line: `ORIGIN: path: message`.
    pub fn lines(&self) -> Vec<String> {
        match self {
            LoadError::Model(e) => e.lines(),
            LoadError::Overridden {
                file,
                problems,
                truncated,
            } => lines(problems, *truncated, file),
        }
    }

    /// The number of problems listed.
    pub fn count(&self) -> usize {
        match self {
            LoadError::Model(e) => e.count(),
            LoadError::Overridden { problems, .. } => problems.len(),
        }
    }

    /// The model file.
    pub fn file(&self) -> &Path {
        match self {
            LoadError::Model(
                ModelError::Read { file, .. }
                | ModelError::Syntax { file, .. }
                | ModelError::Invalid { file, .. }
                | ModelError::Several { file, .. }
                | ModelError::TooLarge { file, .. },
            )
            | LoadError::Overridden { file, .. } => file,
        }
    }
}

fn lines(problems: &[Problem], truncated: bool, file: &Path) -> Vec<String> {
    let mut lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    if truncated {
        lines.push(format!(
            "{}: … and more (only the first {} are shown; fix these and validate again)",
            file.display(),
            problems.len()
        ));
    }
    lines
}

/// Reads `model` with `overrides` applied, by `read` (the loader's parse, or parse and
/// resolve); problems the overrides caused are named after them.
pub(crate) fn read_with<T>(
    model: Value,
    file: &Path,
    overrides: &[Override],
    read: impl Fn(&Value) -> Result<T, ModelError>,
) -> Result<T, LoadError> {
    if overrides.is_empty() {
        return Ok(read(&model)?);
    }
    let mut patched = model.clone();
    let applied = apply(&mut patched, overrides).map_err(|problems| LoadError::Overridden {
        file: file.to_path_buf(),
        problems,
        truncated: false,
    })?;
    read(&patched).map_err(|with| {
        let without = read(&model).err();
        blame(with, without.as_ref(), overrides, &applied, file)
    })
}

/// Names each problem of the model with overrides (`with`) after its cause.
fn blame(
    with: ModelError,
    without: Option<&ModelError>,
    overrides: &[Override],
    applied: &[Applied],
    file: &Path,
) -> LoadError {
    let Some((errors, truncated)) = field_errors(&with) else {
        return LoadError::Model(with);
    };
    let already = without.and_then(field_errors).map_or(Vec::new(), |e| e.0);
    let in_file = |e: &FieldError| already.contains(e);
    if errors.iter().all(in_file) {
        return LoadError::Model(with);
    }
    let problems = errors
        .iter()
        .map(|e| {
            if in_file(e) {
                return problem(file.display().to_string(), e);
            }
            let holds = applied.iter().rev().find(|a| inside(&e.path, &a.at));
            let changed_inside = || applied.iter().rev().find(|a| inside(&a.at, &e.path));
            let beside = || {
                let near = |a: &&Applied| !a.within.is_empty() && inside(&e.path, &a.within);
                applied.iter().rev().find(near)
            };
            match holds.or_else(changed_inside).or_else(beside) {
                Some(a) => {
                    let o = &overrides[a.index];
                    let mut p = problem(o.origin.clone(), e);
                    if o.origin_names_path && p.path == a.at {
                        p.path.clear();
                    }
                    p
                }
                None => {
                    let all: Vec<&str> = overrides.iter().map(|o| o.origin.as_str()).collect();
                    problem(format!("{} (with {})", file.display(), all.join(", ")), e)
                }
            }
        })
        .collect();
    LoadError::Overridden {
        file: file.to_path_buf(),
        problems,
        truncated,
    }
}

fn problem(origin: String, e: &FieldError) -> Problem {
    Problem {
        origin,
        path: e.path.clone(),
        message: e.message.clone(),
    }
}

/// The problems at JSON paths of a model error, and whether more exist; `None` for an error
/// that is not about values (unreadable file, syntax).
fn field_errors(e: &ModelError) -> Option<(Vec<FieldError>, bool)> {
    match e {
        ModelError::Several {
            errors, truncated, ..
        } => Some((errors.clone(), *truncated)),
        ModelError::Invalid { path, message, .. } => Some((
            vec![FieldError {
                path: path.clone(),
                message: message.clone(),
            }],
            false,
        )),
        _ => None,
    }
}

/// Whether `path` is `at` or inside it (`a.b` and `a[0]` are inside `a`; `a.bc` is not).
fn inside(path: &str, at: &str) -> bool {
    path.strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(path: &str, message: &str) -> FieldError {
        FieldError {
            path: path.into(),
            message: message.into(),
        }
    }

    fn several(errors: Vec<FieldError>) -> ModelError {
        ModelError::Several {
            file: "m.json".into(),
            errors,
            truncated: false,
        }
    }

    /// Blames `with` on `texts` (applied to `model`), with `without` the file's own errors.
    fn blamed(model: Value, texts: &[&str], with: ModelError, without: ModelError) -> Vec<String> {
        let overrides: Vec<Override> = texts.iter().map(|t| Override::parse(t).unwrap()).collect();
        let applied = apply(&mut model.clone(), &overrides).unwrap();
        blame(
            with,
            Some(&without),
            &overrides,
            &applied,
            "m.json".as_ref(),
        )
        .lines()
    }

    #[test]
    fn a_problem_is_named_after_the_override_that_holds_changed_or_sits_beside_it() {
        let model = json!({ "g": [ { "Min": 1, "Max": 2, "t": { "a": 1 } } ], "d": 1 });
        let with = several(vec![
            field("g[0].t.b", "holds"),
            field("g[0]", "changed inside"),
            field("g[0].Max", "beside"),
            field("d", "the file's own"),
            field("x", "nobody's"),
        ]);
        let without = several(vec![field("d", "the file's own")]);
        assert_eq!(
            blamed(model, &["g[0].t={\"b\":1}", "g[0].Min=5"], with, without),
            [
                "--set g[0].t={\"b\":1}: g[0].t.b: holds",
                "--set g[0].Min=5: g[0]: changed inside",
                "--set g[0].Min=5: g[0].Max: beside",
                "m.json: d: the file's own",
                "m.json (with --set g[0].t={\"b\":1}, --set g[0].Min=5): x: nobody's",
            ]
        );
    }

    #[test]
    fn the_last_override_that_explains_a_problem_is_named() {
        let model = json!({ "a": { "b": 1 } });
        let with = several(vec![field("a.b", "wrong"), field("a.c", "also wrong")]);
        assert_eq!(
            blamed(model, &["a.b=2", "a={\"b\":3}"], with, several(vec![])),
            [
                "--set a={\"b\":3}: a.b: wrong",
                "--set a={\"b\":3}: a.c: also wrong"
            ]
        );
    }

    #[test]
    fn an_option_that_names_its_path_is_not_followed_by_it_again() {
        let overrides = [Override::from_option(
            "--duration",
            "9d",
            "duration",
            json!("9d"),
        )];
        let applied = apply(&mut json!({}), &overrides).unwrap();
        let with = ModelError::Invalid {
            file: "m.json".into(),
            path: "duration".into(),
            message: "too long".into(),
        };
        let e = blame(with, None, &overrides, &applied, "m.json".as_ref());
        assert_eq!(e.lines(), ["--duration 9d: too long"]);
        assert_eq!(e.count(), 1);
        assert_eq!(e.file(), Path::new("m.json"));
    }

    #[test]
    fn errors_the_file_has_anyway_stay_the_files_own() {
        let with = several(vec![field("a", "x"), field("b", "y")]);
        let e = blame(
            with,
            Some(&several(vec![field("b", "y"), field("a", "x")])),
            &[Override::parse("c=1").unwrap()],
            &[],
            "m.json".as_ref(),
        );
        assert!(
            matches!(e, LoadError::Model(ModelError::Several { .. })),
            "{e}"
        );
        assert!(inside("a.b", "a") && inside("a[0]", "a") && inside("a", "a"));
        assert!(!inside("a.bc", "a.b") && !inside("ab", "a"));
    }
}
