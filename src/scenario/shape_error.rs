//! Shape errors (wrong JSON type, unknown key, missing key) in a user's words.
//!
//! serde builds its messages from Rust names (`invalid type: string "x", expected u32`,
//! `unknown field`, `expected struct RawListener`). [`ShapeError`] is the error type of
//! [`super::shape`]'s deserializer, so serde hands it the pieces (what was found, what was
//! expected, which key) and the message is written here, in JSON's and AWS's words:
//! `expected a whole number 0–4294967295, got -1`, `unknown key "atributes"; allowed keys: …`.

use super::FieldError;
use serde::de::{self, Expected, Unexpected};
use std::fmt::{self, Display};

/// Where a shape error happened, as positions in the parsed document (addresses of its
/// `serde_json::Value` nodes), so the next pass can neutralise exactly that spot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Site {
    /// Not known yet (the error has not reached a deserializer that knows its position).
    Unknown,
    /// The value at this node is wrong.
    Value(usize),
    /// The key whose value is this node is not allowed.
    Key(usize),
    /// The object at this node lacks this required key.
    Missing(usize, &'static str),
}

/// A wrong type, unknown key or missing key, with its JSON path once known.
#[derive(Debug)]
pub struct ShapeError {
    pub(crate) path: Option<String>,
    pub(crate) message: String,
    pub(crate) site: Site,
    pub(crate) missing: Option<&'static str>,
}

impl ShapeError {
    pub(crate) fn new(message: impl Into<String>) -> ShapeError {
        ShapeError {
            path: None,
            message: message.into(),
            site: Site::Unknown,
            missing: None,
        }
    }

    /// The error with its path, for the user.
    pub(crate) fn into_field_error(self) -> FieldError {
        FieldError {
            path: self.path.unwrap_or_else(|| "(top level)".into()),
            message: self.message,
        }
    }
}

impl Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ShapeError {}

impl de::Error for ShapeError {
    fn custom<T: Display>(msg: T) -> Self {
        ShapeError::new(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        ShapeError::new(format!(
            "expected {}, got {}",
            expectation(exp),
            unexpected(&unexp)
        ))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::invalid_type(unexp, exp)
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        ShapeError::new(format!("expected {}, got {len} item(s)", expectation(exp)))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        ShapeError::new(one_of(variant, expected))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ShapeError::new(unknown_key(field, expected))
    }

    fn missing_field(field: &'static str) -> Self {
        let mut e = ShapeError::new(format!("missing required key {field:?}"));
        e.missing = Some(field);
        e
    }

    fn duplicate_field(field: &'static str) -> Self {
        ShapeError::new(format!("key {field:?} appears twice"))
    }
}

/// `unknown key "atributes" (did you mean "attributes"?); allowed keys: name, attributes, …`.
pub(crate) fn unknown_key(key: &str, allowed: &[&str]) -> String {
    let dotted: Vec<String> = (allowed.iter())
        .filter(|a| {
            a.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|a| format!("{a:?}"))
        .collect();
    let hint = match (suggestion(key, allowed), dotted.len()) {
        (Some(s), _) => format!(" (did you mean {s:?}?)"),
        (None, 0) => String::new(),
        // `{"idle_timeout": {"timeout_seconds": 30}}`, or `--set attributes.idle_timeout.…`.
        (None, 1) => format!(
            " (did you mean {}? It is one key with dots in its name; in a --set path, write it in double quotes)",
            dotted[0]
        ),
        (None, _) => format!(
            " (did you mean one of {}? Each is one key with dots in its name; in a --set path, write it in double quotes)",
            dotted.join(", ")
        ),
    };
    if allowed.is_empty() {
        format!("unknown key {key:?}{hint}; no keys are allowed here")
    } else {
        format!(
            "unknown key {key:?}{hint}; allowed keys: {}",
            allowed.join(", ")
        )
    }
}

/// `expected one of "poisson", "constant", got "poison" (did you mean "poisson"?)`.
pub(crate) fn one_of(got: &str, allowed: &[&str]) -> String {
    let list: Vec<String> = allowed.iter().map(|v| format!("{v:?}")).collect();
    let hint = suggestion(got, allowed)
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default();
    format!(
        "expected one of {}, got {:?}{hint}",
        list.join(", "),
        shorten(got)
    )
}

/// The allowed word closest to `word`: same letters in another case, the word with a short
/// suffix (`p99` → `p99_ms`), or one edit away (two for long words).
pub(crate) fn suggestion<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = allowed.iter().find(|a| a.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    if let Some(longer) = allowed.iter().find(|a| {
        a.len() > word.len() && a.len() <= word.len() + 3 && a.starts_with(word) && word.len() >= 2
    }) {
        return Some(longer);
    }
    let budget = if word.chars().count() >= 10 { 2 } else { 1 };
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, _)| *d <= budget)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Levenshtein distance (insertions, deletions, substitutions), by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A long string cut to 60 characters, for messages.
pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        let head: String = s.chars().take(57).collect();
        format!("{head}…")
    }
}

