//! One webhook, several kinds: each object goes to its kind's converter, chosen by the review's
//! desired group and the object's kind; a kind or group the webhook does not convert fails the
//! review with a message naming it (never a panic, never another kind's converter).

use serde_json::{json, Value};
use vitistack_codegen_lib::conversion::example;
use vitistack_conversion::review::{answer, converted_objects, failure_message};
use vitistack_conversion::{Conversions, Converter};

mod gizmo;
use gizmo::{v1, v2};

fn conversions() -> Conversions {
    Conversions::new()
        .with(example::converter())
        .with(Converter::<v2::Gizmo>::new().spoke::<v1::Gizmo>())
}

fn review(desired: &str, objects: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(
        &json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
        "request": {"uid": "u", "desiredAPIVersion": desired, "objects": objects}}),
    )
    .unwrap()
}

#[test]
fn each_kind_goes_to_its_own_converter() {
    let webhook = conversions();
    assert_eq!(
        webhook.kinds(),
        ["Widget.example.vitistack.dev", "Gizmo.lossless.example"]
    );
    let widget = json!({"apiVersion": "example.vitistack.dev/v1alpha1", "kind": "Widget",
        "metadata": {"name": "w"}, "spec": {"size": 1, "color": "red"}});
    let out = answer(
        &webhook,
        &review("example.vitistack.dev/v1beta1", vec![widget]),
    );
    assert_eq!(failure_message(&out), None);
    assert_eq!(converted_objects(&out)[0]["spec"]["colors"], json!(["red"]));

    let gizmo = json!({"apiVersion": "lossless.example/v2", "kind": "Gizmo",
        "metadata": {"name": "g"}, "spec": {"size": 2, "tags": ["a"]}});
    let out = answer(&webhook, &review("lossless.example/v1", vec![gizmo]));
    assert_eq!(failure_message(&out), None);
    let old = &converted_objects(&out)[0];
    assert_eq!(old["apiVersion"], "lossless.example/v1");
    assert_eq!(old["spec"], json!({"size": 2}));
}

#[test]
fn an_unknown_kind_or_group_fails_the_review_naming_it() {
    let webhook = conversions();
    let stranger = json!({"apiVersion": "example.vitistack.dev/v1alpha1", "kind": "Sprocket",
        "metadata": {"name": "s", "namespace": "n"}, "spec": {}});
    let out = answer(
        &webhook,
        &review("example.vitistack.dev/v1beta1", vec![stranger]),
    );
    let message = failure_message(&out).expect("a failed review");
    assert!(
        message.contains("Sprocket n/s")
            && message
                .contains("no conversion for kind \"Sprocket\" in group \"example.vitistack.dev\"")
            && message.contains("Widget.example.vitistack.dev, Gizmo.lossless.example"),
        "{message}"
    );
    // A Widget asked for in a group the webhook does not convert Widgets of.
    let widget = json!({"apiVersion": "example.vitistack.dev/v1alpha1", "kind": "Widget",
        "metadata": {"name": "w"}, "spec": {"size": 1}});
    let out = answer(&webhook, &review("lossless.example/v1", vec![widget]));
    let message = failure_message(&out).expect("a failed review");
    assert!(
        message.contains("no conversion for kind \"Widget\" in group \"lossless.example\""),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "two converters for kind Widget in group example.vitistack.dev")]
fn two_converters_for_one_kind_are_refused_at_start_up() {
    let _ = Conversions::new()
        .with(example::converter())
        .with(example::converter());
}
