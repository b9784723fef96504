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

/// The `Software` text chunk of every PNG albsim writes, so `albsim report --out` knows which
/// existing images are its own (and may be replaced).
pub const SOFTWARE_TAG: &str = "albsim report plot";

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
            let image = png::svg_to_png(&f.svg, PNG_SCALE)?;
            out.push((naming.image(f), tagged(image)));
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

/// `png` with a `tEXt` chunk `Software: albsim report plot` right after its header chunk.
fn tagged(png: Vec<u8>) -> Vec<u8> {
    // Signature (8 bytes), then IHDR: length (4), type (4), 13 bytes of data, CRC (4).
    const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    if png.len() < AFTER_IHDR || &png[12..16] != b"IHDR" {
        return png;
    }
    let mut chunk_data = b"Software\0".to_vec();
    chunk_data.extend_from_slice(SOFTWARE_TAG.as_bytes());
    let mut typed = b"tEXt".to_vec();
    typed.extend_from_slice(&chunk_data);
    let mut out = Vec::with_capacity(png.len() + typed.len() + 8);
    out.extend_from_slice(&png[..AFTER_IHDR]);
    out.extend_from_slice(&(chunk_data.len() as u32).to_be_bytes());
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out.extend_from_slice(&png[AFTER_IHDR..]);
    out
}

/// CRC-32 (ISO 3309, as PNG chunks use it), bit by bit: a few bytes per image.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CRC of PNG's own example: the IEND chunk's type has CRC AE 42 60 82.
    #[test]
    fn crc_matches_png() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    /// The tag sits after the header, and the image still decodes (the renderer reads it back).
    #[test]
    fn tagged_images_stay_valid_pngs() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"red\"/></svg>";
        let png = tagged(png::svg_to_png(svg, 1.0).expect("renders"));
        assert_eq!(&png[37..41], b"tEXt");
        assert!(
            png.windows(SOFTWARE_TAG.len())
                .any(|w| w == SOFTWARE_TAG.as_bytes())
        );
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).expect("still a PNG");
        assert_eq!((pixmap.width(), pixmap.height()), (20, 10));
    }
}
