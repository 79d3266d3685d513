//! `x-kubernetes-embedded-resource: true`: an object inside a resource that is a Kubernetes
//! object of its own. The apiserver checks it apart from the schema
//! (`apiextensions-apiserver/pkg/apiserver/schema/objectmeta/validation.go:
//! validateEmbeddedResource`): `apiVersion` and `kind` required and well-formed, and
//! `metadata` as `ObjectMeta` (a name that is a path segment, a namespace that is a label,
//! labels and annotations); a missing name is not an error there.

use crate::formats::validate_rfc1123_label;
use crate::report::{ErrorKind, Path, Reject, Report};
use crate::rules::Enforce;
use crate::schema::{metadata_map_rules, OBJECT_META_FIELDS};
use serde_json::{Map, Value};

/// The properties every embedded resource has, declared or not.
pub(super) const IMPLICIT_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

/// Checks the embedded resource `object` at `path`; `strict`: a field `ObjectMeta` does not have
/// is an unknown field (the apiserver's strict decoding).
pub(super) fn check(
    object: &Map<String, Value>,
    strict: bool,
    path: &mut Path,
    report: &mut Report,
) {
    for field in ["apiVersion", "kind"] {
        if !object.contains_key(field) {
            let mark = path.push_field(field);
            report.reject(path, ErrorKind::Required, None, "must not be empty");
            path.truncate(mark);
        }
    }
    // The apiserver goes through the object's fields in Go map order; ours is key order.
    for (key, value) in object {
        let mark = path.push_field(key);
        match key.as_str() {
            "apiVersion" => type_meta(value, path, report, api_version_error),
            "kind" => type_meta(value, path, report, kind_error),
            "metadata" => metadata(value, strict, path, report),
            _ => {}
        }
        path.truncate(mark);
    }
}

/// `apiVersion` or `kind`: a non-empty string that `error` accepts.
fn type_meta(value: &Value, path: &Path, report: &mut Report, error: fn(&str) -> Option<String>) {
    let detail = match value.as_str() {
        None => Some("must be a string".to_string()),
        Some("") => Some("must not be empty".to_string()),
        Some(text) => error(text),
    };
    if let Some(detail) = detail {
        report.reject(path, ErrorKind::Invalid, Some(value), detail);
    }
}

/// `schema.ParseGroupVersion`: `version` or `group/version`.
fn api_version_error(text: &str) -> Option<String> {
    (text != "/" && text.matches('/').count() > 1)
        .then(|| format!("unexpected GroupVersion string: {text}"))
}

/// `IsDNS1035Label` of the lower-cased kind.
fn kind_error(text: &str) -> Option<String> {
    let errors = dns1035_label_errors(&text.to_lowercase());
    (!errors.is_empty()).then(|| {
        format!(
            "may have mixed case, but should otherwise match: {}",
            errors.join(",")
        )
    })
}

fn dns1035_label_errors(text: &str) -> Vec<String> {
    const FORMAT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
    let mut errors = Vec::new();
    if text.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    let bytes = text.as_bytes();
    let inner = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    let matches = bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes.iter().all(inner)
        && bytes
            .last()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !matches {
        errors.push(format!("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '{FORMAT}')"));
    }
    errors
}

/// `ValidateObjectMeta` with `ValidatePathSegmentName` names, as for an embedded object.
fn metadata(value: &Value, strict: bool, path: &mut Path, report: &mut Report) {
    let Some(meta) = value.as_object() else {
        report.reject(path, ErrorKind::Invalid, Some(value), "must be an object");
        return;
    };
    for key in meta
        .keys()
        .filter(|k| strict && !OBJECT_META_FIELDS.contains(&k.as_str()))
    {
        let mark = path.push_field(key);
        report.reject(
            path,
            ErrorKind::UnknownField,
            None,
            "field not declared in schema",
        );
        path.truncate(mark);
    }
    for (field, prefix) in [("name", false), ("generateName", true)] {
        let Some(text) = meta.get(field).and_then(Value::as_str) else {
            continue;
        };
        for detail in path_segment_errors(text, prefix) {
            let mark = path.push_field(field);
            let shown = Value::from(text);
            report.reject(path, ErrorKind::Invalid, Some(&shown), detail);
            path.truncate(mark);
        }
    }
    if let Some(namespace) = meta.get("namespace").and_then(Value::as_str) {
        if let Err(crate::formats::FormatError::Name { reasons, .. }) =
            validate_rfc1123_label(namespace)
        {
            let mark = path.push_field("namespace");
            let shown = Value::from(namespace);
            for detail in reasons {
                report.reject(path, ErrorKind::Invalid, Some(&shown), detail);
            }
            path.truncate(mark);
        }
    }
    for (field, rule) in metadata_map_rules() {
        if let Some(map) = meta.get(*field) {
            let mark = path.push_field(field);
            rule.check(map, path, report);
            path.truncate(mark);
        }
    }
}

/// `path.ValidatePathSegmentName` (with `prefix`, the `generateName` form: `.`/`..` allowed).
fn path_segment_errors(text: &str, prefix: bool) -> Vec<String> {
    let mut errors = Vec::new();
    if !prefix && (text == "." || text == "..") {
        errors.push(format!("may not be '{text}'"));
    }
    for c in ["/", "%"] {
        if text.contains(c) {
            errors.push(format!("may not contain '{c}'"));
        }
    }
    errors
}
