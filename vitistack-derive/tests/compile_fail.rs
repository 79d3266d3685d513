//! Every compile error the derives emit, with its span and message (`tests/ui/**/*.stderr`), and
//! the accepted attribute forms (`tests/ui_pass/`).
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p vitistack-derive
//! --test compile_fail`, then read the diff: the point is that each error sits on the token the
//! user has to change and says how to change it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
    t.pass("tests/ui_pass/*.rs");
}
