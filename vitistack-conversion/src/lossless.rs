//! Lossless round trips through a spoke, computed, not hand-kept: when the [`crate::Converter`]
//! turns a hub into a spoke, it also converts that spoke back to the hub and compares the two
//! hubs. Every field where they differ is what the spoke cannot hold; it goes, as [`Lost`], into
//! one annotation on the spoke ([`PRESERVED_ANNOTATION`]) and is put back when the spoke returns
//! to the hub. A field added to the hub later survives a write through an old version without a
//! change to the conversion functions, which never mention it.
//!
//! cluster-api keeps the whole hub object (`cluster.x-k8s.io/conversion-data`); here the spoke
//! keeps only the differences, so the annotation stays small, and when nothing is lost there is
//! no annotation at all.
//!
//! A kept value is put back only where the spoke's conversion still gives what it gave when the
//! value was kept: a write through the spoke that changed that field (say, the one color of an
//! old version standing for a list of colors) wins over the kept value.

use crate::ConversionError;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The annotation a spoke keeps the hub's lost fields in.
pub const PRESERVED_ANNOTATION: &str = "conversion.vitistack.io/preserved";

/// The top-level fields outside the comparison: the converter sets `apiVersion` and `kind`, and
/// keeps `metadata` itself (only labels and annotations may change).
const NOT_COMPARED: &[&str] = &["apiVersion", "kind", "metadata"];

/// What a spoke lost, by JSON pointer into the hub (`/spec/replicas`), as kept in
/// [`PRESERVED_ANNOTATION`].
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Lost(BTreeMap<String, Kept>);

/// One lost field: the hub's value and what the round trip through the spoke gave there (each
/// absent when there was none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kept {
    /// The hub's value; absent when the hub had none there.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub hub: Option<Value>,
    /// The value the round trip gave; absent when it gave none.
    #[serde(
        default,
        rename = "roundTrip",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub round_trip: Option<Value>,
}

