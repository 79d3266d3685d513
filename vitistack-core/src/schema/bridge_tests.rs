//! The bridge on hand-written JSON Schemas of the shapes schemars generates.

use super::*;
use crate::schema::kubernetes::Kubernetes;
use crate::schema::openapi;
use serde_json::json;

fn bridged(schema: Value) -> Value {
    let node = node_from_json_schema(&schema, &Kubernetes).expect("bridged");
    openapi::render(&node)
}

fn refused(schema: Value) -> BridgeError {
    node_from_json_schema(&schema, &Kubernetes).expect_err("not structural")
}

#[test]
fn references_are_inlined_and_the_field_description_wins() {
    let schema = json!({
        "type": "object",
        "properties": {
            "inner": {"$ref": "#/$defs/Inner", "description": "the field's text"},
            "other": {"$ref": "#/$defs/Inner"}
        },
        "required": ["inner"],
        "$defs": {"Inner": {"description": "the type's text", "type": "object",
                            "properties": {"n": {"type": "integer", "format": "uint8", "minimum": 0, "maximum": 255}}}}
    });
    let out = bridged(schema);
    assert_eq!(
        out["properties"]["inner"]["description"],
        "the field's text"
    );
    assert_eq!(out["properties"]["other"]["description"], "the type's text");
    let n = &out["properties"]["inner"]["properties"]["n"];
    assert_eq!(n["format"], "int32");
    assert_eq!(
        (n["minimum"].clone(), n["maximum"].clone()),
        (json!(0), json!(255))
    );
    assert_eq!(out["required"], json!(["inner"]));
    assert!(!out.to_string().contains("$ref"));
}

#[test]
fn rust_integer_formats_get_their_range_and_openapi_ones_stay() {
    let int = |format: &str, extra: Value| {
        let mut schema = json!({"type": "integer", "format": format});
        if let (Some(s), Some(e)) = (schema.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        let out = bridged(schema);
        (
            out["format"].clone(),
            out.get("minimum").cloned(),
            out.get("maximum").cloned(),
        )
    };
    assert_eq!(
        int("uint32", json!({"minimum": 0})),
        (
            json!("int64"),
            Some(json!(0)),
            Some(json!(4_294_967_295u32))
        )
    );
    assert_eq!(
        int("uint16", json!({"minimum": 10})),
        (json!("int32"), Some(json!(10)), Some(json!(65535)))
    );
    assert_eq!(
        int("int8", json!({})),
        (json!("int32"), Some(json!(-128)), Some(json!(127)))
    );
    assert_eq!(
        int("uint", json!({"maximum": 9})),
        (json!("int64"), Some(json!(0)), Some(json!(9)))
    );
    assert_eq!(int("int32", json!({})), (json!("int32"), None, None));
    assert_eq!(int("int64", json!({})), (json!("int64"), None, None));
}

#[test]
fn optional_values_are_their_inner_schema() {
    let schema = json!({
        "type": "object",
        "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"anyOf": [{"$ref": "#/$defs/B"}, {"type": "null"}]}
        },
        "$defs": {"B": {"type": "boolean"}}
    });
    let out = bridged(schema);
    assert_eq!(out["properties"]["a"], json!({"type": "string"}));
    assert_eq!(out["properties"]["b"], json!({"type": "boolean"}));
}

#[test]
fn unit_enums_become_string_enums() {
    let one_of = json!({"oneOf": [{"const": "Up", "description": "up"}, {"const": "Down"}]});
    assert_eq!(
        bridged(one_of),
        json!({"type": "string", "enum": ["Up", "Down"]})
    );
    let plain = json!({"type": "string", "enum": ["a", "b"]});
    assert_eq!(bridged(plain)["enum"], json!(["a", "b"]));
}

