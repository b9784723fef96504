//! `albsim import cloudformation TEMPLATE`.

use super::Exit;
use super::args::ImportCloudFormationArgs;
use anyhow::Result;

/// Imports a template and writes (or prints) the model.
pub fn cloudformation(a: &ImportCloudFormationArgs) -> Result<Exit> {
    let _ = a;
    anyhow::bail!("albsim import cloudformation is not built yet")
}
