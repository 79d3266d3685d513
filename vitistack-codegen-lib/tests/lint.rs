//! `lint_structural` / `lint_formats`: one fixture per violation kind, and clean CRDs.

mod common;

use common::{crd, crd_with_spec, ROOT};
use serde_json::{json, Value};
use vitistack_codegen_lib::{lint_crd, lint_formats, lint_structural, Finding, FindingKind};

fn kinds(findings: &[Finding]) -> Vec<FindingKind> {
    findings.iter().map(|f| f.kind).collect()
}

/// Lint a CRD whose `spec` property is `spec_schema`; expect exactly one finding of `kind` at
/// `.properties.spec<suffix>`.
fn expect_one(spec_schema: Value, kind: FindingKind, suffix: &str) -> Finding {
    let findings = lint_crd(&crd_with_spec(spec_schema));
    assert_eq!(kinds(&findings), vec![kind], "{findings:#?}");
    let f = findings.into_iter().next().unwrap();
    assert_eq!(f.path, format!("{ROOT}.properties.spec{suffix}"));
    f
}

#[test]
fn clean_crd_has_no_findings() {
    let schema = json!({
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 63, "format": "hostname"},
                    "created": {"type": "string", "format": "date-time"},
                    "vlan": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 4094},
                    "ratio": {"type": "number", "format": "double"},
                    "quantity": {
                        "x-kubernetes-int-or-string": true,
                        "anyOf": [{"type": "integer"}, {"type": "string"}],
                        "pattern": "^[0-9]+$"
                    },
                    "port": {
                        "x-kubernetes-int-or-string": true,
                        "allOf": [{"anyOf": [{"type": "integer"}, {"type": "string"}]}, {"maxLength": 5}]
                    },
                    "choice": {
                        "type": "object",
                        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
                        "not": {"required": ["c"]}
                    },
                    "raw": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                    "anything": {"x-kubernetes-preserve-unknown-fields": true},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "open": {"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": true},
                    "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
                    "nics": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
                    },
                    "template": {
                        "type": "object",
                        "x-kubernetes-embedded-resource": true,
                        "x-kubernetes-preserve-unknown-fields": true
                    },
                    "nullableField": {"type": "string", "nullable": true}
                }
            },
            "status": {"type": "object", "x-kubernetes-map-type": "atomic"}
        }
    });
    let findings = lint_crd(&crd("example.io", "Widget", "widgets", schema));
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn not_a_crd() {
    let findings = lint_structural(&json!({"apiVersion": "v1", "kind": "ConfigMap"}));
    assert_eq!(kinds(&findings), vec![FindingKind::NotACrd]);
    assert_eq!(kinds(&lint_crd(&json!(null))), vec![FindingKind::NotACrd]);
}

#[test]
fn missing_schema() {
    let mut c = crd_with_spec(json!({"type": "object"}));
    c["spec"]["versions"][0]
        .as_object_mut()
        .unwrap()
        .remove("schema");
    let findings = lint_structural(&c);
    assert_eq!(kinds(&findings), vec![FindingKind::MissingSchema]);
    assert_eq!(findings[0].path, "spec.versions[0]");
}

#[test]
fn missing_type() {
    let f = expect_one(
        json!({"type": "object", "properties": {"x": {"description": "no type"}}}),
        FindingKind::MissingType,
        ".properties.x",
    );
    assert!(f.message.contains("type is missing"), "{}", f.message);
    expect_one(
        json!({"type": "array", "items": {"minLength": 1}}),
        FindingKind::MissingType,
        ".items",
    );
}

#[test]
fn invalid_type() {
    expect_one(json!({"type": "null"}), FindingKind::InvalidType, "");
    expect_one(
        json!({"type": ["string", "null"]}),
        FindingKind::InvalidType,
        "",
    );
    expect_one(json!({"type": "date"}), FindingKind::InvalidType, "");
}

#[test]
fn root_must_be_object() {
    let findings = lint_structural(&crd("example.io", "W", "ws", json!({"type": "string"})));
    assert_eq!(kinds(&findings), vec![FindingKind::RootNotObject]);
    assert_eq!(findings[0].path, ROOT);
}

#[test]
fn forbidden_keywords() {
    for key in [
        "$ref",
        "definitions",
        "$defs",
        "patternProperties",
        "dependencies",
        "additionalItems",
        "id",
    ] {
        let mut schema = json!({"type": "object"});
        schema[key] = json!("#/x");
        let f = expect_one(schema, FindingKind::ForbiddenKeyword, "");
        assert!(f.message.starts_with(key), "{}", f.message);
    }
}

