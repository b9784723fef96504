//! The output folder: checked before the simulation, written all-or-nothing after it, and only
//! ever replacing a folder that albsim wrote itself.
//!
//! - **The files are listed once**, in [`files::RESULT_FILES`] (each file's name and how it is
//!   made from a run's results): the run writes them, the manifest lists them, the "wrote …" line
//!   names them.
//! - **Only albsim's folders are replaced.** Every output folder holds a manifest,
//!   [`albsim-output.json`](manifest::FILE_NAME) (albsim version, model file, seed, the
//!   overrides applied, files). An existing folder without one is never replaced, and neither is
//!   the current directory, a folder that contains it, the root or the home directory, however
//!   the path is spelled (see `allowed.rs`).
//! - **Checked first.** [`OutputFolder::check`] runs before the simulation: the path is allowed,
//!   and a probe folder is created and removed again where the results will go, so a long run never
//!   fails at its end because of the folder. The probe is gone before the simulation starts, so
//!   a run interrupted while simulating (Ctrl-C, a kill) leaves nothing behind, with no signal
//!   handler needed. The one exception is a file streamed during the simulation (`--access-log`,
//!   see `streamed.rs`): it is written into the run's hidden staging folder, which a killed run
//!   leaves behind (never the output folder itself) and a later run into the same place removes.
//! - **All-or-nothing.** [`OutputFolder::write`] writes into a hidden staging folder of its own
//!   (`.NAME.partial-PID-N`, see `staging.rs`) and then puts it in place of the previous results:
//!   - On Linux, where the file system supports it, in one atomic step
//!     (`renameat2(RENAME_EXCHANGE)`, see `exchange.rs`): the folder always exists, complete and
//!     from exactly one run, even with concurrent runs (the last one to finish wins); the
//!     previous results, swapped into the staging folder, are then removed.
//!   - Elsewhere (and for the first results, when there are no previous ones), by renames: the
//!     previous results are moved aside (`.NAME.old-PID-N`), the staging folder is renamed into
//!     place and the previous results are removed. Between the two renames the folder briefly
//!     does not exist; whenever it exists it is complete and from exactly one run. A run that
//!     finds another run's results in place at the last rename fails cleanly
//!     ([`OutputError::Race`]) and removes its staging folder.
//!
//! Nothing outside the output folder and its hidden siblings is created, renamed or removed,
//! apart from the missing parent folders of the output folder itself (`output/`).

mod added;
mod allowed;
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
mod exchange;
pub mod files;
pub mod manifest;
mod staging;
mod streamed;
mod sweep;

pub use added::add_files;
pub use files::{RESULT_FILES, RunOutput};
pub use manifest::{FolderKind, Manifest, ManifestOverride};
pub use streamed::Staged;
pub use sweep::remove_stale_temporaries;

use crate::scenario::FieldError;
use crate::scenario::path::JsonPath;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why an output folder could not be used or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The folder must not be used: it exists and albsim did not write it, or it is the current,
    /// root or home directory (or contains one of them), or a file. Nothing was written.
    #[error("{label}: {reason}")]
    Refused {
        /// `--out PATH`, or the default folder's path.
        label: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// The file system failed: no permission, disk full…
    #[error("{label}: {what}")]
    Io {
        /// `--out PATH`, or the default folder's path.
        label: String,
        /// What albsim was doing.
        what: String,
        /// The system's error.
        #[source]
        source: io::Error,
    },
    /// Another run put its results in place while this one was swapping its own in.
    #[error(
        "another albsim run wrote {dir} at the same time; its results are there, this run's were not written"
    )]
    Race {
        /// The output folder, as given.
        dir: String,
    },
}

/// What [`OutputFolder::write`] has to tell beyond success.
#[derive(Debug, Default)]
pub struct Written {
    /// Things that went wrong after the results were in place (the previous results could not
    /// be removed), for the user to clean up.
    pub warnings: Vec<String>,
}