/// A key that is present holds a value, `null` included (absent keys are `None` by `default`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl Lost {
    /// The fields where `round_trip` (hub → spoke → hub) differs from `hub`, both as JSON.
    /// Objects are compared field by field; lists and scalars as a whole.
    pub fn between(hub: &Value, round_trip: &Value) -> Lost {
        let mut lost = Lost::default();
        let empty = Map::new();
        let (hub, back) = (
            hub.as_object().unwrap_or(&empty),
            round_trip.as_object().unwrap_or(&empty),
        );
        for key in union(hub, back) {
            if !NOT_COMPARED.contains(&key.as_str()) {
                lost.diff(hub.get(key), back.get(key), &format!("/{}", escape(key)));
            }
        }
        lost
    }

    fn diff(&mut self, hub: Option<&Value>, back: Option<&Value>, pointer: &str) {
        match (hub, back) {
            (Some(Value::Object(h)), Some(Value::Object(b))) => {
                for key in union(h, b) {
                    let pointer = format!("{pointer}/{}", escape(key));
                    self.diff(h.get(key), b.get(key), &pointer);
                }
            }
            (h, b) if h == b => {}
            (h, b) => {
                let kept = Kept {
                    hub: h.cloned(),
                    round_trip: b.cloned(),
                };
                self.0.insert(pointer.to_string(), kept);
            }
        }
    }

    /// Nothing was lost.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The lost fields' pointers, sorted.
    pub fn pointers(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Puts the kept values back into `hub` (the spoke's conversion, as JSON), each where `hub`
    /// still holds what the round trip gave when it was kept; elsewhere the spoke's write wins.
    pub fn restore(&self, hub: &mut Value) {
        for (pointer, kept) in &self.0 {
            if hub.pointer(pointer) == kept.round_trip.as_ref() {
                set(hub, pointer, kept.hub.clone());
            }
        }
    }

    /// Keeps `self` in the annotation of `object` (a spoke as JSON), or removes the annotation
    /// when nothing was lost.
    pub fn keep_in(&self, object: &mut Value) -> Result<(), ConversionError> {
        if self.is_empty() {
            remove_annotation(object);
            return Ok(());
        }
        let text = serde_json::to_string(self).map_err(|e| {
            ConversionError::refused(format!("cannot keep the fields this version lacks: {e}"))
        })?;
        let Some(object) = object.as_object_mut() else {
            return Err(ConversionError::refused("the spoke is not a JSON object"));
        };
        let metadata = object
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(metadata) = metadata.as_object_mut() else {
            return Err(ConversionError::refused("metadata is not an object"));
        };
        let annotations = metadata
            .entry("annotations")
            .or_insert_with(|| Value::Object(Map::new()));
        match annotations.as_object_mut() {
            Some(annotations) => {
                annotations.insert(PRESERVED_ANNOTATION.to_string(), Value::String(text));
                Ok(())
            }
            None => Err(ConversionError::refused(
                "metadata.annotations is not an object",
            )),
        }
    }

    /// Takes the kept fields out of `object` (a spoke as JSON; the annotation is removed).
    /// `None` when there are none; an annotation that does not decode is an error naming it,
    /// never silently dropped data.
    pub fn take_from(object: &mut Value) -> Result<Option<Lost>, ConversionError> {
        let Some(text) = remove_annotation(object) else {
            return Ok(None);
        };
        let text = text.as_str().ok_or_else(|| {
            ConversionError::refused(format!("annotation {PRESERVED_ANNOTATION}: not a string"))
        })?;
        serde_json::from_str(text).map(Some).map_err(|e| {
            ConversionError::refused(format!("annotation {PRESERVED_ANNOTATION}: {e}"))
        })
    }
}

/// The keys of both objects, each once, those of `a` first.
fn union<'a>(a: &'a Map<String, Value>, b: &'a Map<String, Value>) -> Vec<&'a String> {
    a.keys()
        .chain(b.keys().filter(|k| !a.contains_key(*k)))
        .collect()
}

/// A key as one JSON pointer token (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Sets (or, for `None`, removes) the field at `pointer`, creating the objects on the way; a
/// non-object on the way (the spoke's write changed the shape) leaves `root` as it is.
fn set(root: &mut Value, pointer: &str, value: Option<Value>) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut here = root;
    for token in parents {
        let Some(object) = here.as_object_mut() else {
            return;
        };
        if value.is_none() && !object.contains_key(token) {
            return;
        }
        here = object
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Some(object) = here.as_object_mut() {
        match value {
            Some(value) => object.insert(last.clone(), value),
            None => object.remove(last),
        };
    }
}

/// Removes the annotation (and an annotation map this emptied; an empty one the user wrote
/// stays); returns its value.
fn remove_annotation(object: &mut Value) -> Option<Value> {
    let metadata = object.get_mut("metadata")?.as_object_mut()?;
    let annotations = metadata.get_mut("annotations")?.as_object_mut()?;
    let removed = annotations.remove(PRESERVED_ANNOTATION)?;
    if annotations.is_empty() {
        metadata.remove("annotations");
    }
    Some(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_by_pointer_and_a_spoke_write_wins() {
        let hub = json!({"apiVersion": "g/v2", "metadata": {"name": "x"},
            "spec": {"a": 1, "list": [1, 2], "new": {"deep": true}, "a/b": "s"}});
        let back = json!({"apiVersion": "g/v2", "metadata": {"name": "y"},
            "spec": {"a": 1, "list": [1]}});
        let lost = Lost::between(&hub, &back);
        assert_eq!(
            lost.pointers().collect::<Vec<_>>(),
            ["/spec/a~1b", "/spec/list", "/spec/new"]
        );
        let mut restored = back.clone();
        lost.restore(&mut restored);
        assert_eq!(restored["spec"], hub["spec"]);
        // The spoke's write changed the list's one item: its list wins, the rest comes back.
        let mut written = json!({"spec": {"a": 1, "list": [9]}});
        lost.restore(&mut written);
        assert_eq!(
            written["spec"],
            json!({"a": 1, "list": [9], "new": {"deep": true}, "a/b": "s"})
        );
    }

    #[test]
    fn the_annotation_round_trips_and_a_corrupt_one_is_named() {
        let lost = Lost::between(&json!({"spec": {"n": null, "x": 1}}), &json!({"spec": {}}));
        let mut spoke = json!({"metadata": {"name": "w"}});
        lost.keep_in(&mut spoke).unwrap();
        assert_eq!(Lost::take_from(&mut spoke).unwrap(), Some(lost));
        assert_eq!(spoke, json!({"metadata": {"name": "w"}}));
        let mut corrupt = json!({"metadata": {"annotations": {PRESERVED_ANNOTATION: "{oops"}}});
        let error = Lost::take_from(&mut corrupt).unwrap_err().to_string();
        assert!(error.contains(PRESERVED_ANNOTATION), "{error}");
    }
}
