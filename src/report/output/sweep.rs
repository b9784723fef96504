//! A sweep's output folder: unlike a run's, it is written piece by piece, so that a sweep that
//! stops (Ctrl-C, a kill, a shard's end) keeps every finished run and the next one resumes.
//!
//! - The folder is checked first, as a run's ([`OutputFolder::check_for`] with
//!   [`FolderKind::Sweep`]): only a new folder or one an earlier sweep wrote.
//! - [`OutputFolder::prepare_sweep`] creates it with its manifest before the first run, so a
//!   folder holding finished runs is always recognised as albsim's.
//! - Every file is written whole or not at all: into a hidden temporary file beside it
//!   (`.tmp-PID-N-NAME`), then renamed over the name ([`OutputFolder::write_atomically`]). A
//!   process killed in between leaves only the temporary file, which a later sweep removes
//!   ([`remove_stale_temporaries`]).
//! - [`OutputFolder::replace_tables`] writes the tables and plots, removes the ones the previous
//!   manifest listed that this sweep no longer makes, and then the manifest that lists them.

use super::manifest::{self, FolderKind, Manifest};
use super::{OutputError, OutputFolder, Written};
use std::fs;
use std::io;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Temporary files younger than this are never removed: another sweep (a shard sharing the
/// folder) may be about to rename it.
const MIN_AGE: Duration = Duration::from_secs(5 * 60);

/// Prefix of temporary files.
const TEMPORARY: &str = ".tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl OutputFolder {
    /// Creates the folder (if new) with `about` as its manifest, keeping the table list of an
    /// earlier sweep's manifest (so [`replace_tables`](Self::replace_tables) can remove what is
    /// no longer made), plus `inputs` (name, contents) and the empty sub-folders `folders`.
    pub fn prepare_sweep(
        &self,
        about: &Manifest,
        inputs: &[(&str, Vec<u8>)],
        folders: &[&str],
    ) -> Result<(), OutputError> {
        debug_assert_eq!(about.kind, FolderKind::Sweep);
        fs::create_dir_all(&self.target)
            .map_err(self.io_error(format!("cannot create the folder {}", self.shown.display())))?;
        let previous = Manifest::read(&self.target).map(|m| m.files);
        let manifest = Manifest {
            files: previous.unwrap_or_default(),
            ..about.clone()
        };
        self.write_atomically(manifest::FILE_NAME, manifest.to_json().as_bytes())?;
        for (name, bytes) in inputs {
            self.write_atomically(name, bytes)?;
        }
        for name in folders {
            let dir = self.target.join(name);
            fs::create_dir_all(&dir)
                .map_err(self.io_error(format!("cannot create the folder {}", dir.display())))?;
            remove_stale_temporaries(&dir);
        }
        remove_stale_temporaries(&self.target);
        Ok(())
    }

    /// Writes `bytes` as the file `name` (a path relative to the folder, whose own folder
    /// exists): whole or not at all.
    pub fn write_atomically(
        &self,
        name: impl AsRef<Path>,
        bytes: &[u8],
    ) -> Result<(), OutputError> {
        let path = self.target.join(name.as_ref());
        let (Some(dir), Some(file)) = (path.parent(), path.file_name()) else {
            unreachable!("a file inside the output folder has a parent and a name")
        };
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temporary = dir.join(format!(
            "{TEMPORARY}{}-{n}-{}",
            std::process::id(),
            file.to_string_lossy()
        ));
        let written = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, &path));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written.map_err(self.io_error(format!("cannot write {}", path.display())))
    }

    /// The folder's path of `name` (relative), for reading what an earlier sweep wrote.
    pub fn join(&self, name: impl AsRef<Path>) -> std::path::PathBuf {
        self.target.join(name)
    }

    /// Writes the sweep's tables and plots `files` (name, contents), removes the files the
    /// previous manifest listed that are not among them, and writes the manifest `about` listing
    /// them.
    pub fn replace_tables(
        &self,
        about: &Manifest,
        files: &[(String, Vec<u8>)],
    ) -> Result<Written, OutputError> {
        for (name, bytes) in files {
            self.write_atomically(name, bytes)?;
        }
        let mut written = Written::default();
        let listed = Manifest::read(&self.target).map(|m| m.files);
        for old in listed.unwrap_or_default() {
            if files.iter().any(|(name, _)| *name == old) || !is_plain_name(&old) {
                continue;
            }
            let path = self.target.join(&old);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => written
                    .warnings
                    .push(format!("could not remove {} ({e})", path.display())),
                _ => {}
            }
        }
        let manifest = Manifest {
            files: files.iter().map(|(name, _)| name.clone()).collect(),
            ..about.clone()
        };
        self.write_atomically(manifest::FILE_NAME, manifest.to_json().as_bytes())?;
        Ok(written)
    }
}

