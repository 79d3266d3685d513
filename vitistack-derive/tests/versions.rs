//! `versions!` and the version flags of `#[derive(CustomResource)]`: every compile error, with its
//! message (`tests/versions_ui/fail/*.stderr`), and a multi-version kind that builds and merges
//! (`tests/versions_ui/pass/`).
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p vitistack-derive
//! --test versions`, then read the diff: each message must name the versions at fault and what
//! they disagree on.

#[test]
fn versions_ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/versions_ui/fail/*.rs");
    t.pass("tests/versions_ui/pass/*.rs");
}