/// What was found, in JSON words: `a string "x"`, `-1`, `null`, `an array`, `an object`.
pub(crate) fn unexpected(u: &Unexpected<'_>) -> String {
    match u {
        Unexpected::Bool(b) => b.to_string(),
        Unexpected::Unsigned(n) => n.to_string(),
        Unexpected::Signed(n) => n.to_string(),
        Unexpected::Float(x) => x.to_string(),
        Unexpected::Char(c) => format!("a string {:?}", c.to_string()),
        Unexpected::Str(s) => format!("a string {:?}", shorten(s)),
        Unexpected::Bytes(_) => "bytes".into(),
        Unexpected::Unit | Unexpected::Option => "null".into(),
        Unexpected::Seq | Unexpected::TupleVariant => "an array".into(),
        Unexpected::Map | Unexpected::StructVariant => "an object".into(),
        Unexpected::NewtypeStruct
        | Unexpected::NewtypeVariant
        | Unexpected::Enum
        | Unexpected::UnitVariant => "a value of another kind".into(),
        Unexpected::Other(s) => (*s).to_string(),
    }
}

/// What a visitor expects, with serde's Rust spellings (should one slip through) translated.
pub(crate) fn expectation(exp: &dyn Expected) -> String {
    let text = exp.to_string();
    match text.as_str() {
        "u8" => format!("a whole number 0–{}", u8::MAX),
        "u16" => format!("a whole number 0–{}", u16::MAX),
        "u32" => format!("a whole number 0–{}", u32::MAX),
        "u64" | "usize" => format!("a whole number 0–{}", u64::MAX),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a string" | "a borrowed string" | "a char" => "a string".into(),
        "a sequence" => "a list".into(),
        "a map" => "an object".into(),
        "unit" => "null".into(),
        "any valid JSON value" => "a JSON value".into(),
        t if t.starts_with("struct ") || t.starts_with("enum ") => "an object".into(),
        t if t.starts_with("variant identifier") || t.starts_with("field identifier") => {
            "a known name".into()
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_one_edit_or_a_case_away() {
        let keys = ["attributes", "listeners", "name"];
        assert_eq!(suggestion("atributes", &keys), Some("attributes"));
        assert_eq!(suggestion("NAME", &keys), Some("name"));
        assert_eq!(suggestion("nmae", &keys), None, "two edits on a short word");
        assert_eq!(suggestion("zzz", &keys), None);
        assert_eq!(suggestion("p99", &["median_ms", "p99_ms"]), Some("p99_ms"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_first_part_of_a_key_with_dots_names_the_whole_key() {
        let keys = ["idle_timeout.timeout_seconds", "routing.http2.enabled"];
        assert_eq!(
            unknown_key("idle_timeout", &keys),
            "unknown key \"idle_timeout\" (did you mean \"idle_timeout.timeout_seconds\"? It is one key with dots in its name; in a --set path, write it in double quotes); allowed keys: idle_timeout.timeout_seconds, routing.http2.enabled"
        );
        let keys = [
            "stickiness.enabled",
            "stickiness.type",
            "slow_start.duration_seconds",
        ];
        assert!(unknown_key("stickiness", &keys).starts_with(
            "unknown key \"stickiness\" (did you mean one of \"stickiness.enabled\", \"stickiness.type\"? Each is one key"
        ));
        // Only whole parts: "idle" is not the first part of "idle_timeout.timeout_seconds".
        assert!(!unknown_key("idle", &["idle_timeout.timeout_seconds"]).contains("dots"));
    }

    #[test]
    fn unknown_keys_list_the_allowed_ones() {
        let m = unknown_key("atributes", &["name", "attributes"]);
        assert_eq!(
            m,
            "unknown key \"atributes\" (did you mean \"attributes\"?); allowed keys: name, attributes"
        );
    }

    #[test]
    fn rust_names_are_translated() {
        assert_eq!(expectation(&"u32"), "a whole number 0–4294967295");
        assert_eq!(expectation(&"struct RawListener"), "an object");
        assert_eq!(expectation(&"a sequence"), "a list");
        assert_eq!(unexpected(&Unexpected::Seq), "an array");
        assert_eq!(unexpected(&Unexpected::Str("x")), "a string \"x\"");
    }
}
