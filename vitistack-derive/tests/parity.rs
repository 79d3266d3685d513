//! The rows of the parity table (crate docs, "controller-gen and kube-derive"): each attribute
//! that stands for a controller-gen marker or a kube-derive attribute renders what that marker
//! renders, and `validate()` enforces it as the apiserver does. Expected CRD text is
//! controller-gen v0.23.0's for the marker (`pkg/crd/markers/*.go`), written by hand here; the
//! apiserver's verdicts on the same rows are `tests/tests/derive_parity.rs`'s.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use vitistack_types::report::ErrorKind;
use vitistack_types::schema::openapi::render;
use vitistack_types::{Schema, Validate};

/// The CRD form of a type's schema.
fn openapi<T: Schema>() -> Value {
    render(&T::schema())
}

/// The paths and messages of `validate()`'s errors.
fn errors(value: &impl Validate) -> Vec<(String, String)> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .errors()
            .iter()
            .map(|e| (e.path.clone(), e.detail.clone()))
            .collect(),
    }
}

// --- ExactlyOneOf / AtMostOneOf / AtLeastOneOf -------------------------------------------------

/// A probe with one-of groups.
#[derive(Default, Serialize, Deserialize, Schema)]
#[viti(exactly_one_of("http", "grpc"))]
#[viti(at_most_one_of("http", "tcp"))]
#[viti(at_least_one_of("grpc", "tcp"))]
pub struct Probe {
    /// HTTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// gRPC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc: Option<String>,
    /// TCP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
}

#[test]
fn one_of_groups_are_controller_gens_cel() {
    assert_eq!(
        openapi::<Probe>()["x-kubernetes-validations"],
        json!([
            {"rule": "(has(self.http)?1:0)+(has(self.grpc)?1:0) == 1",
             "message": "exactly one of the fields in [http grpc] must be set"},
            {"rule": "(has(self.http)?1:0)+(has(self.tcp)?1:0) <= 1",
             "message": "at most one of the fields in [http tcp] may be set"},
            {"rule": "has(self.grpc)||has(self.tcp)",
             "message": "at least one of the fields in [grpc tcp] must be set"},
        ])
    );
}

#[test]
fn one_of_groups_validate() {
    let set = |http: bool, grpc: bool, tcp: bool| Probe {
        http: http.then(|| "h".to_string()),
        grpc: grpc.then(|| "g".to_string()),
        tcp: tcp.then(|| "t".to_string()),
    };
    assert_eq!(errors(&set(false, true, false)), []);
    assert_eq!(
        errors(&set(false, false, false)),
        [
            (
                String::new(),
                "exactly one of the fields in [http grpc] must be set".to_string()
            ),
            (
                String::new(),
                "at least one of the fields in [grpc tcp] must be set".to_string()
            ),
        ]
    );
    assert_eq!(
        errors(&set(true, false, true)),
        [(
            String::new(),
            "at most one of the fields in [http tcp] may be set".to_string()
        )]
    );
}

// --- XValidation: messageExpression, reason, fieldPath, optionalOldSelf -----------------------

/// A replica count with a CEL rule using every option of `XValidation`.
#[derive(Serialize, Deserialize, Schema)]
#[viti(cel(
    rule = "!has(oldSelf.replicas) || self.replicas >= oldSelf.replicas",
    message = "replicas may not go down",
    message_expression = "'replicas may not go down from ' + string(oldSelf.replicas)",
    reason = "forbidden",
    field_path = ".replicas",
    optional_old_self = true
))]
pub struct Replicas {
    /// Replicas.
    pub replicas: i32,
}

#[test]
fn x_validation_options_render_as_controller_gen() {
    assert_eq!(
        openapi::<Replicas>()["x-kubernetes-validations"],
        json!([{
            "rule": "!has(oldSelf.replicas) || self.replicas >= oldSelf.replicas",
            "message": "replicas may not go down",
            "messageExpression": "'replicas may not go down from ' + string(oldSelf.replicas)",
            "reason": "FieldValueForbidden",
            "fieldPath": ".replicas",
            "optionalOldSelf": true,
        }])
    );
}

// --- #[derive(CustomResource)]: printer columns, selectable fields, scale -----------------------

/// A scalable kind's status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct PoolStatus {
    /// Replicas running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// The label selector of the replicas, as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
}

