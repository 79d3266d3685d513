//! The walk on loaded CRD schemas: each keyword the loader brings beyond the derive's is
//! enforced (nullable, fractional and exclusive bounds, multipleOf, min/maxProperties, enums of
//! any value, junctors, preserve-unknown-fields on typed objects, additionalProperties false,
//! untyped nodes).

use super::{check_value, Options};
use crate::schema::load::load;
use serde_json::{json, Value};

/// The errors of `value` as `spec` of a resource (named `n`) whose `spec` schema is `spec`, one
/// line each.
fn errors(spec: Value, value: Value) -> Vec<String> {
    let schema = json!({ "type": "object", "properties": { "spec": spec } });
    let node = load(&schema).unwrap_or_else(|e| panic!("{e}"));
    let object = json!({ "metadata": { "name": "n" }, "spec": value });
    check_value(&node, &object, Options::default())
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn nullable_accepts_null_where_it_is_required_and_in_lists() {
    let spec = json!({
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": { "type": "string", "nullable": true },
            "l": { "type": "array", "items": { "type": "integer", "nullable": true } }
        }
    });
    assert_eq!(
        errors(spec.clone(), json!({ "a": null, "l": [1, null] })),
        Vec::<String>::new()
    );
    let mut strict = spec;
    strict["properties"]["l"]["items"]["nullable"] = json!(false);
    assert_eq!(
        errors(strict, json!({ "a": null, "l": [null] })),
        ["spec.l[0]: Invalid value: null: must be of type integer"]
    );
}

#[test]
fn fractional_and_exclusive_bounds() {
    let spec = json!({ "type": "number", "minimum": 0.5, "maximum": 2, "exclusiveMaximum": true });
    assert_eq!(errors(spec.clone(), json!(0.5)), Vec::<String>::new());
    assert_eq!(
        errors(spec.clone(), json!(0.25)),
        ["spec: Invalid value: 0.25: spec in body should be greater than or equal to 0.5"]
    );
    assert_eq!(
        errors(spec, json!(2)),
        ["spec: Invalid value: 2: spec in body should be less than 2"]
    );
    // Integer bounds on a number check fractions too.
    let spec = json!({ "type": "number", "maximum": 1 });
    assert_eq!(
        errors(spec, json!(1.5)),
        ["spec: Invalid value: 1.5: spec in body should be less than or equal to 1"]
    );
}

#[test]
fn multiple_of() {
    let spec = json!({ "type": "integer", "multipleOf": 4 });
    assert_eq!(errors(spec.clone(), json!(8)), Vec::<String>::new());
    assert_eq!(
        errors(spec, json!(6)),
        ["spec: Invalid value: 6: spec in body should be a multiple of 4"]
    );
    let spec = json!({ "type": "number", "multipleOf": 0.5 });
    assert_eq!(errors(spec.clone(), json!(1.5)), Vec::<String>::new());
    assert_eq!(
        errors(spec, json!(1.2)),
        ["spec: Invalid value: 1.2: spec in body should be a multiple of 0.5"]
    );
}

#[test]
fn min_and_max_properties() {
    let spec = json!({
        "type": "object", "minProperties": 1, "maxProperties": 2,
        "additionalProperties": { "type": "string" }
    });
    assert_eq!(
        errors(spec.clone(), json!({ "a": "x" })),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(spec.clone(), json!({})),
        ["spec: Invalid value: 0: spec in body should have at least 1 properties"]
    );
    // The test apiserver prunes the null before it counts.
    assert_eq!(
        errors(spec.clone(), json!({ "a": null })),
        ["spec: Invalid value: 0: spec in body should have at least 1 properties"]
    );
    assert_eq!(
        errors(spec, json!({ "a": "x", "b": "y", "c": "z" })),
        ["spec: Too many: 3: must have at most 2 items"]
    );
}

#[test]
fn enums_of_any_value() {
    let spec = json!({ "type": "integer", "enum": [1, 2] });
    assert_eq!(errors(spec.clone(), json!(2)), Vec::<String>::new());
    assert_eq!(
        errors(spec, json!(3)),
        ["spec: Unsupported value: 3: supported values: \"1\", \"2\""]
    );
}

