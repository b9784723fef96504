//! `albsim validate`: load and check model files (and experiment files, as `albsim sweep` checks
//! them before running); report every problem in every file.

use super::args::ValidateArgs;
use crate::engine::human::human_duration;
use crate::scenario;
use crate::scenario::overrides::LoadError;
use anyhow::Result;

/// Checks each model, with the command line's overrides applied as `run` applies them. For a
/// valid one prints `ok: …` on stdout and its warnings on stderr (`warning: FILE: path:
/// message`); for an invalid one every error (`error: FILE: path: message`, then a count).
/// Fails (exit 2) if any model is invalid; warnings alone do not fail.
pub fn validate(a: &ValidateArgs) -> Result<()> {
    let overrides = a.overrides.overrides();
    let mut broken = 0usize;
    let mut broken_experiments = 0usize;
    for path in &a.models {
        if is_experiment(path) {
            if !validate_experiment(path, !overrides.is_empty())? {
                broken_experiments += 1;
            }
            continue;
        }
        match scenario::load_with(path, &overrides) {
            Ok(s) => {
                let m = &s.messaging;
                // Queues and workers are named only in models that have them (the line of
                // every other model stays as it was).
                let messaging = if m.is_empty() && m.producers.is_empty() && m.consumers.is_empty()
                {
                    String::new()
                } else {
                    format!(
                        ", {}, {}, {}, {}",
                        count(m.queues.len(), "queue", "queues"),
                        count(m.topics.len(), "topic", "topics"),
                        count(m.producers.len(), "producer", "producers"),
                        count(m.consumers.len(), "worker program", "worker programs"),
                    )
                };
                super::print_stdout(&format!(
                    "ok: {} ({}: {}, {}, {}, {}, {}{}, {}{})\n",
                    path.display(),
                    s.name,
                    count(s.clients.len(), "client", "clients"),
                    count(s.listeners.len(), "listener", "listeners"),
                    count(s.target_groups.len(), "target group", "target groups"),
                    count(s.instances.len(), "instance", "instances"),
                    count(
                        s.auto_scaling_groups.len(),
                        "Auto Scaling group",
                        "Auto Scaling groups"
                    ),
                    messaging,
                    human_duration(s.duration.as_secs_f64()),
                    match s.warnings.len() {
                        0 => String::new(),
                        n => format!(", {}", count(n, "warning", "warnings")),
                    }
                ))?;
                for w in &s.warnings {
                    eprintln!("warning: {}: {w}", path.display());
                }
            }
            Err(e) => {
                broken += 1;
                for line in super::load_error_lines(&e) {
                    eprintln!("{line}");
                }
                // An override's problem names the override, not the file: say which file.
                let only_named_by_overrides =
                    matches!(e, LoadError::Overridden { .. }) && e.count() == 1;
                if only_named_by_overrides && a.models.len() > 1 {
                    eprintln!("{}: 1 error", path.display());
                }
            }
        }
    }
    if broken + broken_experiments == 0 {
        Ok(())
    } else {
        Err(InvalidModels {
            models: broken,
            experiments: broken_experiments,
        }
        .into())
    }
}

/// Whether `path` holds an experiment rather than a model: a JSON object with `parameters` (a
/// key no model has).
fn is_experiment(path: &std::path::Path) -> bool {
    scenario::read_model(path)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|v| v.get("parameters").is_some())
}

/// Checks an experiment as `albsim sweep` would before its first run (every point's model);
/// prints `ok: …` or its errors; whether it is valid.
fn validate_experiment(path: &std::path::Path, with_overrides: bool) -> Result<bool> {
    if with_overrides {
        eprintln!(
            "error: {}: an experiment sets its models' values itself (its `set` and parameters); --set, --seed and --duration apply to model files only",
            path.display()
        );
        return Ok(false);
    }
    match crate::experiment::spec::load(path) {
        Ok(exp) => {
            let models: Vec<&str> = exp.variants.iter().map(|v| v.label.as_str()).collect();
            super::print_stdout(&format!(
                "ok: {} (experiment {}: {} × {} = {} on {})\n",
                path.display(),
                exp.name,
                count(exp.points.len(), "point", "points"),
                count(exp.replications as usize, "replication", "replications"),
                count(exp.run_count(), "run", "runs"),
                models.join(", ")
            ))?;
            Ok(true)
        }
        Err(e) => {
            for line in e.lines() {
                eprintln!("{line}");
            }
            Ok(false)
        }
    }
}

/// `1 client`, `0 clients`, `2 clients`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Some of the files given to `validate` are invalid (each was already reported).
#[derive(Debug)]
pub struct InvalidModels {
    /// Invalid model files.
    pub models: usize,
    /// Invalid experiment files.
    pub experiments: usize,
}

impl std::fmt::Display for InvalidModels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files =
            |n: usize, kind: &str| format!("{n} {kind} file{}", if n == 1 { "" } else { "s" });
        let (what, n) = match (self.models, self.experiments) {
            (m, 0) => (files(m, "model"), m),
            (0, x) => (files(x, "experiment"), x),
            (m, x) => (
                format!("{} and {}", files(m, "model"), files(x, "experiment")),
                m + x,
            ),
        };
        write!(
            f,
            "{what} {}",
            if n == 1 { "is invalid" } else { "are invalid" }
        )
    }
}

impl std::error::Error for InvalidModels {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_line_counts_models_and_experiments_apart() {
        let line = |models, experiments| {
            InvalidModels {
                models,
                experiments,
            }
            .to_string()
        };
        assert_eq!(line(1, 0), "1 model file is invalid");
        assert_eq!(line(2, 0), "2 model files are invalid");
        assert_eq!(line(0, 1), "1 experiment file is invalid");
        assert_eq!(
            line(1, 2),
            "1 model file and 2 experiment files are invalid"
        );
    }

    #[test]
    fn counts_use_the_singular_for_one_only() {
        assert_eq!(count(0, "target group", "target groups"), "0 target groups");
        assert_eq!(count(1, "client", "clients"), "1 client");
        assert_eq!(count(2, "client", "clients"), "2 clients");
    }
}
