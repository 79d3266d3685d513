//! A version's schema as a flat map from field path to schema node, crdify's `FlattenCRDVersion`.
//!
//! Paths are written the way findings show them: properties joined by `.` (`spec.vlan`), list
//! items and map values as `[*]` (`spec.interfaces[*].name`), and the combinators crdify walks
//! as `allOf[0]`, `anyOf[1]`, `oneOf[2]`, `not`. The root is `^`, as in crdify.

use std::collections::BTreeMap;

use serde_json::Value;

/// The path of the root of a schema.
pub const ROOT: &str = "^";

/// Every schema node of `schema` (the version's `openAPIV3Schema`) by path, with the path of
/// its parent.
pub fn flatten(schema: &Value) -> BTreeMap<String, (&Value, Option<String>)> {
    let mut out = BTreeMap::new();
    walk(schema, ROOT.to_owned(), None, &mut out);
    out
}

/// `parent` + `.name`, without the root marker.
pub fn child(parent: &str, name: &str) -> String {
    if parent == ROOT {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

type Flat<'a> = BTreeMap<String, (&'a Value, Option<String>)>;

fn walk<'a>(node: &'a Value, path: String, parent: Option<String>, out: &mut Flat<'a>) {
    let Some(map) = node.as_object() else {
        out.insert(path, (node, parent));
        return;
    };
    let me = Some(path.clone());
    if let Some(props) = map.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            walk(sub, child(&path, name), me.clone(), out);
        }
    }
    for key in ["items", "additionalProperties"] {
        // `additionalProperties: true/false` is not a schema node.
        if let Some(sub) = map.get(key).filter(|v| v.is_object()) {
            walk(sub, format!("{path}[*]"), me.clone(), out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, sub) in map
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk(sub, format!("{path}.{key}[{i}]"), me.clone(), out);
        }
    }
    if let Some(sub) = map.get("not") {
        walk(sub, format!("{path}.not"), me, out);
    }
    out.insert(path, (node, parent));
}

/// The version's `schema.openAPIV3Schema`, or an empty schema when it has none.
pub fn version_schema(version: &Value) -> &Value {
    static EMPTY: Value = Value::Null;
    version.pointer("/schema/openAPIV3Schema").unwrap_or(&EMPTY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_properties_items_and_map_values() {
        let schema = json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "vlan": {"type": "integer"},
            "ifaces": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {"type": "object", "additionalProperties": true}
        }}}});
        let paths: Vec<_> = flatten(&schema).into_keys().collect();
        assert_eq!(
            paths,
            [
                "^",
                "spec",
                "spec.free",
                "spec.ifaces",
                "spec.ifaces[*]",
                "spec.ifaces[*].name",
                "spec.labels",
                "spec.labels[*]",
                "spec.vlan"
            ]
        );
    }
}