/// Each expectation is the live apiserver's answer to the same schema and value (v1.37 test
/// server): the junctor's message at the root, and the errors of the branches it reports.
#[test]
fn junctors() {
    let spec = json!({ "type": "string", "anyOf": [{ "pattern": "^a" }, { "pattern": "b$" }] });
    assert_eq!(errors(spec.clone(), json!("ax")), Vec::<String>::new());
    assert_eq!(
        errors(spec, json!("xx")),
        [
            "Invalid value: \"\": \"spec\" must validate at least one schema (anyOf)",
            "spec: Invalid value: \"xx\": spec in body should match '^a'",
        ]
    );
    let spec = json!({ "type": "string", "oneOf": [{ "pattern": "^a" }, { "pattern": "b$" }] });
    assert_eq!(
        errors(spec.clone(), json!("ab")),
        ["Invalid value: \"\": \"spec\" must validate one and only one schema (oneOf). Found 2 valid alternatives"]
    );
    assert_eq!(
        errors(spec, json!("xx")),
        [
            "Invalid value: \"\": \"spec\" must validate one and only one schema (oneOf). Found none valid",
            "spec: Invalid value: \"xx\": spec in body should match '^a'",
        ]
    );
    let spec = json!({ "type": "integer", "not": { "enum": [0] } });
    assert_eq!(
        errors(spec, json!(0)),
        ["Invalid value: \"\": \"spec\" must not validate the schema (not)"]
    );
    let spec = json!({ "type": "object", "properties": { "a": { "type": "integer" } }, "allOf": [{ "required": ["a"] }] });
    assert_eq!(
        errors(spec, json!({})),
        [
            "spec.a: Required value",
            "Invalid value: \"\": \"spec\" must validate all the schemas (allOf). None validated",
        ]
    );
    let spec = json!({ "type": "integer", "allOf": [{ "minimum": 5 }, { "maximum": 3 }] });
    assert_eq!(
        errors(spec.clone(), json!(4)),
        [
            "spec: Invalid value: 4: spec in body should be greater than or equal to 5",
            "spec: Invalid value: 4: spec in body should be less than or equal to 3",
            "Invalid value: \"\": \"spec\" must validate all the schemas (allOf). None validated",
        ]
    );
    assert_eq!(
        errors(spec, json!(1)),
        [
            "spec: Invalid value: 1: spec in body should be greater than or equal to 5",
            "Invalid value: \"\": \"spec\" must validate all the schemas (allOf)",
        ]
    );
}

