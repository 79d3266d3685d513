//! The CRD linters on arbitrary YAML/JSON documents: findings or none, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitistack_codegen_lib::{lint_crd, yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(docs) = yaml::parse_documents(text, "fuzz") {
        for doc in &docs {
            for finding in lint_crd(doc) {
                let _ = format!("{finding:?}");
            }
        }
    }
});
