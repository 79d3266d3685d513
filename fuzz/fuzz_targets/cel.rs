//! The CEL engine: an arbitrary rule (first line) compiled against the schema of an arbitrary
//! JSON value (the rest) and evaluated never panics, and never spends more than the per-call
//! limit allows (a hostile rule ends in the cost finding). The seeds in `fuzz/seeds/cel` also
//! run as an ordinary test of vitistack-core (`cel::exercise::tests`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vitistack_core::cel::exercise(data);
});