/// An output folder that albsim may (re)place, checked before the simulation.
#[derive(Debug)]
pub struct OutputFolder {
    /// `--out PATH` or the default folder's path, naming the folder in messages.
    label: String,
    /// The folder as the user gave it.
    shown: PathBuf,
    /// The folder, absolute, with its existing part resolved.
    target: PathBuf,
    /// Parent and file name of `target` (it is never the root).
    parent: PathBuf,
    name: std::ffi::OsString,
}

/// The default output folder of a model: `output/<name>`, if `name` passes the model name rule
/// (`scenario/names.rs`, the one rule, which the loader applies too); otherwise what is wrong
/// with it, at the JSON path `name`.
///
/// Defence in depth: whatever that rule allows, a name that is not exactly one plain path
/// component (empty, `.`, `..`, with `/`, `\` or NUL) is refused here too, so the default folder
/// is only ever one folder below `output/`.
pub fn default_folder(name: &str) -> Result<PathBuf, FieldError> {
    let at = JsonPath::root().key("name");
    crate::scenario::names::check_model_name(name, &at)?;
    let mut components = Path::new(name).components();
    let plain = matches!(components.next(), Some(Component::Normal(c)) if c == name)
        && components.next().is_none()
        && !name.contains(['/', '\\', '\0']);
    if plain {
        Ok(Path::new("output").join(name))
    } else {
        Err(at.error(format!(
            "expected one folder name (not empty, \".\" or \"..\", no '/', '\\' or NUL byte): it names the output folder output/<name>, got {name:?}; rename the model or choose the folder with --out"
        )))
    }
}

impl OutputFolder {
    /// Checks, before anything is simulated, that the folder `dir` may be (re)placed and that
    /// albsim can write there; `label` names it in messages (`--out notes`).
    ///
    /// Creates nothing that stays: the probe folder is removed before this returns.
    pub fn check(dir: &Path, label: impl Into<String>) -> Result<OutputFolder, OutputError> {
        Self::check_for(dir, label, FolderKind::Run)
    }

    /// [`check`](Self::check) for a folder of `kind`: an existing albsim folder of the other
    /// kind is refused too (a run never replaces a sweep's cache of finished runs, nor a sweep a
    /// run's files).
    pub fn check_for(
        dir: &Path,
        label: impl Into<String>,
        kind: FolderKind,
    ) -> Result<OutputFolder, OutputError> {
        let label = label.into();
        let io_error = |what: String| {
            let label = label.clone();
            move |source| OutputError::Io {
                label,
                what,
                source,
            }
        };
        let cwd = std::env::current_dir()
            .and_then(|c| c.canonicalize())
            .map_err(io_error("cannot find the current directory".into()))?;
        let target = allowed::resolve(dir, &cwd)
            .map_err(io_error(format!("cannot look up {}", dir.display())))?;
        let home = allowed::home_dir();
        let refusal = allowed::refusal(&target, &cwd, home.as_deref());
        let (None, Some(parent), Some(name)) = (refusal, target.parent(), target.file_name())
        else {
            return Err(OutputError::Refused {
                label,
                reason: format!(
                    "{} ({}); albsim replaces its output folder as a whole, so it needs a folder of its own, e.g. --out results",
                    refusal.unwrap_or("this is the root directory"),
                    target.display()
                ),
            });
        };
        let folder = OutputFolder {
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            label,
            shown: dir.to_path_buf(),
            target,
        };
        if folder.check_existing()? {
            folder.check_kind(kind)?;
        }
        folder.probe()?;
        Ok(folder)
    }

    /// The folder, absolute, as it will be written.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// The folder as the user should see it: as given to `--out`, or `output/<name>`.
    pub fn shown(&self) -> &Path {
        &self.shown
    }

    /// The folder, absolute, with its existing part resolved.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// An error if one of the model's input files `inputs` (resolved paths, e.g. replayed access
    /// logs) lies inside the folder: replacing the folder would delete it.
    pub fn refuse_inputs_inside(&self, inputs: &[PathBuf]) -> Result<(), OutputError> {
        match inputs.iter().find(|f| f.starts_with(&self.target)) {
            None => Ok(()),
            Some(f) => Err(self.refused(format!(
                "the model replays {}, which lies inside this output folder, and albsim replaces what its output folder holds, so the log would be deleted; move the log out of the folder, or choose another folder",
                f.display()
            ))),
        }
    }

