//! Issue #25 item 1: the derive's rows of the parity table with controller-gen and kube-derive
//! (`vitistack-derive` crate docs), on the real apiserver. One kind, [`Parity`], uses every row;
//! its CRD must install (the apiserver checks the CEL of every rule, the defaults against the
//! schema, the selectable fields and the scale paths), and each case below is sent as a dry-run
//! create whose causes, the oracle, must be the case's (reviewed literals) and `validate()`'s, path
//! and message word for word.
//! Then the CRD-level rows are used for real: defaults applied, a field selector on a selectable
//! field, the scale subresource, the printer columns of a Table.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use vitistack_e2e::server::{self, Verdict};
use vitistack_e2e::*;
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::{CustomResource, Schema, Validate};

/// The API of the parity kind.
const API: &str = "/apis/derive-parity.vitistack.io/v1";

/// Fields shared by several kinds, `#[serde(flatten)]`ed into the spec (with their rule).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(at_most_one_of("image", "imageRef"))]
pub struct Source {
    /// An image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A reference to an image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_ref: Option<String>,
}

/// An endpoint, defaulted as a whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct Endpoint {
    /// Port.
    pub port: i32,
    /// Hosts.
    pub hosts: Vec<String>,
}

/// The spec: one field or rule per row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "derive-parity.vitistack.io",
    version = "v1",
    kind = "Parity",
    status = "ParityStatus",
    namespaced,
    printcolumn(name = "Color", type = "string", json_path = ".spec.color"),
    printcolumn(
        name = "Replicas",
        type = "integer",
        json_path = ".spec.replicas",
        priority = 1,
        format = "int32"
    ),
    selectable = ".spec.color",
    scale(
        spec_replicas_path = ".spec.replicas",
        status_replicas_path = ".status.replicas",
        label_selector_path = ".status.selector"
    )
)]
#[viti(exactly_one_of("http", "grpc"))]
#[viti(at_least_one_of("http", "tcp"))]
#[viti(cel(
    rule = "self.replicas <= 10 || self.color == 'red'",
    message = "more than 10 replicas only when red",
    message_expression = "'more than 10 replicas only when red, not ' + self.color",
    reason = "forbidden",
    field_path = ".replicas"
))]
pub struct ParitySpec {
    /// A color (a selectable field).
    #[viti(length(max = 16))]
    pub color: String,
    /// Replicas (the scale subresource's).
    pub replicas: i32,
    /// HTTP probe.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub http: Option<String>,
    /// gRPC probe.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub grpc: Option<String>,
    /// TCP probe.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub tcp: Option<String>,
    /// Defaulted as an object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[viti(default = {"port": 80, "hosts": ["a", "b"]})]
    pub endpoint: Option<Endpoint>,
    /// Defaulted as a list; each item at most 8 characters.
    #[serde(default)]
    #[viti(default = ["x"], items(max = 4), each(length(max = 8)))]
    pub tags: Vec<String>,
    /// Labels; each value at most 8 characters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[viti(each(length(max = 8)))]
    pub labels: BTreeMap<String, String>,
    /// Required though an `Option` (controller-gen's `+required`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(required)]
    pub owner: Option<String>,
    #[serde(flatten)]
    pub source: Source,
    /// A ratio: at most 1.5, a multiple of 0.25 (float bounds, `MultipleOf`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(number(min = 0, max = 1.5), multiple_of = 0.25)]
    pub ratio: Option<f64>,
    /// A weight above 0.5 (an exclusive float bound).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(number(min = 0.5, exclusive_min))]
    pub weight: Option<f64>,
    /// At most two entries (`MaxProperties`), merged as a whole (`mapType=atomic`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[viti(properties(max = 2), map_type = "atomic")]
    pub entries: BTreeMap<String, i32>,
    /// May be null (`Nullable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[viti(nullable)]
    pub note: Option<String>,
    /// A UUID (any `Format`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(format = "uuid")]
    pub id: Option<String>,
    /// An endpoint that keeps fields it does not declare (`XPreserveUnknownFields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(preserve_unknown_fields)]
    pub open: Option<Endpoint>,
    /// A Kubernetes object (`XEmbeddedResource`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(embedded_resource, preserve_unknown_fields)]
    pub template: Option<serde_json::Map<String, Value>>,
    /// Replaced as a whole on apply (`listType=atomic`, written out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[viti(list(atomic), items(max = 4), each(length(max = 8)))]
    pub args: Vec<String>,
}

/// The status: what the scale subresource reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct ParityStatus {
    /// Replicas running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// The replicas' label selector, as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
}

/// A spec every row accepts.
fn valid() -> Value {
    json!({"color": "blue", "replicas": 3, "http": "/healthz", "owner": "team-a"})
}

/// One dry-run create: the spec, and the apiserver's verdict (`None`: accepted; else the causes
/// as field path and message), reviewed from the rows' definitions.
struct Case {
    name: &'static str,
    spec: Value,
    refused: Option<&'static [(&'static str, &'static str)]>,
}

