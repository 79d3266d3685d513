//! The Kubernetes types' bridged schemas: structural (what the apiserver demands of a CRD),
//! with the markers Kubernetes declares, and checked by the Rust walk as the apiserver does.

use super::*;
use crate::schema::{json_schema, openapi};
use crate::validate::{check_value, Options};
use serde_json::{json, Value};

/// Every structural-schema violation in `schema` (a rendered CRD schema), by JSON pointer:
/// a `$ref`, a junctor, or a node with neither a `type` nor one of the two markers that stand
/// in for it.
fn structural_violations(schema: &Value, at: &str, found: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        return found.push(format!("{at}: not an object"));
    };
    for key in [
        "$ref",
        "anyOf",
        "oneOf",
        "allOf",
        "definitions",
        "$defs",
        "nullable",
    ] {
        if object.contains_key(key) {
            found.push(format!("{at}: {key}"));
        }
    }
    let typed = object.contains_key("type")
        || object.get("x-kubernetes-int-or-string") == Some(&json!(true))
        || object.get("x-kubernetes-preserve-unknown-fields") == Some(&json!(true));
    if !typed {
        found.push(format!("{at}: no type"));
    }
    if let Some(Value::Object(properties)) = object.get("properties") {
        for (name, child) in properties {
            structural_violations(child, &format!("{at}/properties/{name}"), found);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child @ Value::Object(_)) = object.get(key) {
            structural_violations(child, &format!("{at}/{key}"), found);
        }
    }
}

fn rendered<T: Schema>() -> Value {
    let schema = openapi::render(&T::schema());
    let mut found = Vec::new();
    structural_violations(&schema, "", &mut found);
    assert!(found.is_empty(), "not structural: {found:?}");
    schema
}

fn errors(node: &Node, value: Value) -> Vec<String> {
    check_value(node, &value, Options::default())
        .iter()
        .map(|e| format!("{} {:?}", e.path, e.kind))
        .collect()
}

fn condition(kind: &str, time: &str) -> Value {
    json!({"type": kind, "status": "True", "reason": "R", "message": "", "lastTransitionTime": time})
}

#[test]
fn conditions_are_a_list_map_keyed_by_type() {
    let schema = rendered::<Vec<Condition>>();
    assert_eq!(schema["x-kubernetes-list-type"], "map");
    assert_eq!(schema["x-kubernetes-list-map-keys"], json!(["type"]));
    assert!(schema["items"]["required"]
        .as_array()
        .is_some_and(|r| r.contains(&json!("type"))));
    assert_eq!(
        schema["items"]["properties"]["lastTransitionTime"]["format"],
        "date-time"
    );
    let node = <Vec<Condition>>::schema();
    let good = json!([condition("Ready", "2024-01-01T00:00:00Z")]);
    assert!(errors(&node, good).is_empty());
    let duplicate = json!([
        condition("Ready", "2024-01-01T00:00:00Z"),
        condition("Ready", "2024-01-01T00:00:00Z")
    ]);
    assert_eq!(errors(&node, duplicate), ["[1] Duplicate"]);
    let bad_time = json!([condition("Ready", "yesterday")]);
    assert_eq!(errors(&node, bad_time), ["[0].lastTransitionTime Invalid"]);
    let no_reason = json!([{"type": "Ready", "status": "True", "message": "", "lastTransitionTime": "2024-01-01T00:00:00Z"}]);
    assert_eq!(errors(&node, no_reason), ["[0].reason Required"]);
}

