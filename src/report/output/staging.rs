//! Hidden sibling folders of an output folder: `.NAME.partial-PID-N` (a run's results being
//! written) and `.NAME.old-PID-N` (the previous results, moved aside during the swap).
//!
//! Each run names its own by its process id and a counter, so concurrent runs never share one.
//! A run that was killed leaves its folder behind; the next run into the same place removes
//! those whose process is gone (on Linux, `/proc/PID` tells; elsewhere nothing is removed) and
//! that were last modified more than [`MIN_AGE`] ago: a process id missing from this `/proc` may
//! be a live run in another container that shares the folder (separate PID namespaces), and a
//! run's own folders exist only while it writes its results, which takes seconds.

use super::manifest;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// A sibling folder last modified less than this long ago is never removed, whichever process
/// it names.
pub const MIN_AGE: Duration = Duration::from_secs(5 * 60);

/// Which kind of sibling folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Results being written.
    Partial,
    /// Previous results being replaced.
    Old,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Partial => "partial",
            Kind::Old => "old",
        }
    }
}

/// Hidden names stay well below the usual 255-byte limit of one path component.
const MAX_NAME_BYTES: usize = 180;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// `.NAME.<kind>-` for the output folder called `target_name` (long names shortened).
fn prefix(target_name: &OsStr, kind: Kind) -> String {
    let full = target_name.to_string_lossy();
    let mut end = full.len().min(MAX_NAME_BYTES);
    while !full.is_char_boundary(end) {
        end -= 1;
    }
    let name = &full[..end];
    format!(".{name}.{}-", kind.word())
}

/// A sibling path of this process that does not exist yet.
pub fn unused_path(parent: &Path, target_name: &OsStr, kind: Kind) -> PathBuf {
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(
            "{}{}-{n}",
            prefix(target_name, kind),
            std::process::id()
        ));
        if fs::symlink_metadata(&path).is_err() {
            return path;
        }
    }
}

/// Creates a new, empty staging folder of this process in `parent`.
pub fn create(parent: &Path, target_name: &OsStr) -> io::Result<PathBuf> {
    loop {
        let path = unused_path(parent, target_name, Kind::Partial);
        match fs::create_dir(&path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
            Ok(()) => return Ok(path),
        }
    }
}

/// The process id in a sibling's name, if `file_name` is one of `target_name`'s siblings.
fn owner(file_name: &str, target_name: &OsStr) -> Option<u32> {
    [Kind::Partial, Kind::Old].iter().find_map(|&kind| {
        let rest = file_name.strip_prefix(&prefix(target_name, kind))?;
        let (pid, n) = rest.split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(pid) && digits(n)) {
            return None;
        }
        pid.parse().ok()
    })
}

/// Whether the process `pid` is running; `None` when this system cannot tell.
fn is_running(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}

/// Removes the sibling folders of `target_name` in `parent` left by runs that are no longer
/// running and last modified more than [`MIN_AGE`] ago; returns how many. Only folders that hold
/// no files at all (a probe, possibly with the empty folders it creates inside) or hold a file
/// named `albsim-output.json` (a run writes it first, and may have been killed while writing it)
/// are removed: whatever else carries such a name is left alone, and so is every live run's
/// folder.
pub fn remove_stale(parent: &Path, target_name: &OsStr) -> usize {
    remove_stale_at(parent, target_name, SystemTime::now())
}

/// [`remove_stale`] as if the time were `now`.
fn remove_stale_at(parent: &Path, target_name: &OsStr, now: SystemTime) -> usize {
    let Ok(entries) = fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| owner(n, target_name)) else {
            continue;
        };
        let path = entry.path();
        if is_running(pid) != Some(false) || !is_older_than_min_age(&path, now) {
            continue;
        }
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        let ours = is_dir && (holds_no_files(&path, 0) || has_manifest_file(&path));
        if ours && fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `path` was last modified at least [`MIN_AGE`] before `now` (not if the time is in
/// the future or unknown).
fn is_older_than_min_age(path: &Path, now: SystemTime) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age >= MIN_AGE))
}

fn has_manifest_file(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(manifest::FILE_NAME)).is_ok_and(|m| m.is_file())
}

