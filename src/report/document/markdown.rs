//! The report as Markdown (CommonMark with GitHub's pipe tables), for GitHub/GitLab pages and
//! wikis; its plots are PNG files beside it, referred to by relative name.
//!
//! Plain text is escaped so that it reads as written; the activity history is a fenced code
//! block whose marked lines start with `*` in a gutter (Markdown has no highlighting inside code).

use super::{Block, Document, Figure, Inline, LogLine, Table, Text, TimedEntry};
use std::fmt::Write;

/// The Markdown text of `doc`; `image` names the PNG file of each figure, relative to the
/// Markdown file.
pub fn render(doc: &Document, image: &dyn Fn(&Figure) -> String) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = writeln!(out, "# {}\n", escape(&doc.title));
    if let Some(lead) = &doc.lead {
        let _ = writeln!(out, "{}\n", text(lead));
    }
    if doc.sections.len() > 1 {
        let links: Vec<String> = doc
            .sections
            .iter()
            .map(|s| format!("[{}](#{})", escape(&s.title), s.id))
            .collect();
        let _ = writeln!(out, "Contents: {}\n", links.join(" · "));
    }
    for s in &doc.sections {
        // The anchor is explicit: a renderer's own heading ids differ between sites.
        let _ = writeln!(out, "<a id=\"{}\"></a>\n", s.id);
        let _ = writeln!(out, "## {}\n", escape(&s.title));
        for b in &s.blocks {
            block(&mut out, b, image);
        }
    }
    let _ = writeln!(
        out,
        "---\n\nWritten by albsim {}, a deterministic simulator of AWS Application Load Balancer and EC2 Auto Scaling behaviour.",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn block(out: &mut String, b: &Block, image: &dyn Fn(&Figure) -> String) {
    match b {
        Block::Heading(h) => {
            let _ = writeln!(out, "### {}\n", escape(h));
        }
        Block::Paragraph(t) => {
            let _ = writeln!(out, "{}\n", text(t));
        }
        Block::Bullets(items) => {
            for t in items {
                let _ = writeln!(out, "- {}", text(t));
            }
            out.push('\n');
        }
        Block::Pairs(pairs) => {
            out.push_str("| setting | value |\n| --- | --- |\n");
            for (k, v) in pairs {
                let _ = writeln!(out, "| {} | {} |", cell(&escape(k)), cell(&text(v)));
            }
            out.push('\n');
        }
        Block::Table(t) => table(out, t),
        Block::Figure(f) => {
            let _ = writeln!(
                out,
                "<a id=\"figure-{}\"></a>\n\n![{}]({})\n\n*{}*\n",
                f.name,
                escape(&f.caption),
                image(f),
                escape(&f.caption)
            );
        }
        Block::Code(c) => fenced(out, "sh", c.lines().map(str::to_string)),
        Block::Log(lines) => log(out, lines),
        Block::Timeline(entries) => narrative(out, entries),
    }
}

fn table(out: &mut String, t: &Table) {
    let head: Vec<String> = t.header.iter().map(|h| cell(&escape(h))).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for (k, row) in t.rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|c| cell(&text(c))).collect();
        if let (Some(Some(id)), Some(first)) = (t.row_ids.get(k), cells.first_mut()) {
            *first = format!("<a id=\"{id}\"></a>{first}");
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn log(out: &mut String, lines: &[LogLine]) {
    let gutter = lines.iter().any(|l| l.mark.is_some());
    fenced(
        out,
        "text",
        lines.iter().map(|l| match (gutter, l.mark) {
            (false, _) => l.text.clone(),
            (true, Some(_)) => format!("* {}", l.text),
            (true, None) => format!("  {}", l.text),
        }),
    );
}

fn narrative(out: &mut String, entries: &[TimedEntry]) {
    for e in entries {
        let _ = writeln!(
            out,
            "- **{}** *{}* {}",
            escape(&e.when),
            e.mark.word(),
            text(&e.text)
        );
    }
    out.push('\n');
}

/// A fenced code block that no line of `lines` can close early.
fn fenced(out: &mut String, info: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    let longest = lines.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let _ = writeln!(out, "{fence}{info}");
    for l in &lines {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(out, "{fence}\n");
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn text(t: &Text) -> String {
    let mut out = String::new();
    for i in &t.0 {
        match i {
            Inline::Plain(s) => out.push_str(&escape(s)),
            Inline::Strong(s) => {
                let _ = write!(out, "**{}**", escape(s));
            }
            Inline::Code(s) => out.push_str(&code(s)),
            Inline::Link { text, href } => {
                let _ = write!(
                    out,
                    "[{}](<{}>)",
                    escape(text),
                    href.replace(['<', '>'], "")
                );
            }
        }
    }
    out
}

/// Inline code that shows `s` exactly (a longer backtick fence when `s` holds backticks).
fn code(s: &str) -> String {
    let n = longest_run(s, '`');
    if n == 0 {
        return format!("`{s}`");
    }
    let fence = "`".repeat(n + 1);
    format!("{fence} {s} {fence}")
}

/// A table cell: pipes escaped (GitHub's tables split at any unescaped pipe, even in code), one
/// line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Plain text that CommonMark reads as written: the punctuation that would mean something is
/// escaped, the rest left as is so the file stays readable (`|` only matters in tables: `cell`
/// escapes it; `>` and `#` only at the start of a block; `&` only before what could be an entity).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let special = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => true,
            '>' | '#' | '+' | '-' => first,
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
        first = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::document::{Mark, Section};

    fn one(blocks: Vec<Block>) -> String {
        let d = Document {
            title: "m".into(),
            lead: None,
            sections: vec![Section {
                id: "s".into(),
                title: "S".into(),
                blocks,
            }],
        };
        render(&d, &|f| format!("{}.png", f.name))
    }

    #[test]
    fn punctuation_reads_as_written() {
        assert_eq!(
            escape("a*b_c [x] <y> #1 | 2 > 1 & &amp;"),
            "a\\*b\\_c \\[x\\] \\<y> #1 | 2 > 1 & \\&amp;"
        );
        assert_eq!(escape("> quote"), "\\> quote");
        assert_eq!(escape("# heading"), "\\# heading");
        assert_eq!(code("a`b"), "`` a`b ``");
    }

    #[test]
    fn figures_are_images_beside_the_file() {
        let md = one(vec![Block::Figure(Figure {
            name: "timeline".into(),
            svg: "<svg/>".into(),
            caption: "The run".into(),
        })]);
        assert!(md.contains("![The run](timeline.png)"), "{md}");
    }

    #[test]
    fn marked_log_lines_get_a_gutter_and_fences_hold() {
        let md = one(vec![Block::Log(vec![
            LogLine {
                text: "a ```".into(),
                mark: None,
            },
            LogLine {
                text: "b".into(),
                mark: Some(Mark::Health),
            },
        ])]);
        assert!(md.contains("````text\n  a ```\n* b\n````\n"), "{md}");
    }

    #[test]
    fn tables_escape_pipes_and_align_numbers() {
        let mut t = Table::new(&["rule", "n"], &[false, true]);
        t.row_with_id("r-1", vec![Text::plain("a|b"), Text::plain("3")]);
        let md = one(vec![Block::Table(t)]);
        assert!(
            md.contains("| rule | n |\n| --- | ---: |\n| <a id=\"r-1\"></a>a\\|b | 3 |"),
            "{md}"
        );
    }
}
