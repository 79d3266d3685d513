//! Rewrite CRDs (from any generator) so every `format` is one the apiserver knows.
//!
//! For every schema node in `spec.versions[*].schema.openAPIV3Schema` (and a v1beta1
//! `spec.validation.openAPIV3Schema`), walking `properties`, `items`, `additionalProperties`,
//! `allOf`/`anyOf`/`oneOf` members and `not`:
//!
//! * `type: integer` with a format other than `int32`/`int64` gets `int32` or `int64` plus
//!   explicit `minimum`/`maximum` for the source type's range, intersected with existing bounds
//!   (an existing tighter bound is kept, never loosened):
//!
//!   | source format | becomes | bounds |
//!   |---|---|---|
//!   | `int8` | `int32` | -128..127 |
//!   | `uint8` | `int32` | 0..255 |
//!   | `int16` | `int32` | -32768..32767 |
//!   | `uint16` | `int32` | 0..65535 |
//!   | `uint32` | `int64` | 0..4294967295 |
//!   | `uint64`, `uint`, `usize`, `uint128` | `int64` | minimum 0 |
//!   | `int`, `isize`, `int128` | `int64` | none |
//!   | other `intN`/`uintN` | by width as above | by width |
//!   | anything else | `int64` | none |
//!
//! * On `type: integer`, float bounds (schemars writes `minimum: 0.0`) become integers
//!   (non-integral ones are rounded inwards, dropping a then-redundant `exclusiveMinimum`).
//! * `type: number` with a format other than `float`/`double`: the format is dropped.
//! * Any other node (string, untyped, boolean, ...) with a format the apiserver does not know
//!   (e.g. `ip`, `uri-reference`, `regex`): the format is dropped (the apiserver would strip
//!   it silently anyway).
//!
//! Nothing else is touched (`nullable` included). The rewrite is idempotent.

use std::fmt;

use serde_json::{Map, Number, Value};

use crate::formats::{is_known_format, INTEGER_FORMATS, NUMBER_FORMATS};
use crate::lint::is_crd_any_version;
use crate::path::JsonPath;
use crate::yaml::{parse_document, split_documents, to_yaml};
use crate::Error;
use vitistack_types::schema::integer_width;

/// One rewrite done by [`sanitize_crd`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Dotted JSON path of the rewritten schema node (relative to the document).
    pub path: String,
    /// What was done, e.g. `format "uint16" -> "int32"; added minimum 0; added maximum 65535`.
    pub description: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.description)
    }
}

/// Sanitize one document in place. A CustomResourceDefinition (`apiextensions.k8s.io/*`) is
/// rewritten as described in the [module docs](self); a `kind: List` has its CRD items
/// rewritten; anything else is left untouched. Returns what was changed (empty when nothing
/// was).
pub fn sanitize_crd(doc: &mut Value) -> Vec<Change> {
    let mut changes = Vec::new();
    let root = JsonPath::root();
    if is_crd_any_version(doc) {
        sanitize_one(doc, &root, &mut changes);
    } else if doc.get("kind").and_then(Value::as_str) == Some("List") {
        if let Some(items) = doc.get_mut("items").and_then(Value::as_array_mut) {
            for (i, item) in items.iter_mut().enumerate() {
                if is_crd_any_version(item) {
                    sanitize_one(item, &root.key("items").index(i), &mut changes);
                }
            }
        }
    }
    changes
}

fn sanitize_one(crd: &mut Value, base: &JsonPath, changes: &mut Vec<Change>) {
    let spec_path = base.key("spec");
    let Some(spec) = crd.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(s) = spec
        .get_mut("validation")
        .and_then(|v| v.get_mut("openAPIV3Schema"))
    {
        walk(
            s,
            &spec_path.key("validation").key("openAPIV3Schema"),
            changes,
        );
    }
    if let Some(versions) = spec.get_mut("versions").and_then(Value::as_array_mut) {
        for (i, version) in versions.iter_mut().enumerate() {
            if let Some(s) = version
                .get_mut("schema")
                .and_then(|s| s.get_mut("openAPIV3Schema"))
            {
                let path = spec_path
                    .key("versions")
                    .index(i)
                    .key("schema")
                    .key("openAPIV3Schema");
                walk(s, &path, changes);
            }
        }
    }
}

fn walk(node: &mut Value, path: &JsonPath, changes: &mut Vec<Change>) {
    let Some(obj) = node.as_object_mut() else {
        return;
    };
    fix_node(obj, path, changes);
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        let ppath = path.key("properties");
        for (k, v) in props.iter_mut() {
            walk(v, &ppath.key(k), changes);
        }
    }
    match obj.get_mut("items") {
        Some(Value::Array(items)) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, &path.key("items").index(i), changes);
            }
        }
        Some(v) => walk(v, &path.key("items"), changes),
        None => {}
    }
    if let Some(v) = obj.get_mut("additionalProperties") {
        walk(v, &path.key("additionalProperties"), changes);
    }
    for j in ["allOf", "anyOf", "oneOf"] {
        if let Some(members) = obj.get_mut(j).and_then(Value::as_array_mut) {
            for (i, v) in members.iter_mut().enumerate() {
                walk(v, &path.key(j).index(i), changes);
            }
        }
    }
    if let Some(v) = obj.get_mut("not") {
        walk(v, &path.key("not"), changes);
    }
}

