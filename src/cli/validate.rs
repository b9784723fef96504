//! `albsim validate`: load and check model files; report every problem in every file.

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
    for path in &a.models {
        match scenario::load_with(path, &overrides) {
            Ok(s) => {
                super::print_stdout(&format!(
                    "ok: {} ({}: {}, {}, {}, {}, {}, {}{})\n",
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
    if broken == 0 {
        Ok(())
    } else {
        Err(InvalidModels(broken).into())
    }
}

/// `1 client`, `0 clients`, `2 clients`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Some of the models given to `validate` are invalid (each was already reported).
#[derive(Debug)]
pub struct InvalidModels(pub usize);

impl std::fmt::Display for InvalidModels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            1 => f.write_str("1 model file is invalid"),
            n => write!(f, "{n} model files are invalid"),
        }
    }
}

impl std::error::Error for InvalidModels {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_the_singular_for_one_only() {
        assert_eq!(count(0, "target group", "target groups"), "0 target groups");
        assert_eq!(count(1, "client", "clients"), "1 client");
        assert_eq!(count(2, "client", "clients"), "2 clients");
    }
}