#[test]
fn unique_items() {
    expect_one(
        json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
        FindingKind::UniqueItems,
        "",
    );
    // false is harmless.
    let findings = lint_crd(&crd_with_spec(
        json!({"type": "array", "items": {"type": "string"}, "uniqueItems": false}),
    ));
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn preserve_unknown_fields_false() {
    expect_one(
        json!({"type": "object", "x-kubernetes-preserve-unknown-fields": false}),
        FindingKind::PreserveUnknownFieldsFalse,
        "",
    );
}

#[test]
fn arrays_need_single_schema_items() {
    expect_one(json!({"type": "array"}), FindingKind::MissingItems, "");
    expect_one(
        json!({"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}),
        FindingKind::TupleItems,
        "",
    );
}

#[test]
fn properties_and_additional_properties() {
    expect_one(
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}),
        FindingKind::PropertiesAndAdditionalProperties,
        "",
    );
    expect_one(
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false}),
        FindingKind::PropertiesAndAdditionalProperties,
        "",
    );
}

#[test]
fn additional_properties_at_root() {
    let findings = lint_structural(&crd(
        "example.io",
        "W",
        "ws",
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
    ));
    assert_eq!(
        kinds(&findings),
        vec![FindingKind::AdditionalPropertiesForbidden]
    );
}

#[test]
fn junctor_keywords() {
    for key in [
        "type",
        "default",
        "description",
        "title",
        "nullable",
        "additionalProperties",
        "x-kubernetes-validations",
        "x-kubernetes-preserve-unknown-fields",
    ] {
        let mut member = json!({"required": ["a"]});
        member[key] = json!("x");
        let schema =
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "anyOf": [member]});
        let f = expect_one(schema, FindingKind::JunctorKeyword, ".anyOf[0]");
        assert!(f.message.starts_with(key), "{}", f.message);
    }
    // Nested inside a junctor's properties, and in allOf/oneOf/not.
    expect_one(
        json!({"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [{"properties": {"a": {"type": "string"}}}]}),
        FindingKind::JunctorKeyword,
        ".allOf[0].properties.a",
    );
    expect_one(
        json!({"type": "string", "oneOf": [{"description": "x"}]}),
        FindingKind::JunctorKeyword,
        ".oneOf[0]",
    );
    expect_one(
        json!({"type": "string", "not": {"default": "x"}}),
        FindingKind::JunctorKeyword,
        ".not",
    );
    // The int-or-string exception applies only to exactly [{type: integer}, {type: string}].
    let findings = lint_crd(&crd_with_spec(
        json!({"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]}),
    ));
    assert_eq!(
        kinds(&findings),
        vec![FindingKind::JunctorKeyword; 2],
        "{findings:#?}"
    );
    assert!(findings[1].path.ends_with(".properties.spec.anyOf[1]"));
}

#[test]
fn metadata_inside_junctor() {
    let findings = lint_structural(&crd(
        "example.io",
        "W",
        "ws",
        json!({"type": "object", "properties": {"metadata": {"type": "object"}}, "anyOf": [{"properties": {"metadata": {"required": ["name"]}}}]}),
    ));
    assert_eq!(kinds(&findings), vec![FindingKind::JunctorKeyword]);
    assert_eq!(
        findings[0].path,
        format!("{ROOT}.anyOf[0].properties.metadata")
    );
}

#[test]
fn invalid_junctor() {
    expect_one(
        json!({"type": "string", "anyOf": {"type": "string"}}),
        FindingKind::InvalidJunctor,
        ".anyOf",
    );
}

#[test]
fn int_or_string_with_type() {
    expect_one(
        json!({"type": "string", "x-kubernetes-int-or-string": true}),
        FindingKind::IntOrString,
        "",
    );
}

#[test]
fn embedded_resource() {
    expect_one(
        json!({"type": "object", "x-kubernetes-embedded-resource": true}),
        FindingKind::EmbeddedResource,
        "",
    );
    expect_one(
        json!({"type": "string", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}),
        FindingKind::EmbeddedResource,
        "",
    );
}

#[test]
fn root_metadata_restricted() {
    let findings = lint_structural(&crd(
        "example.io",
        "W",
        "ws",
        json!({"type": "object", "properties": {"metadata": {"type": "object", "properties": {"labels": {"type": "object"}}}}}),
    ));
    assert_eq!(kinds(&findings), vec![FindingKind::Metadata]);
    assert_eq!(findings[0].path, format!("{ROOT}.properties.metadata"));
    let ok = lint_structural(&crd(
        "example.io",
        "W",
        "ws",
        json!({"type": "object", "properties": {"metadata": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20}}}}}),
    ));
    assert!(ok.is_empty(), "{ok:#?}");
    let kind = lint_structural(&crd(
        "example.io",
        "W",
        "ws",
        json!({"type": "object", "properties": {"kind": {"type": "integer"}}}),
    ));
    assert_eq!(kinds(&kind), vec![FindingKind::Metadata]);
}

