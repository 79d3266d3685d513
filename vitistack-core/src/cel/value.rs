//! Runtime values, and how JSON data becomes one under its schema
//! (`k8s.io/apiserver/pkg/cel/common/valuesunstructured.go: UnstructuredToVal`): objects vs
//! maps, list-set and list-map semantics carried by the value, int-or-string, `date-time`,
//! `duration`, `date` and `byte` strings, `null` as absent.

use super::libs::{semver::Semver, url::Url};
use super::types::{Decl, ListKind, ObjectType, Scalar, Shape, Type};
use crate::formats::{self, quantity::Quantity, Cidr};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

/// A CEL value.
#[derive(Debug, Clone)]
pub enum Value {
    /// `null`.
    Null,
    /// A bool.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A uint.
    Uint(u64),
    /// A double.
    Double(f64),
    /// A string.
    String(Arc<str>),
    /// Bytes.
    Bytes(Arc<[u8]>),
    /// A duration, in nanoseconds.
    Duration(i64),
    /// A timestamp: seconds since the epoch and nanoseconds.
    Timestamp(i64, u32),
    /// A list.
    List(Arc<List>),
    /// A map (a CEL map literal, or `additionalProperties` data).
    Map(Arc<Map>),
    /// An object of a schema.
    Object(Arc<Object>),
    /// An optional.
    Optional(Option<Arc<Value>>),
    /// A type value (`int`, `type(x)`).
    Type(Arc<str>),
    /// A Kubernetes quantity.
    Quantity(Arc<Quantity>),
    /// An IP address.
    Ip(IpAddr),
    /// A CIDR.
    Cidr(Cidr),
    /// A URL.
    Url(Arc<Url>),
    /// A semantic version.
    Semver(Arc<Semver>),
    /// A named format (`format.dns1123Label()`).
    Format(&'static str),
    /// Data that does not convert (a `null` where the schema is not nullable, a malformed
    /// date-time): an error when the rule reads it, as in the apiserver.
    Error(Arc<str>),
}

/// A list and its `x-kubernetes-list-type` (literal lists are atomic).
#[derive(Debug)]
pub struct List {
    /// The items.
    pub items: Vec<Value>,
    /// Equality and `+` semantics.
    pub kind: ListKind,
    /// Whether the list comes from object data (out-of-range index errors differ).
    pub data: bool,
}

/// A map.
#[derive(Debug, Default)]
pub struct Map {
    /// The entries, by key.
    pub entries: BTreeMap<Key, Value>,
}

/// A map key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A bool key.
    Bool(bool),
    /// An int key.
    Int(i64),
    /// A uint key.
    Uint(u64),
    /// A string key.
    String(Arc<str>),
}

impl Key {
    /// The key of a value (`None`: not a valid key type).
    pub fn of(v: &Value) -> Option<Key> {
        match v {
            Value::Bool(b) => Some(Key::Bool(*b)),
            Value::Int(i) => Some(Key::Int(*i)),
            Value::Uint(u) => Some(Key::Uint(*u)),
            Value::String(s) => Some(Key::String(s.clone())),
            _ => None,
        }
    }

    /// The key as a value.
    pub fn value(&self) -> Value {
        match self {
            Key::Bool(b) => Value::Bool(*b),
            Key::Int(i) => Value::Int(*i),
            Key::Uint(u) => Value::Uint(*u),
            Key::String(s) => Value::String(s.clone()),
        }
    }
}

/// An object: its CEL-visible present fields (by CEL name), and its raw data (for `size()` and
/// for the equality of fields the type does not name).
#[derive(Debug)]
pub struct Object {
    /// The object type.
    pub ty: Arc<ObjectType>,
    /// Present, non-null, typed fields by CEL name.
    pub fields: BTreeMap<String, Value>,
    /// The raw JSON object.
    pub raw: Json,
}

impl Value {
    /// A string value.
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A literal list of values.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(List {
            items,
            kind: ListKind::Atomic,
            data: false,
        }))
    }

    /// The CEL type name of the value, as `type()` and error messages print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Null => "null_type".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Uint(_) => "uint".into(),
            Value::Double(_) => "double".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => "bytes".into(),
            Value::Duration(_) => "google.protobuf.Duration".into(),
            Value::Timestamp(..) => "google.protobuf.Timestamp".into(),
            Value::List(_) => "list".into(),
            // The apiserver's objects are unstructured maps at runtime.
            Value::Map(_) | Value::Object(_) => "map".into(),
            Value::Optional(_) => "optional_type".into(),
            Value::Type(_) => "type".into(),
            Value::Quantity(_) => super::types::opaque::QUANTITY.into(),
            Value::Ip(_) => super::types::opaque::IP.into(),
            Value::Cidr(_) => super::types::opaque::CIDR.into(),
            Value::Url(_) => super::types::opaque::URL.into(),
            Value::Semver(_) => super::types::opaque::SEMVER.into(),
            Value::Format(_) => super::types::opaque::FORMAT.into(),
            Value::Error(_) => "error".into(),
        }
    }

    /// The size cel-go's cost tracker uses: code points of strings, bytes, items, entries.
    pub fn size(&self) -> u64 {
        match self {
            Value::String(s) => s.chars().count() as u64,
            Value::Bytes(b) => b.len() as u64,
            Value::List(l) => l.items.len() as u64,
            Value::Map(m) => m.entries.len() as u64,
            Value::Object(o) => o.raw.as_object().map_or(0, |m| m.len()) as u64,
            _ => 1,
        }
    }
}