/// A file name the manifest may list: one plain path component (never `..`, a folder path or
/// the manifest itself), so removing what it lists can only touch the folder's own files.
fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(parts.next(), Some(Component::Normal(c)) if c == name)
        && parts.next().is_none()
        && name != manifest::FILE_NAME
        && !name.contains(['/', '\\', '\0'])
}

/// Removes temporary files in `dir` last modified more than 5 minutes ago (a killed sweep's).
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMPORARY) {
            continue;
        }
        let old = entry
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > MIN_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep_manifest() -> Manifest {
        Manifest::for_sweep(Path::new("experiments/e.json"), "e", 1)
    }

    #[test]
    fn a_sweep_folder_is_marked_before_its_first_run_and_lists_its_tables() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("e");
        let folder = OutputFolder::check_for(&dir, "--out e", FolderKind::Sweep).unwrap();
        folder
            .prepare_sweep(
                &sweep_manifest(),
                &[("inputs.json", b"{}".to_vec())],
                &["cache"],
            )
            .unwrap();
        let m = Manifest::read(&dir).expect("marked");
        assert_eq!((m.kind, m.files.len()), (FolderKind::Sweep, 0));
        assert!(dir.join("cache").is_dir());
        folder.write_atomically("cache/k.json", b"1").unwrap();
        let tables = vec![
            ("a.csv".to_string(), b"x".to_vec()),
            ("b.svg".to_string(), b"y".to_vec()),
        ];
        folder.replace_tables(&sweep_manifest(), &tables).unwrap();
        assert_eq!(Manifest::read(&dir).unwrap().files, ["a.csv", "b.svg"]);
        // A later sweep keeps the table list until it writes its own, then removes b.svg.
        let again = OutputFolder::check_for(&dir, "--out e", FolderKind::Sweep).unwrap();
        again
            .prepare_sweep(&sweep_manifest(), &[], &["cache"])
            .unwrap();
        assert_eq!(Manifest::read(&dir).unwrap().files, ["a.csv", "b.svg"]);
        again
            .replace_tables(&sweep_manifest(), &tables[..1])
            .unwrap();
        assert!(!dir.join("b.svg").exists());
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"x");
        assert_eq!(fs::read(dir.join("cache/k.json")).unwrap(), b"1");
        let left: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMPORARY))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_run_and_a_sweep_never_replace_each_others_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let run_dir = tmp.path().join("run");
        let run = OutputFolder::check(&run_dir, "--out run").unwrap();
        run.write(&Manifest::for_run(Path::new("m.json"), "m", 1), &[])
            .unwrap();
        let e = OutputFolder::check_for(&run_dir, "--out run", FolderKind::Sweep).unwrap_err();
        assert!(
            e.to_string().contains(
                "holds the results of `albsim run`, and `albsim sweep` does not replace them"
            ),
            "{e}"
        );
        let sweep_dir = tmp.path().join("sweep");
        OutputFolder::check_for(&sweep_dir, "--out sweep", FolderKind::Sweep)
            .unwrap()
            .prepare_sweep(&sweep_manifest(), &[], &[])
            .unwrap();
        let e = OutputFolder::check(&sweep_dir, "--out sweep").unwrap_err();
        assert!(
            e.to_string().contains(
                "holds the results of `albsim sweep`, and `albsim run` does not replace them"
            ),
            "{e}"
        );
    }

    #[test]
    fn only_plain_file_names_of_the_folder_are_ever_removed() {
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "/etc/passwd",
            "albsim-output.json",
        ] {
            assert!(!is_plain_name(bad), "{bad}");
        }
        assert!(is_plain_name("plot-p99_ms.svg"));
    }
}