#[test]
fn list_types_come_from_the_schema_or_unique_items() {
    let declared = json!({"type": "array", "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["id"],
        "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}});
    assert_eq!(
        bridged(declared)["x-kubernetes-list-map-keys"],
        json!(["id"])
    );
    let set = json!({"type": "array", "uniqueItems": true, "items": {"type": "string"}});
    assert_eq!(bridged(set)["x-kubernetes-list-type"], "set");
}

#[test]
fn a_declared_list_type_the_items_cannot_carry_is_an_error() {
    // Found by the `bridge` fuzz target's structural lint: each rendered as declared before,
    // and the apiserver refuses such a CRD.
    let list = |list_type: &str, keys: Value, items: Value| {
        json!({"type": "array", "x-kubernetes-list-type": list_type,
               "x-kubernetes-list-map-keys": keys, "items": items})
    };
    let keyed =
        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}});
    let optional = json!({"type": "object", "properties": {"id": {"type": "string"}}});
    for schema in [
        list("map", json!([]), keyed.clone()),
        list("map", json!(["id"]), optional),
        list("map", json!(["id"]), json!({"type": "string"})),
        list("set", json!(null), keyed.clone()),
    ] {
        let e = refused(schema);
        assert!(e.reason.contains("x-kubernetes-list-type"), "{e}");
    }
    let fine = bridged(list("map", json!(["id"]), keyed));
    assert_eq!(fine["x-kubernetes-list-map-keys"], json!(["id"]));
}

#[test]
fn a_kubernetes_list_map_whose_key_is_optional_stays_atomic() {
    // The apiserver refuses a list-map key that is neither required nor defaulted.
    let item = |required: Value| {
        json!({"type": "object", "required": required,
        "properties": {"name": {"type": "string"}}})
    };
    let pod_spec = |required: Value| {
        json!({
            "$ref": "#/$defs/io.k8s.api.core.v1.PodSpec",
            "$defs": {"io.k8s.api.core.v1.PodSpec": {"type": "object", "properties": {
                "containers": {"type": "array", "items": item(required)}}}}
        })
    };
    let keyed = bridged(pod_spec(json!(["name"])));
    assert_eq!(
        keyed["properties"]["containers"]["x-kubernetes-list-type"],
        "map"
    );
    let unkeyed = bridged(pod_spec(json!([])));
    assert!(unkeyed["properties"]["containers"]
        .get("x-kubernetes-list-type")
        .is_none());
}

#[test]
fn what_a_structural_schema_cannot_say_is_an_error_naming_the_path() {
    let recursive = json!({"type": "object", "properties": {"tree": {"$ref": "#/$defs/Tree"}},
        "$defs": {"Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}}}});
    let e = refused(recursive);
    assert_eq!(e.path, "tree.children[]");
    assert!(e.reason.contains("recursion"), "{e}");

    let untagged = json!({"type": "object", "properties": {"v": {"anyOf": [{"type": "string"}, {"type": "object", "properties": {}}]}}});
    assert_eq!(refused(untagged).path, "v");

    let flattened = json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}});
    assert!(refused(flattened).reason.contains("additionalProperties"));

    let tuple = json!({"type": "array", "prefixItems": [{"type": "string"}]});
    assert!(refused(tuple).reason.contains("tuple"));

    let missing = json!({"$ref": "#/$defs/Nowhere"});
    assert!(refused(missing).reason.contains("missing"));
}

/// A user type with a hand-written `JsonSchema`, as `#[derive(JsonSchema)]` would give it.
struct Port;

impl schemars::JsonSchema for Port {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Port".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "required": ["number"], "properties": {
            "number": {"type": "integer", "format": "uint16", "minimum": 0, "maximum": 65535},
            "protocol": {"oneOf": [{"const": "TCP"}, {"const": "UDP"}]}
        }})
    }
}

/// A user type whose schema is not structural (an untagged enum of two shapes).
struct Either;

impl schemars::JsonSchema for Either {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Either".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
    }
}

#[test]
fn a_field_is_optional_when_its_schema_admits_null() {
    let (node, optional) = field::<Port>(&Kubernetes);
    assert!(!optional);
    let out = openapi::render(&node);
    assert_eq!(out["properties"]["number"]["maximum"], 65535);
    assert_eq!(out["properties"]["protocol"]["enum"], json!(["TCP", "UDP"]));
    let (node, optional) = field::<Option<Port>>(&Kubernetes);
    assert!(optional);
    assert_eq!(openapi::render(&node), out);
}