#[test]
fn nullable_root() {
    let findings = lint_structural(&crd(
        "example.io",
        "W",
        "ws",
        json!({"type": "object", "nullable": true}),
    ));
    assert_eq!(kinds(&findings), vec![FindingKind::NullableRoot]);
}

#[test]
fn list_and_map_types() {
    expect_one(
        json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "bag"}),
        FindingKind::ListOrMapType,
        "",
    );
    expect_one(
        json!({"type": "array", "items": {"type": "object"}, "x-kubernetes-list-type": "map"}),
        FindingKind::ListOrMapType,
        "",
    );
    expect_one(
        json!({"type": "object", "x-kubernetes-list-type": "atomic"}),
        FindingKind::ListOrMapType,
        "",
    );
    expect_one(
        json!({"type": "string", "x-kubernetes-map-type": "atomic"}),
        FindingKind::ListOrMapType,
        "",
    );
}

#[test]
fn unknown_formats() {
    let f = expect_one(
        json!({"type": "object", "properties": {"vlan": {"type": "integer", "format": "uint16"}}}),
        FindingKind::UnknownFormat,
        ".properties.vlan",
    );
    assert_eq!(
        format!("crds/vitistack.io_machines.yaml: {f}"),
        format!(
            "crds/vitistack.io_machines.yaml: {ROOT}.properties.spec.properties.vlan: format \"uint16\" is not known to the apiserver (on type integer); it is stripped without validation"
        )
    );
    expect_one(
        json!({"type": "number", "format": "int32"}),
        FindingKind::UnknownFormat,
        "",
    );
    expect_one(
        json!({"type": "string", "format": "ip"}),
        FindingKind::UnknownFormat,
        "",
    );
    expect_one(
        json!({"type": "string", "format": "uri-reference"}),
        FindingKind::UnknownFormat,
        "",
    );
    expect_one(
        json!({"type": "boolean", "format": "int32"}),
        FindingKind::UnknownFormat,
        "",
    );
    expect_one(
        json!({"type": "string", "anyOf": [{"format": "regex"}]}),
        FindingKind::UnknownFormat,
        ".anyOf[0]",
    );
    // Formats are not a structural problem.
    let structural = lint_structural(&crd_with_spec(json!({"type": "string", "format": "ip"})));
    assert!(structural.is_empty());
    assert_eq!(
        lint_formats(&crd_with_spec(json!({"type": "string", "format": "ip"}))).len(),
        1
    );
}

#[test]
fn every_version_is_checked() {
    let mut c = crd_with_spec(json!({"type": "string"}));
    let mut v2 = c["spec"]["versions"][0].clone();
    v2["name"] = json!("v1");
    v2["schema"]["openAPIV3Schema"]["properties"]["spec"] =
        json!({"type": "string", "format": "uint8"});
    c["spec"]["versions"].as_array_mut().unwrap().push(v2);
    let findings = lint_crd(&c);
    assert_eq!(kinds(&findings), vec![FindingKind::UnknownFormat]);
    assert!(
        findings[0].path.starts_with("spec.versions[1]."),
        "{}",
        findings[0].path
    );
}

/// A size that may only grow, as the engine writes it.
fn grow_only() -> Value {
    json!({
        "type": "string",
        "maxLength": 64,
        "x-kubernetes-validations": [{"rule": "quantity(self).compareTo(quantity(oldSelf)) >= 0"}]
    })
}