    /// Writes `files` (name, contents) and the manifest `about` (its `files` list is filled in
    /// here) as the folder, replacing the previous results if albsim wrote them.
    pub fn write(
        &self,
        about: &Manifest,
        files: &[(&str, Vec<u8>)],
    ) -> Result<Written, OutputError> {
        fs::create_dir_all(&self.parent).map_err(self.io_error(format!(
            "cannot create the folder {}",
            self.parent.display()
        )))?;
        staging::remove_stale(&self.parent, &self.name);
        let staging = staging::create(&self.parent, &self.name).map_err(self.io_error(format!(
            "cannot create a folder in {}",
            self.parent.display()
        )))?;
        let manifest = Manifest {
            files: files.iter().map(|(name, _)| (*name).to_string()).collect(),
            ..about.clone()
        };
        if let Err((path, e)) = fill(&staging, &manifest, files) {
            let _ = fs::remove_dir_all(&staging);
            return Err(self.io_error(format!("cannot write {}", path.display()))(e));
        }
        self.swap(&staging)
    }

    /// Whether the folder exists; an error if it exists and must not be replaced.
    fn check_existing(&self) -> Result<bool, OutputError> {
        match fs::symlink_metadata(&self.target) {
            // Below a file: the probe says so.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(self.io_error("cannot look at the folder".into())(e)),
            Ok(m) if m.file_type().is_symlink() => {
                Err(self
                    .refused("this is a symbolic link to nothing; give the folder itself".into()))
            }
            Ok(m) if !m.is_dir() => Err(self
                .refused("this is an existing file, not a folder; choose another folder".into())),
            Ok(_) if manifest::is_albsim_folder(&self.target) => Ok(true),
            Ok(_) => Err(self.not_albsims()),
        }
    }

    /// An error if the existing folder holds the other command's results.
    fn check_kind(&self, kind: FolderKind) -> Result<(), OutputError> {
        match Manifest::read(&self.target) {
            Some(m) if m.kind != kind => Err(self.refused(format!(
                "the folder holds the results of `{}`, and `{}` does not replace them; choose another folder or remove it yourself",
                m.kind.command(),
                kind.command()
            ))),
            _ => Ok(()),
        }
    }

    fn not_albsims(&self) -> OutputError {
        self.refused(format!(
            "the folder exists and was not written by albsim (no {}); choose another folder or remove it yourself",
            manifest::FILE_NAME
        ))
    }

    /// Creates and removes a staging folder where the results will go (in the nearest folder
    /// that exists, if the output folder's parents do not yet).
    fn probe(&self) -> Result<(), OutputError> {
        let (mut dir, mut name) = (self.parent.as_path(), self.name.as_os_str());
        while fs::symlink_metadata(dir).is_err() {
            let (Some(up), Some(here)) = (dir.parent(), dir.file_name()) else {
                break;
            };
            (dir, name) = (up, here);
        }
        if !dir.is_dir() {
            return Err(self.refused(format!(
                "{} is not a folder, so nothing can be written under it",
                dir.display()
            )));
        }
        // A run killed between creating and removing its probe left it behind.
        staging::remove_stale(dir, name);
        let probe = staging::create(dir, name)
            .map_err(self.io_error(format!("cannot write in {}", dir.display())))?;
        // Staging names may be shortened: the missing folders down to the output folder, with
        // their own names, inside the probe where nobody sees them, prove that this file system
        // takes those names.
        let missing = self
            .target
            .strip_prefix(dir)
            .unwrap_or(Path::new(&self.name));
        let named = fs::create_dir_all(probe.join(missing));
        let removed = fs::remove_dir_all(&probe);
        named.map_err(self.io_error(format!(
            "cannot create a folder of this name in {}",
            dir.display()
        )))?;
        removed.map_err(self.io_error(format!("cannot remove {}", probe.display())))
    }

