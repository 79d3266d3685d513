//! The README's downstream section shows the Cargo.toml lines and the operator skeleton of
//! this crate, verbatim: the text between `README:begin NAME` and `README:end NAME` markers in
//! the source must appear in README.md between `<!-- downstream:NAME -->` and
//! `<!-- /downstream:NAME -->` (inside a code fence), so that the two cannot drift apart.

const README: &str = include_str!("../../../README.md");

/// The lines strictly between the marker lines containing `begin` and `end`.
fn between<'a>(text: &'a str, begin: &str, end: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.contains(begin))
        .unwrap_or_else(|| panic!("no line with {begin:?}"));
    let stop = lines[start..]
        .iter()
        .position(|l| l.contains(end))
        .unwrap_or_else(|| panic!("no line with {end:?} after {begin:?}"));
    lines[start + 1..start + stop].to_vec()
}

fn check(source: &str, name: &str) {
    let code = between(
        source,
        &format!("README:begin {name}"),
        &format!("README:end {name}"),
    );
    let shown = between(
        README,
        &format!("<!-- downstream:{name} -->"),
        &format!("<!-- /downstream:{name} -->"),
    );
    // Drop the code fence lines of the README.
    let shown: Vec<&str> = shown
        .into_iter()
        .filter(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(
        shown, code,
        "README.md's downstream:{name} differs from the source"
    );
}

#[test]
fn readme_shows_the_dependencies_of_this_crate() {
    check(include_str!("../Cargo.toml"), "dependencies");
}

#[test]
fn readme_shows_the_operator_skeleton_of_this_crate() {
    check(include_str!("../src/binary.rs"), "operator");
}

#[test]
fn readme_shows_the_crdgen_binary_of_this_crate() {
    check(include_str!("../src/bin/crdgen.rs"), "crdgen");
}