/// Whether `dir` holds nothing but (a few levels of) folders.
fn holds_no_files(dir: &Path, depth: usize) -> bool {
    const MAX_DEPTH: usize = 16;
    let Ok(mut entries) = fs::read_dir(dir) else {
        return false;
    };
    depth < MAX_DEPTH
        && entries.all(|entry| {
            entry.is_ok_and(|e| {
                e.file_type().is_ok_and(|t| t.is_dir()) && holds_no_files(&e.path(), depth + 1)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_process_and_parse_back() {
        let tmp = tempfile::tempdir().unwrap();
        let a = create(tmp.path(), OsStr::new("run")).unwrap();
        let b = create(tmp.path(), OsStr::new("run")).unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".run.partial-"), "{name}");
        assert_eq!(owner(name, OsStr::new("run")), Some(std::process::id()));
        assert_eq!(owner(".run.old-12-3", OsStr::new("run")), Some(12));
        assert_eq!(owner(".run.partial-12-3", OsStr::new("ru")), None);
        assert_eq!(owner(".run.partial-12", OsStr::new("run")), None);
        assert_eq!(owner(".run.partial-x-3", OsStr::new("run")), None);
        assert_eq!(owner("run", OsStr::new("run")), None);
    }

    #[test]
    fn long_names_stay_within_one_path_component() {
        for long in ["n".repeat(250), "\u{1F600}".repeat(60)] {
            let path = unused_path(Path::new("/x"), OsStr::new(&long), Kind::Old);
            assert!(path.file_name().unwrap().len() < 255, "{path:?}");
            let name = path.file_name().unwrap().to_str().unwrap();
            assert_eq!(owner(name, OsStr::new(&long)), Some(std::process::id()));
        }
    }

    /// The id of a process that has just exited (so no live process has it, for a while).
    #[cfg(target_os = "linux")]
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_dead_runs_empty_or_albsim_folders_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let live = std::process::id();
        let dir = |name: String| {
            let p = tmp.path().join(name);
            fs::create_dir(&p).unwrap();
            p
        };
        let dead_empty = dir(format!(".q.partial-{dead}-0"));
        // A probe killed before it removed the folders it made inside.
        let dead_probe = dir(format!(".q.partial-{dead}-6"));
        fs::create_dir_all(dead_probe.join("output/q")).unwrap();
        let dead_probe_with_a_file = dir(format!(".q.partial-{dead}-7"));
        fs::create_dir_all(dead_probe_with_a_file.join("output")).unwrap();
        fs::write(dead_probe_with_a_file.join("output/data.csv"), "1").unwrap();
        let dead_marked = dir(format!(".q.old-{dead}-1"));
        fs::write(
            dead_marked.join(manifest::FILE_NAME),
            manifest::Manifest::for_run(Path::new("m.json"), "q", 1).to_json(),
        )
        .unwrap();
        // Killed while writing the manifest.
        let dead_cut_short = dir(format!(".q.partial-{dead}-5"));
        fs::write(dead_cut_short.join(manifest::FILE_NAME), "").unwrap();
        fs::write(dead_cut_short.join("summary.json"), "{").unwrap();
        let dead_foreign = dir(format!(".q.partial-{dead}-2"));
        fs::write(dead_foreign.join("notes.txt"), "mine").unwrap();
        let live_empty = dir(format!(".q.partial-{live}-3"));
        let other_target = dir(format!(".r.partial-{dead}-4"));

        // Just made: too young to remove, whichever process they name.
        assert_eq!(remove_stale(tmp.path(), OsStr::new("q")), 0);
        let later = SystemTime::now() + MIN_AGE + Duration::from_secs(1);
        assert_eq!(remove_stale_at(tmp.path(), OsStr::new("q"), later), 4);
        assert!(!dead_empty.exists() && !dead_marked.exists() && !dead_cut_short.exists());
        assert!(!dead_probe.exists());
        assert!(
            dead_probe_with_a_file.join("output/data.csv").exists(),
            "holds a file"
        );
        assert!(dead_foreign.join("notes.txt").exists(), "not albsim's");
        assert!(live_empty.exists(), "a live run's folder");
        assert!(other_target.exists(), "another output folder's");
    }

    // See: issue 7, defect 5
    #[cfg(target_os = "linux")]
    #[test]
    fn a_young_folder_of_a_process_missing_here_is_kept() {
        // A run in another container sharing the folder: its process id is not in this /proc.
        let tmp = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let writing = tmp.path().join(format!(".q.partial-{dead}-0"));
        fs::create_dir(&writing).unwrap();
        fs::write(writing.join(manifest::FILE_NAME), "").unwrap();
        let now = SystemTime::now();
        assert_eq!(remove_stale_at(tmp.path(), OsStr::new("q"), now), 0);
        let almost = now + MIN_AGE - Duration::from_secs(5);
        assert_eq!(remove_stale_at(tmp.path(), OsStr::new("q"), almost), 0);
        assert!(writing.join(manifest::FILE_NAME).exists());
        // Untouched for longer than MIN_AGE: left by a run that is gone.
        let old = now + MIN_AGE + Duration::from_secs(5);
        assert_eq!(remove_stale_at(tmp.path(), OsStr::new("q"), old), 1);
        assert!(!writing.exists());
        // A time in the future (clocks that disagree) is not old.
        fs::create_dir(&writing).unwrap();
        let before = now - Duration::from_secs(3600);
        assert_eq!(remove_stale_at(tmp.path(), OsStr::new("q"), before), 0);
    }
}