#[test]
fn int_or_string_with_its_any_of_form() {
    let spec = json!({ "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] });
    assert_eq!(errors(spec.clone(), json!(3)), Vec::<String>::new());
    assert_eq!(errors(spec, json!("3")), Vec::<String>::new());
}

#[test]
fn preserve_unknown_fields_on_a_typed_object_keeps_unknown_fields() {
    let spec = json!({
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": true,
        "properties": { "a": { "type": "integer" } }
    });
    assert_eq!(
        errors(spec.clone(), json!({ "a": 1, "b": 2 })),
        Vec::<String>::new()
    );
    // The declared properties are still checked.
    assert_eq!(
        errors(spec, json!({ "a": "x" })),
        ["spec.a: Invalid value: \"x\": must be of type integer"]
    );
    let closed = json!({ "type": "object", "properties": { "a": { "type": "integer" } } });
    assert_eq!(
        errors(closed, json!({ "b": 2 })),
        ["spec.b: Unknown field: field not declared in schema"]
    );
}

#[test]
fn additional_properties_false_forbids_undeclared_fields() {
    let spec = json!({ "type": "object", "additionalProperties": false });
    let schema = json!({ "type": "object", "properties": { "spec": spec } });
    let node = load(&schema).unwrap_or_else(|e| panic!("{e}"));
    // Also when unknown fields are otherwise allowed.
    let lenient = Options { strict: false };
    let report = check_value(
        &node,
        &json!({ "metadata": { "name": "n" }, "spec": { "b": 1 } }),
        lenient,
    );
    let lines: Vec<String> = report.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["spec: Invalid value: \"b\": spec.b in body is a forbidden property"]
    );
}

#[test]
fn an_untyped_preserved_node_takes_any_value() {
    let spec = json!({ "x-kubernetes-preserve-unknown-fields": true });
    for value in [json!(1), json!("x"), json!([1]), json!({ "a": { "b": 1 } })] {
        assert_eq!(errors(spec.clone(), value), Vec::<String>::new());
    }
}

#[test]
fn crd_validation_rules_run_on_the_cel_engine() {
    let spec = json!({
        "type": "object",
        "properties": { "a": { "type": "integer" }, "b": { "type": "integer" } },
        "x-kubernetes-validations": [{ "rule": "self.a <= self.b", "message": "a must not exceed b", "fieldPath": ".a", "reason": "FieldValueForbidden" }]
    });
    assert_eq!(
        errors(spec.clone(), json!({ "a": 1, "b": 2 })),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(spec, json!({ "a": 3, "b": 2 })),
        ["spec.a: Forbidden: a must not exceed b"]
    );
}

/// The errors of `value` against a loaded resource root `schema`.
fn root_errors(schema: Value, value: Value) -> Vec<String> {
    let node = load(&schema).unwrap_or_else(|e| panic!("{e}"));
    check_value(&node, &value, Options::default())
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn root_metadata_is_object_meta_with_the_declared_name_schema() {
    let schema = json!({
        "type": "object",
        "properties": {
            "metadata": { "type": "object", "properties": { "name": { "type": "string", "maxLength": 5 } } }
        }
    });
    let ok = json!({ "metadata": { "name": "abc", "namespace": "x", "labels": { "a": "b" } } });
    assert_eq!(root_errors(schema.clone(), ok), Vec::<String>::new());
    assert_eq!(
        root_errors(schema.clone(), json!({ "metadata": { "name": "abcdef" } })),
        ["metadata.name: Too long: may not be more than 5 characters"]
    );
    assert_eq!(
        root_errors(schema, json!({ "metadata": { "namespace": "x" } })),
        ["metadata.name: Required value: name or generateName is required"]
    );
    // What controller-gen writes: no constraint, ObjectMeta's fields all known.
    let plain = json!({ "type": "object", "properties": { "metadata": { "type": "object" } } });
    let ok = json!({ "metadata": { "name": "Any_Name", "finalizers": ["x"] } });
    assert_eq!(root_errors(plain, ok), Vec::<String>::new());
}

#[test]
fn root_metadata_may_declare_only_name_and_generate_name() {
    let schema = json!({
        "type": "object",
        "properties": { "metadata": { "type": "object", "properties": { "labels": { "type": "object" } } } }
    });
    let errors = load(&schema).err().unwrap_or_default();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["properties[metadata].properties[labels]"]);
}

#[test]
fn embedded_resources_need_api_version_kind_and_valid_metadata() {
    let spec = json!({
        "type": "object",
        "properties": {
            "template": { "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true }
        }
    });
    let ok = json!({ "template": { "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "a" }, "data": {} } });
    assert_eq!(errors(spec.clone(), ok), Vec::<String>::new());
    assert_eq!(
        errors(
            spec.clone(),
            json!({ "template": { "metadata": { "name": "a/b" } } })
        ),
        [
            "spec.template.apiVersion: Required value: must not be empty",
            "spec.template.kind: Required value: must not be empty",
            "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'",
        ]
    );
    assert_eq!(
        errors(spec, json!({ "template": { "apiVersion": "a/b/c", "kind": "Config_Map" } })),
        [
            "spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
            "spec.template.kind: Invalid value: \"Config_Map\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ]
    );
    // Declared or not, apiVersion, kind and metadata are never unknown fields there.
    let closed = json!({
        "type": "object",
        "properties": {
            "template": { "type": "object", "x-kubernetes-embedded-resource": true, "properties": { "data": { "type": "string" } } }
        }
    });
    let ok =
        json!({ "template": { "apiVersion": "v1", "kind": "X", "metadata": {}, "data": "d" } });
    assert_eq!(errors(closed, ok), Vec::<String>::new());
}

#[test]
fn exclusive_minimum_excludes_the_bound() {
    let spec = json!({ "type": "integer", "minimum": 1, "exclusiveMinimum": true });
    assert_eq!(errors(spec.clone(), json!(2)), Vec::<String>::new());
    assert_eq!(
        errors(spec, json!(1)),
        ["spec: Invalid value: 1: spec in body should be greater than 1"]
    );
}

#[test]
fn string_formats_are_checked_as_the_apiserver_words_them() {
    let spec = json!({ "type": "string", "format": "uuid" });
    assert_eq!(
        errors(spec.clone(), json!("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(spec, json!("nope")),
        ["spec: Invalid value: \"nope\": spec in body must be of type uuid: \"nope\""]
    );
    let spec = json!({ "type": "string", "format": "date-time" });
    assert_eq!(
        errors(spec, json!("2024-02-30T00:00:00Z")),
        ["spec: Invalid value: \"2024-02-30T00:00:00Z\": spec in body must be of type date-time: \"2024-02-30T00:00:00Z\""]
    );
    // What this tool does not check is said, never passed.
    let spec = json!({ "type": "string", "format": "email" });
    assert_eq!(
        errors(spec, json!("a@b.c")),
        ["spec: Invalid value: \"a@b.c\": unsupported: format email is not checked by this tool"]
    );
}

#[test]
fn required_may_name_a_field_the_schema_does_not_declare() {
    let spec = json!({ "type": "object", "required": ["x"], "x-kubernetes-preserve-unknown-fields": true, "properties": { "a": { "type": "string" } } });
    assert_eq!(
        errors(spec.clone(), json!({ "x": 1 })),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(spec, json!({ "a": "b" })),
        ["spec.x: Required value"]
    );
}

/// The live apiserver's answers: an integer written without a format is "(default format)",
/// and a fractional bound on an integer is reported on every value.
#[test]
fn integers_without_a_format_and_fractional_bounds_on_integers() {
    let spec = json!({ "type": "integer" });
    assert_eq!(
        errors(spec, json!(1.5)),
        [
            "spec: Invalid value: 1.5: must be of type integer",
            "Invalid value: \"\": Checked value must be of type integer (default format) in spec",
        ]
    );
    let spec = json!({ "type": "integer", "minimum": -1.5 });
    assert_eq!(
        errors(spec.clone(), json!(0)),
        ["Invalid value: \"\": Minimum boundary value must be of type integer (default format) in spec"]
    );
    assert_eq!(
        errors(spec, json!(-2)),
        [
            "Invalid value: \"\": Minimum boundary value must be of type integer (default format) in spec",
            "spec: Invalid value: -2: spec in body should be greater than or equal to -1.5",
        ]
    );
}

#[test]
fn a_root_schema_without_metadata_still_has_object_meta() {
    let schema = json!({ "type": "object", "properties": { "spec": { "type": "object" } } });
    let ok = json!({ "metadata": { "name": "a", "namespace": "b" }, "spec": {} });
    assert_eq!(root_errors(schema.clone(), ok), Vec::<String>::new());
    assert_eq!(
        root_errors(schema, json!({ "metadata": { "namespace": "b" } })),
        ["metadata.name: Required value: name or generateName is required"]
    );
}

/// The test apiserver's answers: a nullable enum takes `null` only when it lists it, and an
/// embedded resource's metadata has only ObjectMeta's fields (strict decoding).
#[test]
fn nullable_enums_and_embedded_metadata_fields() {
    let spec = json!({ "type": "string", "nullable": true, "enum": ["a", "b"] });
    assert_eq!(
        errors(spec, json!(null)),
        ["spec: Unsupported value: null: supported values: \"a\", \"b\""]
    );
    let spec = json!({ "type": "object", "x-kubernetes-embedded-resource": true, "properties": { "data": { "type": "string" } } });
    let value = json!({ "apiVersion": "v1", "kind": "X", "metadata": { "name": "a", "bogus": 1 } });
    assert_eq!(
        errors(spec, value),
        ["spec.metadata.bogus: Unknown field: field not declared in schema"]
    );
}
