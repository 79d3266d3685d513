//! The one place the preview gets a validator tree ([`Node`]) for a version of a CRD: the CRD
//! reader of `vitistack-core` ([`read_crd`], one [`schema::load`](vitistack_core::schema::load)
//! per version), the same reading `validate --crd` and `lint` use. A CRD it cannot read leaves
//! its objects unchecked, with the reader's errors as the reason.

use serde_json::Value;
use vitistack_core::crd::{read_crd, LoadedCrd};
use vitistack_core::schema::Node;

/// A CRD as read, or why it cannot be.
pub(super) type ReadCrd = Result<LoadedCrd, String>;

/// Reads `crd` (every version's schema).
pub(super) fn read(crd: &Value) -> ReadCrd {
    read_crd(crd).map_err(|errors| {
        let all: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        format!("the CRD cannot be read: {}", all.join("; "))
    })
}

/// The tree of `version` of a read CRD, or why there is none.
pub(super) fn version_node<'a>(crd: &'a ReadCrd, version: &str) -> Result<&'a Node, String> {
    let crd = crd.as_ref().map_err(Clone::clone)?;
    crd.versions
        .iter()
        .find(|v| v.name == version)
        .map(|v| &v.node)
        .ok_or_else(|| format!("the CRD has no version {version}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_version_is_read_and_an_unreadable_schema_says_why() {
        let crd = |spec: Value| {
            json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": "widgets.example.com"},
                "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"kind": "Widget", "plural": "widgets"},
                    "versions": [{"name": "v1", "served": true, "storage": true,
                        "schema": {"openAPIV3Schema": {"type": "object",
                            "properties": {"spec": spec}}}}]}})
        };
        let good = read(&crd(
            json!({"type": "object", "properties": {"size": {"type": "integer", "maximum": 5}}}),
        ));
        let node = version_node(&good, "v1").expect("v1 read");
        assert_eq!(
            node.lookup("spec.size").map(|n| n.rules.len()),
            Some(1),
            "the maximum is a rule of spec.size"
        );
        assert_eq!(
            version_node(&good, "v2").expect_err("no v2"),
            "the CRD has no version v2"
        );
        let bad = read(&crd(
            json!({"type": "object", "properties": {"size": {"type": "integr"}}}),
        ));
        let error = version_node(&bad, "v1").expect_err("an unknown type");
        assert!(
            error.starts_with("the CRD cannot be read: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].type"),
            "{error}"
        );
    }
}
