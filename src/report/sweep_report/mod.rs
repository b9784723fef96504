//! The sweep report's content: the experiment and its grid, the curves, the best point of each
//! objective, the per-point table (with links to the kept runs' reports), how to reproduce it.
//!
//! [`read`] takes everything from the sweep's folder alone: `albsim-output.json`, `sweep.json`
//! (the numbers), `inputs.json` (the experiment and model texts the sweep ran, from which the
//! grid's settings and the kept runs' folder names are derived, as `albsim collect` does) and
//! the plots the manifest lists. [`build`] turns that into a [`Document`].

mod best;
mod curves;
mod experiment;
mod points;
pub mod sweep_json;

use crate::experiment::inputs::{self, Inputs};
use crate::experiment::{Experiment, RunId, runner};
use crate::report::document::{Document, Section, Text};
use crate::report::folder::{Files, ReportError, read_manifest, text};
use crate::report::output::{FolderKind, Manifest, manifest};
use std::path::{Path, PathBuf};
use sweep_json::SweepJson;

/// Everything a sweep report is made of.
#[derive(Debug)]
pub struct SweepFolder {
    /// The folder, as given.
    pub folder: PathBuf,
    /// The sweep's manifest.
    pub manifest: Manifest,
    /// `sweep.json`: the grid, every point's estimates, the objectives' best points.
    pub sweep: SweepJson,
    /// The experiment as the sweep ran it, loaded from `inputs.json`.
    pub experiment: Experiment,
    /// The experiment's `constraint`, as written, if any.
    pub constraint: Option<String>,
    /// The experiment's `lockstep` groups, as written.
    pub lockstep: Vec<Vec<String>>,
    /// The plots the manifest lists (file name, SVG), in its order.
    pub plots: Vec<(String, String)>,
    /// The runs kept under `runs/` (`--keep-runs`), in run order.
    pub kept_runs: Vec<KeptRun>,
}

/// A run whose own output folder the sweep kept under `runs/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptRun {
    /// Its point's index.
    pub point: usize,
    /// Its replication (from 0).
    pub replication: u32,
    /// Its folder's name under `runs/` (`p0003-r01-1a2b3c4d`).
    pub folder: String,
}

/// Reads a sweep's folder; a run's folder is refused, naming it.
pub fn read(files: &dyn Files) -> Result<SweepFolder, ReportError> {
    let manifest = read_manifest(files)?;
    if manifest.kind != FolderKind::Sweep {
        return Err(ReportError::Unreadable {
            file: files.folder().join(manifest::FILE_NAME),
            reason: format!(
                "is a run's manifest (written by {}), not a sweep's: a sweep report needs the folder `albsim sweep` wrote",
                manifest.kind.command()
            ),
        });
    }
    let sweep: SweepJson =
        serde_json::from_str(&text(files, "sweep.json")?).map_err(|e| ReportError::Unreadable {
            file: files.folder().join("sweep.json"),
            reason: format!("is not a sweep.json this albsim wrote: {e}"),
        })?;
    let inputs: Inputs = serde_json::from_str(&text(files, inputs::FILE_NAME)?).map_err(|e| {
        ReportError::Unreadable {
            file: files.folder().join(inputs::FILE_NAME),
            reason: format!("is not an inputs file this albsim wrote: {e}"),
        }
    })?;
    let experiment = load_experiment(files.folder(), &inputs)?;
    let written: serde_json::Value =
        serde_json::from_str(&inputs.experiment_text).unwrap_or_default();
    let constraint = written["constraint"].as_str().map(str::to_string);
    let lockstep = serde_json::from_value(written["lockstep"].clone()).unwrap_or_default();
    let mut plots = Vec::new();
    for name in manifest.files.iter().filter(|f| f.ends_with(".svg")) {
        plots.push((name.clone(), text(files, name)?));
    }
    let kept_runs = kept_runs(files, &experiment)?;
    Ok(SweepFolder {
        folder: files.folder().to_path_buf(),
        manifest,
        sweep,
        experiment,
        constraint,
        lockstep,
        plots,
        kept_runs,
    })
}

