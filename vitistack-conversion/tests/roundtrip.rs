//! Property tests: conversions through every pair of Widget's versions give the object back.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use vitistack_codegen_lib::conversion::example::{converter, v1alpha1, v1beta1};
use vitistack_conversion::lossless::PRESERVED_ANNOTATION;
use vitistack_conversion::Convertible;

const OLD: &str = "example.vitistack.dev/v1alpha1";
const NEW: &str = "example.vitistack.dev/v1beta1";

fn string_map() -> impl Strategy<Value = Option<BTreeMap<String, String>>> {
    // None or non-empty: an empty map and no map are the same object on the wire.
    prop::option::of(prop::collection::btree_map(
        "[a-z]{1,8}(/[a-z]{1,5})?",
        ".{0,12}",
        1..4,
    ))
}

fn metadata() -> impl Strategy<Value = ObjectMeta> {
    (
        "[a-z][a-z0-9-]{0,10}",
        prop::option::of("[a-z]{1,8}"),
        string_map(),
        string_map(),
        prop::option::of("[0-9]{1,6}"),
    )
        .prop_map(
            |(name, namespace, labels, annotations, resource_version)| ObjectMeta {
                name: Some(name),
                namespace,
                labels,
                annotations,
                resource_version,
                ..Default::default()
            },
        )
}

fn color() -> impl Strategy<Value = String> {
    "[a-z]{0,6}"
}

prop_compose! {
    fn hub()(
        metadata in metadata(),
        size in 0..1000i32,
        colors in prop::option::of(prop::collection::vec(color(), 0..4)),
        replicas in prop::option::of(0..100i32),
        status in prop::option::of((prop::option::of("[A-Z][a-z]{0,7}"), prop::option::of(0..100i32))),
    ) -> v1beta1::Widget {
        v1beta1::Widget {
            metadata,
            spec: v1beta1::WidgetSpec { size, colors, replicas },
            status: status.map(|(phase, ready_replicas)| v1beta1::WidgetStatus { phase, ready_replicas }),
        }
    }
}

prop_compose! {
    fn spoke()(
        metadata in metadata(),
        size in 0..1000i32,
        color in prop::option::of(color()),
        phase in prop::option::of(prop::option::of("[A-Z][a-z]{0,7}")),
    ) -> v1alpha1::Widget {
        v1alpha1::Widget {
            metadata,
            spec: v1alpha1::WidgetSpec { size, color },
            status: phase.map(|phase| v1alpha1::WidgetStatus { phase }),
        }
    }
}

/// `hub` in `api_version`, written out from the versions' mapping (not from the converter): in
/// v1alpha1 `color` is `colors[0]`, and the hub's fields the spoke lacks (`colors` unless it is
/// one color, `replicas`, `readyReplicas`) are in the preserved annotation (here parsed, see
/// [`preserved_parsed`]); in v1beta1 the hub as it is.
fn from_hub_by_hand(hub: &v1beta1::Widget, api_version: &str) -> Value {
    let mut object = serde_json::to_value(hub).unwrap();
    object["apiVersion"] = api_version.into();
    if api_version == "example.vitistack.dev/v1beta1" {
        return object;
    }
    assert_eq!(
        api_version, "example.vitistack.dev/v1alpha1",
        "a version this test does not know"
    );
    let mut spec = serde_json::json!({"size": hub.spec.size});
    if let Some(first) = hub.spec.colors.as_ref().and_then(|c| c.first()) {
        spec["color"] = first.as_str().into();
    }
    object["spec"] = spec;
    // What the spoke cannot hold, by JSON pointer into the hub: the hub's value and what a
    // round trip through v1alpha1 gives there (`[colors[0]]`, or nothing).
    let mut lost = serde_json::Map::new();
    if let Some(colors) = hub.spec.colors.as_ref().filter(|c| c.len() != 1) {
        let mut kept = serde_json::json!({"hub": colors});
        if let Some(first) = colors.first() {
            kept["roundTrip"] = serde_json::json!([first]);
        }
        lost.insert("/spec/colors".into(), kept);
    }
    if let Some(replicas) = hub.spec.replicas {
        lost.insert(
            "/spec/replicas".into(),
            serde_json::json!({"hub": replicas}),
        );
    }
    if let Some(status) = &hub.status {
        object["status"] = match &status.phase {
            Some(phase) => serde_json::json!({"phase": phase}),
            None => serde_json::json!({}),
        };
        if let Some(ready) = status.ready_replicas {
            lost.insert(
                "/status/readyReplicas".into(),
                serde_json::json!({"hub": ready}),
            );
        }
    }
    if !lost.is_empty() {
        object["metadata"]["annotations"][PRESERVED_ANNOTATION] = Value::Object(lost);
    }
    object
}

