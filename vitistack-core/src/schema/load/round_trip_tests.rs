//! The loader's round trip (`render(load(s)) == s`) over real CRDs, and its errors.

use super::load;
use crate::schema::openapi::render;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// `s` with every `required` list sorted: `required` is a set, the model keeps it as a flag
/// per property (rendered in property order).
pub(super) fn normalized(s: &Value) -> Value {
    match s {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("required", Value::Array(names)) => {
                            let mut names = names.clone();
                            names.sort_by_key(|n| n.to_string());
                            Value::Array(names)
                        }
                        // Junctor branches and defaults are data, not schemas of the model.
                        ("default" | "example" | "enum", v) => v.clone(),
                        _ => normalized(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

/// Every CRD document under `dir` (recursively), with its file.
fn crds_under(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let docs: Vec<Value> = serde_saphyr::from_multiple(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for doc in docs {
                if doc.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition") {
                    out.push((path.clone(), doc));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Loads and renders every version's schema of every CRD under `dir`; returns how many schemas
/// it checked, failing with every mismatch.
fn round_trip_all(dir: &Path) -> usize {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, crd) in crds_under(dir) {
        let versions = crd["spec"]["versions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for version in versions {
            let schema = &version["schema"]["openAPIV3Schema"];
            let at = format!("{} {}", file.display(), version["name"]);
            checked += 1;
            match load(schema) {
                Ok(node) => {
                    let back = render(&node);
                    if normalized(&back) != normalized(schema) {
                        failures.push(format!(
                            "{at}: {}",
                            first_difference(&normalized(schema), &normalized(&back), "")
                        ));
                    }
                }
                Err(e) => failures.push(format!("{at}: {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} schemas do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
    checked
}

/// Where two JSON values first differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) if p == q => {}
                    (Some(p), Some(q)) => return first_difference(p, q, &format!("{path}/{key}")),
                    (p, q) => return format!("{path}/{key}: written {p:?}, rendered {q:?}"),
                }
            }
            String::new()
        }
        _ => format!("{path}: written {a}, rendered {b}"),
    }
}

#[test]
fn our_crds_round_trip() {
    let checked = round_trip_all(&workspace().join("crds"));
    assert!(checked >= 10, "only {checked} schemas under crds/");
}

#[test]
fn third_party_crds_round_trip() {
    let checked = round_trip_all(&workspace().join("tests/corpus/compat-history"));
    assert!(
        checked >= 50,
        "only {checked} schemas under tests/corpus/compat-history/"
    );
}

#[test]
fn every_new_keyword_round_trips() {
    let schema = json!({
        "type": "object",
        "title": "T",
        "x-kubernetes-preserve-unknown-fields": true,
        "properties": {
            "n": { "type": "number", "minimum": 0.5, "exclusiveMaximum": true, "maximum": 10, "multipleOf": 0.5, "nullable": true },
            "i": { "type": "integer", "minimum": 1, "exclusiveMinimum": false },
            "u": { "type": "integer", "format": "uint32" },
            "s": { "type": "string", "format": "uuid", "enum": ["a", 1, null], "example": "a" },
            "m": { "type": "object", "minProperties": 1, "maxProperties": 3, "additionalProperties": { "type": "string" } },
            "b": { "type": "object", "additionalProperties": false },
            "any": { "x-kubernetes-preserve-unknown-fields": true },
            "ios": { "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] },
            "l": { "type": "array", "x-kubernetes-list-type": "atomic", "items": { "type": "string" } },
            "e": { "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
            "v": { "type": "string", "x-kubernetes-validations": [
                { "rule": "self != 'x'", "messageExpression": "'no'", "reason": "FieldValueInvalid", "fieldPath": ".a", "optionalOldSelf": true },
                { "rule": "self != 'y'" }
            ] },
            "j": { "type": "string", "oneOf": [{ "pattern": "^a" }, { "pattern": "b$" }], "not": { "enum": ["ab"] } }
        },
        "required": ["n"]
    });
    let node = load(&schema).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(normalized(&render(&node)), normalized(&schema));
}

#[test]
fn errors_name_the_apiserver_path_and_are_all_collected() {
    let schema = json!({
        "type": "object",
        "properties": {
            "spec": { "type": "object", "properties": {
                "x": { "type": "strin" },
                "r": { "$ref": "#/definitions/x", "type": "string" },
                "a": { "type": "array" },
                "p": { "type": "object", "properties": { "q": { "type": "string" } }, "additionalProperties": false }
            } }
        }
    });
    let errors = load(&schema).err().unwrap_or_default();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "properties[spec].properties[a].items",
            "properties[spec].properties[p].additionalProperties",
            "properties[spec].properties[r].$ref",
            "properties[spec].properties[x].type",
        ]
    );
}

#[test]
fn hostile_depth_is_an_error_not_a_stack_overflow() {
    let mut schema = json!({ "type": "string" });
    for _ in 0..10_000 {
        // Built by hand: `json!` would serialize the nested value recursively.
        let mut outer = serde_json::Map::new();
        outer.insert("type".into(), json!("array"));
        outer.insert("items".into(), schema);
        schema = Value::Object(outer);
    }
    let errors = load(&schema).err().unwrap_or_default();
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert!(errors.0[0].message.contains("deeper than"), "{errors}");
    // serde_json's own recursive drop of the value is the test's, not the loader's.
    std::mem::forget(schema);
}

#[test]
fn junctors_hold_value_validations_only() {
    let schema = json!({
        "type": "object",
        "properties": {
            "spec": {
                "type": "string",
                "allOf": [{ "description": "x", "nullable": true, "default": "a" }],
                "anyOf": [{ "type": "string" }],
                "not": { "properties": { "a": { "x-kubernetes-validations": [{ "rule": "true" }] } } }
            },
            "ios": { "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] },
            "keep": { "type": "object", "x-kubernetes-preserve-unknown-fields": false }
        }
    });
    let errors = load(&schema).err().unwrap_or_default();
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "properties[keep].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined",
            "properties[spec].allOf[0].default: Forbidden: must be undefined to be structural",
            "properties[spec].allOf[0].description: Forbidden: must be empty to be structural",
            "properties[spec].allOf[0].nullable: Forbidden: must be false to be structural",
            "properties[spec].anyOf[0].type: Forbidden: must be empty to be structural",
            "properties[spec].not.properties[a].x-kubernetes-validations: Forbidden: must be empty to be structural",
        ]
    );
}

#[test]
fn list_and_map_types_are_checked_as_the_apiserver_does() {
    let keyed = |items: Value| json!({ "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"], "items": items });
    let schema = json!({
        "type": "object",
        "properties": {
            "a": keyed(json!({ "type": "object", "required": ["k"], "properties": { "k": { "type": "object" } } })),
            "b": keyed(json!({ "type": "object", "properties": { "z": { "type": "string" } } })),
            "c": keyed(json!({ "type": "string" })),
            "d": keyed(json!({ "type": "object", "properties": { "k": { "type": "string" } } })),
            "e": { "type": "array", "x-kubernetes-list-type": "set", "items": { "type": "object" } },
            "f": { "type": "array", "x-kubernetes-list-map-keys": ["k"], "items": { "type": "object", "required": ["k"], "properties": { "k": { "type": "string" } } } },
            "g": { "type": "string", "x-kubernetes-map-type": "atomic" },
            "h": { "type": "object", "x-kubernetes-map-type": "bogus" },
            "ok": keyed(json!({ "type": "object", "properties": { "k": { "type": "string", "default": "x" } } }))
        }
    });
    let errors = load(&schema).err().unwrap_or_default();
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "properties[a].items.properties[k].type: Invalid value: \"object\": must be a scalar type if parent array's x-kubernetes-list-type is map",
            "properties[b].x-kubernetes-list-map-keys: Invalid value: [\"k\"]: entries must all be names of item properties",
            "properties[c].items.type: Invalid value: \"string\": must be object if parent array's x-kubernetes-list-type is map",
            "properties[d].items.properties[k].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property",
            "properties[e].items.x-kubernetes-map-type: Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set",
            "properties[f].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty",
            "properties[g].type: Invalid value: \"string\": must be object if x-kubernetes-map-type is specified",
            "properties[h].x-kubernetes-map-type: Unsupported value: \"bogus\": supported values: \"atomic\", \"granular\"",
        ]
    );
}

/// The apiserver took every one of these CRDs, so each rule compiles against the schema it sits
/// on: the loaded node must type `self` (and `oldSelf`) as the apiserver does.
#[test]
fn every_rule_of_every_crd_compiles_against_its_loaded_schema() {
    let mut failures = Vec::new();
    let mut rules = 0;
    for dir in ["crds", "tests/corpus/compat-history"] {
        for (file, crd) in crds_under(&workspace().join(dir)) {
            for version in crd["spec"]["versions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
            {
                let Ok(node) = load(&version["schema"]["openAPIV3Schema"]) else {
                    continue;
                };
                rules += count_rules(&render(&node));
                for error in crate::cel::compile_all(&node) {
                    failures.push(format!("{} {}: {error:?}", file.display(), version["name"]));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rules >= 80, "only {rules} rules");
}

fn count_rules(schema: &Value) -> usize {
    match schema {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match (k.as_str(), v) {
                ("x-kubernetes-validations", Value::Array(entries)) => entries.len(),
                ("default" | "example" | "enum", _) => 0,
                _ => count_rules(v),
            })
            .sum(),
        Value::Array(items) => items.iter().map(count_rules).sum(),
        _ => 0,
    }
}
