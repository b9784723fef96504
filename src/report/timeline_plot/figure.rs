//! What a figure shows: panels of series over a shared x axis, and markers across them.

/// A complete figure: panels stacked vertically over a shared x axis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// Figure title, centred above all panels.
    pub title: String,
    /// Description of the shared x axis, shown once below the last panel
    /// (e.g. `"time [min]"`).
    pub x_label: String,
    /// Start of each period, in the x unit; strictly increasing and finite.
    /// Every non-empty [`Series::values`] must have the same length.
    pub x: Vec<f64>,
    /// Panels, drawn top to bottom.
    pub panels: Vec<Panel>,
    /// Vertical markers drawn across all panels (order does not matter).
    pub markers: Vec<Marker>,
    /// What the markers' colours mean, shown under the x-axis description when markers are
    /// drawn; empty for no key.
    pub marker_key: Vec<MarkerKey>,
}

/// One entry of the markers' key: a colour and what it stands for (`scaling`, `alarm`, …).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MarkerKey {
    /// What the colour means.
    pub name: String,
    /// The markers' colour as `[r, g, b]`.
    pub color: [u8; 3],
}

/// One plot with its own y axis, title and legend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// Title shown above the panel's plot area.
    pub title: String,
    /// Description of the y axis, including the unit (e.g. `"latency \[ms\]"`).
    pub y_label: String,
    /// Series drawn in this panel; colours cycle through a fixed palette
    /// unless [`Series::color`] is set.
    pub series: Vec<Series>,
    /// Start the y axis at zero (ignored when `log_y` is set).
    pub y_min_zero: bool,
    /// Use a base-10 logarithmic y axis; values `<= 0` are treated as missing
    /// and the axis is widened to whole decades.
    pub log_y: bool,
}

/// One named sequence of values, aligned with [`Timeline::x`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Name shown in the panel legend.
    pub name: String,
    /// One value per period; `None` (or a non-finite value) means "no
    /// datapoint" and leaves a gap. An empty vector means "no data at all".
    pub values: Vec<Option<f64>>,
    /// How the values are drawn.
    pub style: SeriesStyle,
    /// Explicit colour as `[r, g, b]`; `None` picks the next palette colour.
    pub color: Option<[u8; 3]>,
}

/// How a [`Series`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesStyle {
    /// Straight segments between consecutive datapoints; an isolated
    /// datapoint is drawn as a dot.
    #[default]
    Line,
    /// Like [`SeriesStyle::Line`], with the area down to zero (or the bottom
    /// of the axis, if zero is not visible) filled semi-transparently.
    Area,
    /// Each value is held from its period start to the next period start
    /// (suits counts such as desired capacity). The last period extends by
    /// the last period length, which widens the shared x range.
    Steps,
    /// Like [`SeriesStyle::Steps`], dashed: a second count in the colour of a first one (a
    /// target group's unhealthy targets beside its healthy ones).
    DashedSteps,
}

/// A vertical dashed line across all panels with a short label at the top, in its colour.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marker {
    /// Position in the x unit; markers outside the x range are not drawn.
    pub x: f64,
    /// Short label (a few words); long labels are truncated.
    pub label: String,
    /// Colour of the line and the label as `[r, g, b]`; `None` for dark grey.
    pub color: Option<[u8; 3]>,
}
