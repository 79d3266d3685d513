//! Structural-schema and format findings from [`crate::lint`] (the project's structural lint,
//! which mirrors `pkg/apiserver/schema/validation.go`), moved to the apiserver's paths: the lint
//! runs on the schema alone and names nodes by dotted JSON path; the apiserver names the keyword
//! (`properties[spec].properties[a].type`).
//!
//! List-type and map-type findings are left to [`super::lists`], which words them as the
//! apiserver does. The schema loader's errors complete the list (a node it refuses that the lint
//! did not name).

use serde_json::{json, Value};

use super::api_path::ApiPath;
use super::issue::{Check, Issue, Severity};
use crate::lint::{lint_formats, lint_structural, FindingKind};

/// Where the lint puts the schema it checks.
const LINT_ROOT: &str = "spec.validation.openAPIV3Schema";

/// What the schema loader (`vitistack_core::schema::load`, whose errors carry the apiserver's
/// paths) refuses in the schema at `root` that no issue of `found` (the other checks' issues
/// of this schema) names.
pub(crate) fn loader_errors(schema: &Value, root: &ApiPath, found: &[Issue]) -> Vec<Issue> {
    let Err(errors) = vitistack_core::schema::load::load(schema) else {
        return Vec::new();
    };
    errors
        .prefixed(root.as_str())
        .iter()
        .map(|e| (ApiPath::new(e.path.clone()), e.message.clone()))
        .filter(|(path, _)| !found.iter().any(|i| i.path == *path))
        .map(|(path, message)| Issue::refused(path, "", Check::Structural, message))
        .collect()
}

/// The structural and format findings of the schema at `root`.
pub(crate) fn check(schema: &Value, root: &ApiPath, out: &mut Vec<Issue>) {
    let crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "spec": {"validation": {"openAPIV3Schema": schema}},
    });
    for finding in lint_structural(&crd) {
        if finding.kind == FindingKind::ListOrMapType {
            continue;
        }
        let mut path = api_path(&finding.path, root);
        if let Some(keyword) = keyword(finding.kind, &finding.message) {
            path = path.child(keyword);
        }
        out.push(Issue::refused(path, "", Check::Structural, finding.message));
    }
    for finding in lint_formats(&crd) {
        out.push(Issue {
            path: api_path(&finding.path, root).child("format"),
            field: String::new(),
            severity: Severity::Warning,
            check: Check::Format,
            message: finding.message,
        });
    }
}

/// The schema keyword a finding is about, when the lint names the node only.
fn keyword(kind: FindingKind, message: &str) -> Option<&str> {
    match kind {
        FindingKind::MissingType | FindingKind::InvalidType => Some("type"),
        FindingKind::MissingItems | FindingKind::TupleItems => Some("items"),
        FindingKind::PropertiesAndAdditionalProperties => Some("additionalProperties"),
        FindingKind::UniqueItems => Some("uniqueItems"),
        FindingKind::PreserveUnknownFieldsFalse => Some("x-kubernetes-preserve-unknown-fields"),
        FindingKind::ForbiddenKeyword | FindingKind::JunctorKeyword => {
            let word = message.split([' ', ':']).next()?;
            let plain = !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '$');
            plain.then_some(word)
        }
        _ => None,
    }
}

/// A dotted JSON path of the lint (`spec.validation.openAPIV3Schema.properties.spec.items`)
/// as the apiserver's path below `root` (`<root>.properties[spec].items`).
fn api_path(dotted: &str, root: &ApiPath) -> ApiPath {
    let rest = dotted.strip_prefix(LINT_ROOT).unwrap_or(dotted);
    let mut path = root.clone();
    let mut after_properties = false;
    for segment in segments(rest) {
        path = match segment {
            Segment::Index(i) => path.index(i),
            Segment::Name(name) if after_properties => path.key(&name),
            Segment::Name(name) => path.child(&name),
        };
        after_properties = matches!(path.as_str().rsplit('.').next(), Some("properties"));
    }
    path
}

enum Segment {
    Name(String),
    Index(usize),
}

/// `.a["b.c"][2]` as `a`, `b.c`, `2`.
fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            rest = after;
        } else if let Some(after) = rest.strip_prefix("[\"") {
            // A JSON-quoted key: up to the closing quote that ends the JSON string.
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let end = end.unwrap_or(after.len());
            let quoted = format!("\"{}\"", &after[..end]);
            out.push(Segment::Name(
                serde_json::from_str(&quoted).unwrap_or_default(),
            ));
            rest = after.get(end + 2..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').unwrap_or(after.len());
            match after[..end].parse() {
                Ok(i) => out.push(Segment::Index(i)),
                Err(_) => out.push(Segment::Name(after[..end].to_owned())),
            }
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Segment::Name(rest[..end].to_owned()));
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{api_path, ApiPath};

    #[test]
    fn moves_dotted_paths_to_the_apiservers_form() {
        let root = ApiPath::new("spec.versions[1].schema.openAPIV3Schema");
        let moved = api_path(
            "spec.validation.openAPIV3Schema.properties.spec.properties[\"a.b\"].anyOf[0].items",
            &root,
        );
        assert_eq!(
            moved.as_str(),
            "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[a.b].anyOf[0].items"
        );
    }
}
