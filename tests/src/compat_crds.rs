//! CRDs of the `compat` end-to-end tests (`compat_refused.rs`, `compat_preview.rs`): each case
//! moved to a group of its own, and handed to `compat` as one loaded CRD.

use serde_json::{json, Value};
use vitistack_codegen_lib::compat::LoadedCrd;

/// `crd` moved to the group `<tag>-<pid>.<base>`: every case, in every run against the same
/// server, has CRDs no other touched. (Deleting a CRD right after an update can keep it
/// Terminating for minutes, "storage is (re)initializing", so nothing waits for a deletion.)
pub fn own_group(mut crd: Value, tag: &str, base: &str) -> Value {
    let group = format!("{tag}-{}.{base}", std::process::id());
    let plural = crd["spec"]["names"]["plural"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    crd["spec"]["group"] = json!(group);
    crd["metadata"]["name"] = json!(format!("{plural}.{group}"));
    crd
}

/// `crd` as the one CRD of a side of a comparison.
pub fn loaded(crd: &Value) -> Vec<LoadedCrd> {
    vec![LoadedCrd {
        name: crd["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        origin: "test".to_owned(),
        crd: crd.clone(),
    }]
}
