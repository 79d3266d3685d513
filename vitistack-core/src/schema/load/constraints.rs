//! The value validations of one node, read into [`Rule`]s: bounds, lengths, patterns, enums,
//! junctors ([`super::junctors`]) and `x-kubernetes-validations` ([`super::validations`]).

use super::errors::join;
use super::reader::Reader;
use crate::rules::{Limit, MultipleOf, NumberRange, Properties, Rule};
use crate::schema::Node;
use serde_json::{Map, Value};

/// Adds the rules `object` declares to `node`, in a fixed order (the order only matters for
/// `x-kubernetes-validations`, whose entries keep theirs).
pub(super) fn read(
    reader: &mut Reader,
    object: &Map<String, Value>,
    path: &str,
    node: &mut Node,
    verbatim: &mut Map<String, Value>,
) {
    let count = |reader: &mut Reader, key: &str| -> Option<u64> {
        let value = object.get(key)?;
        let n = value.as_u64();
        if n.is_none() {
            reader.error(&join(path, key), "must be a non-negative integer");
        }
        n
    };
    let (min_length, max_length) = (count(reader, "minLength"), count(reader, "maxLength"));
    if min_length.is_some() || max_length.is_some() {
        node.push_rule(Rule::length(min_length, max_length));
    }
    let (min_items, max_items) = (count(reader, "minItems"), count(reader, "maxItems"));
    if min_items.is_some() || max_items.is_some() {
        node.push_rule(Rule::items(min_items, max_items));
    }
    let (min_props, max_props) = (
        count(reader, "minProperties"),
        count(reader, "maxProperties"),
    );
    if min_props.is_some() || max_props.is_some() {
        node.push_rule(Rule::Properties(Properties {
            min: min_props,
            max: max_props,
        }));
    }
    bounds(reader, object, path, node, verbatim);
    match object.get("multipleOf") {
        Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f > 0.0) => {
            node.push_rule(Rule::MultipleOf(MultipleOf(n.clone())));
        }
        Some(_) => reader.error(&join(path, "multipleOf"), "must be a number greater than 0"),
        None => {}
    }
    match object.get("pattern") {
        Some(Value::String(source)) => {
            if let Err(e) = regex::Regex::new(source) {
                let message = format!("Invalid value: {source:?}: not a regular expression: {e}");
                reader.error(&join(path, "pattern"), message);
            }
            node.push_rule(Rule::pattern(source));
        }
        Some(_) => reader.error(&join(path, "pattern"), "must be a string"),
        None => {}
    }
    match object.get("enum") {
        Some(Value::Array(values)) => {
            node.push_rule(Rule::Enum(crate::rules::EnumValues(values.clone())));
        }
        Some(_) => reader.error(&join(path, "enum"), "must be a list of values"),
        None => {}
    }
    match object.get("uniqueItems") {
        Some(Value::Bool(false)) => {
            verbatim.insert("uniqueItems".into(), Value::Bool(false));
        }
        Some(_) => reader.error(
            &join(path, "uniqueItems"),
            "Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
        ),
        None => {}
    }
    super::junctors::read(reader, object, path, node);
    super::validations::read(reader, object, path, node);
}

/// `minimum`/`maximum` with their exclusive flags, as a [`NumberRange`] whatever the numbers:
/// it keeps them as written and words its errors as the apiserver does (the derive's integer
/// [`Rule::Range`] words them as `validate()` always has).
fn bounds(
    reader: &mut Reader,
    object: &Map<String, Value>,
    path: &str,
    node: &mut Node,
    verbatim: &mut Map<String, Value>,
) {
    let mut limit = |reader: &mut Reader, key: &str, exclusive_key: &str| -> Option<Limit> {
        let exclusive = match object.get(exclusive_key) {
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                let message = "must be a boolean (OpenAPI v3.0)";
                reader.error(&join(path, exclusive_key), message);
                false
            }
            None => false,
        };
        let bound = match object.get(key) {
            Some(Value::Number(n)) => Some(n.clone()),
            Some(_) => {
                reader.error(&join(path, key), "must be a number");
                None
            }
            None => None,
        };
        // An exclusive flag that changes nothing (false, or without its bound) is kept as
        // written.
        if let Some(flag @ Value::Bool(_)) = object.get(exclusive_key) {
            if !exclusive || bound.is_none() {
                verbatim.insert(exclusive_key.into(), flag.clone());
            }
        }
        bound.map(|value| Limit { value, exclusive })
    };
    let min = limit(reader, "minimum", "exclusiveMinimum");
    let max = limit(reader, "maximum", "exclusiveMaximum");
    if min.is_some() || max.is_some() {
        node.push_rule(Rule::Number(NumberRange { min, max }));
    }
}
