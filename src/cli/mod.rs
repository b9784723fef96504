//! The `albsim` command line: argument parsing (clap derive) and one file per subcommand.
//!
//! # Exit codes
//!
//! Stable: scripts may rely on them (they are also listed by `albsim --help`).
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | an I/O or system failure: the output folder cannot be written, another run wrote it at the same time… |
//! | 2 | the model or the arguments are wrong (including a model file that cannot be read, an output folder albsim may not replace, a model whose simulated time stops advancing); nothing was written |
//! | 3 | `--max-events` or `--max-wall` stopped the run: partial results were written, marked partial |
//! | 130 | Ctrl-C stopped a sweep: its finished runs are kept, and the same command resumes it |

mod args;
mod collect;
mod fit;
mod import;
mod progress;
mod report;
mod run;
mod sweep;
mod validate;

pub use args::{Cli, Command};

use crate::experiment::runner::SweepError;
use crate::experiment::spec::ExperimentError;
use crate::report::output::OutputError;
use crate::scenario::ModelError;
use crate::scenario::overrides::LoadError;
use clap::Parser;

/// What a command ended with; its number is the process's exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 0: the command did what was asked.
    Success = 0,
    /// 1: an I/O or system failure (e.g. the output folder cannot be written).
    Failure = 1,
    /// 2: the model or the arguments are wrong; nothing was written.
    Invalid = 2,
    /// 3: `--max-events` or `--max-wall` stopped the run; partial results were written, marked
    /// partial.
    Partial = 3,
    /// 130 (128 + SIGINT, as shells report it): Ctrl-C stopped a sweep; its finished runs are
    /// kept.
    Interrupted = 130,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// Parses the command line, runs the subcommand, prints any error, and returns the exit code.
pub fn main() -> std::process::ExitCode {
    // Usage errors exit 2 from clap (its default), help and version 0.
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(a).map(|()| Exit::Success),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Collect(a) => collect::collect(a),
        Command::Report(a) => report::report(a),
        Command::Import(args::ImportCommand::Cloudformation(a)) => import::cloudformation(a),
        Command::Fit(a) => fit::fit(a),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(e) => {
            for line in error_lines(&e) {
                eprintln!("{line}");
            }
            exit_for(&e).into()
        }
    }
}

/// Prints `text` on stdout. A reader that has gone (`albsim run … | head -3`) is not an error:
/// the rest of the text is dropped, instead of a panic. Any other failure (a full disk) is one.
pub(crate) fn print_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::from(e).context("cannot write to standard output"))
        }
        _ => Ok(()),
    }
}

/// What a failed command prints on stderr: `error: …` (with its causes), or for a model's
/// errors the same lines as `validate` prints ([`load_error_lines`]).
fn error_lines(e: &anyhow::Error) -> Vec<String> {
    // Only when nothing was added around it: a context would be lost.
    let bare = |inner: &dyn std::error::Error| e.chain().count() == error_depth(inner);
    if let Some(load) = e.downcast_ref::<LoadError>().filter(|l| bare(*l)) {
        return load_error_lines(load);
    }
    if let Some(model) = e.downcast_ref::<ModelError>().filter(|m| bare(*m)) {
        return model_error_lines(model);
    }
    if let Some(experiment) = e.downcast_ref::<ExperimentError>().filter(|x| bare(*x)) {
        return experiment.lines().to_vec();
    }
    vec![format!("error: {e:#}")]
}

/// How many errors the chain of a bare error has (itself and its sources).
fn error_depth(e: &dyn std::error::Error) -> usize {
    std::iter::successors(Some(e), |e| e.source()).count()
}

/// A model's errors, as [`load_error_lines`] prints them.
pub(crate) fn model_error_lines(e: &ModelError) -> Vec<String> {
    let mut lines: Vec<String> = e.lines().iter().map(|l| format!("error: {l}")).collect();
    if let ModelError::Several { file, .. } = e {
        if e.count() > 1 {
            lines.push(format!("{}: {} errors", file.display(), e.count()));
        }
    }
    lines
}

