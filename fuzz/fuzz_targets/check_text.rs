//! The engine of `vitistack-codegen validate` on arbitrary text (strict, lax, with the JSON
//! Schema validator): every document ends with a verdict, the tally agrees with the findings,
//! and the exit code is 0, 1 or 2.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use vitistack_codegen_lib::validate::{CheckOptions, Checker, Source};

fn checkers() -> &'static [Checker; 2] {
    static CHECKERS: OnceLock<[Checker; 2]> = OnceLock::new();
    CHECKERS.get_or_init(|| {
        let strict = CheckOptions {
            strict: true,
            ignore_unknown: false,
            json_schema: true,
        };
        let lax = CheckOptions {
            strict: false,
            ignore_unknown: true,
            json_schema: false,
        };
        [
            Checker::new(strict).expect("checker"),
            Checker::new(lax).expect("checker"),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for checker in checkers() {
        let mut findings = Vec::new();
        let tally = checker.check_text("fuzz", text, &mut |f| findings.push(f));
        let code = tally.exit_code();
        assert!(code <= 2);
        let input_errors = findings
            .iter()
            .filter(|f| f.source == Source::Input)
            .count();
        assert_eq!(
            input_errors > 0,
            tally.unreadable_documents > 0,
            "{findings:?} {tally:?}"
        );
        if tally.invalid > 0 {
            assert!(
                findings.iter().any(|f| f.source == Source::Validator),
                "invalid without a finding: {tally:?}"
            );
        }
        for f in &findings {
            assert!(!f.message.is_empty(), "empty message: {f:?}");
            assert!(f.document.is_some());
            let _ = f.to_string();
        }
    }
});
