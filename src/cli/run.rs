//! `albsim run`: load a model with the command line's overrides, check the output folder,
//! simulate (with guards and progress), write the result files (`report::output::files`).

use super::Exit;
use super::args::{AccessLogFormat, RunArgs};
use super::progress::ProgressLine;
use crate::RunOptions;
use crate::access_log::write::{AccessLog, Settings, clock, sample};
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
    let mut model = scenario::model_as_run(&text, &a.model, &overrides)?;
    let log_settings = access_log_settings(a)?;
    let folder = output_folder(a, &sc)?;
    folder.refuse_inputs_inside(&scenario::replayed_files(&model, &a.model))?;
    scenario::rebase_files(&mut model, &a.model, folder.target());
    if !a.quiet {
        for line in warning_lines(&a.model, &sc.warnings) {
            eprintln!("{line}");
        }
    }

    let manifest = Manifest {
        overrides: overrides.iter().map(ManifestOverride::of).collect(),
        warnings: (sc.warnings.iter())
            .map(|w| format!("{}: {}", w.path, w.message))
            .collect(),
        ..Manifest::for_run(&a.model, &sc.name, sc.seed)
    };
    // The access log streams into the run's staging folder while it simulates, and appears with
    // the other files or not at all.
    let (staged, access_log) = match log_settings {
        None => (None, None),
        Some(settings) => {
            let staged = folder.stage(&manifest)?;
            let path = staged.path(settings.file_name());
            let file = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let log = AccessLog::new(&sc, file, settings);
            (Some((staged, settings.file_name())), Some(Box::new(log)))
        }
    };

    let mut progress = ProgressLine::for_stderr(a.quiet);
    let mut opts = RunOptions {
        max_events: a.max_events,
        max_wall: a.max_wall,
        progress: Some(&mut |p: &crate::Progress| progress.update(p)),
        access_log,
    };
    let outcome = crate::run_with(&sc, &mut opts);
    let access_log = opts.access_log.take();
    drop(opts);
    progress.finish();
    let result = outcome.with_context(|| a.model.display().to_string())?;
    if let (Some(log), Some((_, name))) = (access_log, &staged) {
        log.finish()
            .with_context(|| format!("{}: cannot write {name}", folder.shown().display()))?;
    }
    // A stopped run's result covers the simulated time reached.
    let partial = Partial::of(&result, Some(sc.duration.as_secs_f64()));

    let mut files = files::render_all(RunOutput {
        result: &result,
        partial: partial.as_ref(),
        model: &model,
    })?;
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
    let (written, streamed) = match staged {
        Some((staged, name)) => (
            folder.write_staged(staged, &manifest, &files, &[name])?,
            Some(name),
        ),
        None => (folder.write(&manifest, &files)?, None),
    };
    for warning in &written.warnings {
        eprintln!("warning: {warning}");
    }
    if !a.quiet {
        let summary = terminal::summary_with(&result, partial.as_ref());
        let names: Vec<&str> = (files.iter().map(|(name, _)| *name))
            .chain(streamed)
            .collect();
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

/// The access log's settings from `--access-log`, `--access-log-sample` and
/// `--access-log-start`; `None` without `--access-log`. The sample rate is checked here, before
/// anything is simulated.
fn access_log_settings(a: &RunArgs) -> Result<Option<Settings>> {
    let Some(format) = a.access_log else {
        return Ok(None);
    };
    let sample = match a.access_log_sample {
        Some(rate) => sample::check_rate(rate).map_err(anyhow::Error::msg)?,
        None => 1.0,
    };
    Ok(Some(Settings {
        gzip: format == AccessLogFormat::Gzip,
        sample,
        start_unix_seconds: a
            .access_log_start
            .unwrap_or(clock::DEFAULT_START_UNIX_SECONDS),
    }))
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
