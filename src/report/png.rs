//! PNG images of the SVG plots, for Markdown reports and slides (`--png`).
//!
//! Rendered from the very SVG the run wrote (no second drawing path), with the font bundled in
//! the binary, so a PNG looks the same on every machine.

/// The `Software` text a PNG albsim wrote carries (so `--out` knows it may replace it).
pub const SOFTWARE_TAG: &str = "albsim report plot";

/// Why an SVG could not be turned into a PNG.
#[derive(Debug, thiserror::Error)]
#[error("cannot render the plot as PNG: {0}")]
pub struct PngError(pub String);

/// The PNG image of `svg` at its own size times `scale` (2.0 for sharp slides).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    let _ = (svg, scale);
    Err(PngError("not built yet".into()))
}

/// The `@font-face` rule that gives HTML reports the bundled font (empty until one is bundled).
pub fn font_face_css() -> String {
    String::new()
}
