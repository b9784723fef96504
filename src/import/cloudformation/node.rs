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

    /// The same value with every position cleared, to compare values whatever their place in
    /// the file (YAML and JSON forms of a template, two mappings in `Fn::Equals`).
    pub fn without_marks(&self) -> Node {
        let value = match &self.value {
            Value::List(items) => Value::List(items.iter().map(Node::without_marks).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.without_marks()))
                    .collect(),
            ),
            v => v.clone(),
        };
        Node::new(value, Mark::default())
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Node {
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The entries in the file's order, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The number, if this is one (a numeric string such as `"30"` is not: see
    /// [`Node::as_f64`]).
    pub fn as_number(&self) -> Option<&serde_json::Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number, or a string that reads as one (`"30"`, as CloudFormation passes numbers
    /// written in quotes), as `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }

    /// A whole number ≥ 0 (a number or a numeric string), as `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        }
    }

    /// The text of a scalar as CloudFormation passes it to a service: strings as they are,
    /// numbers as written, booleans as `true`/`false`; `None` for null, lists, mappings and
    /// resource references.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}
