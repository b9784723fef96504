//! The files of a report: `report.html`, `report.md` and the PNG images of its plots, made
//! from a run's or a sweep's folder (see [`folder`](super::folder)).

use super::document::{Block, Document, Figure, html, markdown};
use super::png::{self, PngError};

/// Which report files to make.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    /// The HTML page.
    pub html: bool,
    /// The Markdown page (with its plots as PNG files beside it).
    pub markdown: bool,
    /// The plots as PNG files (for slides), with or without a Markdown page.
    pub png: bool,
}

/// How much larger than the SVG a PNG is drawn: sharp on high-density screens and projectors.
pub const PNG_SCALE: f32 = 2.0;

/// Where the report files go, which decides their names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Naming<'a> {
    /// Into the output folder: `report.html`, `report.md`, `timeline.png`.
    InFolder,
    /// Beside the file the user named (`--out notes/qs.html`): `qs.html`, `qs.md`,
    /// `qs-timeline.png`, so nothing of theirs is overwritten by a plot's name.
    Beside {
        /// The file name without its extension (`qs`).
        stem: &'a str,
    },
}

impl Naming<'_> {
    fn page(&self, extension: &str) -> String {
        match self {
            Naming::InFolder => format!("report.{extension}"),
            Naming::Beside { stem } => format!("{stem}.{extension}"),
        }
    }

    fn image(&self, f: &Figure) -> String {
        match self {
            Naming::InFolder => format!("{}.png", f.name),
            Naming::Beside { stem } => format!("{stem}-{}.png", f.name),
        }
    }
}

/// The report files (name, contents) of `doc`, in a fixed order: the HTML page, the Markdown
/// page, then each plot's PNG in the report's order.
pub fn render(
    doc: &Document,
    wanted: Wanted,
    naming: Naming<'_>,
) -> Result<Vec<(String, Vec<u8>)>, PngError> {
    let mut out = Vec::new();
    if wanted.html {
        out.push((naming.page("html"), html::render(doc).into_bytes()));
    }
    if wanted.markdown {
        let text = markdown::render(doc, &|f| naming.image(f));
        out.push((naming.page("md"), text.into_bytes()));
    }
    if wanted.markdown || wanted.png {
        for f in figures(doc) {
            out.push((naming.image(f), png::svg_to_png(&f.svg, PNG_SCALE)?));
        }
    }
    Ok(out)
}

/// The figures of `doc`, in order.
pub fn figures(doc: &Document) -> impl Iterator<Item = &Figure> {
    doc.sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
}
