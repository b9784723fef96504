//! JSON paths for error messages: `load_balancer.listeners[0].rules[1].priority`.
//!
//! Keys that contain dots (AWS attribute names) are quoted so the path stays unambiguous:
//! `target_groups[0].attributes."load_balancing.algorithm.type"`.

use super::FieldError;

/// A position in the model file, built while resolving it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(String);

impl JsonPath {
    /// The document root.
    pub fn root() -> JsonPath {
        JsonPath(String::new())
    }

    /// The member `key` of this object.
    pub fn key(&self, key: &str) -> JsonPath {
        let mut s = self.0.clone();
        push_key(&mut s, key);
        JsonPath(s)
    }

    /// The element `i` of this array.
    pub fn index(&self, i: usize) -> JsonPath {
        JsonPath(format!("{}[{i}]", self.0))
    }

    /// An error at this position.
    pub fn error(&self, message: impl Into<String>) -> FieldError {
        FieldError {
            path: self.to_string(),
            message: message.into(),
        }
    }
}

/// Appends `.key` (or `."dotted.key"`) to a path string.
pub(crate) fn push_key(s: &mut String, key: &str) {
    if !s.is_empty() {
        s.push('.');
    }
    if key.contains('.') || key.contains(' ') || key.is_empty() {
        s.push('"');
        s.push_str(key);
        s.push('"');
    } else {
        s.push_str(key);
    }
}

impl std::fmt::Display for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("(top level)")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_jq() {
        let p = JsonPath::root()
            .key("target_groups")
            .index(0)
            .key("attributes");
        assert_eq!(
            p.key("load_balancing.algorithm.type").to_string(),
            "target_groups[0].attributes.\"load_balancing.algorithm.type\""
        );
        assert_eq!(JsonPath::root().to_string(), "(top level)");
    }
}
