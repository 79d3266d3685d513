//! Several kinds in one webhook: [`ConvertObject`] is what the webhook asks of a converter, and
//! [`Conversions`] picks the kind's [`Converter`] by the review's desired group and the object's
//! kind, so one Deployment serves every kind of an API (one CRD stanza per kind, all pointing
//! at the same Service and path).

use crate::converter::object_name;
use crate::{ConversionError, Converter, Hub};
use serde_json::Value;
use std::collections::BTreeMap;

/// Converts one object, as the apiserver sends it, to the desired `apiVersion`.
pub trait ConvertObject: Send + Sync {
    /// Converts `object` to `desired`; an error names the object.
    fn convert_object(&self, object: Value, desired: &str) -> Result<Value, ConversionError>;
}

impl<H: Hub> ConvertObject for Converter<H> {
    fn convert_object(&self, object: Value, desired: &str) -> Result<Value, ConversionError> {
        self.convert(object, desired)
    }
}

/// The kinds one webhook converts, each by its own [`Converter`], keyed by group and kind.
#[derive(Default)]
pub struct Conversions {
    kinds: BTreeMap<(&'static str, &'static str), Box<dyn ConvertObject>>,
}

impl Conversions {
    /// A webhook that converts no kind yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the converter of `H`'s kind.
    ///
    /// # Panics
    /// When `H`'s kind in `H`'s group already has a converter: two converters of one kind are a
    /// programming error found at start-up, never a request answered by the wrong one.
    pub fn with<H: Hub + 'static>(mut self, converter: Converter<H>) -> Self {
        let key = (H::GROUP, H::KIND);
        let previous = self.kinds.insert(key, Box::new(converter));
        assert!(
            previous.is_none(),
            "two converters for kind {} in group {}",
            H::KIND,
            H::GROUP
        );
        self
    }

    /// The kinds converted, as `Kind.group`, sorted by group then kind.
    pub fn kinds(&self) -> Vec<String> {
        self.kinds
            .keys()
            .map(|(group, kind)| format!("{kind}.{group}"))
            .collect()
    }
}

impl<H: Hub + 'static> From<Converter<H>> for Conversions {
    fn from(converter: Converter<H>) -> Self {
        Conversions::new().with(converter)
    }
}

impl ConvertObject for Conversions {
    fn convert_object(&self, object: Value, desired: &str) -> Result<Value, ConversionError> {
        // `group/version`; the core group (bare `v1`) has no custom resources, so it finds none.
        let group = desired.split_once('/').map_or("", |(group, _)| group);
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match self.kinds.get(&(group, kind.as_str())) {
            Some(converter) => converter.convert_object(object, desired),
            None => Err(ConversionError::UnknownKind {
                object: object_name(&object),
                group: group.to_string(),
                kind,
                known: self.kinds().join(", "),
            }),
        }
    }
}