#[test]
fn a_field_without_a_structural_schema_refuses_every_value_saying_why() {
    let (node, _) = field::<Either>(&Kubernetes);
    let out = openapi::render(&node);
    assert_eq!(out["x-kubernetes-validations"][0]["rule"], "false");
    assert!(out["description"]
        .as_str()
        .is_some_and(|d| d.contains("Either has no structural schema")));
    let report = crate::validate::check_value(&node, &json!({"a": 1}), Default::default());
    assert!(
        report[0].detail.contains("Either has no structural schema"),
        "{report:?}"
    );
}

/// Definitions `D0`..`D{levels - 1}`, each naming the next one twice; `D{levels}` is a string.
fn fanout(levels: usize) -> Value {
    let mut definitions = Map::new();
    for i in 0..levels {
        let next = json!({"$ref": format!("#/$defs/D{}", i + 1)});
        let body = json!({"type": "object", "properties": {"l": next, "r": next}});
        definitions.insert(format!("D{i}"), body);
    }
    definitions.insert(format!("D{levels}"), json!({"type": "string"}));
    json!({"$ref": "#/$defs/D0", "$defs": definitions})
}

fn count(node: &Node) -> usize {
    1 + match &node.ty {
        Type::Object { properties } => properties.iter().map(|p| count(&p.node)).sum(),
        Type::Array { items, .. } => count(items),
        Type::Map { values } => count(values),
        _ => 0,
    }
}

#[test]
fn references_that_inline_into_too_many_schemas_are_an_error_not_a_hang() {
    // Found writing the `bridge` fuzz target: 20 definitions of 80 bytes inline into 2^21
    // schemas (it ran out of memory before).
    let e = refused(fanout(20));
    assert!(e.reason.contains("more than 100000 schemas"), "{e}");
    // Within the bound the same shape is bridged.
    let node = node_from_json_schema(&fanout(10), &Kubernetes).expect("bridged");
    assert_eq!(count(&node), (1 << 11) - 1);
}

#[test]
fn a_chain_of_references_deeper_than_the_bound_is_an_error() {
    let chain = |length: usize| {
        let mut definitions = Map::new();
        for i in 0..length {
            let next = json!({"$ref": format!("#/$defs/D{}", i + 1)});
            definitions.insert(format!("D{i}"), json!({"type": "array", "items": next}));
        }
        definitions.insert(format!("D{length}"), json!({"type": "string"}));
        json!({"$ref": "#/$defs/D0", "$defs": definitions})
    };
    let e = refused(chain(MAX_DEPTH));
    assert!(e.reason.contains("nested deeper than 128"), "{e}");
    assert!(e.path.starts_with("[][][]"), "{e}");
    // Each link is two schemas deep (the `$ref` and the definition's body).
    assert!(node_from_json_schema(&chain(MAX_DEPTH / 2 - 2), &Kubernetes).is_ok());
}

/// `depth` schemas, each nested in the one before: arrays down to a string.
fn nested_arrays(depth: usize) -> Value {
    (1..depth).fold(
        json!({"type": "string"}),
        |inner, _| json!({"type": "array", "items": inner}),
    )
}

#[test]
fn the_depth_bound_is_exactly_128_schemas() {
    assert_eq!(MAX_DEPTH, 128);
    node_from_json_schema(&nested_arrays(128), &Kubernetes)
        .expect("128 nested schemas are within the bound");
    let e = refused(nested_arrays(129));
    assert!(e.reason.contains("nested deeper than 128"), "{e}");
}

#[test]
fn the_node_bound_is_exactly_100000_schemas() {
    assert_eq!(MAX_NODES, 100_000);
    // An object of `n - 1` string properties: `n` schemas.
    let object = |n: usize| {
        let properties: Map<String, Value> = (1..n)
            .map(|i| (format!("p{i}"), json!({"type": "string"})))
            .collect();
        json!({"type": "object", "properties": properties})
    };
    node_from_json_schema(&object(100_000), &Kubernetes)
        .expect("100000 schemas are within the bound");
    let e = refused(object(100_001));
    assert!(e.reason.contains("more than 100000 schemas"), "{e}");
}

#[test]
fn the_largest_kubernetes_type_bridged_is_far_within_the_bound() {
    let node =
        node_for::<k8s_openapi::api::core::v1::PodTemplateSpec>(&Kubernetes).expect("bridged");
    let n = count(&node);
    assert!((1_000..MAX_NODES / 5).contains(&n), "{n} schemas");
}
