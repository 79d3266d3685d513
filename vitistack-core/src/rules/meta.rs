//! The apiserver's checks of `ObjectMeta` labels and annotations that a client can repeat
//! (`ValidateObjectMetaAccessor` in k8s.io/apimachinery), as ordinary rules: label keys and
//! values ([`Labels`]), annotation keys and total size ([`Annotations`]).
//!
//! The CRD form writes nothing: the apiserver validates `ObjectMeta` itself, and a CRD's root
//! `metadata` schema may constrain only `name` and `generateName`.

use super::{Coverage, Enforce, Phase};
use crate::formats::is_rfc1123_subdomain;
use crate::report::{ErrorKind, Path, Reject, Report};
use regex::Regex;
use serde_json::{json, Map, Value};
use std::sync::LazyLock;

/// `IsQualifiedName`'s name part; also the label value syntax.
const NAME_PART: &str = "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
/// Total size of all annotation keys and values.
const MAX_ANNOTATIONS_SIZE: usize = 256 * 1024;

/// A label key or annotation key: an optional DNS subdomain prefix and `/`, then a name part of
/// 1-63 characters.
const QUALIFIED_NAME: &str = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$";
/// An annotation key: like a label key, but checked lower-cased, so the prefix may be upper case.
const ANNOTATION_KEY: &str = r"^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$";
/// A label value: empty, or a name part of up to 63 characters.
const LABEL_VALUE: &str = r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";

static NAME_PART_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(NAME_PART).ok());

fn name_part_ok(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && NAME_PART_RE.as_ref().is_some_and(|re| re.is_match(text))
}

/// `IsQualifiedName`: `[prefix/]name`, the prefix a DNS subdomain.
pub fn is_qualified_name(key: &str) -> bool {
    match key.split_once('/') {
        Some((prefix, name)) => {
            is_rfc1123_subdomain(prefix) && !name.contains('/') && name_part_ok(name)
        }
        None => name_part_ok(key),
    }
}

/// `IsValidLabelValue`: empty, or a name part.
pub fn is_label_value(value: &str) -> bool {
    value.is_empty() || name_part_ok(value)
}

/// `metadata.labels`: every key a qualified name, every value a label value. Reported at the
/// labels map itself, as the apiserver does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels;

impl Enforce for Labels {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, _schema: &mut Map<String, Value>) {}
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        schema.insert("propertyNames".into(), json!({ "pattern": QUALIFIED_NAME }));
        schema.insert(
            "additionalProperties".into(),
            json!({ "type": "string", "pattern": LABEL_VALUE }),
        );
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(labels) = value.as_object() else {
            return;
        };
        for (key, value) in labels {
            if !is_qualified_name(key) {
                let detail = "a label key must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
                report.reject(
                    path,
                    ErrorKind::Invalid,
                    Some(&Value::from(key.as_str())),
                    detail,
                );
            }
            if !value.as_str().is_some_and(is_label_value) {
                let detail = "a label value must be empty or at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
                report.reject(path, ErrorKind::Invalid, Some(value), detail);
            }
        }
    }
}

/// `metadata.annotations`: every key a qualified name (checked lower-cased) and at most 256 KiB
/// of keys and values in total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations;

impl Enforce for Annotations {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, _schema: &mut Map<String, Value>) {}
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        schema.insert("propertyNames".into(), json!({ "pattern": ANNOTATION_KEY }));
        schema.insert("additionalProperties".into(), json!({ "type": "string" }));
        Coverage::Partial(
            "the 256 KiB total size of annotations is left to validate() and the apiserver",
        )
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(annotations) = value.as_object() else {
            return;
        };
        let mut size = 0;
        for (key, value) in annotations {
            size += key.len() + value.as_str().map_or(0, str::len);
            if !is_qualified_name(&key.to_lowercase()) {
                let detail = "an annotation key must be a qualified name";
                report.reject(
                    path,
                    ErrorKind::Invalid,
                    Some(&Value::from(key.as_str())),
                    detail,
                );
            }
        }
        if size > MAX_ANNOTATIONS_SIZE {
            let detail = format!("may not be more than {MAX_ANNOTATIONS_SIZE} bytes");
            report.reject(path, ErrorKind::TooLong, None, detail);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_and_label_values() {
        for ok in ["app", "cluster.vitistack.io/cluster-name", "a.b-c_d", "x/y"] {
            assert!(is_qualified_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-app",
            "app-",
            "Cluster.IO/x",
            "a/b/c",
            "/x",
            "x/",
            &"a".repeat(64),
        ] {
            assert!(!is_qualified_name(bad), "{bad}");
        }
        for ok in ["", "worker", "v1.2_3"] {
            assert!(is_label_value(ok), "{ok}");
        }
        for bad in ["worker node!", "-x", &"a".repeat(64)] {
            assert!(!is_label_value(bad), "{bad}");
        }
    }
}