/// The experiment from the texts `inputs.json` recorded (no file outside the folder is read).
fn load_experiment(folder: &Path, inputs: &Inputs) -> Result<Experiment, ReportError> {
    inputs.experiment().map_err(|e| ReportError::Unreadable {
        file: folder.join(inputs::FILE_NAME),
        reason: format!(
            "holds an experiment this albsim cannot load: {}",
            e.lines().join("; ")
        ),
    })
}

/// The runs whose folder `runs/<name>` holds an albsim manifest, `name` derived from each run's
/// cache key as the sweep named it.
fn kept_runs(files: &dyn Files, exp: &Experiment) -> Result<Vec<KeptRun>, ReportError> {
    let all: Vec<RunId> = exp.runs().collect();
    let keys = runner::keys(exp, &all);
    let mut kept = Vec::new();
    for (run, key) in all.iter().zip(&keys) {
        let folder = runner::run_folder_name(*run, key);
        let path = format!("{}/{folder}/{}", runner::RUNS_FOLDER, manifest::FILE_NAME);
        if files.read(&path)?.is_some() {
            kept.push(KeptRun {
                point: run.point,
                replication: run.replication,
                folder,
            });
        }
    }
    Ok(kept)
}

/// The report of a sweep.
pub fn build(f: &SweepFolder) -> Document {
    let e = &f.sweep.experiment;
    Document {
        title: e.name.clone(),
        lead: e
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(Text::plain),
        sections: vec![
            experiment::section(f),
            curves::section(f),
            best::section(f),
            points::section(f),
            reproduce(f),
        ],
    }
}

/// `reproduce`: the command that writes this folder again, and the version that wrote it.
fn reproduce(f: &SweepFolder) -> Section {
    use crate::report::document::Block;
    let mut command = format!("albsim sweep {}", shell_word(&f.manifest.model_file));
    if !f.kept_runs.is_empty() {
        command.push_str(" --keep-runs");
    }
    command.push_str(" --report");
    Section {
        id: "reproduce".into(),
        title: "Reproduce".into(),
        blocks: vec![
            Block::Paragraph(
                Text::plain("Run from the folder the sweep was run in, with albsim ")
                    .and_code(f.manifest.albsim_version.clone())
                    .and(
                        " (the version that wrote this folder). Every run's seed derives from the \
                         experiment's master seed, so the command writes the same tables and plots, \
                         byte for byte, with any number of threads; add ",
                    )
                    .and_code("--out DIR")
                    .and(" to write them elsewhere."),
            ),
            Block::Code(command),
        ],
    }
}

/// `word` as one shell word: quoted when it holds anything but safe characters.
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:+,@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Singular or plural: `1 run`, `3 runs`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::sweep_json::EstimateJson;
    use super::*;

    #[test]
    fn a_path_with_only_safe_characters_is_one_word_as_it_is() {
        assert_eq!(
            shell_word("experiments/target-value.json"),
            "experiments/target-value.json"
        );
        assert_eq!(shell_word("my exp's.json"), r"'my exp'\''s.json'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn an_estimate_reads_mean_plus_minus_half_width_with_n_when_runs_lacked_a_value() {
        let est = |n, mean, ci95| EstimateJson { n, mean, ci95 };
        // [0.9, 1.1] has half-width 0.1; 3 significant digits as results.md shows them.
        assert_eq!(
            points::estimate(&est(5, Some(1.0), Some([0.9, 1.1])), 5),
            "1.00 ± 0.100"
        );
        assert_eq!(points::estimate(&est(1, Some(62.64), None), 1), "62.6");
        assert_eq!(
            points::estimate(&est(2, Some(10.0), Some([8.0, 12.0])), 3),
            "10.0 ± 2.00 (n=2)"
        );
        assert_eq!(points::estimate(&est(0, None, None), 3), "–");
    }

    #[test]
    fn points_are_anchored_by_index() {
        assert_eq!(points::anchor(12), "point-12");
    }
}
