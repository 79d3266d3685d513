//! Byte-stable output: recursively sorted object keys, pretty JSON.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// A view of a [`Value`] that serializes every object with its keys in sorted (byte-wise)
/// order, whatever the insertion order of the map (relevant when serde_json's
/// `preserve_order` feature is on somewhere in the build).
#[derive(Debug, Clone, Copy)]
pub struct Sorted<'a>(pub &'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Sorted(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut m = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, &Sorted(v))?;
                }
                m.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// A copy of `value` whose objects have their keys inserted in sorted order.
pub fn sort_keys(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sort_keys(v)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// Pretty JSON (2-space indent) with recursively sorted keys and a trailing newline.
pub fn to_json_pretty(value: &Value) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(&Sorted(value))?;
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_sorted_and_ends_with_newline() {
        let v = json!({"b": 1, "a": {"d": [1, {"z": 0, "y": 1}], "c": null}});
        let text = String::from_utf8(to_json_pretty(&v).unwrap()).unwrap();
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"c\": null,\n    \"d\": [\n      1,\n      {\n        \"y\": 1,\n        \"z\": 0\n      }\n    ]\n  },\n  \"b\": 1\n}\n"
        );
        assert_eq!(sort_keys(&v), v);
    }
}
