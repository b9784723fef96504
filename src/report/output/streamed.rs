//! Files written while the simulation runs (the access log, `--access-log`): streamed into the
//! run's own staging folder, opened before the simulation, and put in place with the other files
//! in the same all-or-nothing step ([`OutputFolder::write_staged`]).
//!
//! The staging folder holds the manifest from the start, so a folder left by a killed run is
//! recognisably albsim's and removed by a later run into the same place (see `staging.rs`). A run
//! that fails (a stall, a write error) removes it when its [`Staged`] is dropped: nothing
//! half-written ever appears in the output folder.

use super::{Manifest, OutputError, OutputFolder, Written, fill, manifest, staging};
use std::fs;
use std::path::{Path, PathBuf};

/// A staging folder opened before the simulation; removed on drop unless its results were put
/// in place.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    kept: bool,
}

impl Staged {
    /// Where the streamed file `name` is written.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl OutputFolder {
    /// Opens the staging folder of this run before the simulation, for files streamed during it;
    /// the manifest `about` is written into it first.
    pub fn stage(&self, about: &Manifest) -> Result<Staged, OutputError> {
        fs::create_dir_all(&self.parent).map_err(self.io_error(format!(
            "cannot create the folder {}",
            self.parent.display()
        )))?;
        staging::remove_stale(&self.parent, &self.name);
        let dir = staging::create(&self.parent, &self.name).map_err(self.io_error(format!(
            "cannot create a folder in {}",
            self.parent.display()
        )))?;
        let staged = Staged { dir, kept: false };
        let mark = staged.dir.join(manifest::FILE_NAME);
        fs::write(&mark, about.to_json())
            .map_err(self.io_error(format!("cannot write {}", mark.display())))?;
        Ok(staged)
    }

    /// [`write`](Self::write) into `staged`, which already holds the files `streamed` (listed
    /// in the manifest after `files`).
    pub fn write_staged(
        &self,
        mut staged: Staged,
        about: &Manifest,
        files: &[(&str, Vec<u8>)],
        streamed: &[&str],
    ) -> Result<Written, OutputError> {
        let manifest = Manifest {
            files: (files.iter().map(|(name, _)| (*name).to_string()))
                .chain(streamed.iter().map(|s| (*s).to_string()))
                .collect(),
            ..about.clone()
        };
        if let Err((path, e)) = fill(&staged.dir, &manifest, files) {
            return Err(self.io_error(format!("cannot write {}", path.display()))(e));
        }
        // From here `swap` owns the folder: it removes it itself if the swap fails, and on success
        // it is the output folder (or, exchanged, the previous results it removes).
        staged.kept = true;
        self.swap(&staged.dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about() -> Manifest {
        Manifest::for_run(Path::new("m.json"), "m", 1)
    }

    #[test]
    fn a_streamed_file_appears_with_the_others_and_is_listed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out").join("run");
        let folder = OutputFolder::check(&dir, "test").unwrap();
        let staged = folder.stage(&about()).unwrap();
        fs::write(staged.path("access.log"), "line\n").unwrap();
        assert!(!dir.exists(), "nothing in place while the run streams");
        folder
            .write_staged(
                staged,
                &about(),
                &[("a.txt", b"1".to_vec())],
                &["access.log"],
            )
            .unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("access.log")).unwrap(),
            "line\n"
        );
        assert_eq!(Manifest::read(&dir).unwrap().files, ["a.txt", "access.log"]);
        let entries: Vec<_> = fs::read_dir(tmp.path().join("out")).unwrap().collect();
        assert_eq!(entries.len(), 1, "no staging folder left");
    }

    #[test]
    fn a_failed_run_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out").join("run");
        let folder = OutputFolder::check(&dir, "test").unwrap();
        let staged = folder.stage(&about()).unwrap();
        fs::write(staged.path("access.log"), "half a li").unwrap();
        drop(staged);
        assert!(!dir.exists());
        assert_eq!(fs::read_dir(tmp.path().join("out")).unwrap().count(), 0);
    }
}
