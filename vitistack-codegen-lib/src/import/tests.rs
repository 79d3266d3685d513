use super::*;
use serde_json::json;

fn crd(spec_schema: Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "listKind": "WidgetList"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1",
                "served": true,
                "storage": true,
                "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "description": "A widget.",
                    "required": ["spec"],
                    "properties": {
                        "apiVersion": {"type": "string"},
                        "kind": {"type": "string"},
                        "metadata": {"type": "object", "properties": {"name": {
                            "type": "string", "maxLength": 63, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
                        }}},
                        "spec": spec_schema,
                        "status": {
                            "type": "object",
                            "description": "Observed state of the Widget, written by its controller through the status subresource.",
                            "properties": {"phase": {"type": "string", "description": "Phase."}}
                        }
                    }
                }}
            }]
        }
    })
}

#[test]
fn a_keyword_it_cannot_express_is_an_error_naming_the_crd_and_the_path() {
    let schema = json!({"type": "object", "description": "Desired state of the Widget.", "properties": {"size": {"type": "integer", "format": "int64", "multipleOf": 2}}});
    let errors = import_crds(&[crd(schema)]).unwrap_err();
    assert_eq!(
        errors,
        ["CRD widgets.example.com: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size]: `multipleOf` is not imported yet"]
    );
}

#[test]
fn constraints_become_attributes_and_names_become_rust() {
    let schema = json!({"type": "object", "description": "Desired state of the Widget.", "required": ["type"], "properties": {
        "type": {"type": "string", "enum": ["a", "b"], "description": "The type."},
        "ipAddress": {"type": "string", "maxLength": 15, "pattern": "^[0-9.]+$"},
        "2fa-mode": {"type": "array", "items": {"type": "string", "minLength": 1}, "x-kubernetes-list-type": "set"}
    }});
    let files = import_crds(&[crd(schema)]).unwrap();
    let source = &files[0].source;
    assert!(
        source.contains("/// The type.\n#[viti(one_of(\"a\", \"b\"))]\npub r#type: String,"),
        "{source}"
    );
    assert!(source.contains("#[serde(rename = \"ipAddress\")]\n#[serde(skip_serializing_if = \"Option::is_none\")]\n#[viti(length(max = 15), pattern = \"^[0-9.]+$\")]\npub ip_address: Option<String>,"), "{source}");
    assert!(
        source.contains("#[serde(rename = \"2fa-mode\")]"),
        "{source}"
    );
    assert!(
        source.contains(
            "#[viti(list(set), each(length(min = 1)))]\npub _2fa_mode: Option<Vec<String>>,"
        ),
        "{source}"
    );
    assert_eq!(files[1].name, "mod.rs");
    assert!(
        files[1].source.contains("pub mod widget_v1;")
            && files[1].source.contains("widget_v1::Widget::crd(),")
    );
}

#[test]
fn nested_type_names_that_clash_get_a_suffix() {
    let schema = json!({"type": "object", "description": "Desired state of the Widget.", "properties": {
        "a": {"type": "object", "properties": {"b": {"type": "object", "properties": {"x": {"type": "boolean"}}}}},
        "aB": {"type": "object", "properties": {"y": {"type": "boolean"}}}
    }});
    let files = import_crds(&[crd(schema)]).unwrap();
    let source = &files[0].source;
    assert!(
        source.contains("pub struct WidgetSpecAB {")
            && source.contains("pub struct WidgetSpecAB2 {"),
        "{source}"
    );
}

#[test]
fn a_required_name_that_is_no_property_is_an_error() {
    let schema = json!({"type": "object", "description": "Desired state of the Widget.", "required": ["size"], "properties": {"x": {"type": "boolean", "description": "X."}}});
    let errors = import_crds(&[crd(schema)]).unwrap_err();
    assert_eq!(
        errors,
        ["CRD widgets.example.com: spec.versions[0].schema.openAPIV3Schema.properties[spec].required: \"size\" is not a property (not imported yet)"]
    );
}
