//! Reading a template's text (YAML or JSON) into a [`Node`] tree.
//!
//! The text goes through saphyr-parser's event API (a YAML 1.2 parser that keeps tags and
//! positions), so JSON reads with the same parser. What comes out:
//!
//! - Short-form tags in their long form, the way CloudFormation and cfn-lint normalise them:
//!   `!Ref X` ⇒ `{"Ref": X}`, `!Condition X` ⇒ `{"Condition": X}`, `!GetAtt a.b` ⇒
//!   `{"Fn::GetAtt": ["a", "b"]}` (split at the first dot; a sequence is kept as written), every
//!   other known intrinsic `!Name v` ⇒ `{"Fn::Name": v}`. Any other local tag is an error.
//! - Plain scalars typed by the YAML 1.2 core schema: `null`/`~`/nothing ⇒ null, `true`/`false`
//!   ⇒ booleans, decimal integers ⇒ integer numbers, decimals ⇒ floating-point numbers
//!   (`0x1F` and `0o17` stay strings). An integer with a
//!   leading zero (`012345678901`, an account id) stays a string, as does an integer too large
//!   for 64 bits and `.inf`/`.nan`, so nothing written is lost. Quoted and block scalars are always
//!   strings; YAML 1.1 words such as `yes`/`on` are strings too.
//! - Mapping keys are scalars taken as written (`80:` is the key `"80"`, as in CloudFormation's
//!   JSON form of the template).
//!
//! Rejected, each with its line:column, as CloudFormation rejects them: anchors and aliases,
//! merge keys (`<<`), the `!!binary`/`!!omap`/`!!pairs`/`!!set`/`!!timestamp` tags, duplicate
//! mapping keys, keys that are not scalars (mappings, sequences, tagged or empty keys), more than
//! one document, and an empty template.

use super::{ImportError, Mark, Node, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, StrInput, Tag};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// The intrinsic functions that have a short-form tag `!Name`, besides `!Ref` and `!Condition`.
pub const SHORT_FORM_FUNCTIONS: &[&str] = &[
    "Base64",
    "Cidr",
    "And",
    "Equals",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
];

/// Reads a template (YAML, or JSON, which is YAML too), short-form tags normalised to long forms.
pub fn load(text: &str, file: &Path) -> Result<Node, ImportError> {
    let mut loader = Loader {
        parser: Parser::new_from_str(text),
        file,
        depth: 0,
    };
    loader.document()
}

/// The parser and the file name its errors carry.
struct Loader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    file: &'a Path,
    /// How many sequences and mappings enclose the current node.
    depth: usize,
}

/// The deepest nesting of sequences and mappings read (real templates stay under 20), so a
/// hostile file cannot exhaust the stack of the recursive reader and evaluator.
pub const MAX_DEPTH: usize = 200;