/// The v1beta1 object a v1alpha1 `spoke` written by a user (no annotation) stands for:
/// `colors` is `[color]`, and the fields v1alpha1 lacks are absent.
fn to_hub_by_hand(spoke: &v1alpha1::Widget) -> Value {
    let mut object = serde_json::to_value(spoke).unwrap();
    object["apiVersion"] = "example.vitistack.dev/v1beta1".into();
    let spec = object["spec"].as_object_mut().unwrap();
    if let Some(color) = spec.remove("color") {
        spec.insert("colors".into(), serde_json::json!([color]));
    }
    object
}

/// `object` with its preserved annotation (a JSON text) parsed, so that the comparison does not
/// depend on the order of the fields in the text.
fn preserved_parsed(mut object: Value) -> Value {
    if let Some(text) = object.pointer_mut(&format!(
        "/metadata/annotations/{}",
        PRESERVED_ANNOTATION.replace('/', "~1")
    )) {
        *text = serde_json::from_str(text.as_str().unwrap()).unwrap();
    }
    object
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Through the converter, which keeps what the spoke lacks (the conversion functions alone
    /// are lossy by design).
    #[test]
    fn hub_to_spoke_to_hub(hub in hub()) {
        let converter = converter();
        let spoke = converter.convert(serde_json::to_value(&hub).unwrap(), OLD).unwrap();
        let back: v1beta1::Widget = serde_json::from_value(converter.convert(spoke, NEW).unwrap()).unwrap();
        prop_assert_eq!(back, hub);
    }

    #[test]
    fn spoke_to_hub_to_spoke(spoke in spoke()) {
        let hub = spoke.clone().to_hub().unwrap();
        prop_assert_eq!(v1alpha1::Widget::from_hub(hub).unwrap(), spoke);
    }

    /// Through the converter, as JSON: for every ordered pair of versions (a, b), a → b → a gives
    /// the object in a back, and b → a → b the object in b.
    #[test]
    fn every_pair_as_json(hub in hub()) {
        let converter = converter();
        let start = serde_json::to_value(&hub).unwrap();
        for a in converter.api_versions() {
            let in_a = converter.convert(start.clone(), a).unwrap();
            prop_assert_eq!(in_a["apiVersion"].as_str(), Some(a));
            // The content, not only the apiVersion, is the version's own mapping of the hub.
            prop_assert_eq!(preserved_parsed(in_a.clone()), from_hub_by_hand(&hub, a));
            for b in converter.api_versions() {
                let in_b = converter.convert(in_a.clone(), b).unwrap();
                prop_assert_eq!(in_b["apiVersion"].as_str(), Some(b));
                let back = converter.convert(in_b.clone(), a).unwrap();
                prop_assert_eq!(&back, &in_a, "{} -> {} -> {}", a, b, a);
            }
        }
    }

    /// A spoke written by a user (no preserved annotation) comes back unchanged through the hub.
    #[test]
    fn spoke_as_json_through_hub(spoke in spoke()) {
        let converter = converter();
        let start = serde_json::to_value(&spoke).unwrap();
        let hub = converter.convert(start.clone(), "example.vitistack.dev/v1beta1").unwrap();
        prop_assert_eq!(&hub, &to_hub_by_hand(&spoke));
        let back = converter.convert(hub, "example.vitistack.dev/v1alpha1").unwrap();
        prop_assert_eq!(back, start);
    }
}

#[test]
fn new_fields_live_in_the_annotation_of_the_old_version() {
    let mut hub = v1beta1::Widget::new(
        "w",
        v1beta1::WidgetSpec {
            size: 3,
            colors: Some(vec!["red".into(), "blue".into()]),
            replicas: Some(4),
        },
    );
    hub.status = Some(v1beta1::WidgetStatus {
        phase: Some("Ready".into()),
        ready_replicas: Some(2),
    });
    let spoke = converter()
        .convert(serde_json::to_value(&hub).unwrap(), OLD)
        .unwrap();
    assert_eq!(spoke["spec"]["color"], "red");
    let kept = spoke["metadata"]["annotations"][PRESERVED_ANNOTATION]
        .as_str()
        .unwrap();
    let kept: Value = serde_json::from_str(kept).unwrap();
    assert_eq!(
        kept,
        serde_json::json!({
            "/spec/colors": {"hub": ["red", "blue"], "roundTrip": ["red"]},
            "/spec/replicas": {"hub": 4},
            "/status/readyReplicas": {"hub": 2},
        })
    );
}

#[test]
fn a_color_changed_through_the_old_version_replaces_the_list() {
    let converter = converter();
    let hub = v1beta1::Widget::new(
        "w",
        v1beta1::WidgetSpec {
            size: 3,
            colors: Some(vec!["red".into(), "blue".into()]),
            replicas: Some(4),
        },
    );
    let mut spoke = converter
        .convert(serde_json::to_value(&hub).unwrap(), OLD)
        .unwrap();
    spoke["spec"]["color"] = "green".into();
    let hub: v1beta1::Widget =
        serde_json::from_value(converter.convert(spoke, NEW).unwrap()).unwrap();
    assert_eq!(hub.spec.colors, Some(vec!["green".to_string()]));
    // The field the old version does not have survives the write through it.
    assert_eq!(hub.spec.replicas, Some(4));
    assert!(
        hub.metadata.annotations.is_none(),
        "the annotation is consumed: {:?}",
        hub.metadata.annotations
    );
}

#[test]
fn a_corrupt_preserved_annotation_is_an_error_not_lost_data() {
    let mut spoke = v1alpha1::Widget::new(
        "w",
        v1alpha1::WidgetSpec {
            size: 1,
            color: None,
        },
    );
    spoke.metadata.annotations =
        Some([(PRESERVED_ANNOTATION.to_string(), "{not json".to_string())].into());
    let err = converter()
        .convert(serde_json::to_value(&spoke).unwrap(), NEW)
        .unwrap_err()
        .to_string();
    assert!(err.contains(PRESERVED_ANNOTATION), "{err}");
}

#[test]
fn only_labels_and_annotations_of_metadata_change() {
    let converter = converter();
    let object = serde_json::json!({
        "apiVersion": "example.vitistack.dev/v1beta1", "kind": "Widget",
        "metadata": {"name": "w", "namespace": "n", "uid": "u-1", "generation": 7,
                     "creationTimestamp": "2026-01-02T03:04:05Z", "futureField": {"x": 1},
                     "managedFields": [{"manager": "m", "operation": "Apply", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {}}}]},
        "spec": {"size": 1, "replicas": 2},
    });
    let spoke = converter
        .convert(object.clone(), "example.vitistack.dev/v1alpha1")
        .unwrap();
    let mut expected_meta = object["metadata"].clone();
    expected_meta["annotations"] =
        serde_json::json!({PRESERVED_ANNOTATION: "{\"/spec/replicas\":{\"hub\":2}}"});
    assert_eq!(spoke["metadata"], expected_meta);
    let back = converter
        .convert(spoke, "example.vitistack.dev/v1beta1")
        .unwrap();
    assert_eq!(back, object);
}
