//! `render(load(s)) == s` for generated structural schemas over every keyword the loader reads
//! or keeps (the CRD files in `round_trip_tests.rs` cover what real generators write; these cover the
//! combinations they do not).

use super::load;
use super::round_trip_tests::normalized;
use crate::schema::openapi::render;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Adds `key: value` to `schema` when `value` is `Some`.
fn with(mut schema: Value, key: &str, value: Option<Value>) -> Value {
    if let (Some(map), Some(value)) = (schema.as_object_mut(), value) {
        map.insert(key.to_string(), value);
    }
    schema
}

/// Documentation and the flags any node may carry.
fn decorated(schema: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    (
        schema,
        prop::option::of(prop_oneof![Just(json!("")), Just(json!("Some text."))]),
        prop::option::of(prop_oneof![Just(json!("T")), Just(json!("Title"))]),
        prop::option::of(any::<bool>()),
        prop::option::of(prop_oneof![
            Just(json!({ "url": "https://example.com" })),
            Just(json!("e"))
        ]),
        prop::option::of(cel_rules()),
    )
        .prop_map(|(s, description, title, nullable, docs, rules)| {
            let s = with(s, "description", description);
            let s = with(s, "title", title);
            let s = with(s, "nullable", nullable.map(Value::Bool));
            let s = with(s, "externalDocs", docs);
            with(s, "x-kubernetes-validations", rules)
        })
        .boxed()
}

/// `x-kubernetes-validations` with every field of an entry, each optional but the rule.
fn cel_rules() -> impl Strategy<Value = Value> {
    let entry = (
        prop_oneof![
            Just("self == self"),
            Just("has(self.a)"),
            Just("size(self) > 0")
        ],
        prop::option::of(prop_oneof![Just("must hold"), Just("no")]),
        prop::option::of(Just("'computed'")),
        prop::option::of(prop_oneof![
            Just("FieldValueInvalid"),
            Just("FieldValueForbidden"),
            Just("FieldValueRequired"),
            Just("FieldValueDuplicate")
        ]),
        prop::option::of(Just(".a")),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(rule, message, expression, reason, field_path, optional)| {
                let e = json!({ "rule": rule });
                let e = with(e, "message", message.map(Value::from));
                let e = with(e, "messageExpression", expression.map(Value::from));
                let e = with(e, "reason", reason.map(Value::from));
                let e = with(e, "fieldPath", field_path.map(Value::from));
                with(e, "optionalOldSelf", optional.map(Value::Bool))
            },
        );
    prop::collection::vec(entry, 1..3).prop_map(Value::Array)
}

/// A JSON number: an integer, or a fraction.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-1000i64..1000).prop_map(Value::from),
        (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 4.0)),
    ]
}

/// Junctor branches: value validations only, as a structural schema allows.
fn junctors() -> impl Strategy<Value = Vec<(&'static str, Value)>> {
    let branch = prop_oneof![
        Just(json!({ "pattern": "^a" })),
        Just(json!({ "minimum": 1 })),
        Just(json!({ "enum": ["x", 1] })),
        Just(json!({ "required": ["a"] })),
        Just(json!({ "properties": { "a": { "maxLength": 2 } } })),
    ];
    let list = prop::collection::vec(branch.clone(), 1..3).prop_map(Value::Array);
    (
        prop::option::of(list.clone()),
        prop::option::of(list.clone()),
        prop::option::of(list),
        prop::option::of(branch),
    )
        .prop_map(|(all, any, one, not)| {
            [("allOf", all), ("anyOf", any), ("oneOf", one), ("not", not)]
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect()
        })
}

fn string() -> BoxedStrategy<Value> {
    (
        prop::option::of(prop_oneof![
            Just("date-time"),
            Just("uuid"),
            Just("byte"),
            Just("my-own-format")
        ]),
        prop::option::of(0u64..10),
        prop::option::of(10u64..100),
        prop::option::of(Just("^[a-z]+$")),
        prop::option::of(Just(json!(["a", "b"]))),
        prop::option::of(Just(json!("a"))),
        junctors(),
    )
        .prop_map(|(format, min, max, pattern, values, example, junctors)| {
            let s = json!({ "type": "string" });
            let s = with(s, "format", format.map(Value::from));
            let s = with(s, "minLength", min.map(Value::from));
            let s = with(s, "maxLength", max.map(Value::from));
            let s = with(s, "pattern", pattern.map(Value::from));
            let s = with(s, "enum", values);
            let mut s = with(s, "example", example);
            for (key, branches) in junctors {
                s = with(s, key, Some(branches));
            }
            s
        })
        .boxed()
}

