//! PNG images of the SVG plots, for Markdown reports and slides (`--png`).
//!
//! Rendered from the very SVG the run wrote (no second drawing path) by resvg, with only the
//! font bundled in the binary (`font.rs`): no system font is read, no file or image the SVG might
//! name is loaded, so the same SVG gives the same PNG bytes on every machine. The generic
//! `sans-serif` family, and any family the bundle lacks, renders in the bundled font.

mod font;

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

pub use font::{FONT_FAMILY, SVG_FONT_FAMILY, font_face_css, text_width};

/// Why an SVG could not be turned into a PNG.
#[derive(Debug, thiserror::Error)]
#[error("cannot render the plot as PNG: {0}")]
pub struct PngError(pub String);

/// The largest side, in pixels, of a PNG [`svg_to_png`] makes (a guard against a huge scale).
pub const MAX_SIDE: u32 = 16_384;

/// The PNG image of `svg` at its own size times `scale` (2.0 for sharp slides), on a white
/// background so it reads the same on a dark page.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(PngError(format!("the scale must be above 0, not {scale}")));
    }
    let options = options();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| PngError(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil(),
        (size.height() * scale).ceil(),
    );
    if !(1.0..=MAX_SIDE as f32).contains(&w) || !(1.0..=MAX_SIDE as f32).contains(&h) {
        return Err(PngError(format!(
            "a {w} × {h} pixel image is outside 1 to {MAX_SIDE} pixels a side"
        )));
    }
    let mut pixmap = Pixmap::new(w as u32, h as u32)
        .ok_or_else(|| PngError("no memory for the image".into()))?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| PngError(e.to_string()))
}

/// Parsing options: the bundled font as the default and `sans-serif` family, no images.
fn options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    options.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|_, _, _| None),
        resolve_string: Box::new(|_, _| None),
    };
    options
}

/// The font database: the bundled faces only, loaded once.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(font::REGULAR_TTF.to_vec());
            db.load_font_data(font::BOLD_TTF.to_vec());
            db.set_sans_serif_family(FONT_FAMILY);
            db.set_serif_family(FONT_FAMILY);
            db.set_monospace_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

#[cfg(test)]
mod tests;
