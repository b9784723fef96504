//! The font bundled in the binary: DejaVu Sans, regular and bold, cut to the characters albsim
//! writes (see `font/README.md` for the subset and the command that makes it, `font/LICENSE`).
//!
//! The plots name it first in every `font-family`, the PNG renderer reads no other font, and the
//! HTML report embeds it, so text looks and measures the same in a PNG, a browser and a print.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The family name of the bundled font, as the SVGs and the HTML style sheet name it.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// The `font-family` value the SVGs carry: the bundled family, then the generic fallback.
pub const SVG_FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// DejaVu Sans Book, subset (TrueType).
pub const REGULAR_TTF: &[u8] = include_bytes!("font/DejaVuSans.subset.ttf");

/// DejaVu Sans Bold, subset (TrueType).
pub const BOLD_TTF: &[u8] = include_bytes!("font/DejaVuSans-Bold.subset.ttf");

/// Advance width, in em, of a character the subset lacks (the width of a digit).
const MISSING_EM: f32 = 0.636;

/// Width in pixels of `text` set in the bundled font at `px` pixels (bold when `bold`): the sum
/// of the glyphs' advance widths. The subset has no kerning, so this is the width every renderer
/// draws; a character outside the subset counts as wide as a digit.
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let data = if bold { BOLD_TTF } else { REGULAR_TTF };
    let Ok(font) = FontRef::new(data) else {
        return text.chars().count() as f64 * px * f64::from(MISSING_EM);
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let units_per_em = font
        .metrics(Size::unscaled(), LocationRef::default())
        .units_per_em;
    let em: f32 = text
        .chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .map_or(MISSING_EM, |w| w / f32::from(units_per_em))
        })
        .sum();
    f64::from(em) * px
}

/// The `@font-face` rules that give an HTML page the bundled font, regular and bold, as `data:`
/// URIs (about 60 KB of base64 together), under the family name [`FONT_FAMILY`].
pub fn font_face_css() -> String {
    let mut css = String::with_capacity(64 * 1024);
    for (data, weight) in [(REGULAR_TTF, "normal"), (BOLD_TTF, "bold")] {
        css.push_str("@font-face { font-family: \"");
        css.push_str(FONT_FAMILY);
        css.push_str("\"; font-style: normal; font-weight: ");
        css.push_str(weight);
        css.push_str("; src: url(data:font/ttf;base64,");
        crate::encoding::base64_into(&mut css, data);
        css.push_str(") format(\"truetype\"); }\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_the_fonts_advance_widths() {
        // DejaVu Sans: digits advance 1303 of 2048 units, the space 651; bold digits 1425.
        assert!((text_width("0", 2048.0, false) - 1303.0).abs() < 1e-6);
        assert!((text_width("00 0", 2048.0, false) - (3.0 * 1303.0 + 651.0)).abs() < 1e-6);
        assert!((text_width("0", 2048.0, true) - 1425.0).abs() < 1e-6);
        // Proportional: an "i" is narrower than an "m".
        assert!(text_width("i", 20.0, false) < text_width("m", 20.0, false) / 2.0);
        assert_eq!(text_width("", 20.0, false), 0.0);
    }

    #[test]
    fn the_characters_albsim_writes_are_in_the_subset() {
        let font = FontRef::new(REGULAR_TTF).unwrap();
        let charmap = font.charmap();
        for c in "AZaz09 %µ×–—…→⇒≥≤−·°±λρ".chars() {
            assert!(charmap.map(c).is_some(), "{c:?} is missing from the subset");
        }
    }

    #[test]
    fn font_face_css_embeds_both_faces() {
        let css = font_face_css();
        assert_eq!(css.matches("@font-face").count(), 2);
        assert!(css.contains("font-family: \"DejaVu Sans\""));
        assert!(css.contains("font-weight: bold"));
        // 4 base64 characters per 3 bytes, padded.
        let expected = 4 * REGULAR_TTF.len().div_ceil(3) + 4 * BOLD_TTF.len().div_ceil(3);
        let payload: usize = css
            .split("base64,")
            .skip(1)
            .map(|s| s.find(')').unwrap())
            .sum();
        assert_eq!(payload, expected);
        assert!(css.len() < 120 * 1024);
    }
}
