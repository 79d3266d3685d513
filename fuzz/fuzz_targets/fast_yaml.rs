//! The block-style fast path against the full YAML parser: every document the fast path reads
//! must read as the same value, keys in the same order, with serde-saphyr (strict and
//! last-wins), the parser `validate` falls back to for everything else.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_saphyr::DuplicateKeyPolicy;
use vitistack_codegen_lib::{fast_yaml, validate, yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for doc in yaml::split_documents(text) {
        let Some(fast) = fast_yaml::parse_block(&doc) else {
            continue;
        };
        for policy in [DuplicateKeyPolicy::Error, DuplicateKeyPolicy::LastWins] {
            match validate::parse_full(&doc, policy) {
                Ok(Some(full)) => {
                    assert_eq!(fast, full, "different values for {:?}", doc.text);
                    assert_eq!(
                        fast.to_string(),
                        full.to_string(),
                        "different key order for {:?}",
                        doc.text
                    );
                }
                other => panic!(
                    "fast path read {fast} but the full parser gave {other:?} for {:?}",
                    doc.text
                ),
            }
        }
    }
});