/// The value of JSON data under its declaration.
pub fn from_json(json: &Json, decl: &Decl) -> Value {
    match (&decl.shape, json) {
        (_, Json::Null) => {
            if decl.nullable {
                Value::Null
            } else {
                Value::Error("invalid data, got null for schema with nullable=false".into())
            }
        }
        (Shape::IntOrString, Json::String(s)) => Value::string(s.as_str()),
        (Shape::IntOrString, Json::Number(n)) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Error(format!("invalid data, expected int or string, got {n}").into()),
        },
        (Shape::Scalar(s), _) => scalar(*s, json),
        (Shape::List { items, list }, Json::Array(elements)) => Value::List(Arc::new(List {
            items: elements.iter().map(|e| from_json(e, items)).collect(),
            kind: list.clone(),
            data: true,
        })),
        (Shape::Map { values }, Json::Object(entries)) => Value::Map(Arc::new(Map {
            entries: entries
                .iter()
                .map(|(k, v)| (Key::String(Arc::from(k.as_str())), from_json(v, values)))
                .collect(),
        })),
        (Shape::Object(ty), Json::Object(entries)) => {
            let mut fields = BTreeMap::new();
            for field in &ty.fields {
                if let Some(v) = entries.get(&field.raw).filter(|v| !v.is_null()) {
                    fields.insert(field.escaped.clone(), from_json(v, &field.decl));
                }
            }
            Value::Object(Arc::new(Object {
                ty: ty.clone(),
                fields,
                raw: json.clone(),
            }))
        }
        _ => Value::Error(format!("invalid data, expected {}, got {json}", decl.ty).into()),
    }
}

fn scalar(s: Scalar, json: &Json) -> Value {
    let bad = || Value::Error(format!("invalid data, got {json} for {s:?}").into());
    match (s, json) {
        (Scalar::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Scalar::Int, Json::Number(n)) => n.as_i64().map_or_else(bad, Value::Int),
        (Scalar::Double, Json::Number(n)) => n.as_f64().map_or_else(bad, Value::Double),
        (Scalar::String, Json::String(t)) => Value::string(t.as_str()),
        (Scalar::Bytes, Json::String(t)) => match super::libs::base64_decode(t) {
            Some(b) => Value::Bytes(b.into()),
            None => Value::Error(format!("illegal base64 data: {t}").into()),
        },
        (Scalar::Duration, Json::String(t)) => match formats::parse_duration(t) {
            Ok(nanos) => Value::Duration(nanos),
            Err(_) => Value::Error(format!("time: invalid duration \"{t}\"").into()),
        },
        (Scalar::DateTime, Json::String(t)) => match super::libs::time::parse_date_time(t) {
            Some((secs, nanos)) => Value::Timestamp(secs, nanos),
            None => Value::Error(format!("invalid date-time: {t}").into()),
        },
        (Scalar::Date, Json::String(t)) => match super::libs::time::parse_date(t) {
            Some(secs) => Value::Timestamp(secs, 0),
            None => Value::Error(format!("invalid date: {t}").into()),
        },
        _ => bad(),
    }
}

/// The type of a value, for `type()` comparisons against type names.
pub fn type_of(v: &Value) -> Type {
    match v {
        Value::Null => Type::Null,
        Value::Bool(_) => Type::Bool,
        Value::Int(_) => Type::Int,
        Value::Uint(_) => Type::Uint,
        Value::Double(_) => Type::Double,
        Value::String(_) => Type::String,
        Value::Bytes(_) => Type::Bytes,
        Value::Duration(_) => Type::Duration,
        Value::Timestamp(..) => Type::Timestamp,
        Value::List(_) => Type::List(Box::new(Type::Dyn)),
        Value::Map(_) | Value::Object(_) => Type::Map(Box::new(Type::Dyn), Box::new(Type::Dyn)),
        _ => Type::Dyn,
    }
}
