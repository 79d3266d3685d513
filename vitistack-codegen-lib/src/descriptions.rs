//! Shortening the descriptions of a CRD's schemas: controller-gen's `crd:maxDescLen=N`, for
//! `Codegen::max_description_length` and `--max-description-length`.
//!
//! A CRD's size is mostly its descriptions. The apiserver keeps every CRD in memory and serves it
//! to every client that discovers the API, and a client-side `kubectl apply` copies the whole CRD
//! into its `kubectl.kubernetes.io/last-applied-configuration` annotation, which may hold 256 KB
//! at most. Shortening descriptions only changes what `kubectl explain` shows; validation is
//! untouched.

use serde_json::Value;

/// The schema keywords whose value is one subschema.
const SUBSCHEMA: [&str; 3] = ["items", "additionalProperties", "not"];
/// The schema keywords whose value is a list of subschemas.
const SUBSCHEMAS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Shortens every description in the schemas of `crd` (`spec.versions[].schema.openAPIV3Schema`)
/// to at most `max` characters: cut at the last whitespace before the limit and ended with
/// `...`, as controller-gen does. `0` removes the descriptions. Nothing else changes.
pub fn truncate_crd_descriptions(crd: &mut Value, max: usize) {
    let versions = crd
        .pointer_mut("/spec/versions")
        .and_then(Value::as_array_mut);
    for version in versions.into_iter().flatten() {
        if let Some(schema) = version.pointer_mut("/schema/openAPIV3Schema") {
            truncate_schema(schema, max);
        }
    }
}

/// Shortens the descriptions of `schema` and of every subschema in it.
fn truncate_schema(schema: &mut Value, max: usize) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    // Only a string under `description` is one: a property named `description` is an object
    // under `properties`, reached below as a subschema.
    if let Some(Value::String(text)) = object.get("description") {
        match shorten(text, max) {
            Some(short) if short.is_empty() => {
                object.remove("description");
            }
            Some(short) => {
                object.insert("description".to_owned(), Value::String(short));
            }
            None => {}
        }
    }
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        properties
            .values_mut()
            .for_each(|child| truncate_schema(child, max));
    }
    for key in SUBSCHEMA {
        if let Some(child) = object.get_mut(key) {
            truncate_schema(child, max);
        }
    }
    for key in SUBSCHEMAS {
        if let Some(Value::Array(children)) = object.get_mut(key) {
            children
                .iter_mut()
                .for_each(|child| truncate_schema(child, max));
        }
    }
}

/// `text` cut to `max` characters, or `None` when it already fits.
fn shorten(text: &str, max: usize) -> Option<String> {
    if text.chars().count() <= max {
        return None;
    }
    if max == 0 {
        return Some(String::new());
    }
    let cut: String = text.chars().take(max).collect();
    let ends_a_word = text.chars().nth(max).is_some_and(char::is_whitespace);
    // At a word boundary when there is one, as controller-gen does.
    let kept = match cut.rfind(char::is_whitespace) {
        _ if ends_a_word => cut.trim_end(),
        Some(end) if end > 0 => cut[..end].trim_end(),
        _ => cut.as_str(),
    };
    Some(format!("{kept}..."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crd(schema: Value) -> Value {
        json!({"spec": {"versions": [{"name": "v1", "schema": {"openAPIV3Schema": schema}}]}})
    }

    fn schema_of(crd: &Value) -> &Value {
        &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word_and_short_ones_kept() {
        let mut doc = crd(json!({
            "description": "The desired state of the attachment.",
            "properties": {
                "vlan": {"type": "integer", "description": "VLAN ID."},
                "list": {"type": "array", "items": {"type": "object", "description": "An item of the list."}},
                "map": {"type": "object", "additionalProperties": {"description": "Every value here."}},
            }
        }));
        truncate_crd_descriptions(&mut doc, 12);
        let schema = schema_of(&doc);
        assert_eq!(schema["description"], "The desired...");
        assert_eq!(schema["properties"]["vlan"]["description"], "VLAN ID.");
        assert_eq!(
            schema["properties"]["list"]["items"]["description"],
            "An item of..."
        );
        assert_eq!(
            schema["properties"]["map"]["additionalProperties"]["description"],
            "Every value..."
        );
    }

    #[test]
    fn zero_removes_descriptions_but_not_a_property_named_description() {
        let mut doc = crd(json!({
            "description": "Top.",
            "properties": {
                "description": {"type": "string", "description": "A field called description."},
                "either": {"anyOf": [{"description": "One."}, {"type": "integer"}]},
            }
        }));
        truncate_crd_descriptions(&mut doc, 0);
        assert_eq!(
            *schema_of(&doc),
            json!({
                "properties": {
                    "description": {"type": "string"},
                    "either": {"anyOf": [{}, {"type": "integer"}]},
                }
            })
        );
    }

    #[test]
    fn a_word_longer_than_the_limit_is_cut_inside_it() {
        assert_eq!(
            shorten("Supercalifragilistic", 5).as_deref(),
            Some("Super...")
        );
        assert_eq!(shorten("héllo wörld", 7).as_deref(), Some("héllo..."));
        assert_eq!(shorten("fits", 4), None);
        assert_eq!(
            shorten("The subnet on the VLAN", 10).as_deref(),
            Some("The subnet...")
        );
    }
}
