//! The serde access types of [`super::check`]'s deserializer: the elements of a list, the entries
//! of an object (and the placeholders for keys an error reported missing), and a tagged object as
//! an enum. Each hands its children a [`UserDe`] with the child's JSON path.

use super::{NULL, Path, UserDe, node};
use crate::scenario::shape_error::{ShapeError, Site};
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Error as _, Visitor};
use serde_json::Value;

/// The elements of a list.
pub(super) struct Seq<'de, 'p> {
    parent: UserDe<'de, 'p>,
    items: std::slice::Iter<'de, Value>,
    index: usize,
}

impl<'de, 'p> Seq<'de, 'p> {
    pub(super) fn new(parent: UserDe<'de, 'p>, items: &'de [Value]) -> Self {
        Seq {
            parent,
            items: items.iter(),
            index: 0,
        }
    }
}

impl<'de> de::SeqAccess<'de> for Seq<'de, '_> {
    type Error = ShapeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ShapeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.parent.path, self.index);
        self.index += 1;
        seed.deserialize(self.parent.child(item, &path)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, then placeholders for the required keys it lacks (after an error
/// reported them missing) — or, for a placeholder struct, a placeholder for every field.
pub(super) struct Map<'de, 'p> {
    parent: UserDe<'de, 'p>,
    entries: Option<serde_json::map::Iter<'de>>,
    extra: std::slice::Iter<'p, &'static str>,
    pending: Option<(&'de str, &'de Value, bool)>,
}

impl<'de, 'p> Map<'de, 'p> {
    pub(super) fn new(
        parent: UserDe<'de, 'p>,
        map: &'de serde_json::Map<String, Value>,
        missing: &'p [&'static str],
    ) -> Self {
        Map {
            parent,
            entries: Some(map.iter()),
            extra: missing.iter(),
            pending: None,
        }
    }

    pub(super) fn placeholder(parent: UserDe<'de, 'p>, fields: &'p [&'static str]) -> Self {
        Map {
            parent,
            entries: None,
            extra: fields.iter(),
            pending: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for Map<'de, '_> {
    type Error = ShapeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ShapeError> {
        if let Some(entries) = &mut self.entries {
            for (key, value) in entries.by_ref() {
                if self.parent.skip_key == Some(key.as_str())
                    || self.parent.poison.skipped.contains(&node(value))
                {
                    continue;
                }
                self.pending = Some((key.as_str(), value, false));
                return seed
                    .deserialize(BorrowedStrDeserializer::<ShapeError>::new(key))
                    .map(Some)
                    .map_err(|mut e| {
                        if e.path.is_none() {
                            e.path = Some(Path::Key(self.parent.path, key).render());
                            e.site = Site::Key(node(value));
                        }
                        e
                    });
            }
        }
        match self.extra.next() {
            Some(&key) => {
                self.pending = Some((key, &NULL, true));
                seed.deserialize(BorrowedStrDeserializer::<ShapeError>::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ShapeError> {
        let (key, value, placeholder) = self
            .pending
            .take()
            .ok_or_else(|| ShapeError::custom("a value was read before its key"))?;
        let path = Path::Key(self.parent.path, key);
        let mut de = self.parent.child(value, &path);
        de.placeholder = placeholder;
        seed.deserialize(de)
    }
}

/// A tagged object as an enum: the tag names the variant, the other keys are its content.
pub(super) struct Tagged<'de, 'p> {
    pub(super) variant: &'de str,
    pub(super) content: UserDe<'de, 'p>,
}

impl<'de, 'p> de::EnumAccess<'de> for Tagged<'de, 'p> {
    type Error = ShapeError;
    type Variant = UserDe<'de, 'p>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, UserDe<'de, 'p>), ShapeError> {
        let v = seed.deserialize(BorrowedStrDeserializer::<ShapeError>::new(self.variant))?;
        Ok((v, self.content))
    }
}

impl<'de> de::VariantAccess<'de> for UserDe<'de, '_> {
    type Error = ShapeError;

    fn unit_variant(self) -> Result<(), ShapeError> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, ShapeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ShapeError> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}
