//! Command-line arguments.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// Examples and exit codes, shown after `--help`.
const EXAMPLES: &str = "\
Examples:
  albsim run models/quickstart.json
      Run the model; results go to output/quickstart/
  albsim run models/quickstart.json --seed 7 --duration 2h --out /tmp/qs
      Another seed, a longer run, another folder
  albsim run models/traffic-doubles.json --max-wall 2m
      Stop after 2 minutes of wall-clock time at the latest (results marked partial)
  albsim validate models/*.json
      Check model files without running them

Exit codes:
  0  success
  1  an I/O or system failure (e.g. the output folder cannot be written)
  2  the model or the arguments are wrong; nothing was written
  3  --max-events or --max-wall stopped the run; partial results were written, marked partial";

/// Deterministic discrete-event simulator of AWS Application Load Balancer + EC2 behaviour.
#[derive(Debug, Parser)]
#[command(name = "albsim", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a model and write summary.json, timeseries.csv, timeline.svg and activity.log.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Check model files (types, AWS ranges, references) without running them.
    Validate(ValidateArgs),
}

/// `albsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The model file (JSON).
    pub model: PathBuf,
    /// Master seed (overrides the model's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Simulated time, e.g. `30m`, `2h`, `900s` (overrides the model's `duration`).
    #[arg(long)]
    pub duration: Option<String>,
    /// Output folder (default: `output/<model name>/`). albsim replaces it as a whole, so it
    /// must be new or one albsim wrote (it holds albsim-output.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Stop after this many events; the results written are then marked partial (exit code 3).
    #[arg(long, value_name = "N", value_parser = parse_max_events)]
    pub max_events: Option<u64>,
    /// Stop after this much wall-clock time, e.g. `30s`, `2m`; the results written are then
    /// marked partial (exit code 3).
    #[arg(long, value_name = "DURATION", value_parser = parse_max_wall)]
    pub max_wall: Option<Duration>,
    /// Print nothing but errors (no warnings, no progress, no summary).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `albsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Model files (JSON).
    #[arg(required = true)]
    pub models: Vec<PathBuf>,
}

/// `--max-events`: a whole number of at least 1.
fn parse_max_events(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a whole number of events from 1 to {}, e.g. 50000000",
            u64::MAX
        )),
    }
}

/// `--max-wall`: a duration of more than zero.
fn parse_max_wall(text: &str) -> Result<Duration, String> {
    let d = crate::scenario::values::parse_duration(text)?;
    if d.is_zero() {
        return Err("expected a wall-clock time of more than zero, e.g. 30s or 2m".into());
    }
    Ok(d)
}

/// A command-line value that is not acceptable (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
