//! The content of a report, written once and rendered twice: as one self-contained HTML page
//! ([`html`]) and as Markdown with PNG plots beside it ([`markdown`]).
//!
//! A [`Document`] is a title and [`Section`]s of [`Block`]s: paragraphs, lists, tables, figures
//! (an SVG plot, inlined in HTML, a PNG file in Markdown), preformatted text and the activity
//! history with its important lines marked. The builders (`run_report`, `sweep_report`) decide
//! what a report says; the writers only decide how it looks, so the two formats never differ in
//! content. Every string here is plain text: the writers escape it for their format.

pub mod html;
pub mod markdown;

/// A report: a title, a lead paragraph and its sections, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The page title (`<title>`, the `#` heading).
    pub title: String,
    /// Text under the title (what the model shows), if any.
    pub lead: Option<Text>,
    /// The sections, each on its own page when printed.
    pub sections: Vec<Section>,
}

/// One section: a heading with an anchor, and its blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// The anchor (`#timeline`): lowercase letters, digits and `-`.
    pub id: String,
    /// The heading.
    pub title: String,
    /// The content, in order.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A sub-heading inside a section.
    Heading(String),
    /// A paragraph.
    Paragraph(Text),
    /// A bulleted list.
    Bullets(Vec<Text>),
    /// Terms and their values (`HealthCheckPath` → `/health`), as a two-column table.
    Pairs(Vec<(String, Text)>),
    /// A table.
    Table(Table),
    /// A plot.
    Figure(Figure),
    /// Preformatted text (a command to copy).
    Code(String),
    /// Log lines (the activity history), some marked as important.
    Log(Vec<LogLine>),
    /// Timed entries of the narrative ("0:20 … ⇒ desired 2 → 3"), each marked by its kind.
    Timeline(Vec<TimedEntry>),
}

/// Inline text: runs of plain, bold, code and linked text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text(pub Vec<Inline>);

/// One run of inline text.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Plain text.
    Plain(String),
    /// Bold text.
    Strong(String),
    /// Code: a path, a command, an AWS name.
    Code(String),
    /// A link to an anchor (`#point-3`) or a relative file (`runs/p0003-r00-…/report.html`).
    Link {
        /// What the reader sees.
        text: String,
        /// Where it goes (never an absolute URL: the report is self-contained).
        href: String,
    },
}

/// A table: a header row and body rows of the same length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// The rows.
    pub rows: Vec<Vec<Text>>,
    /// An anchor per row (`point-3`), or none.
    pub row_ids: Vec<Option<String>>,
}

/// A plot: its SVG (inlined in HTML) and the PNG file name Markdown refers to.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The file stem of its PNG (`timeline` ⇒ `timeline.png`) and its anchor.
    pub name: String,
    /// The SVG document, as the run or sweep wrote it.
    pub svg: String,
    /// A sentence under the plot saying what it shows.
    pub caption: String,
}

/// A line of the activity history.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// The line as `activity.log` has it.
    pub text: String,
    /// Set for the lines a reader should see first.
    pub mark: Option<Mark>,
}

/// What kind of thing an important line or narrative entry is about (its colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// An Auto Scaling activity: launch, termination, desired capacity change.
    Scaling,
    /// Why a scaling policy did not act.
    Policy,
    /// A CloudWatch alarm changed state.
    Alarm,
    /// A target's health changed, or a target group failed open.
    Health,
    /// An injected fault.
    Fault,
    /// Something at an SQS queue (redelivery, dead-letter move, throttling).
    Queue,
}

impl Mark {
    /// Every mark, in the order a legend lists them.
    pub const ALL: [Mark; 6] = [
        Mark::Scaling,
        Mark::Policy,
        Mark::Alarm,
        Mark::Health,
        Mark::Fault,
        Mark::Queue,
    ];

    /// The word a reader sees (legend, Markdown prefix).
    pub fn word(self) -> &'static str {
        match self {
            Mark::Scaling => "scaling",
            Mark::Policy => "policy",
            Mark::Alarm => "alarm",
            Mark::Health => "health",
            Mark::Fault => "fault",
            Mark::Queue => "queue",
        }
    }
}

/// One entry of the narrative: when (a time or a span), what kind, and the sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedEntry {
    /// `0:20` or `0:35–1:45`.
    pub when: String,
    /// What it is about.
    pub mark: Mark,
    /// What happened and why.
    pub text: Text,
}

impl Text {
    /// Plain text.
    pub fn plain(s: impl Into<String>) -> Text {
        Text(vec![Inline::Plain(s.into())])
    }

    /// Code text (`/health`).
    pub fn code(s: impl Into<String>) -> Text {
        Text(vec![Inline::Code(s.into())])
    }

    /// Appends plain text.
    pub fn and(mut self, s: impl Into<String>) -> Text {
        self.0.push(Inline::Plain(s.into()));
        self
    }

    /// Appends code text.
    pub fn and_code(mut self, s: impl Into<String>) -> Text {
        self.0.push(Inline::Code(s.into()));
        self
    }

    /// Appends bold text.
    pub fn and_strong(mut self, s: impl Into<String>) -> Text {
        self.0.push(Inline::Strong(s.into()));
        self
    }

    /// Appends a link.
    pub fn and_link(mut self, text: impl Into<String>, href: impl Into<String>) -> Text {
        self.0.push(Inline::Link {
            text: text.into(),
            href: href.into(),
        });
        self
    }

    /// The text without formatting.
    pub fn to_plain(&self) -> String {
        self.0
            .iter()
            .map(|i| match i {
                Inline::Plain(s) | Inline::Strong(s) | Inline::Code(s) => s.as_str(),
                Inline::Link { text, .. } => text.as_str(),
            })
            .collect()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::plain(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::plain(s)
    }
}

impl Table {
    /// A table with these headings (columns whose heading is in `numeric` are right-aligned);
    /// rows are pushed with [`row`](Self::row).
    pub fn new(header: &[&str], numeric: &[bool]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            numeric: (0..header.len())
                .map(|i| numeric.get(i).copied().unwrap_or(false))
                .collect(),
            rows: Vec::new(),
            row_ids: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<Text>) {
        debug_assert_eq!(cells.len(), self.header.len(), "a row per column");
        self.rows.push(cells);
        self.row_ids.push(None);
    }

    /// Appends a row with an anchor.
    pub fn row_with_id(&mut self, id: impl Into<String>, cells: Vec<Text>) {
        self.row(cells);
        *self.row_ids.last_mut().expect("just pushed") = Some(id.into());
    }
}
