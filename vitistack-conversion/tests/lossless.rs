//! Lossless conversion computed by diffing hub → spoke → hub: the conversion functions of
//! `gizmo/mod.rs` know only the fields the old version has (`size`, `label`) and build the hub with
//! `..Default::default()`; every other hub field (the ones a later hub adds) survives a round
//! trip and a write through the old version with no line of conversion code about it.

use proptest::prelude::*;
use serde_json::Value;
use vitistack_conversion::Converter;

mod gizmo;
use gizmo::{v1, v2};

const V1: &str = "lossless.example/v1";
const V2: &str = "lossless.example/v2";

fn converter() -> Converter<v2::Gizmo> {
    Converter::new().spoke::<v1::Gizmo>()
}

fn text() -> impl Strategy<Value = String> {
    "[a-z]{0,6}"
}

prop_compose! {
    fn hub()(
        size in any::<i32>(),
        label in prop::option::of(text()),
        tags in prop::option::of(prop::collection::vec(text(), 0..4)),
        limits in prop::option::of((prop::option::of(any::<i32>()), prop::option::of(text()))),
        status in prop::option::of((prop::option::of(text()), prop::option::of(any::<i64>()))),
    ) -> v2::Gizmo {
        let mut hub = v2::Gizmo::new("g", v2::GizmoSpec {
            size,
            label,
            tags,
            limits: limits.map(|(cpu, memory)| v2::Limits { cpu, memory }),
        });
        hub.status = status.map(|(phase, observed)| v2::GizmoStatus { phase, observed });
        hub
    }
}

fn to(converter: &Converter<v2::Gizmo>, object: Value, version: &str) -> Value {
    converter.convert(object, version).expect("converts")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Every hub comes back from the old version whole, fields v1 never had included.
    #[test]
    fn every_hub_survives_the_old_version(hub in hub()) {
        let converter = converter();
        let old = to(&converter, serde_json::to_value(&hub).unwrap(), V1);
        let back: v2::Gizmo = serde_json::from_value(to(&converter, old, V2)).unwrap();
        prop_assert_eq!(back, hub);
    }

    /// A write through the old version changes what it wrote and keeps the rest of the hub.
    #[test]
    fn a_write_through_the_old_version_keeps_the_new_fields(
        hub in hub(),
        size in any::<i32>(),
        label in prop::option::of(text()),
        phase in prop::option::of(text()),
    ) {
        let converter = converter();
        let mut old = to(&converter, serde_json::to_value(&hub).unwrap(), V1);
        old["spec"]["size"] = size.into();
        match &label {
            Some(label) => old["spec"]["label"] = label.clone().into(),
            None => { old["spec"].as_object_mut().unwrap().remove("label"); }
        }
        if let (Some(status), Some(phase)) = (old.get_mut("status"), &phase) {
            status["phase"] = phase.clone().into();
        }
        let back: v2::Gizmo = serde_json::from_value(to(&converter, old, V2)).unwrap();
        let mut expected = hub.clone();
        expected.spec.size = size;
        expected.spec.label = label;
        if let (Some(status), Some(phase)) = (expected.status.as_mut(), phase) {
            status.phase = Some(phase);
        }
        prop_assert_eq!(back, expected);
    }
}

#[test]
fn nothing_lost_means_no_annotation() {
    let hub = v2::Gizmo::new(
        "g",
        v2::GizmoSpec {
            size: 1,
            label: Some("a".into()),
            ..Default::default()
        },
    );
    let old = to(&converter(), serde_json::to_value(&hub).unwrap(), V1);
    assert!(old["metadata"].get("annotations").is_none(), "{old}");
}