    /// Moves the previous results aside; `None` if there are none (any more).
    fn move_previous_aside(&self) -> Result<Option<PathBuf>, OutputError> {
        if !self.check_existing()? {
            return Ok(None);
        }
        let aside = staging::unused_path(&self.parent, &self.name, staging::Kind::Old);
        match fs::rename(&self.target, &aside) {
            // Another run is between its two renames: its results will be in place, or ours.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(self
                    .io_error("cannot move the previous results aside".into())(
                    e
                ));
            }
            Ok(()) => {}
        }
        // What was moved is what gets removed: check it again, it may have been replaced since.
        if manifest::is_albsim_folder(&aside) {
            return Ok(Some(aside));
        }
        match fs::rename(&aside, &self.target) {
            Ok(()) => Err(self.not_albsims()),
            Err(e) => Err(self.refused(format!(
                "a folder not written by albsim appeared here while albsim was writing; it is now {} and could not be moved back ({e}): rename it back yourself",
                aside.display()
            ))),
        }
    }

    /// Puts the complete staging folder in place of the previous results; removes the staging
    /// folder if that fails.
    fn swap(&self, staging: &Path) -> Result<Written, OutputError> {
        #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
        if let Some(outcome) = self.exchange(staging) {
            return outcome;
        }
        let outcome = self.swap_by_renames(staging);
        if outcome.is_err() {
            let _ = fs::remove_dir_all(staging);
        }
        outcome
    }

    /// Exchanges the staging folder with the previous results in one atomic step and removes
    /// them; `None` (nothing done) if there are no previous results or this file system cannot
    /// exchange folders.
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    fn exchange(&self, staging: &Path) -> Option<Result<Written, OutputError>> {
        let failed = |e| {
            let _ = fs::remove_dir_all(staging);
            Some(Err(e))
        };
        match self.check_existing() {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return failed(e),
        }
        match exchange::exchange(staging, &self.target) {
            Ok(()) => {}
            // The previous results are gone since the check (a run swapping by renames is
            // between its two renames), or the file system cannot exchange: by renames.
            Err(e) if e.kind() == io::ErrorKind::NotFound || exchange::unsupported(&e) => {
                return None;
            }
            Err(e) => {
                return failed(self.io_error(format!(
                    "cannot move the results into {}",
                    self.shown.display()
                ))(e));
            }
        }
        // What was swapped out is what gets removed: check it again, it may have been replaced
        // since the check. The staging path holds it now, and the results are in place.
        if !manifest::is_albsim_folder(staging) {
            return Some(match exchange::exchange(staging, &self.target) {
                Ok(()) => {
                    let _ = fs::remove_dir_all(staging);
                    Err(self.not_albsims())
                }
                Err(e) => Err(self.refused(format!(
                    "a folder not written by albsim appeared here while albsim was writing; it is now {} and could not be moved back ({e}): rename it back yourself",
                    staging.display()
                ))),
            });
        }
        Some(Ok(self.remove_previous(staging)))
    }

    /// Removes the previous results, now at `old`; a warning if that fails.
    fn remove_previous(&self, old: &Path) -> Written {
        let mut written = Written::default();
        match fs::remove_dir_all(old) {
            // Removed by another run's clean-up meanwhile.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => written.warnings.push(format!(
                "{}: the previous results were replaced, but {} could not be removed: {e}",
                self.label,
                old.display()
            )),
            Ok(()) => {}
        }
        written
    }

    /// Moves the previous results aside, renames the staging folder into place and removes the
    /// previous results.
    fn swap_by_renames(&self, staging: &Path) -> Result<Written, OutputError> {
        let aside = self.move_previous_aside()?;
        if let Err(e) = fs::rename(staging, &self.target) {
            let occupied = matches!(
                e.kind(),
                io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
            );
            let there = fs::symlink_metadata(&self.target).is_ok();
            if occupied && there && !manifest::is_albsim_folder(&self.target) {
                let kept = match &aside {
                    Some(old) => format!("; the previous results are in {}", old.display()),
                    None => String::new(),
                };
                return Err(self.refused(format!(
                    "a folder not written by albsim appeared here while albsim was writing; it was left alone and the results were not written{kept}"
                )));
            }
            if occupied {
                // Another run's complete results arrived between our two renames (or are being
                // swapped right now by a third run); the results we moved aside are older.
                if let Some(old) = &aside {
                    let _ = fs::remove_dir_all(old);
                }
                return Err(OutputError::Race {
                    dir: self.shown.display().to_string(),
                });
            }
            if let Some(old) = &aside {
                let _ = fs::rename(old, &self.target);
            }
            return Err(self.io_error(format!(
                "cannot move the results into {}",
                self.shown.display()
            ))(e));
        }
        Ok(match aside {
            Some(old) => self.remove_previous(&old),
            None => Written::default(),
        })
    }

    fn refused(&self, reason: String) -> OutputError {
        OutputError::Refused {
            label: self.label.clone(),
            reason,
        }
    }

    fn io_error(&self, what: String) -> impl FnOnce(io::Error) -> OutputError + use<> {
        let label = self.label.clone();
        move |source| OutputError::Io {
            label,
            what,
            source,
        }
    }
}

