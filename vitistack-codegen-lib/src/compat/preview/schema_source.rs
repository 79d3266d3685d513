//! The one place the preview gets a validator tree ([`Node`]) for a version of a CRD.
//!
//! Until the CRD loader (`vitistack_core::schema::load`) is on main, only the built-in kinds
//! are read: the registry kind with the CRD's kind and version whose schema of that version is
//! the CRD's (compared without descriptions, which `generate` may shorten; the group is not
//! compared, as the tree follows from the schema alone). A changed copy of a built-in CRD is therefore never checked against the
//! built-in tree: it is reported as unreadable, and the preview says which objects it could
//! not check.

use serde_json::Value;
use vitistack_types::registry;
use vitistack_types::schema::Node;

use crate::compat::junctors::canonical;

/// The schema `crd` serves at `version`, as the tree the validator walks, or why it cannot be
/// read.
pub(super) fn version_node(crd: &Value, version: &str) -> Result<Node, String> {
    let group = crd.pointer("/spec/group").and_then(Value::as_str);
    let kind = crd.pointer("/spec/names/kind").and_then(Value::as_str);
    let (Some(group), Some(kind)) = (group, kind) else {
        return Err("the CRD has no spec.group or spec.names.kind".to_owned());
    };
    let schema = version_schema(crd, version)
        .ok_or_else(|| format!("the CRD has no schema for version {version}"))?;
    let built_in = registry::kinds()
        .iter()
        .find(|k| k.kind == kind && k.version == version)
        .filter(|k| {
            let own = version_schema(&k.crd(), version).map(|s| canonical(&integral(s)));
            own == Some(canonical(&integral(schema)))
        });
    match built_in {
        Some(info) => Ok(info.root_schema().clone()),
        None => Err(format!(
            "the schema of {kind}.{group} {version} cannot be read yet (only the built-in \
             kinds' own schemas are)"
        )),
    }
}

/// `spec.versions[name == version].schema.openAPIV3Schema`.
fn version_schema<'a>(crd: &'a Value, version: &str) -> Option<&'a Value> {
    crd.pointer("/spec/versions")?
        .as_array()?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(version))?
        .pointer("/schema/openAPIV3Schema")
}

/// `value` with every whole number written as an integer: the model holds bounds as floats
/// (`128.0`), a YAML file as integers (`128`), and both mean the same schema.
fn integral(value: &Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), integral(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(integral).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_in_crd_file_is_read_and_a_changed_copy_is_not() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crds");
        let text = std::fs::read_to_string(root.join("vitistack.io_machines.yaml"))
            .expect("crds/vitistack.io_machines.yaml");
        let mut crd: Value = serde_saphyr::from_str(&text).expect("a CRD");
        let machine = registry::by_kind("Machine").expect("Machine");
        assert_eq!(
            version_node(&crd, "v1alpha1").as_ref(),
            Ok(machine.root_schema())
        );
        let cores = "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/\
                     resources/properties/cpu/properties/cores";
        crd.pointer_mut(cores).expect("cores")["maximum"] = Value::from(64);
        let error = version_node(&crd, "v1alpha1").expect_err("a changed schema");
        assert!(error.contains("cannot be read yet"), "{error}");
    }
}