fn cases() -> Vec<Case> {
    let with = |patch: Value| {
        let mut spec = valid();
        for (k, v) in patch.as_object().expect("an object") {
            if v.is_null() {
                spec.as_object_mut().expect("an object").remove(k);
            } else {
                spec[k] = v.clone();
            }
        }
        spec
    };
    vec![
        Case {
            name: "valid",
            spec: valid(),
            refused: None,
        },
        Case {
            name: "exactly one of http, grpc: both",
            spec: with(json!({"grpc": "svc"})),
            refused: Some(&[(
                "spec",
                "Invalid value: exactly one of the fields in [http grpc] must be set",
            )]),
        },
        Case {
            name: "exactly one of http, grpc, at least one of http, tcp: none",
            spec: with(json!({"http": null})),
            refused: Some(&[
                (
                    "spec",
                    "Invalid value: exactly one of the fields in [http grpc] must be set",
                ),
                (
                    "spec",
                    "Invalid value: at least one of the fields in [http tcp] must be set",
                ),
            ]),
        },
        Case {
            name: "grpc and tcp",
            spec: with(json!({"http": null, "grpc": "svc", "tcp": "80"})),
            refused: None,
        },
        Case {
            name: "at most one of image, imageRef (flattened): both",
            spec: with(json!({"image": "a", "imageRef": "b"})),
            refused: Some(&[(
                "spec",
                "Invalid value: at most one of the fields in [image imageRef] may be set",
            )]),
        },
        Case {
            name: "a flattened field alone",
            spec: with(json!({"imageRef": "b"})),
            refused: None,
        },
        Case {
            name: "messageExpression, reason and fieldPath",
            spec: with(json!({"replicas": 11})),
            refused: Some(&[(
                "spec.replicas",
                "Forbidden: more than 10 replicas only when red, not blue",
            )]),
        },
        Case {
            name: "a rule on list items",
            spec: with(json!({"tags": ["short", "much-too-long"]})),
            refused: Some(&[("spec.tags[1]", "Too long: may not be more than 8 bytes")]),
        },
        Case {
            name: "a rule on map values",
            spec: with(json!({"labels": {"a": "short", "b": "much-too-long"}})),
            refused: Some(&[("spec.labels.b", "Too long: may not be more than 8 bytes")]),
        },
        Case {
            name: "an exclusive minimum",
            spec: with(json!({"weight": 0.5})),
            refused: Some(&[(
                "spec.weight",
                "Invalid value: 0.5: spec.weight in body should be greater than 0.5",
            )]),
        },
        Case {
            name: "a float maximum",
            spec: with(json!({"ratio": 1.75})),
            refused: Some(&[(
                "spec.ratio",
                "Invalid value: 1.75: spec.ratio in body should be less than or equal to 1.5",
            )]),
        },
        Case {
            name: "not a multiple",
            spec: with(json!({"ratio": 0.3})),
            refused: Some(&[(
                "spec.ratio",
                "Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25",
            )]),
        },
        Case {
            name: "a ratio within every bound",
            spec: with(json!({"ratio": 0.5, "weight": 0.75})),
            refused: None,
        },
        Case {
            name: "too many properties",
            spec: with(json!({"entries": {"a": 1, "b": 2, "c": 3}})),
            refused: Some(&[("spec.entries", "Too many: 3: must have at most 2 items")]),
        },
        Case {
            name: "null where nullable",
            spec: with(json!({"note": null})),
            refused: None,
        },
        Case {
            name: "not a uuid",
            spec: with(json!({"id": "not-a-uuid"})),
            refused: Some(&[(
                "spec.id",
                "Invalid value: \"not-a-uuid\": spec.id in body must be of type uuid: \"not-a-uuid\"",
            )]),
        },
        Case {
            name: "a uuid",
            spec: with(json!({"id": "6f1c2b1e-3b1a-4c52-9a39-0d0b6a1f1e2d"})),
            refused: None,
        },
        Case {
            name: "an unknown field kept",
            spec: with(json!({"open": {"port": 1, "hosts": [], "extra": true}})),
            refused: None,
        },
        Case {
            name: "an embedded resource without apiVersion and kind",
            spec: with(json!({"template": {"metadata": {"name": "x"}}})),
            refused: Some(&[
                ("spec.template.apiVersion", "Required value"),
                ("spec.template.kind", "Required value"),
            ]),
        },
        Case {
            name: "an embedded resource",
            spec: with(json!({"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}})),
            refused: None,
        },
        Case {
            name: "required Option absent",
            spec: with(json!({"owner": null})),
            refused: Some(&[("spec.owner", "Required value")]),
        },
    ]
}

/// `validate()`'s messages that the engine words differently from the apiserver (1.37), each
/// with the apiserver's wording: known differences of the engine, listed so that everything
/// else is compared word for word (for the lead: the engine's `Length` says "characters" where
/// the apiserver's maxLength says "bytes"; the embedded-resource check adds "must not be
/// empty").
const KNOWN_WORDING: &[(&str, &str)] = &[
    (
        "Too long: may not be more than 8 characters",
        "Too long: may not be more than 8 bytes",
    ),
    ("Required value: must not be empty", "Required value"),
];

fn as_the_apiserver_words_it(message: String) -> String {
    KNOWN_WORDING
        .iter()
        .find(|(ours, _)| *ours == message)
        .map_or(message, |(_, theirs)| theirs.to_string())
}

/// The causes of a verdict, sorted; empty when accepted.
fn causes(verdict: &Verdict) -> Vec<(String, String)> {
    let mut out = match verdict {
        Verdict::Accepted(_) => Vec::new(),
        Verdict::Rejected { causes, .. } => causes.clone(),
    };
    out.sort();
    out
}

fn object(name: &str, namespace: &str, spec: Value) -> Value {
    json!({
        "apiVersion": Parity::API_VERSION,
        "kind": Parity::KIND,
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    })
}

/// A client, the parity CRD installed (the apiserver accepting it is the first check of every
/// row), and a namespace of the test's own.
async fn installed(prefix: &str) -> (kube::Client, String) {
    let client = client().await;
    apply_crd(&client, &Parity::crd())
        .await
        .unwrap_or_else(|e| panic!("the parity CRD: {e}"));
    (client, test_namespace(prefix).await)
}

#[tokio::test]
async fn every_row_installs_and_the_apiserver_agrees_with_validate() {
    let (client, namespace) = installed("derive-parity").await;
    let mut problems = Vec::new();
    for case in cases() {
        let object = object("case", &namespace, case.spec.clone());
        let verdict =
            server::create_in(&client, API, Parity::PLURAL, &namespace, &object, true).await;
        let mut expected: Vec<(String, String)> = case
            .refused
            .unwrap_or_default()
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect();
        expected.sort();
        let found = causes(&verdict);
        if found != expected {
            problems.push(format!(
                "{}: the apiserver said {found:?}, the case {expected:?}",
                case.name
            ));
        }
        // validate() on the typed object: the same causes, path and message word for word.
        let typed: Result<Parity, _> = serde_json::from_value(object.clone());
        let ours = match typed {
            Ok(typed) => match typed.validate() {
                Ok(()) => Vec::new(),
                Err(e) => {
                    // The note that CEL rules were skipped is not a violation (as in
                    // `server::create_in`).
                    let mut said: Vec<(String, String)> = e
                        .errors()
                        .iter()
                        .filter(|e| !e.detail.contains(server::CEL_SKIPPED))
                        .map(|e| (e.path.clone(), as_the_apiserver_words_it(e.message())))
                        .collect();
                    said.sort();
                    said
                }
            },
            Err(e) => vec![(String::new(), format!("does not deserialize: {e}"))],
        };
        if ours != found {
            problems.push(format!(
                "{}: validate() said {ours:?}, the apiserver {found:?}",
                case.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn defaults_selectable_fields_scale_and_columns_work_on_the_server() {
    let (client, namespace) = installed("derive-parity-crd").await;
    let plural = Parity::PLURAL;
    // Defaults of an object and a list, applied by the apiserver.
    let red = object(
        "red",
        &namespace,
        json!({"color": "red", "replicas": 2, "http": "/", "owner": "a"}),
    );
    let stored = match server::create_in(&client, API, plural, &namespace, &red, false).await {
        Verdict::Accepted(stored) => stored,
        other => panic!("red refused: {other:?}"),
    };
    assert_eq!(
        stored["spec"]["endpoint"],
        json!({"port": 80, "hosts": ["a", "b"]})
    );
    assert_eq!(stored["spec"]["tags"], json!(["x"]));
    let blue = object("blue", &namespace, valid());
    assert!(matches!(
        server::create_in(&client, API, plural, &namespace, &blue, false).await,
        Verdict::Accepted(_)
    ));

    // A field selector on the selectable field.
    let list = server::get_json(
        &client,
        &format!("{API}/namespaces/{namespace}/{plural}?fieldSelector=spec.color%3Dred"),
        None,
    )
    .await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["metadata"]["name"].as_str())
        .collect();
    assert_eq!(names, ["red"]);

    // The scale subresource reads spec.replicas.
    let scale = server::get_json(
        &client,
        &format!("{API}/namespaces/{namespace}/{plural}/red/scale"),
        None,
    )
    .await;
    assert_eq!(scale["kind"], "Scale");
    assert_eq!(scale["spec"]["replicas"], 2);

    // The printer columns: priority and format as declared.
    let table = server::get_json(
        &client,
        &format!("{API}/namespaces/{namespace}/{plural}"),
        Some("application/json;as=Table;v=v1;g=meta.k8s.io"),
    )
    .await;
    let replicas = table["columnDefinitions"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == "Replicas")
        .expect("a Replicas column")
        .clone();
    assert_eq!(replicas["priority"], 1);
    assert_eq!(replicas["format"], "int32");
    assert_eq!(replicas["type"], "integer");
}
