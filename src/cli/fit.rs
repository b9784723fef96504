//! `albsim fit ACCESS_LOGS`.

use super::Exit;
use super::args::FitArgs;
use anyhow::Result;

/// Fits service times per request class and prints them.
pub fn fit(a: &FitArgs) -> Result<Exit> {
    let _ = a;
    anyhow::bail!("albsim fit is not built yet")
}
