//! The recipe "Adding a kind" of ARCHITECTURE.md, checked for every kind the one list
//! (`vitistack_types::for_each_kind!`) holds: whoever adds a row to it and skips a step of the
//! recipe, or changes the recipe's layout of files without this test, fails here.
//!
//! The steps: the kind's module (the list does not compile without it), the registry entry and
//! the unstructured helpers (made from the list), the generated files (`make manifests`: its CRD,
//! its JSON Schema, its chart template, its section of the API reference) and an example
//! manifest in `examples/` (whose content `tests/examples.rs` checks).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use vitistack_types::registry::kinds;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The file names in `dir` that end with `suffix`, without it.
fn names(dir: &str, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(repo().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(suffix).map(str::to_owned)
        })
        .collect()
}

/// The unstructured helpers of a kind, as the list names them.
macro_rules! helper_names {
    ([] $($kind:ident [$module:ident, $spec:ident, $status:ident, $to:ident, $from:ident]),*) => {
        [$((stringify!($kind), stringify!($to), stringify!($from))),*]
    };
}

#[test]
fn every_kind_of_the_list_has_every_file_of_the_recipe() {
    let registered: Vec<&str> = kinds().iter().map(|k| k.kind).collect();
    let listed: Vec<&str> = vitistack_types::for_each_kind!(helper_names!)
        .iter()
        .map(|(kind, _, _)| *kind)
        .collect();
    assert_eq!(registered, listed, "the registry is the list, in its order");

    let lower: BTreeSet<String> = kinds().iter().map(|k| k.kind.to_lowercase()).collect();
    let plurals: BTreeSet<String> = kinds().iter().map(|k| k.plural.to_owned()).collect();
    let group = kinds()[0].group;
    assert!(kinds().iter().all(|k| k.group == group));
    assert_eq!(names("examples", ".yaml"), lower, "examples/<kind>.yaml");
    assert_eq!(
        names("crds", ".yaml")
            .into_iter()
            .filter(|n| n != "kustomization")
            .collect::<BTreeSet<_>>(),
        plurals.iter().map(|p| format!("{group}_{p}")).collect(),
        "crds/<group>_<plural>.yaml"
    );
    let versions: BTreeSet<String> = kinds()
        .iter()
        .map(|k| format!("{}_{}", k.kind.to_lowercase(), k.version))
        .collect();
    assert_eq!(
        names(&format!("schemas/{group}"), ".json"),
        versions,
        "schemas/<group>/<kind>_<version>.json"
    );
    assert_eq!(
        names("charts/vitistack-crds/templates/crds", ".yaml"),
        plurals,
        "the chart's templates/crds/<plural>.yaml"
    );
    let reference = std::fs::read_to_string(repo().join("docs/api-reference.md"))
        .expect("docs/api-reference.md");
    for kind in kinds() {
        assert!(
            reference.contains(&format!("\n## {}\n", kind.kind)),
            "docs/api-reference.md has no section for {}",
            kind.kind
        );
    }
    for (kind, to, from) in vitistack_types::for_each_kind!(helper_names!) {
        let module = kind_module(kind);
        assert_eq!(to, format!("{module}_to_unstructured"), "{kind}");
        assert_eq!(from, format!("{module}_from_unstructured"), "{kind}");
    }
}

/// `NetworkConfiguration` → `network_configuration`: the module and helper names of a kind.
fn kind_module(kind: &str) -> String {
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