/// The `int32`/`int64` replacement and the range of an integer format the apiserver does not
/// know (`uint8`, `int16`, `usize`, ...): the engine's width table, the one the derive uses for
/// Rust integers, so both write the same bounds.
fn integer_target(format: &str) -> (&'static str, Option<i64>, Option<i64>) {
    let (signed, digits) = match format {
        "int" | "isize" => (true, "64"),
        "uint" | "usize" => (false, "64"),
        other => match other.strip_prefix("uint") {
            Some(digits) => (false, digits),
            None => (true, other.strip_prefix("int").unwrap_or("")),
        },
    };
    match digits.parse::<u32>() {
        Ok(bits) if bits > 0 => {
            let (format, min, max) = integer_width(bits, signed);
            (format.as_str(), min, max)
        }
        _ => ("int64", None, None),
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn show(v: &Value) -> String {
    v.to_string()
}

/// Write an integral float bound on an integer node as an integer; round a non-integral one
/// inwards. Returns a description of what was done.
fn integer_bound(
    obj: &mut Map<String, Value>,
    key: &str,
    exclusive_key: &str,
    lower: bool,
) -> Option<String> {
    let Some(Value::Number(n)) = obj.get(key) else {
        return None;
    };
    if !n.is_f64() {
        return None;
    }
    let f = n.as_f64()?;
    if !f.is_finite() {
        return None;
    }
    let rounded = if lower { f.ceil() } else { f.floor() };
    // i64 range check in f64: [-2^63, 2^63).
    if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&rounded) {
        return None;
    }
    let old = n.to_string();
    let int = rounded as i64;
    obj.insert(key.to_owned(), Value::Number(Number::from(int)));
    if rounded == f {
        Some(format!("{key} {old} written as integer {int}"))
    } else {
        let mut d = format!("{key} {old} rounded to integer {int}");
        if obj.get(exclusive_key) == Some(&Value::Bool(true)) {
            obj.remove(exclusive_key);
            d.push_str(&format!(" (dropped {exclusive_key})"));
        }
        Some(d)
    }
}

/// Intersect the node's `key` bound with `bound`; returns a description.
fn intersect_bound(
    obj: &mut Map<String, Value>,
    key: &str,
    exclusive_key: &str,
    bound: i64,
    lower: bool,
) -> String {
    match obj.get(key) {
        Some(existing) if as_f64(existing).is_some() => {
            let e = as_f64(existing).unwrap_or_default();
            let tighter_or_equal = if lower {
                e >= bound as f64
            } else {
                e <= bound as f64
            };
            if tighter_or_equal {
                format!("kept {key} {}", show(existing))
            } else {
                let old = show(existing);
                obj.insert(key.to_owned(), Value::Number(Number::from(bound)));
                let mut d = format!("{key} {old} tightened to {bound}");
                if obj.get(exclusive_key) == Some(&Value::Bool(true)) {
                    obj.remove(exclusive_key);
                    d.push_str(&format!(" (dropped {exclusive_key})"));
                }
                d
            }
        }
        Some(existing) => {
            let old = show(existing);
            obj.insert(key.to_owned(), Value::Number(Number::from(bound)));
            format!("non-numeric {key} {old} replaced by {bound}")
        }
        None => {
            obj.insert(key.to_owned(), Value::Number(Number::from(bound)));
            format!("added {key} {bound}")
        }
    }
}

fn fix_node(obj: &mut Map<String, Value>, path: &JsonPath, changes: &mut Vec<Change>) {
    let ty = obj.get("type").and_then(Value::as_str).map(str::to_owned);
    let mut done: Vec<String> = Vec::new();
    match ty.as_deref() {
        Some("integer") => {
            if let Some(format) = obj.get("format").cloned() {
                let known = format
                    .as_str()
                    .is_some_and(|f| INTEGER_FORMATS.contains(&f));
                if !known {
                    let (target, min, max) = integer_target(format.as_str().unwrap_or(""));
                    obj.insert("format".to_owned(), Value::String(target.to_owned()));
                    done.push(format!("format {} -> \"{target}\"", show(&format)));
                    // Make existing float bounds integers first so the comparison below and the
                    // output agree.
                    done.extend(integer_bound(obj, "minimum", "exclusiveMinimum", true));
                    done.extend(integer_bound(obj, "maximum", "exclusiveMaximum", false));
                    if let Some(min) = min {
                        done.push(intersect_bound(
                            obj,
                            "minimum",
                            "exclusiveMinimum",
                            min,
                            true,
                        ));
                    }
                    if let Some(max) = max {
                        done.push(intersect_bound(
                            obj,
                            "maximum",
                            "exclusiveMaximum",
                            max,
                            false,
                        ));
                    }
                }
            }
            done.extend(integer_bound(obj, "minimum", "exclusiveMinimum", true));
            done.extend(integer_bound(obj, "maximum", "exclusiveMaximum", false));
        }
        Some("number") => {
            if let Some(format) = obj.get("format") {
                let known = format.as_str().is_some_and(|f| NUMBER_FORMATS.contains(&f));
                if !known {
                    done.push(format!(
                        "dropped format {} (type number allows only float, double)",
                        show(format)
                    ));
                    obj.remove("format");
                }
            }
        }
        other => {
            if let Some(format) = obj.get("format") {
                let known = format.as_str().is_some_and(|f| is_known_format(other, f));
                if !known {
                    done.push(format!(
                        "dropped format {} (not known to the apiserver{})",
                        show(format),
                        other.map(|t| format!(" on type {t}")).unwrap_or_default()
                    ));
                    obj.remove("format");
                }
            }
        }
    }
    if !done.is_empty() {
        changes.push(Change {
            path: path.render(),
            description: done.join("; "),
        });
    }
}

/// A change in one document of a YAML stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentChange {
    /// 1-based number of the document among the stream's non-empty documents.
    pub document: usize,
    /// The document's `metadata.name`, if it has one.
    pub name: Option<String>,
    /// What was changed.
    pub change: Change,
}

