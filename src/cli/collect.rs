//! `albsim collect`: merge the output folders of a sweep's shards into one folder holding every
//! run, with the tables one machine would have written (byte for byte: they are made from the
//! same cached runs in the same order).

use super::Exit;
use super::args::CollectArgs;
use super::sweep::Refused;
use crate::engine::human::thousands;
use crate::experiment::cache::{self, RunKey};
use crate::experiment::inputs::{self, Inputs};
use crate::experiment::{RunId, runner};
use crate::report::output::{self, FolderKind, Manifest, OutputFolder};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Merges shard folders.
pub fn collect(a: &CollectArgs) -> Result<Exit> {
    let mut inputs: Option<(PathBuf, Inputs)> = None;
    for dir in &a.folders {
        let these = read_inputs(dir)?;
        match &inputs {
            None => inputs = Some((dir.clone(), these)),
            Some((first, known)) if *known != these => {
                return Err(Refused(format!(
                    "{}: this shard ran other inputs than {} (the experiment or a model file differs); only shards of one sweep can be merged",
                    dir.display(),
                    first.display()
                ))
                .into());
            }
            Some(_) => {}
        }
    }
    let (_, inputs) = inputs.expect("clap requires at least one folder");
    let exp = inputs.experiment()?;

    // Every run's record, found before anything is written.
    let all: Vec<RunId> = exp.runs().collect();
    let keys = runner::keys(&exp, &all);
    let mut sources: Vec<Option<PathBuf>> = Vec::with_capacity(keys.len());
    for key in &keys {
        sources.push(
            a.folders
                .iter()
                .map(|d| d.join(cache::FOLDER).join(key.file_name()))
                .find(|p| p.is_file()),
        );
    }
    let missing: Vec<RunId> = all
        .iter()
        .zip(&sources)
        .filter(|(_, s)| s.is_none())
        .map(|(r, _)| *r)
        .collect();
    if !missing.is_empty() {
        let mut points: Vec<usize> = missing.iter().map(|r| r.point).collect();
        points.dedup();
        let shown: Vec<String> = points.iter().take(10).map(usize::to_string).collect();
        return Err(Refused(format!(
            "{} of the experiment's {} runs are in none of the folders (points {}{}); did every shard finish? Nothing was written",
            thousands(missing.len() as u64),
            thousands(all.len() as u64),
            shown.join(", "),
            if points.len() > 10 { ", …" } else { "" }
        ))
        .into());
    }

    let folder = OutputFolder::check_for(
        &a.out,
        format!("--out {}", a.out.display()),
        FolderKind::Sweep,
    )?;
    super::sweep::check_same_experiment(&folder, &exp.name)?;
    let manifest = Manifest::for_sweep(&exp.file, &exp.name, exp.seed);
    folder.prepare_sweep(
        &manifest,
        &[(inputs::FILE_NAME, inputs.to_bytes())],
        &[cache::FOLDER],
    )?;
    for (key, source) in keys.iter().zip(&sources) {
        copy_record(&folder, key, source.as_deref().expect("checked above"))?;
    }
    let outcomes = runner::outcomes(&exp, &folder, &all, &keys).map_err(|missing| {
        Refused(format!(
            "{} runs' records could not be read back from {}",
            missing.len(),
            folder.shown().display()
        ))
    })?;
    let headline = format!(
        "{}: {} runs from {} folders",
        exp.name,
        thousands(all.len() as u64),
        a.folders.len()
    );
    super::sweep::write_tables(&folder, &manifest, &exp, &outcomes, &headline, a.quiet)?;
    Ok(Exit::Success)
}

/// The inputs a shard's folder recorded; an error if it is not a sweep's folder.
fn read_inputs(dir: &Path) -> Result<Inputs, Refused> {
    match Manifest::read(dir) {
        Some(m) if m.kind == FolderKind::Sweep => {}
        Some(_) => {
            return Err(Refused(format!(
                "{}: holds the results of `albsim run`, not of a sweep",
                dir.display()
            )));
        }
        None => {
            return Err(Refused(format!(
                "{}: not a sweep's output folder (no {}); give the folders `albsim sweep --shard … --out …` wrote",
                dir.display(),
                output::manifest::FILE_NAME
            )));
        }
    }
    let path = dir.join(inputs::FILE_NAME);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Refused(format!("{}: cannot read it ({e})", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Refused(format!(
            "{}: not the inputs file albsim writes ({e})",
            path.display()
        ))
    })
}

/// Copies one run's record into the merged folder, unless it is there already.
fn copy_record(folder: &OutputFolder, key: &RunKey, source: &Path) -> Result<()> {
    let name = PathBuf::from(cache::FOLDER).join(key.file_name());
    if folder.join(&name) == source || folder.join(&name).is_file() {
        return Ok(());
    }
    let bytes = std::fs::read(source)
        .map_err(|e| Refused(format!("{}: cannot read it ({e})", source.display())))?;
    folder.write_atomically(&name, &bytes)?;
    Ok(())
}
