//! `albsim report`: the report of a run's or a sweep's output folder, written into the folder
//! (or beside the file `--out` names); also what `run --report` and `sweep --report` call.

use super::Exit;
use super::args::{ReportArgs, ReportFormat};
use crate::report::folder::{self, Files, InMemory, OnDisk, ReportError};
use crate::report::output::{self, FolderKind, Manifest, manifest};
use crate::report::report_files::{self, Naming, Wanted};
use crate::report::{run_report, sweep_report};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The sweep folder's sub-folder of kept runs (`--keep-runs`).
const RUNS_FOLDER: &str = "runs";

/// Writes the report of the folder `a.folder`.
pub fn report(a: &ReportArgs) -> Result<Exit> {
    let wanted = wanted(Some(a.format), a.png);
    let written = match &a.out {
        None => report_folder(&a.folder, wanted)?,
        Some(out) => report_beside(&a.folder, out, wanted)?,
    };
    if !a.quiet {
        super::print_stdout(&wrote_line(&written))?;
    }
    Ok(Exit::Success)
}

/// What `--format` and `--png` ask for.
pub fn wanted(format: Option<ReportFormat>, png: bool) -> Wanted {
    Wanted {
        html: matches!(format, Some(ReportFormat::Html | ReportFormat::Both)),
        markdown: matches!(format, Some(ReportFormat::Md | ReportFormat::Both)),
        png,
    }
}

/// `wrote output/q/report.html, output/q/timeline.png`.
pub fn wrote_line(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!("wrote {}\n", shown.join(", "))
}

/// The report files of a run's folder read from `files`.
pub fn run_files(
    files: &dyn Files,
    wanted: Wanted,
    naming: Naming<'_>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let run = folder::read_run(files)?;
    let doc = run_report::build(&run);
    Ok(report_files::render(&doc, wanted, naming)?)
}

/// The report files of the run whose files are still in memory (`run --report`, `--png`).
pub fn in_memory_files(
    folder: &Path,
    manifest: &Manifest,
    files: &[(&str, Vec<u8>)],
    wanted: Wanted,
) -> Result<Vec<(String, Vec<u8>)>> {
    run_files(
        &InMemory {
            folder,
            manifest,
            files,
        },
        wanted,
        Naming::InFolder,
    )
}

/// Writes the report into the albsim folder `dir` (a sweep's: also into each kept run's
/// folder, whose reports it links to) and returns the paths written.
pub fn report_folder(dir: &Path, wanted: Wanted) -> Result<Vec<PathBuf>> {
    let disk = OnDisk(dir.to_path_buf());
    let manifest = folder::read_manifest(&disk)?;
    let mut written = Vec::new();
    let files = match manifest.kind {
        FolderKind::Run => run_files(&disk, wanted, Naming::InFolder)?,
        FolderKind::Sweep => {
            for run in kept_runs(dir) {
                let run_files = run_files(&OnDisk(run.clone()), wanted, Naming::InFolder)
                    .with_context(|| format!("the report of the kept run {}", run.display()))?;
                output::add_files(&run, &run_files)?;
            }
            sweep_files(&disk, wanted, Naming::InFolder)?
        }
    };
    output::add_files(dir, &files)?;
    written.extend(files.iter().map(|(name, _)| dir.join(name)));
    Ok(written)
}

/// Writes the report as the file `out` (and its images beside it) and returns the paths written.
fn report_beside(dir: &Path, out: &Path, wanted: Wanted) -> Result<Vec<PathBuf>> {
    let Some(stem) = out
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
    else {
        return Err(refused(out, "expected a file name such as notes/report.html").into());
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(refused(
            out,
            &format!(
                "the folder {} does not exist; create it first",
                parent.display()
            ),
        )
        .into());
    }
    let disk = OnDisk(dir.to_path_buf());
    let manifest = folder::read_manifest(&disk)?;
    let naming = Naming::Beside { stem };
    let files = match manifest.kind {
        FolderKind::Run => run_files(&disk, wanted, naming)?,
        FolderKind::Sweep => sweep_files(&disk, wanted, naming)?,
    };
    // Refuse before writing anything: a file of the user's is never overwritten.
    for (name, _) in &files {
        let path = parent.join(name);
        if path.exists() && !is_albsim_report(&path) {
            return Err(refused(
                &path,
                "exists and is not a report albsim wrote; albsim does not overwrite it: choose another --out",
            )
            .into());
        }
    }
    let mut written = Vec::new();
    for (name, bytes) in &files {
        let path = parent.join(name);
        write_file(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The report files of a sweep's folder.
fn sweep_files(
    files: &dyn Files,
    wanted: Wanted,
    naming: Naming<'_>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let sweep = sweep_report::read(files)?;
    let doc = sweep_report::build(&sweep);
    Ok(report_files::render(&doc, wanted, naming)?)
}

/// The kept run folders of a sweep's folder (`runs/p0003-r01-…` holding an albsim manifest), in
/// name order.
pub fn kept_runs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join(RUNS_FOLDER)) else {
        return Vec::new();
    };
    let mut runs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| manifest::is_albsim_folder(p))
        .collect();
    runs.sort();
    runs
}

/// Whether the existing file at `path` is a report albsim wrote (so `--out` may replace it).
fn is_albsim_report(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    if read.is_err() || !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    head.contains("<meta name=\"generator\" content=\"albsim")
        || head.contains(report_files::SOFTWARE_TAG)
        || read_tail_contains(path, "Written by albsim")
}

/// Whether the last few hundred bytes of `path` contain `needle` (a Markdown report's footer).
fn read_tail_contains(path: &Path, needle: &str) -> bool {
    std::fs::read(path)
        .map(|b| {
            let start = b.len().saturating_sub(512);
            String::from_utf8_lossy(&b[start..]).contains(needle)
        })
        .unwrap_or(false)
}

/// Writes `bytes` as `path`, whole or not at all.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    let temporary = parent.join(format!(
        ".{}.tmp-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}

fn refused(path: &Path, reason: &str) -> ReportError {
    ReportError::Unreadable {
        file: path.to_path_buf(),
        reason: reason.into(),
    }
}
