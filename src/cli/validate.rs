//! `albsim validate`: load and check model files; report every problem in every file.

use super::args::ValidateArgs;
use crate::report::terminal::human_duration;
use crate::scenario;
use anyhow::Result;

/// Checks each model. For a valid one prints `ok: …` on stdout and its warnings on stderr
/// (`warning: FILE: path: message`); for an invalid one every error (`error: FILE: path:
/// message`, then a count). Fails (exit 2) if any model is invalid; warnings alone do not fail.
pub fn validate(a: &ValidateArgs) -> Result<()> {
    let mut broken = 0usize;
    for path in &a.models {
        match scenario::load(path) {
            Ok(s) => {
                println!(
                    "ok: {} ({}: {} client(s), {} listener(s), {} target group(s), {} instance(s), {} Auto Scaling group(s), {}{})",
                    path.display(),
                    s.name,
                    s.clients.len(),
                    s.listeners.len(),
                    s.target_groups.len(),
                    s.instances.len(),
                    s.auto_scaling_groups.len(),
                    human_duration(s.duration.as_secs_f64()),
                    match s.warnings.len() {
                        0 => String::new(),
                        1 => ", 1 warning".into(),
                        n => format!(", {n} warnings"),
                    }
                );
                for w in &s.warnings {
                    eprintln!("warning: {}: {w}", path.display());
                }
            }
            Err(e) => {
                broken += 1;
                for line in e.lines() {
                    eprintln!("error: {line}");
                }
                if e.count() > 1 {
                    eprintln!("{}: {} errors", path.display(), e.count());
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
