//! Issue #25 items 2 and 3 (first slice): `vitistack-codegen import` turns CRDs into Rust that
//! regenerates them. The corpus ([`INPUTS`]): the two of our own CRDs that this slice imports
//! whole (the others have CEL rules on scalar fields, which the derive cannot say as raw CEL
//! yet; third-party CRDs in `tests/corpus/` differ from the derive at the root, `metadata` and
//! `required`: `import` reports those, and [`third_party_crds_are_refused_with_the_paths`]
//! pins one).
//! `tests/import-roundtrip/imported/` is the import's output, committed: it compiles here (as
//! the module [`imported`]), and
//! - [`the_committed_modules_are_what_import_writes_today`] re-imports and fails on drift
//!   (regenerate with the command in its message);
//! - [`each_regenerated_crd_equals_its_input_after_normalization`]: `crds()` (the derive's CRDs
//!   of the imported types) equals the input CRDs after [`normalize`], which is all it forgives.

#[allow(dead_code)] // only `crds()` is used here; the types are what a user would use
#[path = "../import-roundtrip/imported/mod.rs"]
mod imported;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The imported CRDs, relative to the workspace root, in the order given to `import`.
const INPUTS: &[&str] = &[
    "crds/vitistack.io_networknamespaces.yaml",
    "crds/vitistack.io_kubevirtconfigs.yaml",
];

const OUT: &str = "tests/import-roundtrip/imported";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn input_crds() -> Vec<Value> {
    INPUTS
        .iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(root().join(path)).expect("corpus file");
            vitistack_codegen_lib::yaml::parse_documents(&text, path).expect("corpus YAML")
        })
        .collect()
}

/// What a regenerated CRD may differ in, and nothing else:
/// - key order (JSON objects compare unordered);
/// - description whitespace: runs of whitespace are one space, ends trimmed (a doc comment keeps
///   the words, not the line breaks of a YAML block);
fn normalize(mut crd: Value) -> Value {
    squash_descriptions(&mut crd);
    crd
}

fn squash_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text) if key == "description" => {
                        *text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    }
                    Value::Array(names) if key == "required" => {
                        names.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                    _ => squash_descriptions(child),
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(squash_descriptions),
        _ => {}
    }
}

#[test]
fn each_regenerated_crd_equals_its_input_after_normalization() {
    let inputs = input_crds();
    let regenerated = imported::crds();
    assert_eq!(regenerated.len(), inputs.len());
    for (input, output) in inputs.into_iter().zip(regenerated) {
        let name = input["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (want, got) = (normalize(input), normalize(output));
        if want != got {
            let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
            let diff = similar::TextDiff::from_lines(&pretty(&want), &pretty(&got))
                .unified_diff()
                .header("input", "regenerated")
                .to_string();
            panic!("{name} does not round-trip:\n{diff}");
        }
    }
}

#[test]
fn the_committed_modules_are_what_import_writes_today() {
    let files = vitistack_codegen_lib::import::import_crds(&input_crds())
        .unwrap_or_else(|errors| panic!("{}", errors.join("\n")));
    for file in files {
        let want = vitistack_codegen_lib::import::rustfmt(&file.source).expect("rustfmt");
        let path = root().join(OUT).join(&file.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == want,
            "{} drifted: regenerate with `cargo run -p vitistack-codegen -- import {} --out {OUT}`",
            path.display(),
            INPUTS.join(" ")
        );
    }
}

#[test]
fn third_party_crds_are_refused_with_the_paths() {
    let path = "tests/corpus/compat-history/cert-manager/acme.cert-manager.io_orders@v1.19.0.yaml";
    let text = std::fs::read_to_string(root().join(path)).expect("corpus file");
    let crds = vitistack_codegen_lib::yaml::parse_documents(&text, path).expect("corpus YAML");
    let errors = vitistack_codegen_lib::import::import_crds(&crds).expect_err("not importable");
    let root = "CRD orders.acme.cert-manager.io: spec.versions[0].schema.openAPIV3Schema";
    assert_eq!(
        errors,
        [
            format!("{root}.required: [\"metadata\", \"spec\"]; the derive requires exactly [\"spec\"]"),
            format!("{root}.properties[metadata]: the derive writes {{\"properties\":{{\"name\":{{\"maxLength\":63,\"pattern\":\"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$\",\"type\":\"string\"}}}},\"type\":\"object\"}} here, not {{\"type\":\"object\"}}"),
            format!("{root}.properties[spec].description: the derive writes \"Desired state of the Order.\" here, not None"),
            format!("{root}.properties[status].description: the derive writes \"Observed state of the Order, written by its controller through the status subresource.\" here, not None"),
        ]
    );
}
