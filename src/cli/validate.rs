//! `albsim validate`: load and check model files; report every broken one.

use super::args::ValidateArgs;
use crate::report::terminal::human_duration;
use crate::scenario;
use anyhow::Result;

/// Checks each model; prints one line per file (errors in file order); fails if any is invalid.
pub fn validate(a: &ValidateArgs) -> Result<()> {
    let mut broken = 0usize;
    for path in &a.models {
        match scenario::load(path) {
            Ok(s) => println!(
                "ok: {} ({}: {} client(s), {} listener(s), {} target group(s), {} instance(s), {} Auto Scaling group(s), {})",
                path.display(),
                s.name,
                s.clients.len(),
                s.listeners.len(),
                s.target_groups.len(),
                s.instances.len(),
                s.auto_scaling_groups.len(),
                human_duration(s.duration.as_secs_f64())
            ),
            Err(e) => {
                broken += 1;
                eprintln!("error: {:#}", anyhow::Error::from(e));
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
