//! A template as a tree of values with positions: what [`load`](super::load) reads from YAML or
//! JSON, with short-form tags (`!Ref X`) already in their long form (`{"Ref": "X"}`).

/// A position in the template file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Mark {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// A value and where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts.
    pub mark: Mark,
}

/// A template value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~`, or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as written (`"30"` in JSON text, `30` in YAML), so `30` stays an integer.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in the file's order; keys are strings.
    Map(Vec<(String, Node)>),
    /// After resolution only: `Ref` to a resource (its logical id).
    ResourceRef(String),
    /// After resolution only: `Fn::GetAtt` of a resource: (logical id, attribute).
    ResourceAttr(String, String),
}

impl Node {
    /// A node at `mark`.
    pub fn new(value: Value, mark: Mark) -> Node {
        Node { value, mark }
    }

    /// The value of `key` if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}
