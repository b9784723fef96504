//! The `albsim` command line: argument parsing (clap derive) and one file per subcommand.
//!
//! Exit codes: 0 success; 2 the model or the arguments are wrong (nothing was written);
//! 1 anything else (e.g. the output folder could not be written).

mod args;
mod run;
mod validate;

pub use args::{Cli, Command};

use crate::scenario::ModelError;
use clap::Parser;
use std::process::ExitCode;

/// Parses the command line, runs the subcommand, prints any error, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(a),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<ModelError>().is_some()
                || e.downcast_ref::<args::UsageError>().is_some()
                || e.downcast_ref::<validate::InvalidModels>().is_some()
            {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
