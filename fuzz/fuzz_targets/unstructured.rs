//! The unstructured round trip: JSON that decodes as a kind goes typed → DynamicObject → typed
//! unchanged (and the DynamicObject is the same JSON); JSON that decodes as a DynamicObject
//! converts to each kind or fails with an error, never a panic.
#![no_main]
use kube_core::DynamicObject;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vitistack_fuzz::{each_kind, has_float, to_json, Kind};
use vitistack_types::unstructured::{from_unstructured, to_unstructured};

fn round_trip<K: Kind>(value: &Value) {
    if let Ok(object) = serde_json::from_value::<K>(value.clone()) {
        let dynamic = to_unstructured(&object).expect("a typed object converts to unstructured");
        let json = to_json(&object);
        let back: K = from_unstructured(&dynamic)
            .unwrap_or_else(|e| panic!("{}: unstructured does not convert back: {e}", K::KIND));
        if !has_float(&json) {
            assert_eq!(
                serde_json::to_value(&dynamic).expect("DynamicObject serialises"),
                json,
                "{}: unstructured JSON differs",
                K::KIND
            );
            assert_eq!(to_json(&back), json, "{}: round trip changed it", K::KIND);
        }
    }
    if let Ok(dynamic) = serde_json::from_value::<DynamicObject>(value.clone()) {
        let _ = from_unstructured::<K>(&dynamic);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        each_kind!(round_trip(&value));
    }
});
