//! The report as one self-contained HTML page: inline CSS and SVG, no scripts, no fonts or
//! images fetched from anywhere, so it opens offline from a file or an e-mail attachment.
//!
//! It prints cleanly: each section starts a new page, plots and table rows are not cut across
//! pages, and the page size is the printer's (A4 or Letter). The bytes depend only on the
//! [`Document`]: no dates, no generated ids.

use super::{Block, Document, Figure, Inline, LogLine, Mark, Table, Text, TimedEntry};
use std::fmt::Write;

/// The page's style sheet.
const CSS: &str = include_str!("report.css");

/// The HTML page of `doc`.
pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"albsim {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&doc.title));
    out.push_str("<style>\n");
    out.push_str(&crate::report::png::font_face_css());
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<header>\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    if let Some(lead) = &doc.lead {
        let _ = writeln!(out, "<p class=\"lead\">{}</p>", text(lead));
    }
    if doc.sections.len() > 1 {
        out.push_str("<nav aria-label=\"Contents\"><ol>\n");
        for s in &doc.sections {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                attr(&s.id),
                escape(&s.title)
            );
        }
        out.push_str("</ol></nav>\n");
    }
    out.push_str("</header>\n<main>\n");
    for s in &doc.sections {
        let _ = writeln!(out, "<section id=\"{}\">", attr(&s.id));
        let _ = writeln!(out, "<h2>{}</h2>", escape(&s.title));
        for b in &s.blocks {
            block(&mut out, b);
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "</main>\n<footer><p>Written by albsim {}, a deterministic simulator of AWS Application Load Balancer and EC2 Auto Scaling behaviour.</p></footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Heading(h) => {
            let _ = writeln!(out, "<h3>{}</h3>", escape(h));
        }
        Block::Paragraph(t) => {
            let _ = writeln!(out, "<p>{}</p>", text(t));
        }
        Block::Bullets(items) => {
            out.push_str("<ul>\n");
            for t in items {
                let _ = writeln!(out, "<li>{}</li>", text(t));
            }
            out.push_str("</ul>\n");
        }
        Block::Pairs(pairs) => {
            out.push_str("<table class=\"pairs\">\n<tbody>\n");
            for (k, v) in pairs {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                    escape(k),
                    text(v)
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        Block::Table(t) => table(out, t),
        Block::Figure(f) => figure(out, f),
        Block::Code(c) => {
            let _ = writeln!(out, "<pre class=\"code\"><code>{}</code></pre>", escape(c));
        }
        Block::Log(lines) => log(out, lines),
        Block::Timeline(entries) => narrative(out, entries),
    }
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<div class=\"table\">\n<table>\n<thead>\n<tr>");
    for (h, &num) in t.header.iter().zip(&t.numeric) {
        let class = if num { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape(h));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for (k, row) in t.rows.iter().enumerate() {
        match t.row_ids.get(k).and_then(Option::as_ref) {
            Some(id) => {
                let _ = write!(out, "<tr id=\"{}\">", attr(id));
            }
            None => out.push_str("<tr>"),
        }
        for (c, cell) in row.iter().enumerate() {
            let class = if t.numeric.get(c).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", text(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

fn figure(out: &mut String, f: &Figure) {
    let _ = writeln!(
        out,
        "<figure id=\"figure-{}\">\n<div class=\"plot\">",
        attr(&f.name)
    );
    out.push_str(&inline_svg(&f.svg, &f.caption));
    let _ = writeln!(
        out,
        "</div>\n<figcaption>{}</figcaption>\n</figure>",
        escape(&f.caption)
    );
}

fn log(out: &mut String, lines: &[LogLine]) {
    out.push_str("<pre class=\"log\">");
    for l in lines {
        match l.mark {
            Some(m) => {
                let _ = writeln!(
                    out,
                    "<mark class=\"{}\">{}</mark>",
                    mark_class(m),
                    escape(&l.text)
                );
            }
            None => {
                let _ = writeln!(out, "{}", escape(&l.text));
            }
        }
    }
    out.push_str("</pre>\n");
}

fn narrative(out: &mut String, entries: &[TimedEntry]) {
    out.push_str("<ol class=\"narrative\">\n");
    for e in entries {
        let _ = writeln!(
            out,
            "<li class=\"{}\"><span class=\"when\">{}</span> <span class=\"tag\">{}</span> {}</li>",
            mark_class(e.mark),
            escape(&e.when),
            e.mark.word(),
            text(&e.text)
        );
    }
    out.push_str("</ol>\n");
}

/// The CSS class of a mark's colour.
fn mark_class(m: Mark) -> &'static str {
    match m {
        Mark::Scaling => "m-scaling",
        Mark::Policy => "m-policy",
        Mark::Alarm => "m-alarm",
        Mark::Health => "m-health",
        Mark::Fault => "m-fault",
        Mark::Queue => "m-queue",
    }
}

fn text(t: &Text) -> String {
    let mut out = String::new();
    for i in &t.0 {
        match i {
            Inline::Plain(s) => out.push_str(&escape(s)),
            Inline::Strong(s) => {
                let _ = write!(out, "<strong>{}</strong>", escape(s));
            }
            Inline::Code(s) => {
                let _ = write!(out, "<code>{}</code>", escape(s));
            }
            Inline::Link { text, href } => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", attr(href), escape(text));
            }
        }
    }
    out
}

/// The SVG document `svg` as an element of the page: without its XML declaration or doctype,
/// with a `viewBox` (so it scales to the page's width) and an accessible name.
fn inline_svg(svg: &str, label: &str) -> String {
    let mut s = svg.trim();
    if s.starts_with("<?xml") {
        s = s.split_once("?>").map_or(s, |(_, rest)| rest.trim_start());
    }
    if s.starts_with("<!DOCTYPE") {
        s = s.split_once('>').map_or(s, |(_, rest)| rest.trim_start());
    }
    let Some(open_end) = s.find('>') else {
        return String::new();
    };
    let (open, rest) = s.split_at(open_end);
    let mut tag = open.to_string();
    if !tag.contains("viewBox") {
        if let (Some(w), Some(h)) = (attribute(&tag, "width"), attribute(&tag, "height")) {
            tag.push_str(&format!(" viewBox=\"0 0 {w} {h}\""));
        }
    }
    tag.push_str(&format!(" role=\"img\" aria-label=\"{}\"", attr(label)));
    format!("{tag}{rest}\n")
}

/// The value of `name="…"` in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!(" {name}=\"");
    let start = tag.find(&pattern)? + pattern.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Text as HTML character data.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text as an attribute value (inside double quotes).
fn attr(s: &str) -> String {
    escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::document::Section;

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            title: "t <&>".into(),
            lead: Some(Text::plain("lead")),
            sections: vec![
                Section {
                    id: "a".into(),
                    title: "A".into(),
                    blocks,
                },
                Section {
                    id: "b".into(),
                    title: "B".into(),
                    blocks: vec![],
                },
            ],
        }
    }

    /// Text is escaped everywhere; the page has no scripts and no external references.
    #[test]
    fn text_is_escaped_and_nothing_is_fetched() {
        let page = render(&doc(vec![
            Block::Paragraph(Text::plain("a < b & \"c\"").and_code("<x>")),
            Block::Code("albsim run 'a b'".into()),
        ]));
        assert!(page.contains("<title>t &lt;&amp;&gt;</title>"));
        assert!(page.contains("<p>a &lt; b &amp; &quot;c&quot;<code>&lt;x&gt;</code></p>"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.contains("<nav aria-label=\"Contents\">"));
        assert!(page.contains("<section id=\"a\">\n<h2>A</h2>"));
    }

    /// A plot is inlined without its XML declaration, scalable, with an accessible name.
    #[test]
    fn svg_is_inlined_with_a_view_box() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"1000\" height=\"600\" xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n";
        let page = render(&doc(vec![Block::Figure(Figure {
            name: "timeline".into(),
            svg: svg.into(),
            caption: "The run".into(),
        })]));
        assert!(!page.contains("<?xml"));
        assert!(page.contains(
            "<svg width=\"1000\" height=\"600\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 600\" role=\"img\" aria-label=\"The run\"><rect/></svg>"
        ));
        assert!(page.contains("<figure id=\"figure-timeline\">"));
    }

    /// Marked log lines and narrative entries carry their mark's class.
    #[test]
    fn marks_become_classes() {
        let page = render(&doc(vec![
            Block::Log(vec![
                LogLine {
                    text: "0:00 a".into(),
                    mark: None,
                },
                LogLine {
                    text: "0:01 b".into(),
                    mark: Some(Mark::Alarm),
                },
            ]),
            Block::Timeline(vec![TimedEntry {
                when: "0:20".into(),
                mark: Mark::Scaling,
                text: Text::plain("desired 2 → 3"),
            }]),
        ]));
        assert!(
            page.contains(
                "<pre class=\"log\">0:00 a\n<mark class=\"m-alarm\">0:01 b</mark>\n</pre>"
            )
        );
        assert!(page.contains("<li class=\"m-scaling\"><span class=\"when\">0:20</span> <span class=\"tag\">scaling</span> desired 2 → 3</li>"));
    }

    /// Table rows keep their anchors; numeric columns are marked.
    #[test]
    fn tables_have_anchors_and_numeric_columns() {
        let mut t = Table::new(&["point", "p99 [ms]"], &[false, true]);
        t.row_with_id("point-0", vec![Text::plain("0"), Text::plain("12.5")]);
        let page = render(&doc(vec![Block::Table(t)]));
        assert!(page.contains("<tr id=\"point-0\"><td>0</td><td class=\"num\">12.5</td></tr>"));
        assert!(page.contains("<th scope=\"col\" class=\"num\">p99 [ms]</th>"));
    }

    /// Same document, same bytes.
    #[test]
    fn rendering_is_deterministic() {
        let d = doc(vec![Block::Bullets(vec![Text::plain("x")])]);
        assert_eq!(render(&d), render(&d));
    }
}
