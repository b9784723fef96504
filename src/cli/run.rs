//! `albsim run`: load a model, apply command-line overrides, simulate, write the results.

use super::args::{RunArgs, UsageError};
use crate::report::{activity_log, output, summary, terminal, timeline, timeseries};
use crate::scenario::{self, ModelError, values::parse_duration};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Runs one model.
pub fn run(a: &RunArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.model).map_err(|source| ModelError::Read {
        file: a.model.clone(),
        source,
    })?;
    let mut raw = scenario::parse_raw(&text, &a.model)?;
    if let Some(seed) = a.seed {
        raw.seed = Some(seed);
    }
    if let Some(d) = &a.duration {
        let parsed = parse_duration(d).map_err(|m| UsageError(format!("--duration: {m}")))?;
        if parsed.as_secs_f64() < 1.0 || parsed.as_secs() > 366 * 86_400 {
            return Err(UsageError(format!(
                "--duration: expected a duration from 1 s to 366 days, got {d:?}"
            ))
            .into());
        }
        raw.duration = scenario::values::DurationValue(parsed);
    }
    let sc = scenario::resolve(&raw).map_err(|e| e.in_file(&a.model))?;
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&sc.name));

    let result = crate::run(&sc);

    let svg = timeline::to_svg(&result).context("cannot draw the timeline")?;
    let files = [
        ("summary.json", summary::to_json(&result).into_bytes()),
        ("timeseries.csv", timeseries::to_csv(&result).into_bytes()),
        ("timeline.svg", svg.into_bytes()),
        ("activity.log", activity_log::to_text(&result).into_bytes()),
    ];
    output::write_folder(&dir, &files)?;
    if !a.quiet {
        print!("{}", terminal::summary(&result));
        println!(
            "\n  wrote {}/: summary.json, timeseries.csv, timeline.svg, activity.log",
            dir.display()
        );
    }
    Ok(())
}
