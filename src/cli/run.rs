//! `albsim run`: load a model with the command line's overrides, check the output folder,
//! simulate (with guards and progress), write the result files (`report::output::files`).

use super::Exit;
use super::args::RunArgs;
use super::progress::ProgressLine;
use crate::RunOptions;
use crate::report::output::{self, Manifest, ManifestOverride, OutputFolder, RunOutput, files};
use crate::report::summary::Partial;
use crate::report::terminal;
use crate::scenario::{self, ModelError, Scenario, Warning};
use anyhow::{Context, Result};
use std::path::Path;

/// Runs one model; `Exit::Partial` if a guard stopped it.
pub fn run(a: &RunArgs) -> Result<Exit> {
    let overrides = a.overrides.overrides();
    let text = scenario::read_model(&a.model)?;
    let sc = scenario::from_json_with(&text, &a.model, &overrides)?;
    let model = scenario::model_as_run(&text, &a.model, &overrides)?;
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
            access_log: None,
        },
    );
    progress.finish();
    let result = outcome.with_context(|| a.model.display().to_string())?;
    // A stopped run's result covers the simulated time reached.
    let partial = Partial::of(&result, Some(sc.duration.as_secs_f64()));

    let mut files = files::render_all(RunOutput {
        result: &result,
        partial: partial.as_ref(),
        model: &model,
    })?;
    let manifest = Manifest {
        overrides: overrides.iter().map(ManifestOverride::of).collect(),
        ..Manifest::for_run(&a.model, &sc.name, sc.seed)
    };
    // The report is made from the very files about to be written, as `albsim report` reads them.
    let wanted = super::report::wanted(a.report, a.png);
    let report = if wanted == Default::default() {
        Vec::new()
    } else {
        super::report::in_memory_files(folder.shown(), &manifest, &files, wanted)?
    };
    files.extend(
        report
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.clone())),
    );
    let written = folder.write(&manifest, &files)?;
    for warning in &written.warnings {
        eprintln!("warning: {warning}");
    }
    if !a.quiet {
        let summary = terminal::summary_with(&result, partial.as_ref());
        let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
        super::print_stdout(&format!(
            "{summary}\n  {}\n",
            wrote_line(folder.shown(), &names)
        ))?;
    }
    Ok(if partial.is_some() {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// `wrote output/quickstart/: summary.json, …, albsim-output.json`.
fn wrote_line(folder: &Path, files: &[&str]) -> String {
    let names: Vec<&str> = (files.iter().copied())
        .chain([output::manifest::FILE_NAME])
        .collect();
    format!("wrote {}/: {}", folder.display(), names.join(", "))
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
    fn the_wrote_line_names_every_file_of_the_folder() {
        assert_eq!(
            wrote_line(Path::new("output/q"), &files::names().collect::<Vec<_>>()),
            "wrote output/q/: summary.json, timeseries.csv, timeline.svg, activity.log, events.json, model.json, albsim-output.json"
        );
    }

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
