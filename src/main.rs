//! The `albsim` command: see `albsim --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    albsim::cli::main()
}
