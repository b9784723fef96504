//! `albsim validate`: load and check model files; report every broken one.

use super::args::ValidateArgs;
use crate::report::terminal::human_duration;
use crate::scenario;
use anyhow::Result;

/// Checks each model; prints one line per file; fails if any is invalid.
pub fn validate(a: &ValidateArgs) -> Result<()> {
    let mut first_error = None;
    for path in &a.models {
        match scenario::load(path) {
            Ok(s) => println!(
                "ok: {} ({}: {} client(s), {} listener(s), {} target group(s), {} instance(s), {})",
                path.display(),
                s.name,
                s.clients.len(),
                s.listeners.len(),
                s.target_groups.len(),
                s.instances.len(),
                human_duration(s.duration.as_secs_f64())
            ),
            Err(e) => {
                if first_error.is_some() {
                    eprintln!("error: {e}");
                } else {
                    first_error = Some(e);
                }
            }
        }
    }
    match first_error {
        None => Ok(()),
        Some(e) => Err(e.into()),
    }
}
