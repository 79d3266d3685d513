//! `sanitize` on arbitrary CRD YAML: a stream is rewritten or refused with an error, never a
//! panic; rewriting is idempotent (a second pass changes nothing), and `sanitize_crd` on every
//! document is idempotent too.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitistack_codegen_lib::{sanitize_crd, sanitize_yaml_stream, yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(first) = sanitize_yaml_stream(text, "fuzz") {
        let second = sanitize_yaml_stream(&first.output, "fuzz").unwrap_or_else(|e| {
            panic!(
                "sanitized output does not parse: {e}\n--- output:\n{}",
                first.output
            )
        });
        assert!(
            second.changes.is_empty(),
            "second pass changed something: {:?}\n--- output:\n{}",
            second.changes,
            first.output
        );
        assert_eq!(second.output, first.output, "second pass rewrote the text");
    }
    if let Ok(docs) = yaml::parse_documents(text, "fuzz") {
        for mut doc in docs {
            let _ = sanitize_crd(&mut doc);
            let after = doc.clone();
            let again = sanitize_crd(&mut doc);
            assert!(again.is_empty(), "sanitize_crd not idempotent: {again:?}");
            assert_eq!(doc, after);
        }
    }
});
