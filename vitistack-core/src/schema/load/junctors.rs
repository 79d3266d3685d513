//! `allOf`, `anyOf`, `oneOf` and `not`: kept as written in a [`Junctor`] rule, after checking
//! that they are what a structural schema allows inside a junctor: value validations only.
//! The apiserver refuses a `type`, `default`, `description`, `nullable: true` or any
//! `x-kubernetes-*` extension anywhere inside one ("must be empty to be structural"), except
//! the int-or-string idiom `anyOf: [{type: integer}, {type: string}]` (also inside an `allOf`)
//! on an `x-kubernetes-int-or-string` node.

use super::errors::join;
use super::reader::Reader;
use crate::rules::{Junctor, JunctorKind, Rule};
use crate::schema::Node;
use serde_json::{Map, Value};

/// Adds a [`Junctor`] rule per junctor of `object`.
pub(super) fn read(reader: &mut Reader, object: &Map<String, Value>, path: &str, node: &mut Node) {
    let int_or_string = object.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true));
    for kind in JunctorKind::ALL {
        let key = kind.keyword();
        let at = join(path, key);
        let branches = match (kind, object.get(key)) {
            (_, None) => continue,
            (JunctorKind::Not, Some(branch @ Value::Object(_))) => vec![branch.clone()],
            (JunctorKind::Not, Some(_)) => {
                reader.error(&at, "must be a schema");
                continue;
            }
            (_, Some(Value::Array(branches))) if branches.iter().all(Value::is_object) => {
                branches.clone()
            }
            (_, Some(_)) => {
                reader.error(&at, "must be a list of schemas");
                continue;
            }
        };
        let idiom = int_or_string && is_int_or_string_idiom(kind, &branches);
        if !idiom {
            for (i, branch) in branches.iter().enumerate() {
                let branch_at = match kind {
                    JunctorKind::Not => at.clone(),
                    _ => format!("{at}[{i}]"),
                };
                value_validations_only(reader, branch, &branch_at, int_or_string);
            }
        }
        node.push_rule(Rule::Junctor(Junctor::new(kind, branches)));
    }
}

/// `anyOf: [{type: integer}, {type: string}]`, or an `allOf` whose branches are that `anyOf`.
fn is_int_or_string_idiom(kind: JunctorKind, branches: &[Value]) -> bool {
    let pair = serde_json::json!([{ "type": "integer" }, { "type": "string" }]);
    match kind {
        JunctorKind::AnyOf => Value::Array(branches.to_vec()) == pair,
        JunctorKind::AllOf => branches.iter().all(|b| {
            b.as_object()
                .is_some_and(|o| o.len() == 1 && o.get("anyOf") == Some(&pair))
        }),
        _ => false,
    }
}

/// What a branch may not say, with the apiserver's wording.
const FORBIDDEN_IN_JUNCTORS: &[(&str, &str)] = &[
    ("type", "Forbidden: must be empty to be structural"),
    ("default", "Forbidden: must be undefined to be structural"),
    ("description", "Forbidden: must be empty to be structural"),
    (
        "x-kubernetes-validations",
        "Forbidden: must be empty to be structural",
    ),
    (
        "x-kubernetes-list-type",
        "Forbidden: must be empty to be structural",
    ),
    (
        "x-kubernetes-list-map-keys",
        "Forbidden: must be empty to be structural",
    ),
    (
        "x-kubernetes-map-type",
        "Forbidden: must be empty to be structural",
    ),
];

/// Flags that must be false (or absent) inside a junctor.
const FALSE_IN_JUNCTORS: &[&str] = &[
    "nullable",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
];

/// Reports what `schema` (a junctor branch at `path`, or a schema inside one) may not say,
/// recursing through what a branch may nest.
fn value_validations_only(reader: &mut Reader, schema: &Value, path: &str, int_or_string: bool) {
    let Some(object) = schema.as_object() else {
        reader.error(path, "must be a schema object");
        return;
    };
    for (key, message) in FORBIDDEN_IN_JUNCTORS {
        if object.contains_key(*key) {
            reader.error(&join(path, key), *message);
        }
    }
    for key in FALSE_IN_JUNCTORS {
        if object.get(*key) == Some(&Value::Bool(true)) {
            reader.error(
                &join(path, key),
                "Forbidden: must be false to be structural",
            );
        }
    }
    if let Some(Value::Object(properties)) = object.get("properties") {
        for (name, child) in properties {
            let at = join(path, &format!("properties[{name}]"));
            value_validations_only(reader, child, &at, false);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child @ Value::Object(_)) = object.get(key) {
            value_validations_only(reader, child, &join(path, key), false);
        }
    }
    for kind in [JunctorKind::AllOf, JunctorKind::AnyOf, JunctorKind::OneOf] {
        let key = kind.keyword();
        let Some(Value::Array(branches)) = object.get(key) else {
            continue;
        };
        if int_or_string && is_int_or_string_idiom(kind, branches) {
            continue;
        }
        for (i, branch) in branches.iter().enumerate() {
            value_validations_only(reader, branch, &format!("{}[{i}]", join(path, key)), false);
        }
    }
}
