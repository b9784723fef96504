//! Internally tagged objects (`{"type": "poisson", …}`) with precise error paths.
//!
//! serde's derived internally tagged enums buffer the whole object before choosing the variant,
//! so `serde_path_to_error` cannot see inside it: a wrong type in `arrival.rate_per_second` would be
//! reported at `arrival`. Here the tag is read first and the rest is deserialized as the variant's
//! own struct with its path tracked; the inner path travels up inside the error message, between
//! two [`PATH_MARK`]s, and [`split_inner_path`] moves it back into the path shown to the user.

use serde::de::{DeserializeOwned, Error};
use serde_json::Value;

/// Delimits an inner JSON path at the start of an error message.
pub const PATH_MARK: char = '\u{1}';

/// Splits `"\u{1}path\u{1}message"` into `(Some(path), message)`.
pub fn split_inner_path(message: &str) -> (Option<&str>, &str) {
    if let Some(rest) = message.strip_prefix(PATH_MARK) {
        if let Some((path, msg)) = rest.split_once(PATH_MARK) {
            return (Some(path), msg);
        }
    }
    (None, message)
}

fn with_path<E: Error>(path: &str, message: &str) -> E {
    // Nested tagged objects: join this level's path with the one already in the message.
    let (inner, msg) = split_inner_path(message);
    let full = match inner {
        Some(i) if i.starts_with('[') => format!("{path}{i}"),
        Some(i) => format!("{path}.{i}"),
        None => path.to_string(),
    };
    E::custom(format!("{PATH_MARK}{full}{PATH_MARK}{msg}"))
}

/// Reads an object and removes its tag `key`: returns the tag and the remaining object.
pub fn split_tag<E: Error>(value: Value, key: &str) -> Result<(String, Value), E> {
    let Value::Object(mut map) = value else {
        return Err(E::custom(format!(
            "expected an object with a \"{key}\" key, got {value}"
        )));
    };
    match map.remove(key) {
        Some(Value::String(tag)) => Ok((tag, Value::Object(map))),
        Some(other) => Err(with_path(key, &format!("expected a string, got {other}"))),
        None => Err(E::custom(format!("missing field `{key}`"))),
    }
}

/// Deserializes a variant's fields, keeping the path of any error.
pub fn variant<T: DeserializeOwned, E: Error>(rest: Value) -> Result<T, E> {
    serde_path_to_error::deserialize(rest).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        if path == "." {
            E::custom(message)
        } else {
            with_path(&path, &message)
        }
    })
}

/// The error for an unknown tag value.
pub fn unknown<E: Error>(key: &str, got: &str, expected: &[&str]) -> E {
    let list: Vec<String> = expected.iter().map(|v| format!("\"{v}\"")).collect();
    with_path(
        key,
        &format!("unknown {key} {got:?}, expected one of {}", list.join(", ")),
    )
}

/// Implements `Deserialize` for an enum of single-struct variants, tagged by `$tag`.
///
/// It asks for a struct named [`super::shape::TAGGED_PREFIX`] + tag whose "fields" are the
/// variants: albsim's own deserializer ([`super::shape`]) reads such an object in place (tag
/// first, paths kept) and calls `visit_enum`; any other deserializer (serde_json in unit tests)
/// calls `visit_map`, and the object is buffered and split here.
macro_rules! tagged_deserialize {
    ($enum:ident, $tag:literal, { $($wire:literal => $variant:ident),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct TaggedVisitor;
                impl<'de> serde::de::Visitor<'de> for TaggedVisitor {
                    type Value = $enum;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        write!(f, "an object with a \"{}\" key", $tag)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$enum, A::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(
                            serde::de::value::MapAccessDeserializer::new(map),
                        )?;
                        let (tag, rest) =
                            $crate::scenario::tagged::split_tag::<A::Error>(value, $tag)?;
                        match tag.as_str() {
                            $($wire => Ok($enum::$variant($crate::scenario::tagged::variant(rest)?)),)*
                            other => Err($crate::scenario::tagged::unknown($tag, other, &[$($wire),*])),
                        }
                    }
                    fn visit_enum<A: serde::de::EnumAccess<'de>>(
                        self,
                        data: A,
                    ) -> Result<$enum, A::Error> {
                        use serde::de::VariantAccess;
                        let (tag, content) = data.variant::<String>()?;
                        match tag.as_str() {
                            $($wire => content.newtype_variant().map($enum::$variant),)*
                            other => Err(<A::Error as serde::de::Error>::unknown_variant(
                                other,
                                &[$($wire),*],
                            )),
                        }
                    }
                }
                d.deserialize_struct(
                    concat!("$albsim::tagged::", $tag),
                    &[$($wire),*],
                    TaggedVisitor,
                )
            }
        }
    };
}
pub(crate) use tagged_deserialize;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::RawArrival;

    fn inner_error(json: &str) -> (Option<String>, String) {
        let e = serde_json::from_str::<RawArrival>(json)
            .unwrap_err()
            .to_string();
        let (path, message) = split_inner_path(&e);
        (path.map(str::to_string), message.to_string())
    }

    #[test]
    fn nested_tagged_objects_keep_the_full_path() {
        let (path, message) = inner_error(
            r#"{"type":"users","count":3,"think_time":{"distribution":"exponential","mean":5}}"#,
        );
        assert_eq!(path.as_deref(), Some("think_time.mean"));
        assert!(message.contains("unknown field `mean`"), "{message}");
        let (path, _) =
            inner_error(r#"{"type":"schedule","steps":[{"at":"1m","rate_per_second":"x"}]}"#);
        assert_eq!(path.as_deref(), Some("steps[0].rate_per_second"));
    }

    #[test]
    fn tag_errors_point_at_the_tag() {
        let (path, message) = inner_error(r#"{"type":"poison","rate_per_second":1}"#);
        assert_eq!(path.as_deref(), Some("type"));
        assert!(message.contains("\"poisson\""), "{message}");
        let (path, message) = inner_error(r#"{"rate_per_second":1}"#);
        assert_eq!(path, None);
        assert!(message.contains("missing field `type`"), "{message}");
    }
}
