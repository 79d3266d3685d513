//! Typed ⇄ unstructured conversion, the Rust form of Go's `MachineToUnstructured` helpers and
//! `runtime.DefaultUnstructuredConverter`, over kube's [`DynamicObject`].

use crate::crd::CustomResourceKind;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube_core::{DynamicObject, TypeMeta};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a conversion failed, with the field path of the problem.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{path}: {message}")]
pub struct ConversionError {
    /// Field path, e.g. `spec.resources.cpu.cores` (`kind` for a wrong kind).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ConversionError {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ConversionError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Converts a typed object to kube's unstructured `DynamicObject` (apiVersion, kind, metadata
/// and the rest kept).
pub fn to_unstructured<K: CustomResourceKind + Serialize>(
    object: &K,
) -> Result<DynamicObject, ConversionError> {
    let value =
        serde_json::to_value(object).map_err(|e| ConversionError::new("", e.to_string()))?;
    match split_object(value) {
        Ok(dynamic) => Ok(dynamic),
        Err(value) => {
            serde_json::from_value(value).map_err(|e| ConversionError::new("", e.to_string()))
        }
    }
}

/// The `DynamicObject` deserializing `value` gives, built by taking `apiVersion`, `kind` and
/// `metadata` out of the map: `DynamicObject`'s two `#[serde(flatten)]` fields make serde
/// buffer every field of the object first, which costs more than the conversion itself. Gives
/// `value` back untouched when it is not an object with string `apiVersion` and `kind` and a
/// well-formed `metadata`, for the generic path to handle (and report).
fn split_object(value: serde_json::Value) -> Result<DynamicObject, serde_json::Value> {
    use serde::Deserialize;
    let serde_json::Value::Object(mut map) = value else {
        return Err(value);
    };
    let metadata = match (map.get("apiVersion"), map.get("kind"), map.get("metadata")) {
        (Some(serde_json::Value::String(_)), Some(serde_json::Value::String(_)), Some(meta)) => {
            match ObjectMeta::deserialize(meta) {
                Ok(metadata) => metadata,
                Err(_) => return Err(serde_json::Value::Object(map)),
            }
        }
        _ => return Err(serde_json::Value::Object(map)),
    };
    // Both are strings (checked above); the fallback only keeps this free of panics.
    let take_string =
        |map: &mut serde_json::Map<String, serde_json::Value>, key: &str| match map.remove(key) {
            Some(serde_json::Value::String(s)) => s,
            _ => String::new(),
        };
    let api_version = take_string(&mut map, "apiVersion");
    let kind = take_string(&mut map, "kind");
    map.remove("metadata");
    Ok(DynamicObject {
        types: Some(TypeMeta { api_version, kind }),
        metadata,
        data: serde_json::Value::Object(map),
    })
}

/// Converts an unstructured object to the typed kind `K`. A wrong `apiVersion` or `kind`, or a
/// field that does not fit the Rust type, fails with the field path.
pub fn from_unstructured<K: CustomResourceKind + DeserializeOwned>(
    object: &DynamicObject,
) -> Result<K, ConversionError> {
    if let Some(types) = &object.types {
        if types.api_version != K::API_VERSION {
            return Err(ConversionError::new(
                "apiVersion",
                format!(
                    "expected {:?}, found {:?}",
                    K::API_VERSION,
                    types.api_version
                ),
            ));
        }
        if types.kind != K::KIND {
            return Err(ConversionError::new(
                "kind",
                format!("expected {:?}, found {:?}", K::KIND, types.kind),
            ));
        }
    }
    if let serde_json::Value::Object(data) = &object.data {
        // The common case, without copying `data`: deserialize straight from the parts. Only
        // a failure takes the generic path below, which names the field path.
        if let Ok(Ok(kind)) = from_parts(object, data) {
            return Ok(kind);
        }
    }
    let value =
        serde_json::to_value(object).map_err(|e| ConversionError::new("", e.to_string()))?;
    from_value(value)
}

/// Deserializes `K` from the object that serialising `object` gives (`types` and `data`
/// flattened next to `metadata`), borrowing `data` instead of copying it. Keys come in the
/// order, and with the precedence, of that serialised map.
fn from_parts<K: DeserializeOwned>(
    object: &DynamicObject,
    data: &serde_json::Map<String, serde_json::Value>,
) -> Result<Result<K, serde_json::Error>, serde_json::Error> {
    use serde_json::{Map, Value};
    let mut head = Map::new();
    if let Some(types) = &object.types {
        head.insert("apiVersion".into(), types.api_version.clone().into());
        head.insert("kind".into(), types.kind.clone().into());
    }
    head.insert("metadata".into(), serde_json::to_value(&object.metadata)?);
    // The serialised map's keys, in its iteration order (later inserts win, as there).
    let mut keys = Map::new();
    for key in head.keys().chain(data.keys()) {
        keys.insert(key.clone(), Value::Null);
    }
    let entries = keys.keys().filter_map(|key| {
        data.get(key)
            .or_else(|| head.get(key))
            .map(|v| (key.as_str(), v))
    });
    Ok(K::deserialize(serde::de::value::MapDeserializer::new(
        entries,
    )))
}

/// Deserializes a JSON value into a kind, naming the field path on failure.
pub fn from_value<K: DeserializeOwned>(value: serde_json::Value) -> Result<K, ConversionError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        ConversionError::new(path, e.into_inner().to_string())
    })
}

/// `machine_to_unstructured`, `machine_from_unstructured`, ... for every kind of
/// [`for_each_kind!`](crate::for_each_kind).
macro_rules! per_kind {
    ([] $($kind:ident [$module:ident, $spec:ident, $status:ident, $to:ident, $from:ident]),*) => {$(
        #[doc = concat!("Converts a [`crate::kinds::", stringify!($kind), "`] to a `DynamicObject`.")]
        pub fn $to(object: &crate::kinds::$kind) -> Result<DynamicObject, ConversionError> {
            to_unstructured(object)
        }
        #[doc = concat!("Converts a `DynamicObject` to a [`crate::kinds::", stringify!($kind), "`], failing with a field path.")]
        pub fn $from(object: &DynamicObject) -> Result<crate::kinds::$kind, ConversionError> {
            from_unstructured(object)
        }
    )*};
}

crate::for_each_kind!(per_kind!);
