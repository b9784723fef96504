//! Reading resolved resource properties: strings, integers, booleans, lists and references to
//! other resources, each error naming the resource, the property and its line:column.

use super::super::{ImportError, Node, Value};
use std::path::Path;

/// A resolved resource: its logical id, `Type`, where it starts and its `Properties` (intrinsics
/// evaluated, except for resources albsim does not model, which are kept as written).
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Logical id.
    pub logical_id: String,
    /// `Type`, e.g. `AWS::ElasticLoadBalancingV2::TargetGroup`.
    pub type_name: String,
    /// Where the resource starts.
    pub mark: super::super::Mark,
    /// `Properties` (a mapping).
    pub props: Node,
}

/// A property of one resource, for reading and for error messages.
#[derive(Debug, Clone)]
pub struct Prop<'a> {
    /// The template file.
    pub file: &'a Path,
    /// The resource's logical id.
    pub id: &'a str,
    /// The property's path inside the resource, e.g. `HealthCheckPath` or `Targets[0].Id`
    /// (empty: the whole `Properties`).
    pub path: String,
    /// The value.
    pub node: &'a Node,
}

impl<'a> Prop<'a> {
    /// An error at this property: `FILE:LINE:COL: Resources.ID.PATH: message`.
    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_path_buf(),
            mark: Some(self.node.mark),
            context: Some(if self.path.is_empty() {
                format!("Resources.{}", self.id)
            } else {
                format!("Resources.{}.{}", self.id, self.path)
            }),
            message: message.into(),
        }
    }

    /// A string: a string as written, or a number or boolean in its text form (CloudFormation
    /// passes scalars to the service as strings).
    pub fn string(&self) -> Result<String, ImportError> {
        match &self.node.value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(self.error(format!("expected a string, got {}", describe(self.node)))),
        }
    }

    /// An integer, written as a number or a string of digits, within `lo..=hi`.
    pub fn int(&self, lo: i64, hi: i64) -> Result<i64, ImportError> {
        let v = match &self.node.value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match v {
            Some(v) if (lo..=hi).contains(&v) => Ok(v),
            Some(v) => Err(self.error(format!("expected an integer from {lo} to {hi}, got {v}"))),
            None => Err(self.error(format!("expected an integer, got {}", describe(self.node)))),
        }
    }

    /// A number (integer or decimal), written as a number or a string.
    pub fn number(&self) -> Result<f64, ImportError> {
        let v = match &self.node.value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        v.filter(|v| v.is_finite())
            .ok_or_else(|| self.error(format!("expected a number, got {}", describe(self.node))))
    }

    /// A boolean: `true`/`false`, also as strings (any case).
    pub fn bool(&self) -> Result<bool, ImportError> {
        match &self.node.value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.error(format!(
                "expected true or false, got {}",
                describe(self.node)
            ))),
        }
    }

    /// The elements of a list (a single scalar counts as a list of one).
    pub fn list(&self) -> Result<Vec<&'a Node>, ImportError> {
        match &self.node.value {
            Value::List(items) => Ok(items.iter().collect()),
            Value::Null => Ok(Vec::new()),
            _ => Err(self.error(format!("expected a list, got {}", describe(self.node)))),
        }
    }

    /// The logical id of the resource this value refers to (`!Ref X`, `!GetAtt X.Attr`, or a
    /// string that names a logical id of `candidates`).
    pub fn reference(&self, candidates: &[&str]) -> Option<String> {
        match &self.node.value {
            Value::ResourceRef(id) | Value::ResourceAttr(id, _) => Some(id.clone()),
            Value::String(s) => candidates
                .iter()
                .filter(|c| contains_word(s, c))
                .max_by_key(|c| (s.rfind(**c), c.len()))
                .map(|c| c.to_string()),
            _ => None,
        }
    }

    /// The property `key` of this mapping, if present and not null.
    pub fn get(&self, key: &str) -> Option<Prop<'a>> {
        let path = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        self.node
            .get(key)
            .filter(|n| n.value != Value::Null)
            .map(|node| Prop {
                file: self.file,
                id: self.id,
                path,
                node,
            })
    }

    /// The elements of this list, each with its path (`Key[i]`).
    pub fn items(&self) -> Result<Vec<Prop<'a>>, ImportError> {
        Ok(self
            .list()?
            .into_iter()
            .enumerate()
            .map(|(i, node)| Prop {
                file: self.file,
                id: self.id,
                path: format!("{}[{i}]", self.path),
                node,
            })
            .collect())
    }

    /// `get(key)` read as a string.
    pub fn str_of(&self, key: &str) -> Result<Option<String>, ImportError> {
        self.get(key).map(|p| p.string()).transpose()
    }

    /// `get(key)` read as an integer within `lo..=hi`.
    pub fn int_of(&self, key: &str, lo: i64, hi: i64) -> Result<Option<i64>, ImportError> {
        self.get(key).map(|p| p.int(lo, hi)).transpose()
    }

    /// `get(key)` read as a boolean.
    pub fn bool_of(&self, key: &str) -> Result<Option<bool>, ImportError> {
        self.get(key).map(|p| p.bool()).transpose()
    }
}

