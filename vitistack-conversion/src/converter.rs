//! [`Converter`]: every version of one kind, converting objects as the apiserver sends them.

use crate::lossless::Lost;
use crate::{ConversionError, Convertible, Hub};
use serde_json::Value;
use std::collections::BTreeMap;

type ToHub<H> = fn(Value) -> Result<H, ConversionError>;
type FromHub<H> = fn(H) -> Result<Value, ConversionError>;

struct Version<H> {
    to_hub: ToHub<H>,
    from_hub: FromHub<H>,
}

/// The versions of one kind and how each converts to and from the hub `H`.
pub struct Converter<H: Hub> {
    versions: BTreeMap<&'static str, Version<H>>,
}

impl<H: Hub> Default for Converter<H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<H: Hub> Converter<H> {
    /// A converter that knows the hub only.
    pub fn new() -> Self {
        let mut versions = BTreeMap::new();
        versions.insert(
            H::API_VERSION,
            Version {
                to_hub: decode::<H>,
                from_hub: encode::<H>,
            },
        );
        Converter { versions }
    }

    /// Adds spoke `S`. Its conversions are made lossless here ([`crate::lossless`]): hub →
    /// spoke also converts the spoke back and keeps what differs in an annotation, and spoke →
    /// hub puts it back.
    pub fn spoke<S: Convertible<H>>(mut self) -> Self {
        let to_hub: ToHub<H> = spoke_to_hub::<H, S>;
        let from_hub: FromHub<H> = hub_to_spoke::<H, S>;
        self.versions
            .insert(S::API_VERSION, Version { to_hub, from_hub });
        self
    }

    /// The `apiVersion`s this converter knows, sorted.
    pub fn api_versions(&self) -> Vec<&'static str> {
        self.versions.keys().copied().collect()
    }

    /// Converts one object to `desired` (an `apiVersion`). Only `apiVersion`, `spec`, `status`
    /// and `metadata.labels`/`metadata.annotations` change: the apiserver refuses a webhook that
    /// changes any other metadata, so the rest of `metadata` is copied from the input verbatim.
    pub fn convert(&self, object: Value, desired: &str) -> Result<Value, ConversionError> {
        let name = object_name(&object);
        let Some(source) = object
            .get("apiVersion")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return Err(ConversionError::Malformed {
                object: name,
                reason: "no apiVersion".into(),
            });
        };
        let target = self.version(desired, &name)?;
        let from = self.version(&source, &name)?;
        if source == desired {
            return Ok(object);
        }
        let metadata = object.get("metadata").cloned();
        let hub = (from.to_hub)(object).map_err(|e| e.about(&name))?;
        let mut converted = (target.from_hub)(hub).map_err(|e| e.about(&name))?;
        keep_metadata(&mut converted, metadata);
        Ok(converted)
    }

    fn version(&self, api_version: &str, name: &str) -> Result<&Version<H>, ConversionError> {
        self.versions
            .get(api_version)
            .ok_or_else(|| ConversionError::UnknownVersion {
                object: name.to_string(),
                api_version: api_version.to_string(),
                known: self.api_versions().join(", "),
            })
    }
}

/// `Kind namespace/name` (or what of it is there), for messages.
pub(crate) fn object_name(object: &Value) -> String {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("object");
    let meta = object.get("metadata");
    let field = |f: &str| meta.and_then(|m| m.get(f)).and_then(Value::as_str);
    match (field("namespace"), field("name").or(field("generateName"))) {
        (Some(ns), Some(name)) => format!("{kind} {ns}/{name}"),
        (None, Some(name)) => format!("{kind} {name}"),
        _ => format!("{kind} (unnamed)"),
    }
}

fn decode<K: serde::de::DeserializeOwned + vitistack_core::crd::CustomResourceKind>(
    value: Value,
) -> Result<K, ConversionError> {
    let name = object_name(&value);
    serde_path_to_error::deserialize(value).map_err(|e| ConversionError::Decode {
        object: name,
        api_version: K::API_VERSION.to_string(),
        reason: e.to_string(),
    })
}

/// Hub → spoke, with what the spoke cannot hold kept in its annotation: the fields where
/// hub → spoke → hub differs from the hub.
fn hub_to_spoke<H: Hub, S: Convertible<H>>(hub: H) -> Result<Value, ConversionError> {
    let hub_value = encode(&hub)?;
    let mut spoke = encode(S::from_hub(hub)?)?;
    let round_trip = encode(decode::<S>(spoke.clone())?.to_hub()?)?;
    Lost::between(&hub_value, &round_trip).keep_in(&mut spoke)?;
    Ok(spoke)
}

/// Spoke → hub, with the kept fields put back.
fn spoke_to_hub<H: Hub, S: Convertible<H>>(mut spoke: Value) -> Result<H, ConversionError> {
    let lost = Lost::take_from(&mut spoke)?;
    let hub = decode::<S>(spoke)?.to_hub()?;
    let Some(lost) = lost else { return Ok(hub) };
    let mut hub = encode(&hub)?;
    lost.restore(&mut hub);
    decode::<H>(hub)
}

fn encode<K: serde::Serialize>(object: K) -> Result<Value, ConversionError> {
    serde_json::to_value(object)
        .map_err(|e| ConversionError::refused(format!("does not encode: {e}")))
}

/// Puts the input's metadata back, with the converted object's labels and annotations.
fn keep_metadata(converted: &mut Value, original: Option<Value>) {
    let Some(Value::Object(mut meta)) = original else {
        return;
    };
    for key in ["labels", "annotations"] {
        match converted
            .pointer(&format!("/metadata/{key}"))
            .filter(|v| !is_empty_map(v))
        {
            Some(value) => meta.insert(key.to_string(), value.clone()),
            None => meta.remove(key),
        };
    }
    if let Some(object) = converted.as_object_mut() {
        object.insert("metadata".to_string(), Value::Object(meta));
    }
}

fn is_empty_map(value: &Value) -> bool {
    value.as_object().is_some_and(|m| m.is_empty())
}
