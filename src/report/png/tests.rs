//! PNG rendering: size, text, determinism.

use super::*;
use resvg::tiny_skia::Pixmap;

/// A 200 × 100 figure: a white background, a blue bar on the left, a line of black text on the
/// right (in the generic family, which must render in the bundled font).
const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<rect width="200" height="100" fill="#ffffff"/>
<rect x="10" y="10" width="40" height="80" fill="#0000ff"/>
<text x="70" y="60" font-family="sans-serif" font-size="20" fill="#000000">Ag 50 %</text>
</svg>"##;

fn decode(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).expect("a valid PNG")
}

/// Count of pixels inside `x0..x1 × y0..y1` darker than mid-grey in every channel.
fn dark_pixels(p: &Pixmap, x0: u32, x1: u32, y0: u32, y1: u32) -> usize {
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let c = p.pixel(x, y).unwrap();
            if c.red() < 128 && c.green() < 128 && c.blue() < 128 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn renders_at_its_size_times_the_scale() {
    let one = decode(&svg_to_png(SVG, 1.0).unwrap());
    assert_eq!((one.width(), one.height()), (200, 100));
    let two = decode(&svg_to_png(SVG, 2.0).unwrap());
    assert_eq!((two.width(), two.height()), (400, 200));
}

#[test]
fn draws_the_shapes_and_the_text() {
    let p = decode(&svg_to_png(SVG, 1.0).unwrap());
    // The bar is solid blue in its middle, the corner is the white background.
    let bar = p.pixel(30, 50).unwrap();
    assert_eq!((bar.red(), bar.green(), bar.blue()), (0, 0, 255));
    let corner = p.pixel(195, 5).unwrap();
    assert_eq!(
        (corner.red(), corner.green(), corner.blue()),
        (255, 255, 255)
    );
    // Text pixels where the text is (baseline 60, 20 px font), none above it.
    let text = dark_pixels(&p, 70, 200, 40, 65);
    assert!(text > 100, "only {text} dark pixels where the text is");
    assert_eq!(dark_pixels(&p, 60, 200, 0, 35), 0);
}

#[test]
fn text_is_as_wide_as_the_font_says() {
    // The rightmost dark pixel of the text ends where its advance widths say, within the
    // side bearing of the last glyph ("%": about 1.5 px at 20 px) and antialiasing.
    let p = decode(&svg_to_png(SVG, 1.0).unwrap());
    let right = (70..200)
        .rev()
        .find(|&x| dark_pixels(&p, x, x + 1, 40, 65) > 0)
        .unwrap();
    let expected = 70.0 + text_width("Ag 50 %", 20.0, false);
    assert!(
        (f64::from(right) - expected).abs() < 4.0,
        "text ends at {right}, the font says {expected:.1}"
    );
}

#[test]
fn same_svg_same_bytes() {
    let a = svg_to_png(SVG, 2.0).unwrap();
    let b = svg_to_png(SVG, 2.0).unwrap();
    assert_eq!(a, b);
    assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn rejects_what_it_cannot_render() {
    assert!(svg_to_png("not an svg", 1.0).is_err());
    assert!(svg_to_png(SVG, 0.0).is_err());
    assert!(svg_to_png(SVG, f32::NAN).is_err());
    assert!(svg_to_png(SVG, 1000.0).is_err());
}

#[test]
fn reads_no_image_the_svg_names() {
    // An <image> pointing at a file is skipped: the picture is the background alone.
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20"><image width="20" height="20" xlink:href="/etc/passwd"/></svg>"##;
    let p = decode(&svg_to_png(svg, 1.0).unwrap());
    assert_eq!(dark_pixels(&p, 0, 20, 0, 20), 0);
}

/// Renders the SVG files listed in `ALBSIM_PNG_FILES` (separated by `:`) to PNG beside them, at
/// scale 1: for looking at the plots (`cargo test --lib png::tests::render_files -- --ignored`).
#[test]
#[ignore = "a tool for looking at plots, not a check"]
fn render_files() {
    let Ok(files) = std::env::var("ALBSIM_PNG_FILES") else {
        return;
    };
    for path in files.split(':').filter(|p| !p.is_empty()) {
        let svg = std::fs::read_to_string(path).unwrap();
        let png = svg_to_png(&svg, 1.0).unwrap();
        std::fs::write(format!("{path}.png"), png).unwrap();
    }
}