/// A pool of replicas.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, Schema, vitistack_types::CustomResource,
)]
#[crd(
    group = "parity.example.dev",
    version = "v1",
    kind = "Pool",
    status = "PoolStatus",
    namespaced,
    printcolumn(
        name = "Replicas",
        type = "integer",
        json_path = ".spec.replicas",
        priority = 1,
        format = "int32"
    ),
    selectable = ".spec.color",
    selectable = ".spec.replicas",
    scale(
        spec_replicas_path = ".spec.replicas",
        status_replicas_path = ".status.replicas",
        label_selector_path = ".status.selector"
    )
)]
pub struct PoolSpec {
    /// Replicas wanted.
    pub replicas: i32,
    /// A color.
    pub color: String,
}

#[test]
fn printcolumn_selectable_fields_and_scale_render_as_controller_gen() {
    use vitistack_types::crd::CustomResourceKind;
    let crd = Pool::crd();
    let version = &crd["spec"]["versions"][0];
    assert_eq!(
        version["additionalPrinterColumns"],
        json!([{"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas", "priority": 1, "format": "int32"}])
    );
    assert_eq!(
        version["selectableFields"],
        json!([{"jsonPath": ".spec.color"}, {"jsonPath": ".spec.replicas"}])
    );
    assert_eq!(
        version["subresources"],
        json!({"status": {}, "scale": {
            "specReplicasPath": ".spec.replicas",
            "statusReplicasPath": ".status.replicas",
            "labelSelectorPath": ".status.selector",
        }})
    );
}

// --- +kubebuilder:default on objects and lists; +required --------------------------------------

/// Defaults of every JSON shape, and an `Option` the schema requires.
#[derive(Serialize, Deserialize, Schema)]
pub struct Defaults {
    /// An object default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[viti(default = {"port": 80, "hosts": ["a", "b"], "tls": {}})]
    pub endpoint: Option<Endpoint>,
    /// A list default.
    #[serde(default)]
    #[viti(default = ["x", "y"])]
    pub tags: Vec<String>,
    /// A float default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[viti(default = -0.5)]
    pub ratio: Option<f64>,
    /// Required in the schema (controller-gen's `+required` on a pointer).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(required)]
    pub owner: Option<String>,
}

/// An endpoint.
#[derive(Serialize, Deserialize, Schema)]
pub struct Endpoint {
    /// Port.
    pub port: i32,
    /// Hosts.
    pub hosts: Vec<String>,
    /// TLS settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<std::collections::BTreeMap<String, String>>,
}

#[test]
fn defaults_of_objects_and_lists_and_required_options() {
    let schema = openapi::<Defaults>();
    assert_eq!(
        schema["properties"]["endpoint"]["default"],
        json!({"port": 80, "hosts": ["a", "b"], "tls": {}})
    );
    assert_eq!(schema["properties"]["tags"]["default"], json!(["x", "y"]));
    assert_eq!(schema["properties"]["ratio"]["default"], json!(-0.5));
    assert_eq!(schema["required"], json!(["owner"]));
    let missing = Defaults {
        endpoint: None,
        tags: Vec::new(),
        ratio: None,
        owner: None,
    };
    let errors = missing.validate().expect_err("owner is missing");
    let found: Vec<(&str, ErrorKind)> = errors
        .errors()
        .iter()
        .map(|e| (e.path.as_str(), e.kind))
        .collect();
    assert_eq!(found, [("owner", ErrorKind::Required)]);
}

// --- #[serde(flatten)] of a struct ---------------------------------------------------------------

/// Fields many kinds share, flattened into each.
#[derive(Serialize, Deserialize, Schema)]
#[viti(at_most_one_of("image", "imageRef"))]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// An image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A reference to an image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_ref: Option<String>,
    /// Pull policy.
    #[viti(one_of("Always", "IfNotPresent"))]
    pub pull: String,
}

/// A machine with the shared source fields beside its own.
#[derive(Serialize, Deserialize, Schema)]
#[viti(exactly_one_of("name", "imageRef"))]
pub struct Flattened {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub source: Source,
}

