//! Checking the model's shape (types, keys) with every error reported at once, in user words.
//!
//! The file is parsed into a `serde_json::Value` once; `UserDe` then deserializes the raw model
//! from it. It is a serde `Deserializer` that
//! - checks each value against the type the raw model asks for *before* calling serde's visitor,
//!   so messages read `expected a whole number 0–65535, got -1`, not `expected u16`;
//! - accepts only objects where structs are expected (serde's derive would also take arrays);
//! - reads internally tagged objects (`{"type": "poisson", …}`, see `scenario::tagged`) in place, so
//!   paths reach inside them;
//! - tracks the JSON path of every value.
//!
//! serde stops at the first error. To report them all, [`check`] deserializes again and again:
//! after each error the offending spot is *neutralised* (the value, the unknown key, or the missing
//! key is replaced by a type-correct placeholder that raises nothing) and the next pass finds the
//! next error. The document read with its placeholders lets the loader look for range and
//! reference errors elsewhere in the file (see `scenario::parse_raw`); it is never simulated.

use super::FieldError;
use super::shape_error::{ShapeError, Site, one_of, unexpected};
use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Expected, Unexpected, Visitor};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

mod access;
use access::{Map, Seq, Tagged};

/// `deserialize_struct` names starting with this are internally tagged enums: the rest of the
/// name is the tag key and the field list is the list of variants (see `scenario::tagged`).
pub(crate) const TAGGED_PREFIX: &str = "$albsim::tagged::";

/// The most shape errors reported for one file; beyond it the list ends with "… and more".
pub const MAX_ERRORS: usize = 100;

/// Values read over all passes before the search for further errors stops (each pass reads the
/// document up to its next error, so a huge file with errors at its end would otherwise take
/// `MAX_ERRORS` full reads).
const MAX_VALUES_READ: u64 = 20_000_000;

/// Shape errors of one document, in the order found, and whether more were left out.
#[derive(Debug)]
pub struct ShapeErrors<T> {
    /// The errors, with paths.
    pub errors: Vec<FieldError>,
    /// More errors exist than [`MAX_ERRORS`].
    pub truncated: bool,
    /// The document read with every error's spot neutralised (when every error was found): it
    /// lets range and reference checks run on the rest of the document. Its placeholders are
    /// empty or zero values, so what is checked at (or inside) an error's path means nothing.
    pub with_placeholders: Option<T>,
}

/// Deserializes `T` from `value`, collecting every shape error (up to [`MAX_ERRORS`]).
pub fn check<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T, ShapeErrors<T>> {
    let mut poison = Poison::default();
    let mut errors = Vec::new();
    loop {
        let de = UserDe::new(value, &Path::Root, &poison);
        match T::deserialize(de) {
            Ok(t) if errors.is_empty() => return Ok(t),
            Ok(t) => {
                return Err(ShapeErrors {
                    errors,
                    truncated: false,
                    with_placeholders: Some(t),
                });
            }
            Err(e) => {
                let site = e.site;
                errors.push(e.into_field_error());
                let progressed = poison.add(site);
                if !progressed
                    || errors.len() >= MAX_ERRORS
                    || poison.values_read.get() > MAX_VALUES_READ
                {
                    return Err(ShapeErrors {
                        errors,
                        truncated: progressed,
                        with_placeholders: None,
                    });
                }
            }
        }
    }
}

/// The spots neutralised so far (by node address; the document is not changed between passes).
#[derive(Debug, Default)]
struct Poison {
    /// Values read as placeholders.
    placeholders: HashSet<usize>,
    /// Values whose keys are skipped (unknown keys).
    skipped: HashSet<usize>,
    /// Objects and the required keys they lack (supplied as placeholders).
    missing: HashMap<usize, Vec<&'static str>>,
    /// Values read so far, over all passes.
    values_read: std::cell::Cell<u64>,
}

impl Poison {
    /// Neutralises `site`; false if nothing new was neutralised (which ends the passes).
    fn add(&mut self, site: Site) -> bool {
        match site {
            Site::Unknown => false,
            Site::Value(v) => self.placeholders.insert(v),
            Site::Key(v) => self.skipped.insert(v),
            Site::Missing(o, key) => {
                let keys = self.missing.entry(o).or_default();
                if keys.contains(&key) {
                    false
                } else {
                    keys.push(key);
                    true
                }
            }
        }
    }
}

fn node(v: &Value) -> usize {
    v as *const Value as usize
}

/// A JSON path as a chain of borrowed segments (built without allocating; rendered on error).
#[derive(Clone, Copy, Debug)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self) -> String {
        fn walk(p: &Path<'_>, out: &mut String) {
            match p {
                Path::Root => {}
                Path::Key(parent, key) => {
                    walk(parent, out);
                    super::path::push_key(out, key);
                }
                Path::Index(parent, i) => {
                    walk(parent, out);
                    out.push_str(&format!("[{i}]"));
                }
            }
        }
        let mut s = String::new();
        walk(self, &mut s);
        if s.is_empty() {
            "(top level)".into()
        } else {
            s
        }
    }
}

static NULL: Value = Value::Null;

