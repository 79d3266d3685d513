//! One walk over a schema, with what each check needs to know about a node: its apiserver path,
//! the object field it describes, whether an old value can be paired with it, whether it is a
//! resource root, and whether it sits inside `allOf`/`anyOf`/`oneOf`/`not`.

use serde_json::{Map, Value};

use super::api_path::ApiPath;

/// What a check knows about the node it is shown.
pub(crate) struct NodeContext {
    /// The node's apiserver path (`...openAPIV3Schema.properties[spec]`).
    pub path: ApiPath,
    /// The object field the node describes (`spec.ports[*].name`); empty at the root.
    pub field: String,
    /// The highest ancestor (or the node itself, for its items) below which no old value
    /// correlates: an item of a list that is not `x-kubernetes-list-type: map`
    /// (`withForbidOldSelfValidations` keeps the first one).
    pub uncorrelatable_within: Option<ApiPath>,
    /// The root of the schema or an `x-kubernetes-embedded-resource`.
    pub resource_root: bool,
    /// Inside a junctor (value validations only: no rules, defaults or types are allowed).
    pub in_junctor: bool,
}

const JUNCTORS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Calls `visit` on the root and every node below it, depth first: properties (sorted),
/// `items`, `additionalProperties` and the members of junctors.
pub(crate) fn walk(
    root: &Value,
    path: &ApiPath,
    visit: &mut dyn FnMut(&Map<String, Value>, &NodeContext),
) {
    let context = NodeContext {
        path: path.clone(),
        field: String::new(),
        uncorrelatable_within: None,
        resource_root: true,
        in_junctor: false,
    };
    node(root, &context, visit);
}

fn node(
    value: &Value,
    context: &NodeContext,
    visit: &mut dyn FnMut(&Map<String, Value>, &NodeContext),
) {
    let Some(obj) = value.as_object() else {
        return;
    };
    visit(obj, context);
    let below = |path: ApiPath,
                 field: String,
                 uncorrelatable_within: Option<ApiPath>,
                 child: &Value| NodeContext {
        path,
        field,
        uncorrelatable_within,
        resource_root: child.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true)),
        in_junctor: context.in_junctor,
    };
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, child) in props {
            let field = if context.field.is_empty() {
                name.clone()
            } else {
                format!("{}.{name}", context.field)
            };
            let path = context.path.child("properties").key(name);
            node(
                child,
                &below(path, field, context.uncorrelatable_within.clone(), child),
                visit,
            );
        }
    }
    if let Some(items) = obj.get("items").filter(|i| i.is_object()) {
        let list_map = obj.get("x-kubernetes-list-type").and_then(Value::as_str) == Some("map");
        let within = context
            .uncorrelatable_within
            .clone()
            .or_else(|| (!list_map).then(|| context.path.clone()));
        let field = format!("{}[*]", context.field);
        node(
            items,
            &below(context.path.child("items"), field, within, items),
            visit,
        );
    }
    if let Some(values) = obj.get("additionalProperties").filter(|v| v.is_object()) {
        let field = format!("{}[*]", context.field);
        let path = context.path.child("additionalProperties");
        node(
            values,
            &below(path, field, context.uncorrelatable_within.clone(), values),
            visit,
        );
    }
    let members = JUNCTORS
        .iter()
        .flat_map(|j| {
            obj.get(*j)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, m)| (context.path.child(j).index(i), m))
        })
        .chain(obj.get("not").map(|m| (context.path.child("not"), m)));
    for (path, member) in members {
        let inner = NodeContext {
            path,
            field: context.field.clone(),
            uncorrelatable_within: context.uncorrelatable_within.clone(),
            resource_root: false,
            in_junctor: true,
        };
        node(member, &inner, visit);
    }
}