#[test]
fn transition_rules_only_where_an_old_value_correlates() {
    // Inside the items of an atomic list (and of a set): the apiserver rejects the CRD.
    for list in [json!({}), json!({"x-kubernetes-list-type": "atomic"})] {
        // (bounded: below an unbounded list the rule would also be over the cost limit)
        let mut sizes = json!({
            "type": "array",
            "maxItems": 16,
            "items": {"type": "object", "properties": {"size": grow_only()}}
        });
        if let (Some(a), Some(b)) = (sizes.as_object_mut(), list.as_object()) {
            a.extend(b.clone());
        }
        let spec = json!({"type": "object", "properties": {"sizes": sizes}});
        let f = expect_one(
            spec,
            FindingKind::UncorrelatableTransitionRule,
            ".properties.sizes.items.properties.size",
        );
        assert!(f.message.contains("oldSelf"), "{f}");
    }
    // A value of an atomic map.
    let spec = json!({"type": "object", "properties": {"sizes": {
        "type": "object", "x-kubernetes-map-type": "atomic", "maxProperties": 16,
        "additionalProperties": grow_only()
    }}});
    expect_one(
        spec,
        FindingKind::UncorrelatableTransitionRule,
        ".properties.sizes.additionalProperties",
    );
    // A field, a list-map item's field, a granular map's value: fine (bounded lists and maps,
    // so that the rules are within the cost limit too).
    let spec = json!({"type": "object", "properties": {
        "root": grow_only(),
        "volumes": {
            "type": "array",
            "maxItems": 16,
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            "items": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "size": grow_only()
            }}
        },
        "byName": {"type": "object", "maxProperties": 16, "additionalProperties": grow_only()}
    }});
    assert_eq!(lint_crd(&crd_with_spec(spec)), vec![]);
}

#[test]
fn cel_rules_compile_against_their_schema() {
    // An unknown field, a type error and a syntax error: each a finding naming the kind, the
    // node and the rule, as the apiserver refuses the CRD.
    let spec = json!({
        "type": "object",
        "properties": {"replicas": {"type": "integer"}, "name": {"type": "string", "maxLength": 10}},
        "x-kubernetes-validations": [
            {"rule": "self.replicas >= 0", "message": "fine"},
            {"rule": "self.replicaz >= 0", "message": "unknown field"},
            {"rule": "self.name > 1", "message": "type error"},
            {"rule": "self.name ==", "message": "syntax error"},
        ]
    });
    let findings = lint_crd(&crd_with_spec(spec));
    assert_eq!(
        kinds(&findings),
        vec![FindingKind::CelRule; 3],
        "{findings:#?}"
    );
    for (f, i, words) in [
        (&findings[0], 1, "undefined field 'replicaz'"),
        (&findings[1], 2, "found no matching overload for '_>_'"),
        (&findings[2], 3, "Syntax error"),
    ] {
        assert_eq!(
            f.path,
            format!("{ROOT}.properties.spec.x-kubernetes-validations[{i}]")
        );
        assert!(f.message.starts_with("Widget: rule \"self."), "{f}");
        assert!(f.message.contains(words), "{f}");
    }
}

#[test]
fn cel_cost_over_budget_is_a_finding_with_the_apiservers_text_and_a_bound() {
    // O(n²) over a list without maxItems: the apiserver refuses it (`estimated rule cost exceeds
    // budget`); with maxItems 100 it fits.
    let spec = |max_items: Option<u64>| {
        let mut l = json!({"type": "array", "items": {"type": "integer"},
            "x-kubernetes-validations": [{"rule": "self.all(x, self.all(y, x == y))"}]});
        if let Some(m) = max_items {
            l["maxItems"] = json!(m);
        }
        json!({"type": "object", "properties": {"l": l}})
    };
    let findings = lint_crd(&crd_with_spec(spec(None)));
    let cost: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::CelCost)
        .collect();
    assert_eq!(cost.len(), 2, "{findings:#?}");
    assert_eq!(
        cost[0].path,
        format!("{ROOT}.properties.spec.properties.l.x-kubernetes-validations[0].rule")
    );
    for words in [
        "Widget: estimated rule cost exceeds budget by factor of more than 100x",
        "openAPIV3Schema.properties[spec].properties[l].x-kubernetes-validations[0].rule",
        "add maxItems: 1413 to spec.l",
    ] {
        assert!(cost[0].message.contains(words), "{}", cost[0]);
    }
    assert_eq!(cost[1].path, ROOT);
    assert!(
        cost[1]
            .message
            .contains("estimated rule cost total for entire OpenAPIv3 schema"),
        "{}",
        cost[1]
    );
    assert_eq!(lint_crd(&crd_with_spec(spec(Some(100)))), vec![]);
}