/// Deserializes one value of the document; see the module documentation.
#[derive(Clone, Copy, Debug)]
struct UserDe<'de, 'p> {
    value: &'de Value,
    path: &'p Path<'p>,
    poison: &'p Poison,
    /// A placeholder: every read succeeds with an empty or zero value.
    placeholder: bool,
    /// A key to leave out of this object (the tag of a tagged object, read separately).
    skip_key: Option<&'de str>,
}

impl<'de, 'p> UserDe<'de, 'p> {
    fn new(value: &'de Value, path: &'p Path<'p>, poison: &'p Poison) -> Self {
        UserDe {
            value,
            path,
            poison,
            placeholder: false,
            skip_key: None,
        }
    }

    fn is_placeholder(&self) -> bool {
        self.placeholder || self.poison.placeholders.contains(&node(self.value))
    }

    /// Gives an error raised at this value its path and site (if it has none yet).
    fn at(&self, mut e: ShapeError) -> ShapeError {
        if e.path.is_none() {
            e.path = Some(self.path.render());
            e.site = match e.missing {
                Some(key) => Site::Missing(node(self.value), key),
                None => Site::Value(node(self.value)),
            };
        }
        e
    }

    fn expected(&self, what: &str) -> ShapeError {
        self.at(ShapeError::new(format!(
            "expected {what}, got {}",
            describe(self.value)
        )))
    }

    /// A whole number in `lo..=hi` (also written as `5.0` or `5e3`).
    fn whole(&self, lo: i128, hi: i128) -> Result<i128, ShapeError> {
        let n = match self.value {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .or_else(|| {
                    n.as_f64()
                        .filter(|x| x.fract() == 0.0 && x.abs() < 1e30)
                        .map(|x| x as i128)
                }),
            _ => None,
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(self.expected(&format!("a whole number {lo}–{hi}"))),
        }
    }

    fn child(&self, value: &'de Value, path: &'p Path<'p>) -> UserDe<'de, 'p> {
        let read = &self.poison.values_read;
        read.set(read.get() + 1);
        UserDe {
            value,
            path,
            poison: self.poison,
            placeholder: false,
            skip_key: None,
        }
    }

    fn tagged<V: Visitor<'de>>(
        self,
        tag: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            let content = UserDe {
                placeholder: true,
                ..self
            };
            return visitor.visit_enum(Tagged {
                variant: variants[0],
                content,
            });
        }
        let list = || {
            variants
                .iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Value::Object(map) = self.value else {
            return Err(self.expected(&format!("an object with a {tag:?} key (one of {})", list())));
        };
        match map.get(tag) {
            None => Err(self.at(ShapeError::new(format!(
                "missing required key {tag:?} (one of {})",
                list()
            )))),
            Some(Value::String(s)) if variants.contains(&s.as_str()) => {
                let content = UserDe {
                    skip_key: Some(tag),
                    ..self
                };
                visitor
                    .visit_enum(Tagged {
                        variant: s.as_str(),
                        content,
                    })
                    .map_err(|e| self.at(e))
            }
            Some(other) => {
                let message = match other {
                    Value::String(s) => one_of(s, variants),
                    v => format!("expected one of {}, got {}", list(), describe(v)),
                };
                // The whole object is neutralised: its keys depend on the type.
                let mut e = ShapeError::new(message);
                e.path = Some(Path::Key(self.path, tag).render());
                e.site = Site::Value(node(self.value));
                Err(e)
            }
        }
    }
}

/// `a string "x"`, `-1`, `true`, `null`, `an array`, `an object`.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => unexpected(&Unexpected::Unit),
        Value::Bool(b) => unexpected(&Unexpected::Bool(*b)),
        Value::Number(n) => n.to_string(),
        Value::String(s) => unexpected(&Unexpected::Str(s)),
        Value::Array(_) => unexpected(&Unexpected::Seq),
        Value::Object(_) => unexpected(&Unexpected::Map),
    }
}

fn visitor_words(v: &dyn Expected) -> String {
    super::shape_error::expectation(v)
}