/// A model's errors, one `error: FILE: path: message` line each (`error: --set PATH=VALUE:
/// path: message` for one an override caused), then `FILE: N errors` if there are several: the
/// one format of `run` and `validate`.
pub(crate) fn load_error_lines(e: &LoadError) -> Vec<String> {
    match e {
        LoadError::Model(model) => model_error_lines(model),
        LoadError::Overridden { file, .. } => {
            let mut lines: Vec<String> = e.lines().iter().map(|l| format!("error: {l}")).collect();
            if e.count() > 1 {
                lines.push(format!("{}: {} errors", file.display(), e.count()));
            }
            lines
        }
    }
}

/// The exit code of a failed command.
fn exit_for(e: &anyhow::Error) -> Exit {
    let invalid = e.downcast_ref::<LoadError>().is_some()
        || e.downcast_ref::<ModelError>().is_some()
        || e.downcast_ref::<validate::InvalidModels>().is_some()
        || e.downcast_ref::<crate::RunError>().is_some()
        || e.downcast_ref::<ExperimentError>().is_some()
        || e.downcast_ref::<crate::access_log::parse::ReadError>()
            .is_some()
        || e.downcast_ref::<fit::NothingToFit>().is_some()
        || e.downcast_ref::<sweep::Refused>().is_some()
        || e.downcast_ref::<crate::report::folder::ReportError>()
            .is_some()
        || matches!(e.downcast_ref::<SweepError>(), Some(SweepError::Run { .. }))
        || matches!(
            e.downcast_ref::<SweepError>(),
            Some(SweepError::Output(OutputError::Refused { .. }))
        )
        || matches!(
            e.downcast_ref::<OutputError>(),
            Some(OutputError::Refused { .. })
        );
    if invalid {
        Exit::Invalid
    } else {
        Exit::Failure
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_their_documented_exit_codes() {
        let stalled = anyhow::Error::from(crate::RunError::Stalled {
            message: "client c: …".into(),
        })
        .context("m.json");
        assert_eq!(exit_for(&stalled), Exit::Invalid);
        let refused = anyhow::Error::from(OutputError::Refused {
            label: "--out .".into(),
            reason: "…".into(),
        });
        assert_eq!(exit_for(&refused), Exit::Invalid);
        let overridden = anyhow::Error::from(LoadError::Overridden {
            file: "m.json".into(),
            problems: Vec::new(),
            truncated: false,
        });
        assert_eq!(exit_for(&overridden), Exit::Invalid);
        let race = anyhow::Error::from(OutputError::Race { dir: "x".into() });
        assert_eq!(exit_for(&race), Exit::Failure);
        let io = anyhow::Error::from(OutputError::Io {
            label: "--out x".into(),
            what: "cannot write".into(),
            source: std::io::Error::other("disk full"),
        });
        assert_eq!(exit_for(&io), Exit::Failure);
        assert_eq!(
            [
                Exit::Success,
                Exit::Failure,
                Exit::Invalid,
                Exit::Partial,
                Exit::Interrupted
            ]
            .map(|e| e as u8),
            [0, 1, 2, 3, 130]
        );
    }

    #[test]
    fn a_models_errors_are_listed_one_per_line_with_a_count() {
        let field = |path: &str, message: &str| crate::scenario::FieldError {
            path: path.into(),
            message: message.into(),
        };
        let several = crate::scenario::FieldErrors(vec![
            field("seed", "expected a whole number"),
            field("duration", "expected a duration"),
        ])
        .in_file("m.json");
        let e = anyhow::Error::from(several);
        assert_eq!(
            error_lines(&e),
            [
                "error: m.json: seed: expected a whole number",
                "error: m.json: duration: expected a duration",
                "m.json: 2 errors",
            ]
        );
        let read = anyhow::Error::from(ModelError::Read {
            file: "gone.json".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
        let lines = error_lines(&read);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("error: gone.json: cannot read the model file: "),
            "{lines:?}"
        );
        let other = anyhow::Error::from(OutputError::Race { dir: "x".into() });
        assert_eq!(
            error_lines(&other),
            [
                "error: another albsim run wrote x at the same time; its results are there, this run's were not written"
            ]
        );
    }
}
