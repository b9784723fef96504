//! Command-line arguments.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  albsim run models/quickstart.json
      Run the model; results go to output/quickstart/
  albsim run models/quickstart.json --seed 7 --duration 2h --out /tmp/qs
      Another seed, a longer run, another folder
  albsim validate models/*.json
      Check model files without running them";

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
    /// Output folder (default: `output/<model name>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
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

/// A command-line value that is not acceptable (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