/// 1-based line:column of a parser position (whose column is 0-based).
fn mark_of(span: &Span) -> Mark {
    Mark {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

impl<'a> Loader<'a> {
    fn error(&self, mark: Mark, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_path_buf(),
            mark: Some(mark),
            context: None,
            message: message.into(),
        }
    }

    fn syntax_error(&self, e: &ScanError) -> ImportError {
        let m = e.marker();
        self.error(
            Mark {
                line: m.line(),
                column: m.col() + 1,
            },
            format!("not valid YAML or JSON: {}", e.info()),
        )
    }

    fn next(&mut self) -> Result<(Event<'a>, Mark), ImportError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => Ok((event, mark_of(&span))),
            Some(Err(e)) => Err(self.syntax_error(&e)),
            None => Err(self.error(Mark::default(), "the template ends unexpectedly")),
        }
    }

    /// The stream: exactly one document.
    fn document(&mut self) -> Result<Node, ImportError> {
        let (first, _) = self.next()?;
        debug_assert!(matches!(first, Event::StreamStart));
        let (start, mark) = self.next()?;
        if matches!(start, Event::StreamEnd) {
            return Err(self.error(
                Mark { line: 1, column: 1 },
                "the template is empty (expected a mapping with a Resources section)",
            ));
        }
        let (event, mark) = match start {
            Event::DocumentStart(_) => self.next()?,
            other => (other, mark),
        };
        let root = self.node(event, mark)?;
        loop {
            match self.next()? {
                (Event::DocumentEnd, _) => {}
                (Event::StreamEnd, _) => return Ok(root),
                (_, mark) => {
                    return Err(self.error(
                        mark,
                        "a second YAML document (after `---`): a template is one document",
                    ));
                }
            }
        }
    }

    /// The node that starts with `event`.
    fn node(&mut self, event: Event<'a>, mark: Mark) -> Result<Node, ImportError> {
        match event {
            Event::Alias(_) => Err(self.error(
                mark,
                "YAML aliases (*name) are not supported by CloudFormation; write the value out",
            )),
            Event::Scalar(text, style, anchor, tag) => {
                self.no_anchor(anchor, mark)?;
                match tag {
                    None => Ok(Node::new(scalar(text, style), mark)),
                    Some(tag) => self.tagged(&tag, mark, |_| {
                        Ok(Node::new(Value::String(text.into_owned()), mark))
                    }),
                }
            }
            Event::SequenceStart(anchor, tag) => {
                self.no_anchor(anchor, mark)?;
                let list = self.sequence(mark)?;
                match tag {
                    None => Ok(list),
                    Some(tag) => self.tagged(&tag, mark, |_| Ok(list)),
                }
            }
            Event::MappingStart(anchor, tag) => {
                self.no_anchor(anchor, mark)?;
                let map = self.mapping(mark)?;
                match tag {
                    None => Ok(map),
                    Some(tag) => self.tagged(&tag, mark, |_| Ok(map)),
                }
            }
            _ => Err(self.error(mark, "unexpected YAML structure")),
        }
    }

    fn no_anchor(&self, anchor: usize, mark: Mark) -> Result<(), ImportError> {
        if anchor == 0 {
            Ok(())
        } else {
            Err(self.error(
                mark,
                "YAML anchors (&name) are not supported by CloudFormation; write the value out",
            ))
        }
    }

    /// A node with `tag`: an intrinsic short form, or a core-schema tag (`!!str`…).
    fn tagged(
        &self,
        tag: &Tag,
        mark: Mark,
        inner: impl FnOnce(&Self) -> Result<Node, ImportError>,
    ) -> Result<Node, ImportError> {
        let node = inner(self)?;
        if tag.is_yaml_core_schema() {
            return self.core_tagged(&tag.suffix, node, mark);
        }
        if tag.handle != "!" {
            return Err(self.error(mark, format!("unknown YAML tag `{tag}`")));
        }
        let name = tag.suffix.as_str();
        let long = match name {
            "Ref" => "Ref".to_string(),
            "Condition" => "Condition".to_string(),
            _ if SHORT_FORM_FUNCTIONS.contains(&name) => format!("Fn::{name}"),
            _ => {
                return Err(self.error(
                    mark,
                    format!(
                        "unknown tag `!{name}`: expected an intrinsic function (!Ref, !Condition, !{})",
                        SHORT_FORM_FUNCTIONS.join(", !")
                    ),
                ));
            }
        };
        let arg = if name == "GetAtt" {
            self.get_att_argument(node)?
        } else {
            node
        };
        Ok(Node::new(Value::Map(vec![(long, arg)]), mark))
    }

    /// `!GetAtt Res.Attr` ⇒ `["Res", "Attr"]` (split at the first dot); a sequence stays.
    fn get_att_argument(&self, node: Node) -> Result<Node, ImportError> {
        match &node.value {
            Value::String(s) => match s.split_once('.') {
                Some((res, attr)) if !res.is_empty() && !attr.is_empty() => Ok(Node::new(
                    Value::List(vec![
                        Node::new(Value::String(res.to_string()), node.mark),
                        Node::new(Value::String(attr.to_string()), node.mark),
                    ]),
                    node.mark,
                )),
                _ => Err(self.error(
                    node.mark,
                    format!("!GetAtt `{s}`: expected LogicalId.Attribute (e.g. MyALB.DNSName)"),
                )),
            },
            _ => Ok(node),
        }
    }

    /// `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`; the rest rejected.
    fn core_tagged(&self, suffix: &str, node: Node, mark: Mark) -> Result<Node, ImportError> {
        let text = node.as_str().map(str::to_string);
        let want_scalar = |what: &str| match &text {
            Some(t) => Ok(t.clone()),
            None => Err(self.error(mark, format!("`!!{suffix}` expects {what}"))),
        };
        match suffix {
            "str" => Ok(Node::new(Value::String(want_scalar("a scalar")?), mark)),
            "int" | "float" => {
                let t = want_scalar("a number")?;
                match scalar(Cow::Borrowed(&t), ScalarStyle::Plain) {
                    v @ Value::Number(_) => Ok(Node::new(v, mark)),
                    _ => Err(self.error(mark, format!("`!!{suffix} {t}`: not a number"))),
                }
            }
            "bool" => {
                let t = want_scalar("true or false")?;
                match scalar(Cow::Borrowed(&t), ScalarStyle::Plain) {
                    v @ Value::Bool(_) => Ok(Node::new(v, mark)),
                    _ => Err(self.error(mark, format!("`!!bool {t}`: expected true or false"))),
                }
            }
            "null" => Ok(Node::new(Value::Null, mark)),
            "map" if matches!(node.value, Value::Map(_)) => Ok(node),
            "seq" if matches!(node.value, Value::List(_)) => Ok(node),
            "binary" | "omap" | "pairs" | "set" | "timestamp" => Err(self.error(
                mark,
                format!("the YAML tag `!!{suffix}` is not supported by CloudFormation"),
            )),
            _ => Err(self.error(mark, format!("unknown or misplaced YAML tag `!!{suffix}`"))),
        }
    }

    fn enter(&mut self, mark: Mark) -> Result<(), ImportError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                mark,
                format!("sequences and mappings nested more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(())
    }

    fn sequence(&mut self, mark: Mark) -> Result<Node, ImportError> {
        self.enter(mark)?;
        let mut items = Vec::new();
        loop {
            let (event, m) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                self.depth -= 1;
                return Ok(Node::new(Value::List(items), mark));
            }
            items.push(self.node(event, m)?);
        }
    }

    fn mapping(&mut self, mark: Mark) -> Result<Node, ImportError> {
        self.enter(mark)?;
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut seen: BTreeMap<String, Mark> = BTreeMap::new();
        loop {
            let (event, key_mark) = self.next()?;
            let key = match event {
                Event::MappingEnd => {
                    self.depth -= 1;
                    return Ok(Node::new(Value::Map(entries), mark));
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.no_anchor(anchor, key_mark)?;
                    if tag.is_some() {
                        return Err(
                            self.error(key_mark, "a tagged mapping key: keys must be plain names")
                        );
                    }
                    if text == "<<" && style == ScalarStyle::Plain {
                        return Err(self.error(
                            key_mark,
                            "YAML merge keys (<<) are not supported by CloudFormation; write the keys out",
                        ));
                    }
                    if text.is_empty() && style == ScalarStyle::Plain {
                        return Err(self.error(key_mark, "an empty mapping key"));
                    }
                    text.into_owned()
                }
                Event::Alias(_) => {
                    return Err(self.error(
                        key_mark,
                        "YAML aliases (*name) are not supported by CloudFormation; write the value out",
                    ));
                }
                _ => {
                    return Err(self.error(
                        key_mark,
                        "a mapping or sequence used as a mapping key: keys must be strings",
                    ));
                }
            };
            if let Some(first) = seen.get(&key) {
                return Err(self.error(
                    key_mark,
                    format!(
                        "duplicate key `{key}` (first at line {}, column {})",
                        first.line, first.column
                    ),
                ));
            }
            let (event, m) = self.next()?;
            let value = self.node(event, m)?;
            seen.insert(key.clone(), key_mark);
            entries.push((key, value));
        }
    }
}

/// An untagged scalar typed by the YAML 1.2 core schema (quoted and block scalars are strings).
fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(text.into_owned());
    }
    let t: &str = &text;
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = integer(t) {
        return Value::Number(n);
    }
    if t.contains(['.', 'e', 'E']) && is_float(t) {
        if let Some(n) = t.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.into_owned())
}

/// `[-+]?[0-9]+` without a leading zero (other than `0` itself), within 64 bits.
fn integer(t: &str) -> Option<serde_json::Number> {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if let Ok(i) = t.parse::<i64>() {
        return Some(i.into());
    }
    t.parse::<u64>().ok().map(Into::into)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the core schema's float, finite).
fn is_float(t: &str) -> bool {
    let b = t.strip_prefix(['-', '+']).unwrap_or(t).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if int_digits > 1 && b[0] == b'0' && b.get(int_digits) != Some(&b'.') {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests;
