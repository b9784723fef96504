//! Adding files to a folder albsim wrote (`albsim report` writes `report.html` into a run's or a
//! sweep's folder): each file whole or not at all, then the manifest listing them.

use super::OutputError;
use super::manifest::{self, Manifest};
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `files` (plain file names, contents) into the albsim folder `dir`, each through a
/// hidden temporary file renamed over its name, then rewrites the manifest so that it lists them
/// (after the files it listed). Refuses a folder without an albsim manifest; touches nothing
/// else.
pub fn add_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), OutputError> {
    let label = dir.display().to_string();
    let Some(mut about) = Manifest::read(dir).filter(|_| manifest::is_albsim_folder(dir)) else {
        return Err(OutputError::Refused {
            label,
            reason: "not a folder albsim wrote (it has no albsim-output.json); albsim adds files only to its own folders".into(),
        });
    };
    for (name, bytes) in files {
        assert!(
            !name.contains(['/', '\\']) && name != manifest::FILE_NAME,
            "a report file is a plain name"
        );
        write_whole(dir, name, bytes).map_err(|source| OutputError::Io {
            label: label.clone(),
            what: format!("cannot write {}", dir.join(name).display()),
            source,
        })?;
        if !about.files.contains(name) {
            about.files.push(name.clone());
        }
    }
    write_whole(dir, manifest::FILE_NAME, about.to_json().as_bytes()).map_err(|source| {
        OutputError::Io {
            label: label.clone(),
            what: format!("cannot write {}", dir.join(manifest::FILE_NAME).display()),
            source,
        }
    })
}

/// Writes `bytes` as `dir/name` through `.tmp-PID-N-name` (the sweep folder's temporary
/// names, so a killed process's leftovers are cleaned the same way).
pub(super) fn write_whole(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temporary = dir.join(format!(".tmp-{}-{n}-{name}", std::process::id()));
    let written =
        fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, dir.join(name)));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_added_and_listed_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let m = Manifest {
            files: vec!["summary.json".into()],
            ..Manifest::for_run(Path::new("m.json"), "m", 1)
        };
        fs::write(dir.path().join(manifest::FILE_NAME), m.to_json()).expect("manifest");
        let files = [("report.html".to_string(), b"<p>".to_vec())];
        add_files(dir.path(), &files).expect("added");
        add_files(dir.path(), &files).expect("added again");
        let after = Manifest::read(dir.path()).expect("manifest");
        assert_eq!(after.files, ["summary.json", "report.html"]);
        assert_eq!(
            fs::read(dir.path().join("report.html")).expect("file"),
            b"<p>"
        );
        // The manifest and the report: no temporary file left.
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 2);
    }

    #[test]
    fn a_folder_without_a_manifest_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [("report.html".to_string(), b"<p>".to_vec())];
        let err = add_files(dir.path(), &files).expect_err("refused");
        assert!(
            err.to_string().contains("not a folder albsim wrote"),
            "{err}"
        );
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}