/// Writes the manifest first (so a staging folder left by a killed run is recognisably albsim's),
/// then the files.
fn fill(
    staging: &Path,
    manifest: &Manifest,
    files: &[(&str, Vec<u8>)],
) -> Result<(), (PathBuf, io::Error)> {
    let mark = staging.join(manifest::FILE_NAME);
    fs::write(&mark, manifest.to_json()).map_err(|e| (mark, e))?;
    for (name, bytes) in files {
        let path = staging.join(name);
        fs::write(&path, bytes).map_err(|e| (path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about() -> Manifest {
        Manifest::for_run(Path::new("m.json"), "m", 1)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_whole_folder_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out").join("run");
        let folder = OutputFolder::check(&dir, "test").unwrap();
        assert!(!tmp.path().join("out").exists(), "the check leaves nothing");
        folder
            .write(
                &about(),
                &[("a.txt", b"1".to_vec()), ("b.txt", b"2".to_vec())],
            )
            .unwrap();
        let again = OutputFolder::check(&dir, "test").unwrap();
        again.write(&about(), &[("a.txt", b"3".to_vec())]).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "3");
        assert_eq!(names(&dir), ["a.txt", manifest::FILE_NAME]);
        assert_eq!(names(&tmp.path().join("out")), ["run"], "no staging left");
        assert_eq!(Manifest::read(&dir).unwrap().files, ["a.txt"]);
    }

    #[test]
    fn refuses_a_folder_it_did_not_write_even_if_it_appears_after_the_check() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("notes");
        let folder = OutputFolder::check(&dir, "--out notes").unwrap();
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("todo.txt"), "keep me").unwrap();
        let e = folder.write(&about(), &[("a.txt", vec![])]).unwrap_err();
        assert!(matches!(e, OutputError::Refused { .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "--out notes: the folder exists and was not written by albsim (no albsim-output.json); choose another folder or remove it yourself"
        );
        assert_eq!(names(&dir), ["todo.txt"]);
        assert_eq!(names(tmp.path()), ["notes"], "no staging left");
        let e = OutputFolder::check(&dir, "--out notes").unwrap_err();
        assert!(matches!(e, OutputError::Refused { .. }), "{e}");
    }

    #[test]
    fn refuses_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        fs::write(&file, "x").unwrap();
        let e = OutputFolder::check(&file, "--out f").unwrap_err();
        assert!(e.to_string().contains("existing file, not a folder"), "{e}");
        let e = OutputFolder::check(&file.join("sub"), "--out f/sub").unwrap_err();
        assert!(e.to_string().contains("is not a folder"), "{e}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    }

    /// A folder nobody may create anything in: a read-only folder, or (for root, who may write
    /// anyway) a place in `/sys`.
    #[cfg(unix)]
    fn unwritable(tmp: &Path) -> Option<PathBuf> {
        use std::os::unix::fs::PermissionsExt;
        let locked = tmp.join("locked");
        fs::create_dir(&locked).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
        if fs::create_dir(locked.join("probe")).is_err() {
            return Some(locked);
        }
        let sys = Path::new("/sys");
        (sys.is_dir() && fs::create_dir(sys.join("albsim-probe")).is_err()).then(|| sys.into())
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_folder_it_cannot_write_in_before_anything_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let Some(locked) = unwritable(tmp.path()) else {
            panic!("found no unwritable folder to test with");
        };
        let e = OutputFolder::check(&locked.join("albsim-a/b"), "--out x").unwrap_err();
        assert!(matches!(e, OutputError::Io { .. }), "{e}");
        assert!(
            e.to_string().starts_with("--out x: cannot write in "),
            "{e}"
        );
        assert!(!locked.join("albsim-a").exists());
    }

    #[test]
    fn a_name_too_long_for_the_file_system_fails_the_check_not_the_write() {
        // See: issue 7, defect 6
        let tmp = tempfile::tempdir().unwrap();
        let long = "n".repeat(300);
        // The parent exists: looking the path up fails (ENAMETOOLONG).
        let e = OutputFolder::check(&tmp.path().join(&long), "x").unwrap_err();
        assert!(matches!(e, OutputError::Io { .. }), "{e}");
        // The parent does not exist yet: the probe creates the missing folders and fails.
        let e = OutputFolder::check(&tmp.path().join("output").join(&long), "x").unwrap_err();
        assert!(matches!(e, OutputError::Io { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("cannot create a folder of this name"),
            "{e}"
        );
        assert_eq!(names(tmp.path()), Vec::<String>::new(), "the probe is gone");
        let fits = tmp.path().join("output").join("n".repeat(250));
        OutputFolder::check(&fits, "x").unwrap();
        assert_eq!(names(tmp.path()), Vec::<String>::new(), "the probe is gone");
    }

    #[test]
    fn default_folders_follow_the_model_name_rule() {
        assert_eq!(
            default_folder("quickstart").unwrap(),
            Path::new("output/quickstart")
        );
        assert_eq!(
            default_folder("v1.2_a-b").unwrap(),
            Path::new("output/v1.2_a-b")
        );
        // What the loader's rule refuses is refused here, with the loader's message.
        for bad in [
            "", ".", "..", "a/b", "/", "a\\b", "a\0b", "../x", "./x", "x/", "a b.c", "NUL", "run.",
        ] {
            let e = default_folder(bad).unwrap_err();
            let rule = crate::scenario::names::check_model_name(bad, &JsonPath::root().key("name"));
            assert_eq!(Err(e.clone()), rule, "{bad:?}");
            assert_eq!(e.path, "name");
        }
    }

    #[test]
    fn the_folder_is_shown_as_the_user_gave_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("..").join("b");
        let folder = OutputFolder::check(&dir, "--out x").unwrap();
        assert_eq!(folder.shown(), dir);
        assert_eq!(folder.path(), tmp.path().canonicalize().unwrap().join("b"));
    }

    /// Whether this file system exchanges folders atomically (tmpfs, ext4, xfs, btrfs do).
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    fn exchanges(dir: &Path) -> bool {
        let (a, b) = (dir.join("x-a"), dir.join("x-b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        let ok = exchange::exchange(&a, &b).is_ok();
        fs::remove_dir(&a).unwrap();
        fs::remove_dir(&b).unwrap();
        ok
    }

    // See: issue 7, defect 5
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    #[test]
    fn a_rerun_replaces_the_folder_without_a_moment_in_which_it_is_missing() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(
            exchanges(tmp.path()),
            "the test folder's file system cannot exchange"
        );
        let dir = tmp.path().join("run");
        let folder = OutputFolder::check(&dir, "x").unwrap();
        folder.write(&about(), &[("a.txt", b"0".to_vec())]).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        let missing = std::thread::scope(|s| {
            s.spawn(|| {
                for i in 1..=200 {
                    let bytes = i.to_string().into_bytes();
                    folder.write(&about(), &[("a.txt", bytes)]).unwrap();
                }
                done.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            let mut missing = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                if !dir.join("a.txt").exists() || !dir.join(manifest::FILE_NAME).exists() {
                    missing += 1;
                }
            }
            missing
        });
        assert_eq!(
            missing, 0,
            "the folder or a file was missing {missing} times"
        );
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "200");
        assert_eq!(names(tmp.path()), ["run"], "no staging left");
    }
}
