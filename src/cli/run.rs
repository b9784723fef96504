//! `albsim run`: load a model, apply command-line overrides, check the output folder, simulate
//! (with guards and progress), write the results.

use super::Exit;
use super::args::{RunArgs, UsageError};
use super::progress::ProgressLine;
use crate::RunOptions;
use crate::report::output::{self, Manifest, OutputFolder};
use crate::report::summary::Partial;
use crate::report::{activity_log, summary, terminal, timeline, timeseries};
use crate::scenario::{self, ModelError, Scenario, Warning, values::parse_duration};
use anyhow::{Context, Result};
use std::path::Path;

/// The result files, in the order they are written and listed.
const FILES: [&str; 4] = [
    "summary.json",
    "timeseries.csv",
    "timeline.svg",
    "activity.log",
];

/// Runs one model; `Exit::Partial` if a guard stopped it.
pub fn run(a: &RunArgs) -> Result<Exit> {
    let sc = load(a)?;
    let folder = output_folder(a, &sc)?;
    if !a.quiet {
        for line in warning_lines(&a.model, &sc.warnings) {
            eprintln!("{line}");
        }
    }

    let mut progress = ProgressLine::for_stderr(a.quiet);
    let outcome = crate::run_with(
        &sc,
        &mut RunOptions {
            max_events: a.max_events,
            max_wall: a.max_wall,
            progress: Some(&mut |p: &crate::Progress| progress.update(p)),
        },
    );
    progress.finish();
    let result = outcome.with_context(|| a.model.display().to_string())?;
    // A stopped run's result covers the simulated time reached.
    let partial = Partial::of(&result, Some(sc.duration.as_secs_f64()));

    let summary_json = summary::to_json_with(&result, partial.as_ref());
    let svg = timeline::to_svg(&result).context("cannot draw the timeline")?;
    let files = [
        (FILES[0], summary_json.into_bytes()),
        (FILES[1], timeseries::to_csv(&result).into_bytes()),
        (FILES[2], svg.into_bytes()),
        (FILES[3], activity_log::to_text(&result).into_bytes()),
    ];
    let written = folder.write(&Manifest::for_run(&a.model, &sc.name, sc.seed), &files)?;
    for warning in &written.warnings {
        eprintln!("warning: {warning}");
    }
    if !a.quiet {
        print!("{}", terminal::summary_with(&result, partial.as_ref()));
        println!(
            "\n  wrote {}/: {}, {}",
            folder.shown().display(),
            FILES.join(", "),
            output::manifest::FILE_NAME
        );
    }
    Ok(if partial.is_some() {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// Reads and resolves the model with the command line's `--seed` and `--duration`.
fn load(a: &RunArgs) -> Result<Scenario> {
    let text = scenario::read_model(&a.model)?;
    let mut raw = scenario::parse_raw(&text, &a.model)?;
    if let Some(seed) = a.seed {
        raw.seed = Some(seed);
    }
    if let Some(d) = &a.duration {
        let parsed = parse_duration(d).map_err(|m| UsageError(format!("--duration: {m}")))?;
        raw.duration = scenario::values::DurationValue(parsed);
    }
    // The loader checks the duration (its range is the loader's to keep); a value that came from
    // the command line is named as such.
    scenario::resolve(&raw).map_err(|errors| {
        let duration_error = errors.0.iter().find(|e| e.path == "duration");
        match (&a.duration, duration_error) {
            (Some(d), Some(e)) => UsageError(format!("--duration {d}: {}", e.message)).into(),
            _ => anyhow::Error::from(errors.in_file(&a.model)),
        }
    })
}

/// Checks the output folder before anything is simulated.
fn output_folder(a: &RunArgs, sc: &Scenario) -> Result<OutputFolder> {
    let folder = match &a.out {
        Some(dir) => OutputFolder::check(dir, format!("--out {}", dir.display()))?,
        None => {
            // The loader checked the name by the same rule; checked again, the default folder is
            // only ever one plain name below output/, whatever built the scenario.
            let dir = output::default_folder(&sc.name).map_err(|e| ModelError::Invalid {
                file: a.model.clone(),
                path: e.path,
                message: e.message,
            })?;
            OutputFolder::check(&dir, dir.display().to_string())?
        }
    };
    Ok(folder)
}

/// `warning: FILE: path: message`, one per warning.
fn warning_lines(file: &Path, warnings: &[Warning]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| format!("warning: {}: {w}", file.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_name_the_file_and_the_path() {
        let w = Warning {
            path: "faults[0].at".into(),
            message: "is after the end of the run (30m); the fault never happens".into(),
        };
        assert_eq!(
            warning_lines(Path::new("models/x.json"), &[w]),
            [
                "warning: models/x.json: faults[0].at: is after the end of the run (30m); the fault never happens"
            ]
        );
    }
}