/// Whether `word` occurs in `s` not inside a longer identifier.
fn contains_word(s: &str, word: &str) -> bool {
    let is_id = |c: char| c.is_ascii_alphanumeric();
    s.match_indices(word).any(|(i, _)| {
        let before = s[..i].chars().next_back().is_none_or(|c| !is_id(c));
        let after = s[i + word.len()..].chars().next().is_none_or(|c| !is_id(c));
        before && after
    })
}

/// A value described in a user's words, for messages.
pub fn describe(node: &Node) -> String {
    match &node.value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("{n}"),
        Value::String(s) => format!("{s:?}"),
        Value::List(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
        Value::ResourceRef(id) => format!("a reference to resource {id}"),
        Value::ResourceAttr(id, a) => format!("attribute {a} of resource {id}"),
    }
}

/// Builds a [`Node`] from JSON (tests, and the few nodes the mapper writes itself).
pub fn node_from_json(v: &serde_json::Value) -> Node {
    use serde_json::Value as J;
    let value = match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(n.clone()),
        J::String(s) => match s.strip_prefix("!ref:") {
            Some(id) => match id.split_once('.') {
                Some((id, attr)) => Value::ResourceAttr(id.into(), attr.into()),
                None => Value::ResourceRef(id.into()),
            },
            None => Value::String(s.clone()),
        },
        J::Array(items) => Value::List(items.iter().map(node_from_json).collect()),
        J::Object(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), node_from_json(v)))
                .collect(),
        ),
    };
    Node::new(value, Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prop(node: &Node) -> Prop<'_> {
        Prop {
            file: Path::new("t.yaml"),
            id: "TG",
            path: "Port".into(),
            node,
        }
    }

    #[test]
    fn integers_may_be_strings_and_are_range_checked() {
        let n = node_from_json(&json!("30"));
        assert_eq!(prop(&n).int(5, 300).unwrap(), 30);
        let e = prop(&n).int(40, 50).unwrap_err().to_string();
        assert!(
            e.contains("Resources.TG.Port") && e.contains("from 40 to 50, got 30"),
            "{e}"
        );
        let n = node_from_json(&json!([1]));
        assert!(prop(&n).int(0, 9).unwrap_err().message.contains("a list"));
    }

    #[test]
    fn a_string_names_the_candidate_it_contains_as_a_whole_word() {
        let n = node_from_json(&json!("app/ALB/123/targetgroup/WebTG/456"));
        assert_eq!(
            prop(&n).reference(&["ALB", "WebTG", "Web"]).as_deref(),
            Some("WebTG")
        );
        let n = node_from_json(&json!("!ref:WebTG.TargetGroupFullName"));
        assert_eq!(prop(&n).reference(&[]).as_deref(), Some("WebTG"));
    }

    #[test]
    fn booleans_accept_strings() {
        let n = node_from_json(&json!("True"));
        assert!(prop(&n).bool().unwrap());
        let n = node_from_json(&json!(3));
        assert!(prop(&n).bool().is_err());
    }
}
