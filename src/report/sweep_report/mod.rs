//! The sweep report's content: the grid, the curves, the per-point table, the best points.

use crate::report::document::Document;
use crate::report::folder::{Files, ReportError, read_manifest};
use crate::report::output::Manifest;
use std::path::PathBuf;

/// Everything a sweep report is made of.
#[derive(Debug)]
pub struct SweepFolder {
    /// The folder, as given.
    pub folder: PathBuf,
    /// The sweep's manifest.
    pub manifest: Manifest,
}

/// Reads a sweep's folder.
pub fn read(files: &dyn Files) -> Result<SweepFolder, ReportError> {
    Ok(SweepFolder {
        folder: files.folder().to_path_buf(),
        manifest: read_manifest(files)?,
    })
}

/// The report of a sweep.
pub fn build(f: &SweepFolder) -> Document {
    Document {
        title: f.manifest.model.clone(),
        ..Document::default()
    }
}
