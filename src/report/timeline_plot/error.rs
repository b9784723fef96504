//! Why a timeline cannot be rendered, and the checks that say so before drawing starts.

use std::fmt;

use super::figure::Timeline;
use super::figure_height;

/// Why a timeline could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum PlotError {
    /// The requested size is too small to lay out the figure, or the figure
    /// would exceed [`MAX_SIZE`].
    InvalidSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height of one panel in pixels.
        height_per_panel: u32,
    },
    /// [`Timeline::x`] is not finite and strictly increasing.
    InvalidX(String),
    /// A series has a different number of values than [`Timeline::x`].
    LengthMismatch {
        /// Title of the panel holding the series.
        panel: String,
        /// Name of the offending series.
        series: String,
        /// `Timeline::x.len()`.
        expected: usize,
        /// `Series::values.len()`.
        got: usize,
    },
    /// The plotting library reported an error.
    Drawing(String),
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSize {
                width,
                height_per_panel,
            } => write!(
                f,
                "plot size {width} wide, {height_per_panel} per panel is out of range \
                 (width >= {MIN_WIDTH}, height per panel >= {MIN_PANEL_HEIGHT}, \
                 figure at most {MAX_SIZE} pixels either way)"
            ),
            Self::InvalidX(why) => write!(f, "invalid x values: {why}"),
            Self::LengthMismatch {
                panel,
                series,
                expected,
                got,
            } => write!(
                f,
                "series \"{series}\" in panel \"{panel}\" has {got} values, expected {expected}"
            ),
            Self::Drawing(msg) => write!(f, "drawing failed: {msg}"),
        }
    }
}

impl std::error::Error for PlotError {}

/// Smallest accepted figure width in pixels.
pub const MIN_WIDTH: u32 = 320;
/// Smallest accepted panel height in pixels.
pub const MIN_PANEL_HEIGHT: u32 = 120;
/// Largest accepted figure width or total height in pixels.
pub const MAX_SIZE: u32 = 32_768;

pub(super) fn validate(t: &Timeline, width: u32, height_per_panel: u32) -> Result<(), PlotError> {
    let height = figure_height(t, width, height_per_panel);
    if width < MIN_WIDTH
        || height_per_panel < MIN_PANEL_HEIGHT
        || width > MAX_SIZE
        || height > MAX_SIZE
    {
        return Err(PlotError::InvalidSize {
            width,
            height_per_panel,
        });
    }
    if let Some(i) = t.x.iter().position(|v| !v.is_finite()) {
        return Err(PlotError::InvalidX(format!("x[{i}] is not finite")));
    }
    if let Some(i) = t.x.windows(2).position(|w| w[1] <= w[0]) {
        return Err(PlotError::InvalidX(format!(
            "x[{}] = {} does not increase from x[{i}] = {}",
            i + 1,
            t.x[i + 1],
            t.x[i]
        )));
    }
    for panel in &t.panels {
        for s in &panel.series {
            if !s.values.is_empty() && s.values.len() != t.x.len() {
                return Err(PlotError::LengthMismatch {
                    panel: panel.title.clone(),
                    series: s.name.clone(),
                    expected: t.x.len(),
                    got: s.values.len(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::timeline_plot::figure::SeriesStyle;
    use crate::report::timeline_plot::render_svg;
    use crate::report::timeline_plot::test_support::single_panel;

    #[test]
    fn errors_instead_of_panics() {
        let t = single_panel(vec![Some(1.0); 3], SeriesStyle::Line);
        assert!(matches!(
            render_svg(&t, 10, 10),
            Err(PlotError::InvalidSize { .. })
        ));
        assert!(matches!(
            render_svg(&t, MAX_SIZE + 1, 200),
            Err(PlotError::InvalidSize { .. })
        ));
        let err = render_svg(&t, 100, 200).unwrap_err().to_string();
        assert!(err.contains("out of range"), "{err}");
        assert!(figure_height(&t, 0, 0) > 0);
        let mut bad_len = t.clone();
        bad_len.x.push(3.0);
        assert!(matches!(
            render_svg(&bad_len, 600, 200),
            Err(PlotError::LengthMismatch {
                expected: 4,
                got: 3,
                ..
            })
        ));
        let mut bad_x = t.clone();
        bad_x.x[1] = 0.0;
        let err = render_svg(&bad_x, 600, 200).unwrap_err();
        assert!(err.to_string().contains("does not increase"), "{err}");
    }
}