impl fmt::Display for DocumentChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "document {} ({n}): {}", self.document, self.change),
            None => write!(f, "document {}: {}", self.document, self.change),
        }
    }
}

/// The result of [`sanitize_yaml_stream`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanitizedStream {
    /// The rewritten stream.
    pub output: String,
    /// Everything that was changed, in document order.
    pub changes: Vec<DocumentChange>,
}

/// Sanitize every CRD in a multi-document YAML stream (see [`sanitize_crd`]).
///
/// Documents that need no change (non-CRDs, already clean CRDs, empty documents) are copied
/// byte-for-byte, comments included; a changed CRD is re-emitted as YAML with sorted keys,
/// keeping its leading comments and `---` line. So the output is byte-stable and
/// `sanitize(sanitize(x)) == sanitize(x)`. Errors name `source_name` and the line.
pub fn sanitize_yaml_stream(text: &str, source_name: &str) -> Result<SanitizedStream, Error> {
    let mut output = String::with_capacity(text.len());
    let mut changes = Vec::new();
    let mut number = 0usize;
    for doc in split_documents(text) {
        let Some(mut value) = parse_document(&doc, source_name)? else {
            output.push_str(doc.text);
            continue;
        };
        number += 1;
        let doc_changes = sanitize_crd(&mut value);
        if doc_changes.is_empty() {
            output.push_str(doc.text);
            continue;
        }
        let name = value
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        output.push_str(doc.prefix);
        if !doc.prefix.is_empty() && !doc.prefix.ends_with('\n') {
            output.push('\n');
        }
        if doc.marker_has_content {
            output.push_str("---\n");
        }
        output.push_str(&to_yaml(&value)?);
        output.push_str(doc.suffix);
        changes.extend(doc_changes.into_iter().map(|change| DocumentChange {
            document: number,
            name: name.clone(),
            change,
        }));
    }
    Ok(SanitizedStream { output, changes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_targets() {
        assert_eq!(integer_target("uint8"), ("int32", Some(0), Some(255)));
        assert_eq!(
            integer_target("uint24"),
            ("int32", Some(0), Some(16_777_215))
        );
        assert_eq!(
            integer_target("int24"),
            ("int32", Some(-8_388_608), Some(8_388_607))
        );
        assert_eq!(
            integer_target("uint32"),
            ("int64", Some(0), Some(4_294_967_295))
        );
        assert_eq!(integer_target("u32"), ("int64", None, None));
        assert_eq!(integer_target("uint256"), ("int64", Some(0), None));
        assert_eq!(integer_target("int128"), ("int64", None, None));
        assert_eq!(integer_target("weird"), ("int64", None, None));
        assert_eq!(integer_target("int0"), ("int64", None, None));
    }

    #[test]
    fn non_integral_float_bounds_round_inwards() {
        let mut obj = serde_json::json!({"type": "integer", "minimum": 0.5, "exclusiveMinimum": true, "maximum": 9.5})
            .as_object()
            .cloned()
            .unwrap();
        let mut changes = Vec::new();
        fix_node(&mut obj, &JsonPath::root(), &mut changes);
        assert_eq!(
            Value::Object(obj),
            serde_json::json!({"type": "integer", "minimum": 1, "maximum": 9})
        );
        assert_eq!(changes.len(), 1);
    }
}