#[test]
fn int_or_string_is_the_marker_alone_and_refuses_other_types() {
    let schema = rendered::<IntOrString>();
    assert_eq!(schema["x-kubernetes-int-or-string"], true);
    assert!(schema.get("type").is_none(), "{schema}");
    assert!(schema["description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    let node = IntOrString::schema();
    assert!(errors(&node, json!(8080)).is_empty());
    assert!(errors(&node, json!("http")).is_empty());
    assert_eq!(errors(&node, json!(true)), [" TypeInvalid"]);
    assert_eq!(errors(&node, json!(1.5)), [" TypeInvalid"]);
    let (json_schema, _) = json_schema::render(&node);
    assert_eq!(json_schema["type"], json!(["integer", "string"]));
}

#[test]
fn quantity_is_int_or_string_with_the_quantity_pattern() {
    let schema = rendered::<Quantity>();
    assert_eq!(schema["x-kubernetes-int-or-string"], true);
    assert_eq!(schema["pattern"], crate::formats::QUANTITY_PATTERN);
    let node = Quantity::schema();
    for good in [json!("1.5Gi"), json!("500m"), json!(2), json!("1e3")] {
        assert!(errors(&node, good.clone()).is_empty(), "{good}");
    }
    assert_eq!(errors(&node, json!("1y")), [" Invalid"]);
    assert_eq!(errors(&node, json!(false)), [" TypeInvalid"]);
}

#[test]
fn time_is_a_date_time_string() {
    let schema = rendered::<Time>();
    assert_eq!(schema["type"], "string");
    assert_eq!(schema["format"], "date-time");
    assert_eq!(errors(&Time::schema(), json!("noon")), [" Invalid"]);
}

#[test]
fn label_selector_keeps_its_required_fields_and_string_maps() {
    let schema = rendered::<LabelSelector>();
    let expressions = &schema["properties"]["matchExpressions"];
    assert_eq!(expressions["type"], "array");
    assert_eq!(expressions["items"]["required"], json!(["key", "operator"]));
    assert_eq!(
        schema["properties"]["matchLabels"]["additionalProperties"]["type"],
        "string"
    );
    let node = LabelSelector::schema();
    let bad = json!({"matchExpressions": [{"key": "a"}], "matchLabels": {"x": 1}});
    assert_eq!(
        errors(&node, bad),
        [
            "matchExpressions[0].operator Required",
            "matchLabels.x TypeInvalid"
        ]
    );
}

#[test]
fn local_object_reference_is_an_object_with_a_name() {
    let schema = rendered::<LocalObjectReference>();
    assert_eq!(schema["properties"]["name"]["type"], "string");
    let node = LocalObjectReference::schema();
    assert_eq!(errors(&node, json!({"name": 3})), ["name TypeInvalid"]);
    assert_eq!(errors(&node, json!({"nmae": "x"})), ["nmae UnknownField"]);
}

#[test]
fn resource_requirements_map_names_to_quantities_and_key_claims_by_name() {
    let schema = rendered::<ResourceRequirements>();
    let limits = &schema["properties"]["limits"];
    assert_eq!(limits["type"], "object");
    assert_eq!(
        limits["additionalProperties"]["x-kubernetes-int-or-string"],
        true
    );
    assert_eq!(
        limits["additionalProperties"]["pattern"],
        crate::formats::QUANTITY_PATTERN
    );
    assert_eq!(
        schema["properties"]["claims"]["x-kubernetes-list-map-keys"],
        json!(["name"])
    );
    let node = ResourceRequirements::schema();
    let bad =
        json!({"limits": {"cpu": "2", "memory": "lots"}, "claims": [{"name": "a"}, {"name": "a"}]});
    assert_eq!(
        errors(&node, bad),
        ["claims[1] Duplicate", "limits.memory Invalid"]
    );
}

#[test]
fn pod_template_spec_is_structural_with_kubernetes_list_maps_and_a_full_object_meta() {
    let schema = rendered::<PodTemplateSpec>();
    let spec = &schema["properties"]["spec"]["properties"];
    let containers = &spec["containers"];
    assert_eq!(containers["x-kubernetes-list-type"], "map");
    assert_eq!(containers["x-kubernetes-list-map-keys"], json!(["name"]));
    // Kubernetes' own documentation stays at the top of the embedded type only (the cluster
    // serves the rest, and it would make the CRD too big for a client-side apply).
    assert!(schema["description"]
        .as_str()
        .is_some_and(|d| d.contains("pod")));
    let mut described = Vec::new();
    described_below(&schema, "", &mut described);
    assert_eq!(described, Vec::<String>::new());
    let container = &containers["items"]["properties"];
    assert_eq!(
        container["ports"]["x-kubernetes-list-map-keys"],
        json!(["containerPort"])
    );
    assert_eq!(
        container["env"]["x-kubernetes-list-map-keys"],
        json!(["name"])
    );
    assert_eq!(
        container["resources"]["properties"]["limits"]["additionalProperties"]
            ["x-kubernetes-int-or-string"],
        true
    );
    assert_eq!(
        spec["volumes"]["x-kubernetes-list-map-keys"],
        json!(["name"])
    );
    // The template's metadata keeps ObjectMeta's fields: a bare `type: object` would prune
    // its labels on the apiserver.
    let metadata = &schema["properties"]["metadata"]["properties"];
    assert_eq!(metadata["labels"]["additionalProperties"]["type"], "string");
    assert_eq!(metadata["finalizers"]["x-kubernetes-list-type"], "set");

    let node = PodTemplateSpec::schema();
    let good = json!({"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "a", "image": "x"}]}});
    assert!(errors(&node, good).is_empty());
    let bad = json!({"spec": {"containers": [
        {"name": "a", "ports": [{"containerPort": "http"}], "resources": {"requests": {"cpu": "1y"}}},
        {"name": "a"}
    ]}});
    assert_eq!(
        errors(&node, bad),
        [
            "spec.containers[0].ports[0].containerPort TypeInvalid",
            "spec.containers[0].resources.requests.cpu Invalid",
            "spec.containers[1] Duplicate",
        ]
    );
}

/// The paths of the descriptions below `schema` (its own not included).
fn described_below(schema: &Value, at: &str, found: &mut Vec<String>) {
    let children = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, child)| (format!("{at}.{name}"), child))
        .chain(["items", "additionalProperties"].iter().filter_map(|key| {
            schema
                .get(*key)
                .filter(|c| c.is_object())
                .map(|c| (format!("{at}[]"), c))
        }));
    for (path, child) in children {
        if child.get("description").is_some() {
            found.push(path.clone());
        }
        described_below(child, &path, found);
    }
}

#[test]
fn a_schemars_opt_in_keeps_every_kubernetes_description() {
    let (node, optional) = bridge::field::<Option<PodTemplateSpec>>(&Kubernetes);
    assert!(optional);
    let schema = openapi::render(&node);
    let mut described = Vec::new();
    described_below(&schema, "", &mut described);
    assert!(
        described.contains(&".spec.containers".to_string()),
        "{described:?}"
    );
}

#[test]
fn the_list_table_is_read_by_definition_and_property() {
    assert_eq!(
        list_type("io.k8s.api.core.v1.PodSpec", "containers"),
        Some(ListType::Map(vec!["name".into()]))
    );
    assert_eq!(
        list_type(
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "finalizers"
        ),
        Some(ListType::Set)
    );
    assert_eq!(list_type("io.k8s.api.core.v1.PodSpec", "tolerations"), None);
}