#[test]
fn flatten_puts_the_structs_fields_and_rules_beside_its_own() {
    let schema = openapi::<Flattened>();
    let names: Vec<&String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .collect();
    assert_eq!(names.len(), 4);
    assert_eq!(
        schema["properties"]["pull"]["enum"],
        json!(["Always", "IfNotPresent"])
    );
    assert_eq!(schema["required"], json!(["pull"]));
    let rules: Vec<&str> = schema["x-kubernetes-validations"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["rule"].as_str())
        .collect();
    assert_eq!(
        rules,
        [
            "(has(self.image)?1:0)+(has(self.imageRef)?1:0) <= 1",
            "(has(self.name)?1:0)+(has(self.imageRef)?1:0) == 1",
        ]
    );
    let both = Flattened {
        name: Some("a".into()),
        source: Source {
            image: Some("i".into()),
            image_ref: Some("r".into()),
            pull: "Always".into(),
        },
    };
    assert_eq!(
        errors(&both),
        [
            (
                String::new(),
                "at most one of the fields in [image imageRef] may be set".to_string()
            ),
            (
                String::new(),
                "exactly one of the fields in [name imageRef] must be set".to_string()
            ),
        ]
    );
}

// --- rules on list items and map values (`+kubebuilder:validation:items:*`, value types) ------

/// Rules on every item of a list and every value of a map.
#[derive(Serialize, Deserialize, Schema)]
pub struct Elements {
    /// Tags, each at most 3 characters.
    #[viti(each(length(max = 3)))]
    pub tags: Vec<String>,
    /// Labels, each value at most 3 characters.
    #[viti(each(length(max = 3), pattern = "^[a-z]*$"))]
    pub labels: std::collections::BTreeMap<String, String>,
}

#[test]
fn each_applies_to_list_items_and_map_values() {
    let schema = openapi::<Elements>();
    assert_eq!(
        schema["properties"]["tags"]["items"],
        json!({"type": "string", "maxLength": 3})
    );
    assert_eq!(
        schema["properties"]["labels"]["additionalProperties"],
        json!({"type": "string", "maxLength": 3, "pattern": "^[a-z]*$"})
    );
    let long = Elements {
        tags: vec!["abcd".into()],
        labels: [("k".to_string(), "abcd".to_string())].into(),
    };
    let paths: Vec<String> = errors(&long).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["tags[0]", "labels.k"]);
}

// --- the schema model's facts: Nullable, XPreserveUnknownFields, XEmbeddedResource, Format,
// --- mapType / structType, listType=atomic; MultipleOf, float and exclusive bounds,
// --- MinProperties / MaxProperties -----------------------------------------------------------

/// A field of each fact and number rule.
#[derive(Serialize, Deserialize, Schema)]
pub struct Facts {
    /// Nullable.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(nullable)]
    pub nullable: Option<String>,
    /// An object that keeps unknown fields and is an embedded resource.
    #[viti(preserve_unknown_fields, embedded_resource, map_type = "atomic")]
    pub object: serde_json::Map<String, Value>,
    /// Any format.
    #[viti(format = "uuid")]
    pub id: String,
    /// Atomic list, written out.
    #[viti(list(atomic))]
    pub list: Vec<String>,
    /// A ratio: above 0, at most 1.5, a multiple of 0.25.
    #[viti(number(min = 0, max = 1.5, exclusive_min), multiple_of = 0.25)]
    pub ratio: f64,
    /// Between 1 and 2 entries.
    #[viti(properties(min = 1, max = 2))]
    pub entries: std::collections::BTreeMap<String, i32>,
}

#[test]
fn model_facts_and_number_rules_render_as_controller_gen() {
    let schema = openapi::<Facts>();
    let p = |name: &str| {
        let mut v = schema["properties"][name].clone();
        v.as_object_mut().expect("an object").remove("description");
        v
    };
    assert_eq!(p("nullable"), json!({"type": "string", "nullable": true}));
    assert_eq!(
        p("object"),
        json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true,
               "x-kubernetes-embedded-resource": true, "x-kubernetes-map-type": "atomic"})
    );
    assert_eq!(p("id"), json!({"type": "string", "format": "uuid"}));
    assert_eq!(
        p("list"),
        json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "atomic"})
    );
    assert_eq!(
        p("ratio"),
        json!({"type": "number", "format": "double", "minimum": 0, "exclusiveMinimum": true,
               "maximum": 1.5, "multipleOf": 0.25})
    );
    assert_eq!(p("entries")["minProperties"], json!(1), "{}", p("entries"));
    assert_eq!(p("entries")["maxProperties"], json!(2));
    let bad = Facts {
        nullable: None,
        object: serde_json::Map::new(),
        id: "x".into(),
        list: Vec::new(),
        ratio: 0.3,
        entries: std::collections::BTreeMap::new(),
    };
    let paths: Vec<String> = errors(&bad).into_iter().map(|(p, _)| p).collect();
    assert!(paths.contains(&"ratio".to_string()), "{paths:?}");
    assert!(paths.contains(&"entries".to_string()), "{paths:?}");
}
