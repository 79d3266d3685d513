//! Lossless round trips through a spoke: the fields of the hub that a spoke cannot hold are kept
//! in one annotation on the spoke, as JSON, and restored when the spoke goes back to the hub.
//!
//! cluster-api keeps the whole hub object (`cluster.x-k8s.io/conversion-data`); here the spoke
//! keeps only what it lost, so the annotation stays small, and when nothing is lost there is no
//! annotation at all.

use crate::ConversionError;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The annotation a spoke keeps the hub's extra fields in.
pub const PRESERVED_ANNOTATION: &str = "conversion.vitistack.io/preserved";

/// Stores `lost` in `meta`'s annotation, or removes the annotation when `lost` is `None`.
pub fn preserve<T: Serialize>(
    meta: &mut ObjectMeta,
    lost: Option<&T>,
) -> Result<(), ConversionError> {
    let Some(lost) = lost else {
        remove(meta);
        return Ok(());
    };
    let text = serde_json::to_string(lost).map_err(|e| {
        ConversionError::refused(format!("cannot keep the fields this version lacks: {e}"))
    })?;
    meta.annotations
        .get_or_insert_with(Default::default)
        .insert(PRESERVED_ANNOTATION.to_string(), text);
    Ok(())
}

/// Takes the preserved fields out of `meta` (the annotation is removed). `None` when there are
/// none; an annotation that does not decode is an error naming it, not silently dropped data.
pub fn restore<T: DeserializeOwned>(meta: &mut ObjectMeta) -> Result<Option<T>, ConversionError> {
    let Some(text) = meta
        .annotations
        .as_mut()
        .and_then(|a| a.remove(PRESERVED_ANNOTATION))
    else {
        return Ok(None);
    };
    if meta.annotations.as_ref().is_some_and(|a| a.is_empty()) {
        meta.annotations = None;
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ConversionError::refused(format!("annotation {PRESERVED_ANNOTATION}: {e}")))
}

fn remove(meta: &mut ObjectMeta) {
    if let Some(annotations) = meta.annotations.as_mut() {
        // Only an annotation map this emptied goes away; an empty one the user wrote stays.
        if annotations.remove(PRESERVED_ANNOTATION).is_some() && annotations.is_empty() {
            meta.annotations = None;
        }
    }
}
