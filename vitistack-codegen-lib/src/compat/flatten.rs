//! A version's schema as a flat map from field path to the schema nodes that constrain it,
//! crdify's `FlattenCRDVersion` with the junctors read as constraints.
//!
//! Paths are written the way findings show them: properties joined by `.` (`spec.vlan`), list
//! items and map values as `[*]` (`spec.interfaces[*].name`). The root is `^`, as in crdify.
//!
//! A field's constraints may be spread over `allOf` members (controller-gen writes
//! `allOf: [{enum: [a, b]}, {enum: [a, b]}]` when a type and its field both carry an enum
//! marker): every `allOf` member, and the properties it constrains, add a *layer* to the path
//! they apply to, and the checks compare what all layers of a path admit together. `anyOf`,
//! `oneOf` and `not` are not walked at all: they are constraints of the node that carries them
//! (compared by [`super::junctors`]), never fields.

use std::collections::BTreeMap;

use serde_json::Value;

/// The path of the root of a schema.
pub const ROOT: &str = "^";

/// The schema nodes of one field path.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The field's own schema first, then each `allOf` member that applies to it (depth first).
    pub layers: Vec<&'a Value>,
    /// The path of the parent field (`None` for the root).
    pub parent: Option<String>,
}

impl<'a> Node<'a> {
    /// The field's own schema node (the first layer).
    pub fn own(&self) -> &'a Value {
        self.layers[0]
    }
}

/// Every field of `schema` (the version's `openAPIV3Schema`) by path.
pub fn flatten(schema: &Value) -> BTreeMap<String, Node<'_>> {
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

/// Add `node` as a layer of `path`, then walk its fields and its `allOf` members.
fn walk<'a>(
    node: &'a Value,
    path: String,
    parent: Option<String>,
    out: &mut BTreeMap<String, Node<'a>>,
) {
    out.entry(path.clone())
        .or_insert_with(|| Node {
            layers: Vec::new(),
            parent: parent.clone(),
        })
        .layers
        .push(node);
    let Some(map) = node.as_object() else {
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
    for sub in map
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk(sub, path.clone(), parent.clone(), out);
    }
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

    #[test]
    fn junctors_are_layers_never_fields() {
        let schema = json!({"type": "object", "properties": {"mode": {"type": "string",
            "allOf": [{"enum": ["a"]}, {"allOf": [{"maxLength": 3}]}],
            "anyOf": [{"properties": {"x": {"type": "string"}}}], "not": {"enum": ["b"]}}},
            "allOf": [{"properties": {"mode": {"pattern": "^a"}}}]});
        let flat = flatten(&schema);
        let paths: Vec<_> = flat.keys().map(String::as_str).collect();
        assert_eq!(paths, ["^", "mode"]);
        let mode = &flat["mode"];
        assert_eq!(mode.layers.len(), 5, "{:?}", mode.layers);
        assert_eq!(mode.own()["type"], "string");
        assert_eq!(mode.parent.as_deref(), Some(ROOT));
        assert_eq!(flat[ROOT].layers.len(), 2);
    }
}
