//! Reading what a report is made of from an output folder: a run's (`albsim run`, or a sweep's
//! kept run) or a sweep's, on disk or still in memory (`run --report` reports on the files it
//! is about to write, through the same reader, so both ways give the same bytes).

use crate::report::events::{self, ExplainedEvent};
use crate::report::output::files::MODEL_FILE;
use crate::report::output::{FolderKind, Manifest, manifest};
use crate::scenario::{self, Scenario};
use std::path::{Path, PathBuf};

/// A report's input file larger than this is refused (the largest, `timeline.svg` of a long
/// run with many instances, stays well below).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a folder could not be reported on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// There is no such folder.
    #[error(
        "{0}: no such folder; give the output folder of `albsim run` or `albsim sweep` (e.g. output/quickstart)"
    )]
    NoFolder(PathBuf),
    /// The folder is not one albsim wrote.
    #[error(
        "{0}: not an albsim output folder (it has no albsim-output.json); give a folder that `albsim run` or `albsim sweep` wrote"
    )]
    NotAlbsim(PathBuf),
    /// A file the report needs is missing.
    #[error(
        "{folder}: has no {file}, which the report needs; the folder was written by an older albsim or changed since: run the model again"
    )]
    Missing {
        /// The folder.
        folder: PathBuf,
        /// The file's name.
        file: String,
    },
    /// A file could not be read or understood.
    #[error("{file}: {reason}")]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// Where a folder's files come from.
pub trait Files {
    /// The folder, as messages name it.
    fn folder(&self) -> &Path;
    /// The bytes of the file `name` (relative to the folder), or `None` if there is none.
    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, ReportError>;
}

/// A folder on disk.
#[derive(Debug)]
pub struct OnDisk(pub PathBuf);

impl Files for OnDisk {
    fn folder(&self) -> &Path {
        &self.0
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, ReportError> {
        use std::io::Read;
        let path = self.0.join(name);
        let unreadable = |e: std::io::Error| ReportError::Unreadable {
            file: path.clone(),
            reason: format!("cannot read it: {e}"),
        };
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(unreadable(e)),
        };
        if !meta.is_file() {
            return Err(ReportError::Unreadable {
                file: path.clone(),
                reason: "is not a regular file".into(),
            });
        }
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(unreadable)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ReportError::Unreadable {
                file: path.clone(),
                reason: format!("is larger than {} MiB", MAX_FILE_BYTES >> 20),
            });
        }
        Ok(Some(bytes))
    }
}

/// Files about to be written, still in memory.
#[derive(Debug)]
pub struct InMemory<'a> {
    /// The folder they will be written to, for messages.
    pub folder: &'a Path,
    /// The manifest they will be written with.
    pub manifest: &'a Manifest,
    /// Each file's name and contents.
    pub files: &'a [(&'a str, Vec<u8>)],
}

impl Files for InMemory<'_> {
    fn folder(&self) -> &Path {
        self.folder
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>, ReportError> {
        if name == manifest::FILE_NAME {
            return Ok(Some(self.manifest.to_json().into_bytes()));
        }
        Ok(self
            .files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| b.clone()))
    }
}

/// Everything a run report is made of.
#[derive(Debug)]
pub struct RunFolder {
    /// The folder, as given.
    pub folder: PathBuf,
    /// Which run wrote it (model file, seed, overrides, version).
    pub manifest: Manifest,
    /// The model as run (`model.json`), resolved: every setting with its default filled in.
    pub model: Scenario,
    /// `model.json`'s text.
    pub model_json: String,
    /// `summary.json`.
    pub summary: serde_json::Value,
    /// `events.json`.
    pub events: Vec<ExplainedEvent>,
    /// The lines of `activity.log`.
    pub activity: Vec<String>,
    /// `timeline.svg`.
    pub timeline_svg: String,
}

/// Reads a run's folder.
pub fn read_run(files: &dyn Files) -> Result<RunFolder, ReportError> {
    let manifest = read_manifest(files)?;
    if manifest.kind != FolderKind::Run {
        return Err(ReportError::Unreadable {
            file: files.folder().join(manifest::FILE_NAME),
            reason: "is a sweep's manifest, not a run's".into(),
        });
    }
    let model_json = text(files, MODEL_FILE)?;
    // Files the model names (replayed access logs) are relative to the folder, as `albsim run`
    // rebased them (`scenario::rebase_files`).
    let model = scenario::from_json_kept(
        &model_json,
        &files.folder().join(MODEL_FILE),
        files.folder(),
    )
    .map_err(|e| ReportError::Unreadable {
        file: files.folder().join(MODEL_FILE),
        reason: format!("is not a model this albsim can read: {e}"),
    })?;
    let summary = json(files, "summary.json")?;
    let events = events::from_json(&text(files, events::FILE_NAME)?).map_err(|e| {
        ReportError::Unreadable {
            file: files.folder().join(events::FILE_NAME),
            reason: format!("is not an events file albsim wrote: {e}"),
        }
    })?;
    let activity = text(files, "activity.log")?
        .lines()
        .map(str::to_string)
        .collect();
    let timeline_svg = text(files, "timeline.svg")?;
    Ok(RunFolder {
        folder: files.folder().to_path_buf(),
        manifest,
        model,
        model_json,
        summary,
        events,
        activity,
        timeline_svg,
    })
}

/// The folder's manifest; an error if it has none or it is not albsim's.
pub fn read_manifest(files: &dyn Files) -> Result<Manifest, ReportError> {
    let Some(bytes) = files.read(manifest::FILE_NAME)? else {
        if !files.folder().is_dir() {
            return Err(ReportError::NoFolder(files.folder().to_path_buf()));
        }
        return Err(ReportError::NotAlbsim(files.folder().to_path_buf()));
    };
    let text =
        String::from_utf8(bytes).map_err(|_| ReportError::NotAlbsim(files.folder().into()))?;
    let m: Manifest =
        serde_json::from_str(&text).map_err(|_| ReportError::NotAlbsim(files.folder().into()))?;
    if m.written_by != "albsim" {
        return Err(ReportError::NotAlbsim(files.folder().to_path_buf()));
    }
    Ok(m)
}

/// The text of the file `name`; an error if it is missing or not UTF-8.
pub fn text(files: &dyn Files, name: &str) -> Result<String, ReportError> {
    let Some(bytes) = files.read(name)? else {
        return Err(ReportError::Missing {
            folder: files.folder().to_path_buf(),
            file: name.into(),
        });
    };
    String::from_utf8(bytes).map_err(|e| ReportError::Unreadable {
        file: files.folder().join(name),
        reason: format!(
            "is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// The JSON of the file `name`.
pub fn json(files: &dyn Files, name: &str) -> Result<serde_json::Value, ReportError> {
    serde_json::from_str(&text(files, name)?).map_err(|e| ReportError::Unreadable {
        file: files.folder().join(name),
        reason: format!("is not valid JSON: {e}"),
    })
}
