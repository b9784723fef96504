//! `albsim-output.json`: the mark albsim leaves in every folder it writes, so that it only ever
//! replaces a folder it wrote itself.

use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Read;
use std::path::Path;

/// The manifest's file name inside an output folder.
pub const FILE_NAME: &str = "albsim-output.json";

/// Value of [`Manifest::written_by`].
const WRITTEN_BY: &str = "albsim";

/// A manifest larger than this is not one albsim wrote (it lists a handful of files).
const MAX_BYTES: u64 = 64 * 1024;

/// What an output folder holds and which run wrote it.
///
/// ```json
/// { "written_by": "albsim", "albsim_version": "0.1.0", "model_file": "models/quickstart.json",
///   "model": "quickstart", "seed": 42,
///   "overrides": [ { "path": "duration", "value": "5m", "given_as": "--set duration=5m" } ],
///   "files": ["summary.json", "timeseries.csv", "timeline.svg", "activity.log"] }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"albsim"`.
    pub written_by: String,
    /// The version of albsim that wrote the folder.
    pub albsim_version: String,
    /// The model file, as given on the command line.
    pub model_file: String,
    /// The model's `name`.
    pub model: String,
    /// The master seed of the run.
    pub seed: u64,
    /// The overrides applied to the model file, in the order applied (`--set`, `--seed`,
    /// `--duration`); empty for the model as written (and in folders of albsim versions that
    /// did not record them).
    #[serde(default)]
    pub overrides: Vec<ManifestOverride>,
    /// What `validate` and `run` warned about the model (`path: message`, as printed), e.g.
    /// malformed access-log lines a replay skipped; left out when there were none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The files written next to the manifest, in the order written.
    pub files: Vec<String>,
    /// What wrote the folder: a run (`albsim run`, the field left out) or a sweep.
    #[serde(default, skip_serializing_if = "FolderKind::is_run")]
    pub kind: FolderKind,
}

/// Which command's results an output folder holds; one never replaces the other's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderKind {
    /// One run's result files (`albsim run`).
    #[default]
    Run,
    /// A sweep's tables, plots and run cache (`albsim sweep`, `albsim collect`).
    Sweep,
}

impl FolderKind {
    /// Whether this is a run's folder (the manifest then leaves `kind` out, as before sweeps).
    pub fn is_run(&self) -> bool {
        *self == FolderKind::Run
    }

    /// The command whose results these are, for messages.
    pub fn command(self) -> &'static str {
        match self {
            FolderKind::Run => "albsim run",
            FolderKind::Sweep => "albsim sweep",
        }
    }
}

/// One override of the model, as the manifest records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestOverride {
    /// Where it set a value: `auto_scaling_groups[0].DefaultCooldown`.
    pub path: String,
    /// The value set there.
    pub value: serde_json::Value,
    /// How it was given on the command line: `--set duration=5m`, `--seed 7`.
    pub given_as: String,
}

impl ManifestOverride {
    /// How the manifest records `o`.
    pub fn of(o: &crate::scenario::overrides::Override) -> ManifestOverride {
        ManifestOverride {
            path: o.path().to_string(),
            value: o.value().clone(),
            given_as: o.origin().to_string(),
        }
    }
}

impl Manifest {
    /// The manifest of a run of `model` (from `model_file`) with `seed`; [`files`](Self::files)
    /// is filled in when the folder is written.
    pub fn for_run(model_file: &Path, model: &str, seed: u64) -> Manifest {
        Manifest {
            written_by: WRITTEN_BY.into(),
            albsim_version: env!("CARGO_PKG_VERSION").into(),
            model_file: model_file.display().to_string(),
            model: model.into(),
            seed,
            overrides: Vec::new(),
            warnings: Vec::new(),
            files: Vec::new(),
            kind: FolderKind::Run,
        }
    }

    /// The manifest of a sweep of the experiment `name` (from `experiment_file`) with master
    /// seed `seed`; [`files`](Self::files) lists its tables once they are written.
    pub fn for_sweep(experiment_file: &Path, name: &str, seed: u64) -> Manifest {
        Manifest {
            kind: FolderKind::Sweep,
            ..Manifest::for_run(experiment_file, name, seed)
        }
    }

    /// The manifest's text (pretty JSON ending in a newline).
    pub fn to_json(&self) -> String {
        // Strings, a number and a list of strings always serialize.
        let mut text = serde_json::to_string_pretty(self).expect("manifest serializes");
        text.push('\n');
        text
    }

    /// Reads the manifest of the folder `dir`: `None` if there is none or it is not one albsim
    /// wrote (not a regular file, too large, not JSON of this shape, another `written_by`).
    pub fn read(dir: &Path) -> Option<Manifest> {
        let path = dir.join(FILE_NAME);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_BYTES {
            return None;
        }
        let mut text = String::new();
        fs::File::open(&path)
            .ok()?
            .take(MAX_BYTES)
            .read_to_string(&mut text)
            .ok()?;
        let manifest: Manifest = serde_json::from_str(&text).ok()?;
        (manifest.written_by == WRITTEN_BY).then_some(manifest)
    }
}

/// Whether `dir` is a real folder (not a symbolic link) holding an albsim manifest.
pub fn is_albsim_folder(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && Manifest::read(dir).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_manifest_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        let mut m = Manifest::for_run(Path::new("models/q.json"), "q", 7);
        m.files = vec!["summary.json".into()];
        m.overrides = vec![ManifestOverride {
            path: "duration".into(),
            value: serde_json::json!("5m"),
            given_as: "--set duration=5m".into(),
        }];
        fs::write(tmp.path().join(FILE_NAME), m.to_json()).unwrap();
        assert_eq!(Manifest::read(tmp.path()), Some(m));
        assert!(is_albsim_folder(tmp.path()));
    }

    #[test]
    fn a_manifest_from_before_overrides_were_recorded_is_still_a_mark() {
        let tmp = tempfile::tempdir().unwrap();
        let old = r#"{"written_by": "albsim", "albsim_version": "0.1.0", "model_file": "m.json", "model": "m", "seed": 1, "files": []}"#;
        fs::write(tmp.path().join(FILE_NAME), old).unwrap();
        let m = Manifest::read(tmp.path()).expect("albsim's");
        assert!(m.overrides.is_empty());
    }

    #[test]
    fn other_files_of_that_name_are_not_a_mark() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(!is_albsim_folder(tmp.path()), "no manifest");
        for text in ["", "not json", "{}", r#"{"written_by": "someone else"}"#] {
            fs::write(tmp.path().join(FILE_NAME), text).unwrap();
            assert!(!is_albsim_folder(tmp.path()), "{text:?}");
        }
        let mut m = Manifest::for_run(Path::new("m.json"), "m", 1);
        m.written_by = "other-tool".into();
        fs::write(tmp.path().join(FILE_NAME), m.to_json()).unwrap();
        assert!(!is_albsim_folder(tmp.path()));
    }

    #[test]
    fn a_manifest_folder_behind_a_symbolic_link_is_not_a_mark() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::create_dir(&real).unwrap();
        fs::write(
            real.join(FILE_NAME),
            Manifest::for_run(Path::new("m.json"), "m", 1).to_json(),
        )
        .unwrap();
        assert!(is_albsim_folder(&real));
        #[cfg(unix)]
        {
            let link = tmp.path().join("link");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            assert!(!is_albsim_folder(&link));
        }
    }
}
