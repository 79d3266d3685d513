//! The apiserver's checks of `ObjectMeta` that a client can repeat: the name (an RFC 1123 label
//! for every vitistack kind), name-or-generateName required, label keys and values, annotation
//! keys and total size (`ValidateObjectMetaAccessor` in k8s.io/apimachinery).

use super::{ErrorKind, FieldError, Report};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// `IsQualifiedName`'s name part; also the label value syntax.
const NAME_PART: &str = "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
/// Total size of all annotation keys and values.
const MAX_ANNOTATIONS_SIZE: usize = 256 * 1024;

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
            crate::formats::is_rfc1123_subdomain(prefix)
                && !name.contains('/')
                && name_part_ok(name)
        }
        None => name_part_ok(key),
    }
}

/// `IsValidLabelValue`: empty, or a name part.
pub fn is_label_value(value: &str) -> bool {
    value.is_empty() || name_part_ok(value)
}

/// Checks labels and annotations of `metadata`, reporting at `metadata.labels` and
/// `metadata.annotations` as the apiserver does.
pub fn check_labels_and_annotations(metadata: &Map<String, Value>, report: &mut Report) {
    if let Some(labels) = metadata.get("labels").and_then(Value::as_object) {
        for (key, value) in labels {
            if !is_qualified_name(key) {
                let detail = "a label key must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
                report.push(FieldError::new(
                    "metadata.labels",
                    ErrorKind::Invalid,
                    Some(&Value::from(key.as_str())),
                    detail,
                ));
            }
            if !value.as_str().is_some_and(is_label_value) {
                let detail = "a label value must be empty or at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
                report.push(FieldError::new(
                    "metadata.labels",
                    ErrorKind::Invalid,
                    Some(value),
                    detail,
                ));
            }
        }
    }
    if let Some(annotations) = metadata.get("annotations").and_then(Value::as_object) {
        let mut size = 0;
        for (key, value) in annotations {
            size += key.len() + value.as_str().map_or(0, str::len);
            if !is_qualified_name(&key.to_lowercase()) {
                let detail = "an annotation key must be a qualified name";
                report.push(FieldError::new(
                    "metadata.annotations",
                    ErrorKind::Invalid,
                    Some(&Value::from(key.as_str())),
                    detail,
                ));
            }
        }
        if size > MAX_ANNOTATIONS_SIZE {
            let detail = format!("may not be more than {MAX_ANNOTATIONS_SIZE} bytes");
            report.push(FieldError::new(
                "metadata.annotations",
                ErrorKind::TooLong,
                None,
                detail,
            ));
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