macro_rules! whole_number {
    ($($method:ident => $visit:ident : $t:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
                if self.is_placeholder() {
                    return visitor.$visit(0).map_err(|e| self.at(e));
                }
                let n = self.whole(i128::from(<$t>::MIN), i128::from(<$t>::MAX))?;
                visitor.$visit(n as $t).map_err(|e| self.at(e))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for UserDe<'de, '_> {
    type Error = ShapeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            return visitor.visit_u64(0).map_err(|e| self.at(e));
        }
        let r = match self.value {
            // Nothing in the model takes null except optional keys (read by deserialize_option).
            Value::Null => {
                return Err(self.at(ShapeError::new(format!(
                    "expected {}, got null",
                    visitor_words(&visitor)
                ))));
            }
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq::new(self, items)),
            Value::Object(map) => visitor.visit_map(Map::new(self, map, &[])),
        };
        r.map_err(|e| self.at(e))
    }

    whole_number! {
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            return visitor.visit_f64(0.0).map_err(|e| self.at(e));
        }
        match self.value {
            Value::Number(n) => visitor
                .visit_f64(n.as_f64().unwrap_or(f64::NAN))
                .map_err(|e| self.at(e)),
            _ => Err(self.expected("a number")),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            return visitor.visit_bool(false).map_err(|e| self.at(e));
        }
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b).map_err(|e| self.at(e)),
            _ => Err(self.expected("true or false")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            return visitor.visit_borrowed_str("").map_err(|e| self.at(e));
        }
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s).map_err(|e| self.at(e)),
            _ => Err(self.expected("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() || self.value.is_null() {
            visitor.visit_none().map_err(|e| self.at(e))
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() || self.value.is_null() {
            visitor.visit_unit().map_err(|e| self.at(e))
        } else {
            Err(self.expected("null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            return visitor
                .visit_seq(Seq::new(self, &[]))
                .map_err(|e| self.at(e));
        }
        match self.value {
            Value::Array(items) => visitor
                .visit_seq(Seq::new(self, items))
                .map_err(|e| self.at(e)),
            _ => Err(self.expected("a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        if self.is_placeholder() {
            return visitor
                .visit_map(Map::placeholder(self, &[]))
                .map_err(|e| self.at(e));
        }
        match self.value {
            Value::Object(map) => visitor
                .visit_map(Map::new(self, map, &[]))
                .map_err(|e| self.at(e)),
            _ => Err(self.expected("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        if let Some(tag) = name.strip_prefix(TAGGED_PREFIX) {
            return self.tagged(tag, fields, visitor);
        }
        if self.is_placeholder() {
            return visitor
                .visit_map(Map::placeholder(self, fields))
                .map_err(|e| self.at(e));
        }
        match self.value {
            Value::Object(map) => {
                let missing = self
                    .poison
                    .missing
                    .get(&node(self.value))
                    .map_or(&[][..], Vec::as_slice);
                visitor
                    .visit_map(Map::new(self, map, missing))
                    .map_err(|e| self.at(e))
            }
            _ if fields.is_empty() => Err(self.expected("an object")),
            _ => Err(self.expected(&format!("an object with keys {}", fields.join(", ")))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        let word = match self.value {
            _ if self.is_placeholder() => variants[0],
            Value::String(s) if variants.contains(&s.as_str()) => s.as_str(),
            Value::String(s) => return Err(self.at(ShapeError::new(one_of(s, variants)))),
            other => {
                let list: Vec<String> = variants.iter().map(|v| format!("{v:?}")).collect();
                return Err(self.at(ShapeError::new(format!(
                    "expected one of {}, got {}",
                    list.join(", "),
                    describe(other)
                ))));
            }
        };
        visitor
            .visit_enum(BorrowedStrDeserializer::<ShapeError>::new(word))
            .map_err(|e| self.at(e))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ShapeError> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::RawModel;

    fn errors(json: &str) -> Vec<String> {
        let value: Value = serde_json::from_str(json).unwrap();
        match check::<RawModel>(&value) {
            Ok(_) => vec![],
            Err(e) => e
                .errors
                .into_iter()
                .map(|e| format!("{}: {}", e.path, e.message))
                .collect(),
        }
    }

    /// A placeholder must deserialize every raw type without an error, or the passes would stop.
    #[test]
    fn a_placeholder_model_deserializes() {
        let poison = Poison::default();
        let de = UserDe {
            placeholder: true,
            ..UserDe::new(&NULL, &Path::Root, &poison)
        };
        assert!(RawModel::deserialize(de).is_ok());
    }

    #[test]
    fn every_error_of_a_document_is_reported() {
        let e = errors(
            r#"{"name": 5, "duration": [], "seed": -1, "clients": {},
                "load_balancer": {"name": "lb", "listeners": [[]]}, "extra": 1}"#,
        );
        let joined = e.join("\n");
        for want in [
            "name: expected a string, got 5",
            "duration: expected a duration",
            "seed: expected a whole number 0–18446744073709551615, got -1",
            "clients: expected a list, got an object",
            "load_balancer.listeners[0]: expected an object with keys port, protocol",
            "extra: unknown key \"extra\"",
            "(top level): missing required key \"target_groups\"",
        ] {
            assert!(joined.contains(want), "{want:?} not in:\n{joined}");
        }
        assert_eq!(e.len(), 7, "{joined}");
    }

    #[test]
    fn tagged_objects_are_read_in_place() {
        let e = errors(
            r#"{"name": "m", "duration": 60, "target_groups": [],
                "load_balancer": {"name": "lb", "listeners": []},
                "clients": [{"name": "c", "arrival": {"type": "poison", "rate_per_second": 1},
                  "requests": [{"name": "r", "service_time": {"distribution": "constant", "ms": "x"}}]}]}"#,
        );
        assert_eq!(
            e,
            vec![
                "clients[0].arrival.type: expected one of \"constant\", \"poisson\", \"schedule\", \"spike\", \"diurnal\", \"users\", \"websocket\", \"access_log\", got \"poison\" (did you mean \"poisson\"?)",
                "clients[0].requests[0].service_time.ms: expected a number, got a string \"x\"",
            ]
        );
    }
}
