//! Whole figures: what [`render_svg`] draws from a timeline, and that it never panics.

use super::axes::log_y_range;
use super::figure::{Marker, SeriesStyle, Timeline};
use super::series::runs;
use super::test_support::{example, polylines, series, single_panel};
use super::{figure_height, render_svg};

#[test]
fn renders_three_panels() {
    let t = example();
    let svg = render_svg(&t, 1000, 240).expect("render");
    assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(&format!("height=\"{}\"", figure_height(&t, 1000, 240))));
    for panel in &t.panels {
        assert!(svg.contains(&panel.title), "missing {}", panel.title);
        for s in &panel.series {
            assert!(svg.contains(&s.name), "missing {}", s.name);
        }
    }
    for m in &t.markers {
        assert!(svg.contains(&m.label), "missing {}", m.label);
    }
    assert!(svg.contains("time [min]"));
}

#[test]
fn deterministic() {
    let t = example();
    let a = render_svg(&t, 900, 200).expect("render");
    let b = render_svg(&t.clone(), 900, 200).expect("render");
    assert_eq!(a, b);
}

#[test]
fn gaps_break_the_line() {
    let all_none =
        render_svg(&single_panel(vec![None; 5], SeriesStyle::Line), 600, 200).expect("render");
    let gapped = vec![Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)];
    let with_gap = render_svg(&single_panel(gapped, SeriesStyle::Line), 600, 200).expect("render");
    let zero = vec![Some(1.0), Some(2.0), Some(0.0), Some(3.0), Some(4.0)];
    let no_gap = render_svg(&single_panel(zero, SeriesStyle::Line), 600, 200).expect("render");
    assert_eq!(polylines(&with_gap), polylines(&all_none) + 2);
    assert_eq!(polylines(&no_gap), polylines(&all_none) + 1);
}

#[test]
fn nan_and_inf_are_gaps() {
    let values = vec![
        Some(1.0),
        Some(f64::NAN),
        Some(2.0),
        Some(f64::INFINITY),
        None,
    ];
    assert_eq!(runs(&values, false), vec![0..1, 2..3]);
    let svg = render_svg(&single_panel(values, SeriesStyle::Line), 600, 200).expect("render");
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    // Two isolated points become dots.
    assert_eq!(svg.matches("<circle").count(), 2);
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let cases = vec![
        single_panel(vec![], SeriesStyle::Line),
        single_panel(vec![None, None], SeriesStyle::Area),
        single_panel(vec![Some(7.0)], SeriesStyle::Line),
        single_panel(vec![Some(7.0)], SeriesStyle::Steps),
        single_panel(vec![Some(3.0); 4], SeriesStyle::Area),
        single_panel(vec![Some(0.0); 4], SeriesStyle::Steps),
        single_panel(vec![Some(-2.0), Some(-1.0)], SeriesStyle::Area),
        single_panel(vec![Some(1e300), Some(-1e300)], SeriesStyle::Line),
        Timeline::default(),
    ];
    for t in &cases {
        let svg = render_svg(t, 600, 160).expect("render");
        assert!(svg.starts_with("<svg"));
    }
    let mut empty_panel = single_panel(vec![], SeriesStyle::Line);
    empty_panel.panels[0].series.clear();
    empty_panel.markers.push(Marker {
        x: f64::NAN,
        label: "nan".to_string(),
        color: None,
    });
    let svg = render_svg(&empty_panel, 600, 160).expect("render");
    assert!(svg.contains("no data"));
}

#[test]
fn log_panel_renders() {
    let mut t = single_panel(vec![Some(12.0), Some(0.0), Some(950.0)], SeriesStyle::Line);
    t.panels[0].log_y = true;
    let svg = render_svg(&t, 600, 200).expect("render");
    assert!(svg.contains("\n100\n"), "{svg}");
    assert_eq!(log_y_range([12.0, 950.0].into_iter()), 10.0..1000.0);
}

#[test]
fn a_year_of_periods_renders_small() {
    let n = 527_040;
    let mut t = single_panel(
        (0..n)
            .map(|i| Some(50.0 + 40.0 * (i as f64 / 1440.0).sin()))
            .collect(),
        SeriesStyle::Line,
    );
    t.panels[0].series.push(series(
        "steps",
        SeriesStyle::Steps,
        (0..n).map(|i| Some((i / 10_000) as f64)).collect(),
    ));
    t.panels[0].series.push(series(
        "area",
        SeriesStyle::Area,
        (0..n).map(|i| Some((i % 13) as f64)).collect(),
    ));
    let svg = render_svg(&t, 1000, 240).expect("render");
    assert!(svg.len() < 200_000, "{} bytes", svg.len());
}

/// Writes the example to `target/timeline_example.svg` for eyeballing.
#[test]
#[ignore = "writes a file; run manually to look at the output"]
fn write_example() {
    let svg = render_svg(&example(), 1000, 240).expect("render");
    std::fs::write("target/timeline_example.svg", svg).expect("write");
}

/// The `x` attribute of the SVG `<text>` element whose content is exactly `content`.
fn text_x(svg: &str, content: &str) -> Option<f64> {
    let end = svg.find(&format!(">\n{content}\n</text>"))?;
    let start = svg[..end].rfind("<text")?;
    let tag = &svg[start..end];
    let x = tag.split("x=\"").nth(1)?.split('"').next()?;
    x.parse().ok()
}

/// Every legend entry starts right of the plot area, so no legend text lies over data.
#[test]
fn legends_are_outside_the_plot_area() {
    let t = example();
    let svg = render_svg(&t, 1000, 240).expect("render");
    let layout = super::layout::Layout::new(&t, 1000, 240);
    for s in t.panels.iter().flat_map(|p| &p.series) {
        let x = text_x(&svg, &s.name).unwrap_or_else(|| panic!("{} not in the legend", s.name));
        assert!(
            x > f64::from(layout.plot_right()),
            "{} at {x}, the plot ends at {}",
            s.name,
            layout.plot_right()
        );
    }
}

/// The figure names the bundled font first, and a marker is drawn in its colour, its label in
/// the band above the panels, with the key under the x-axis description.
#[test]
fn markers_are_coloured_and_keyed() {
    let mut t = example();
    t.markers = vec![Marker {
        x: 10.0,
        label: "web-asg desired 2→4".into(),
        color: Some([0x1F, 0x6F, 0xEB]),
    }];
    t.marker_key = vec![super::MarkerKey {
        name: "scaling".into(),
        color: [0x1F, 0x6F, 0xEB],
    }];
    let svg = render_svg(&t, 1000, 240).expect("render");
    assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
    assert!(!svg.contains("font-family=\"sans-serif\""));
    assert!(text_x(&svg, "web-asg desired 2→4").is_some());
    assert!(text_x(&svg, "Markers:").is_some() && text_x(&svg, "scaling").is_some());
    assert!(svg.contains("#1F6FEB"), "the marker's colour is used");
    // The key adds a row at the bottom.
    let mut unkeyed = t.clone();
    unkeyed.marker_key.clear();
    assert!(figure_height(&t, 1000, 240) > figure_height(&unkeyed, 1000, 240));
}

/// The palette reads on white: every colour has a contrast ratio of at least 3:1 (WCAG 2
/// relative luminance).
#[test]
fn palette_has_contrast_on_white() {
    let linear = |c: u8| {
        let v = f64::from(c) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    for c in super::style::PALETTE {
        let l = 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2);
        let ratio = 1.05 / (l + 0.05);
        assert!(ratio >= 3.0, "{c:?}: {ratio:.2}");
    }
}
