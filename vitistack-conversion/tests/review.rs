//! ConversionReview handling: many objects, and every kind of bad input gives a failed review
//! whose message says what and which object.

use serde_json::{json, Value};
use vitistack_codegen_lib::conversion::example::converter;
use vitistack_conversion::review::{answer, converted_objects, failure_message};

fn review(desired: &str, objects: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
        "request": {"uid": "uid-1", "desiredAPIVersion": desired, "objects": objects},
    }))
    .unwrap()
}

fn widget(api_version: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": api_version, "kind": "Widget", "metadata": {"name": name, "namespace": "ns"}, "spec": spec})
}

const OLD: &str = "example.vitistack.dev/v1alpha1";
const NEW: &str = "example.vitistack.dev/v1beta1";

#[test]
fn many_objects_in_order() {
    let objects: Vec<Value> = (0..100)
        .map(|i| widget(OLD, &format!("w{i}"), json!({"size": i, "color": "red"})))
        .collect();
    let out = answer(&converter(), &review(NEW, objects));
    assert_eq!(failure_message(&out), None);
    let response = out.response.as_ref().unwrap();
    assert_eq!(response.uid, "uid-1");
    let converted = converted_objects(&out);
    assert_eq!(converted.len(), 100);
    for (i, object) in converted.iter().enumerate() {
        assert_eq!(object["apiVersion"], NEW);
        assert_eq!(object["metadata"]["name"], format!("w{i}"));
        assert_eq!(object["spec"], json!({"size": i, "colors": ["red"]}));
    }
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(
        (wire["apiVersion"].as_str(), wire["kind"].as_str()),
        (Some("apiextensions.k8s.io/v1"), Some("ConversionReview"))
    );
    assert_eq!(wire["response"]["result"]["status"], "Success");
}

fn failed(body: &[u8]) -> String {
    let out = answer(&converter(), body);
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(wire["response"]["result"]["status"], "Failure", "{wire}");
    assert!(converted_objects(&out).is_empty());
    failure_message(&out).unwrap().to_string()
}

#[test]
fn malformed_bodies_fail_with_a_message() {
    for (body, expected) in [
        (&b""[..], "malformed ConversionReview"),
        (b"{", "malformed ConversionReview"),
        (b"[1,2]", "malformed ConversionReview"),
        (b"\xff\xfe", "malformed ConversionReview"),
        (br#"{"apiVersion":"apiextensions.k8s.io/v1beta1","kind":"ConversionReview","request":{"uid":"u","desiredAPIVersion":"x","objects":[]}}"#, "expected a ConversionReview of apiextensions.k8s.io/v1"),
        (br#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview"}"#, "has no request"),
        (br#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","request":{"uid":"u","desiredAPIVersion":3,"objects":[]}}"#, "malformed ConversionReview"),
    ] {
        let message = failed(body);
        assert!(message.contains(expected), "{body:?}: {message}");
    }
}

#[test]
fn an_unknown_desired_version_names_the_object_and_the_known_versions() {
    let message = failed(&review(
        "example.vitistack.dev/v9",
        vec![widget(OLD, "a", json!({"size": 1}))],
    ));
    assert_eq!(
        message,
        "converting object 0 (Widget ns/a) to example.vitistack.dev/v9: Widget ns/a: unknown apiVersion \"example.vitistack.dev/v9\" (known: example.vitistack.dev/v1alpha1, example.vitistack.dev/v1beta1)"
    );
}

#[test]
fn an_object_of_an_unknown_version_fails_the_review_naming_it() {
    let objects = vec![
        widget(OLD, "a", json!({"size": 1})),
        widget("other.dev/v1", "b", json!({"size": 1})),
    ];
    let message = failed(&review(NEW, objects));
    assert!(
        message.starts_with("converting object 1 (Widget ns/b) to example.vitistack.dev/v1beta1"),
        "{message}"
    );
    assert!(
        message.contains("unknown apiVersion \"other.dev/v1\""),
        "{message}"
    );
}

#[test]
fn an_object_that_does_not_decode_names_the_field() {
    let message = failed(&review(
        NEW,
        vec![widget(OLD, "bad", json!({"size": "big"}))],
    ));
    assert!(message.contains("Widget ns/bad"), "{message}");
    assert!(message.contains("spec.size"), "{message}");
}

#[test]
fn objects_that_are_not_objects_or_lack_api_version_fail() {
    let message = failed(&review(NEW, vec![json!(42)]));
    assert!(
        message.contains("object 0 (object (unnamed))") && message.contains("no apiVersion"),
        "{message}"
    );
    let message = failed(&review(
        NEW,
        vec![json!({"kind": "Widget", "metadata": {"name": "x"}})],
    ));
    assert!(message.contains("Widget x: no apiVersion"), "{message}");
}

#[test]
fn a_refusal_by_the_conversion_function_reaches_the_message() {
    let mut object = widget(OLD, "corrupt", json!({"size": 1}));
    object["metadata"]["annotations"] = json!({"conversion.vitistack.io/preserved": "{oops"});
    let message = failed(&review(NEW, vec![object]));
    assert!(
        message.contains("Widget ns/corrupt: annotation conversion.vitistack.io/preserved"),
        "{message}"
    );
}
