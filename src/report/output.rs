//! The output folder, written all-or-nothing.
//!
//! Files are first written into a hidden sibling folder (`.<name>.partial`), which then replaces
//! the target folder in one rename. A run that fails half-way leaves no half-written results,
//! and a rerun replaces the previous results as a whole.

use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `files` (name, contents) as the folder `dir`, replacing it if it exists.
pub fn write_folder(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let staging = parent.join(format!(".{name}.partial"));
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot remove {}", staging.display()))?;
    }
    fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
    let written = (|| -> Result<()> {
        for (file, bytes) in files {
            let path = staging.join(file);
            fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        }
        if dir.exists() {
            fs::remove_dir_all(dir)
                .with_context(|| format!("cannot replace the old results in {}", dir.display()))?;
        }
        fs::rename(&staging, dir)
            .with_context(|| format!("cannot move the results into {}", dir.display()))
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out").join("run");
        write_folder(&dir, &[("a.txt", b"1".to_vec()), ("b.txt", b"2".to_vec())]).unwrap();
        write_folder(&dir, &[("a.txt", b"3".to_vec())]).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "3");
        assert!(!dir.join("b.txt").exists(), "old files are gone");
        assert!(!tmp.path().join("out").join(".run.partial").exists());
    }
}