fn numeric() -> BoxedStrategy<Value> {
    (
        prop_oneof![Just("integer"), Just("number")],
        prop::option::of(prop_oneof![
            Just("int32"),
            Just("int64"),
            Just("double"),
            Just("float"),
            Just("uint8")
        ]),
        prop::option::of(number()),
        prop::option::of(any::<bool>()),
        prop::option::of(number()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop_oneof![Just(json!(2)), Just(json!(0.5))]),
        prop::option::of(Just(json!([1, 2.5, null]))),
        prop::option::of(number()),
    )
        .prop_map(
            |(ty, format, min, exclusive_min, max, exclusive_max, multiple, values, default)| {
                let s = json!({ "type": ty });
                let s = with(s, "format", format.map(Value::from));
                let s = with(s, "minimum", min);
                let s = with(s, "exclusiveMinimum", exclusive_min.map(Value::Bool));
                let s = with(s, "maximum", max);
                let s = with(s, "exclusiveMaximum", exclusive_max.map(Value::Bool));
                let s = with(s, "multipleOf", multiple);
                let s = with(s, "enum", values);
                with(s, "default", default)
            },
        )
        .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        string(),
        numeric(),
        Just(json!({ "type": "boolean" })).boxed(),
        Just(json!({ "x-kubernetes-int-or-string": true })).boxed(),
        Just(json!({ "x-kubernetes-int-or-string": true, "format": "int-or-string" })).boxed(),
        Just(json!({ "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }], "pattern": "^[0-9]+%?$" })).boxed(),
        Just(json!({ "x-kubernetes-preserve-unknown-fields": true })).boxed(),
        Just(json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true })).boxed(),
        Just(json!({ "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true })).boxed(),
        Just(json!({ "type": "object", "additionalProperties": false })).boxed(),
        Just(json!({ "type": "object", "additionalProperties": true, "x-kubernetes-map-type": "atomic" })).boxed(),
    ]
    .boxed()
}

fn schema() -> impl Strategy<Value = Value> {
    decorated(leaf()).prop_recursive(4, 48, 4, |inner| {
        let names = prop_oneof![Just("a"), Just("b"), Just("c-d"), Just("e_f")];
        let object = (
            prop::collection::btree_map(names, inner.clone(), 1..4),
            any::<prop::sample::Index>(),
            prop::option::of(Just(true)),
            prop::option::of(Just(json!(true))),
            prop::option::of(0u64..3),
        )
            .prop_map(|(properties, pick, preserve, allows, min_props)| {
                let names: Vec<&str> = properties.keys().copied().collect();
                // One declared name, and one the schema does not declare.
                let required = vec![Value::from(names[pick.index(names.len())]), json!("zz")];
                let properties: Map<String, Value> = properties
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                let s = json!({ "type": "object", "properties": properties, "required": required });
                let s = with(
                    s,
                    "x-kubernetes-preserve-unknown-fields",
                    preserve.map(Value::Bool),
                );
                let s = with(s, "additionalProperties", allows);
                with(s, "minProperties", min_props.map(Value::from))
            });
        let map = (inner.clone(), prop::option::of(1u64..5)).prop_map(|(values, max)| {
            let s = json!({ "type": "object", "additionalProperties": values });
            with(s, "maxProperties", max.map(Value::from))
        });
        let list_type = prop_oneof![
            Just(None),
            Just(Some(json!({ "x-kubernetes-list-type": "atomic" }))),
            Just(Some(json!({ "x-kubernetes-list-type": "set" }))),
            Just(Some(
                json!({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a"] })
            )),
        ];
        let array = (
            inner,
            list_type,
            prop::option::of(0u64..3),
            prop::option::of(Just(false)),
        )
            .prop_map(|(items, list, min_items, unique)| {
                // A list-map's items are objects keyed by a required scalar, a list-set's
                // scalars: what the apiserver requires of them.
                let list_type = list
                    .as_ref()
                    .and_then(|l| l["x-kubernetes-list-type"].as_str());
                let items = match list_type {
                    Some("map") => json!({
                        "type": "object", "required": ["a"],
                        "properties": { "a": { "type": "string" }, "b": items }
                    }),
                    Some("set") => json!({ "type": "string" }),
                    _ => items,
                };
                let mut s = json!({ "type": "array", "items": items });
                if let (Some(map), Some(Value::Object(list))) = (s.as_object_mut(), list) {
                    map.extend(list);
                }
                let s = with(s, "minItems", min_items.map(Value::from));
                with(s, "uniqueItems", unique.map(Value::Bool))
            });
        decorated(prop_oneof![object, map, array].boxed())
    })
}

proptest! {
    #[test]
    fn generated_schemas_round_trip(schema in schema()) {
        let node = load(&schema).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(normalized(&render(&node)), normalized(&schema));
    }
}
