//! The project's JSON Schema validator: one compiled `jsonschema` validator per kind, with the
//! custom formats the generated schemas use.
//!
//! The schemas in `schemas/vitistack.io/` (from [`vitistack_types::catalog::json_schemas`]) are
//! draft 7 and use formats that no JSON Schema library knows: `ip`, `cidr`, `ip-or-cidr`,
//! `http-url`, `port-range`, `quantity`, and `date-time`, whose built-in check is replaced so
//! that both enforcers agree. The list and the checks are the engine's ([`JsonFormat::ALL`],
//! [`JsonFormat::accepts`]): a format a rule can write is registered here without a hand list.
//! [`options`] returns `jsonschema` options with all of them registered and format assertion
//! switched on, for use with other validators as well.
//!
//! [`SchemaSet::validate`] reports violations with field paths in the apiserver's form
//! (`spec.dhcp.reservations[0].ipAddress`), written exactly like the Rust validator
//! ([`vitistack_types::validate::check_value`]) writes them: map keys like fields, a missing
//! required property and an unknown property at the property's own path.

use std::collections::BTreeMap;

use serde_json::Value;
use vitistack_types::catalog::KindSchema;
use vitistack_types::report::{cut, Path};
use vitistack_types::rules::JsonFormat;

use crate::Error;

/// The name of the custom JSON Schema format for Kubernetes quantities.
pub const QUANTITY_FORMAT: &str = JsonFormat::QUANTITY;

/// Longest message text kept from the `jsonschema` crate (its messages quote the offending
/// value, which may be a whole object).
const MAX_MESSAGE_LEN: usize = 300;

/// Draft 7 `jsonschema` options with format assertion on and every custom format of the
/// project registered (the `date-time` one replacing the built-in check).
pub fn options() -> jsonschema::ValidationOptions<'static> {
    let mut options = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true);
    // The engine's list: a format a rule can write is registered here without a hand list.
    for format in JsonFormat::ALL {
        options = options.with_format(format.name(), move |text: &str| format.accepts(text));
    }
    options
}

/// One violation found by the JSON Schema validator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaViolation {
    /// Field path in the apiserver's form (`spec.a[0].b`, map keys like fields: `labels.key`); empty for
    /// the object itself.
    pub path: String,
    /// What is wrong, in the words of the `jsonschema` crate.
    pub message: String,
}

impl std::fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

struct Compiled {
    validator: jsonschema::Validator,
}

/// The compiled JSON Schema validators of a set of kinds; build once, validate many objects.
pub struct SchemaSet {
    kinds: BTreeMap<String, Compiled>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("kinds", &self.kinds.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl SchemaSet {
    /// Compiles the JSON Schema of every kind in the `vitistack-types` catalog.
    pub fn new() -> Result<Self, Error> {
        Self::from_schemas(vitistack_types::catalog::json_schemas())
    }

    /// Compiles the given schemas (keyed by their kind).
    pub fn from_schemas(schemas: impl IntoIterator<Item = KindSchema>) -> Result<Self, Error> {
        let options = options();
        let mut kinds = BTreeMap::new();
        for schema in schemas {
            let validator = options
                .build(&schema.schema)
                .map_err(|e| Error::InvalidArtifact {
                    what: format!("JSON Schema of {}", schema.kind),
                    message: e.to_string(),
                })?;
            kinds.insert(schema.kind, Compiled { validator });
        }
        Ok(SchemaSet { kinds })
    }

    /// The kinds this set validates, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.kinds.keys().map(String::as_str)
    }

    /// Whether this set has a schema for `kind`.
    pub fn contains(&self, kind: &str) -> bool {
        self.kinds.contains_key(kind)
    }

    /// Validates `value` against the schema of `kind`. An unknown kind gives a single violation
    /// at the root saying so.
    pub fn validate(&self, kind: &str, value: &Value) -> Vec<SchemaViolation> {
        let Some(compiled) = self.kinds.get(kind) else {
            return vec![SchemaViolation {
                path: String::new(),
                message: format!("no JSON Schema for kind {kind:?}"),
            }];
        };
        let mut out = Vec::new();
        for error in compiled.validator.iter_errors(value) {
            let at = pointer_to_path(error.instance_path().as_str(), value);
            match error.kind() {
                jsonschema::error::ValidationErrorKind::Required { property } => {
                    let name = property
                        .as_str()
                        .map_or_else(|| property.to_string(), str::to_owned);
                    out.push(SchemaViolation {
                        path: child_path(&at, &name),
                        message: cut(&error.to_string(), MAX_MESSAGE_LEN),
                    });
                }
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for name in unexpected {
                        out.push(SchemaViolation {
                            path: child_path(&at, name),
                            message: cut(
                                &format!(
                                    "Additional properties are not allowed ('{name}' was unexpected)"
                                ),
                                MAX_MESSAGE_LEN,
                            ),
                        });
                    }
                }
                _ => out.push(SchemaViolation {
                    path: at,
                    message: cut(&error.to_string(), MAX_MESSAGE_LEN),
                }),
            }
        }
        out
    }
}

/// The path of member `name` of the object at `parent`, written by the Rust validator's
/// [`Path`] (map keys and properties alike: `labels.app`), so both enforcers agree.
fn child_path(parent: &str, name: &str) -> String {
    let mut path = Path::from_text(parent);
    path.push_key(name);
    path.to_string()
}

/// Unescapes one JSON pointer segment (`~1` is `/`, `~0` is `~`).
fn unescape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// Converts the JSON pointer of a location in `instance` (`/spec/a/0/b`) into the apiserver's
/// field path (`spec.a[0].b`): array elements are `[i]`, object and map members `.name`, as in
/// the apiserver's schema errors and the Rust validator. The instance decides which segments
/// are array indices.
pub fn pointer_to_path(pointer: &str, instance: &Value) -> String {
    let mut path = Path::root();
    let mut value = Some(instance);
    for raw in pointer.split('/').skip(1) {
        let segment = unescape(raw);
        match (value, segment.parse::<usize>().ok()) {
            (Some(Value::Array(items)), Some(i)) => {
                path.push_index(i);
                value = items.get(i);
            }
            (other, _) => {
                path.push_key(&segment);
                value = other.and_then(|v| v.get(&*segment));
            }
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(format: &str, text: &str) -> bool {
        let schema = json!({"type": "string", "format": format});
        options().build(&schema).unwrap().is_valid(&json!(text))
    }

    #[test]
    fn custom_formats_accept_and_reject() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "ip",
                &["10.0.0.1", "fd00::1"],
                &["10.0.0.256", "fe80::1%eth0", "::ffff:1.2.3.4", "x"],
            ),
            (
                "cidr",
                &["10.0.0.0/24", "fd00::/64"],
                &["10.0.0.1/24", "10.0.0.0", "10.0.0.0/33"],
            ),
            (
                "ip-or-cidr",
                &["10.0.0.1", "10.0.0.0/8"],
                &["10.0.0.1/8", "host"],
            ),
            (
                "http-url",
                &["https://example.com/x", "http://10.0.0.1:8080"],
                &["ftp://example.com", "example.com", "https://"],
            ),
            ("port-range", &["80", "30000-32767"], &["443-80", "70000"]),
            (
                "date-time",
                &["2026-11-26T14:23:43Z", "2024-02-29T00:00:00.5+01:00"],
                &["2023-02-29T00:00:00Z", "2026-11-26", "2026-11-26T24:00:00Z"],
            ),
            (
                "quantity",
                &["128Mi", "1.5Gi", "500m", "1"],
                &["12 Mi", "abc", "1.5.5", "1Mb"],
            ),
        ];
        for (format, good, bad) in cases {
            for text in *good {
                assert!(check(format, text), "{format} should accept {text:?}");
            }
            for text in *bad {
                assert!(!check(format, text), "{format} should reject {text:?}");
            }
        }
    }

    #[test]
    fn every_string_format_is_registered_and_agrees_with_rust() {
        // Literal verdicts, not `format.accepts` (which the registered check calls itself): an
        // unregistered format accepts everything, a wrong one disagrees with the table.
        let verdicts: &[(&str, &str, &str)] = &[
            // (format, accepted, rejected)
            ("ip", "10.0.0.1", "10.0.0.0/8"),
            ("cidr", "10.0.0.0/8", "10.0.0.1"),
            ("ip-or-cidr", "fd00::/64", "x"),
            ("http-url", "http://a", "ftp://a"),
            ("port-range", "80-443", "443-80"),
            ("date-time", "2026-01-01T00:00:00Z", "2026-01-01"),
            (QUANTITY_FORMAT, "1.5Gi", "1.5 Gi"),
        ];
        for format in JsonFormat::ALL {
            let name = format.name();
            let (_, good, bad) = verdicts
                .iter()
                .find(|(f, _, _)| *f == name)
                .unwrap_or_else(|| panic!("no verdicts for format {name}"));
            assert!(check(name, good), "{name} should accept {good:?}");
            assert!(!check(name, bad), "{name} should reject {bad:?}");
        }
    }

    #[test]
    fn pointers_become_apiserver_paths() {
        let value = json!({"spec": {"a": [{"b": 1}], "0": {"x~/y": 2}}});
        assert_eq!(pointer_to_path("", &value), "");
        assert_eq!(pointer_to_path("/spec/a/0/b", &value), "spec.a[0].b");
        // A numeric key of an object stays a member, escapes are undone.
        assert_eq!(pointer_to_path("/spec/0/x~0~1y", &value), "spec.0.x~/y");
        // Past the end of the instance, segments are members.
        assert_eq!(pointer_to_path("/spec/q/1", &value), "spec.q.1");
    }

    #[test]
    fn map_keys_are_named_like_fields() {
        let value = json!({"spec": {"workers": [{"labels": {"k.x/y": 1}}]}});
        assert_eq!(
            pointer_to_path("/spec/workers/0/labels/k.x~1y", &value),
            "spec.workers[0].labels.k.x/y"
        );
        assert_eq!(SchemaSet::new().unwrap().kinds().count(), 10);
    }

    #[test]
    fn required_and_unknown_properties_are_reported_at_their_own_path() {
        let set = SchemaSet::new().unwrap();
        let value = json!({
            "apiVersion": "vitistack.io/v1alpha1",
            "kind": "NetworkConfiguration",
            "metadata": {"name": "n"},
            "spec": {"vlan": 5000, "bogus": 1, "ipam": {"type": "kea", "subnet": "10.0.0.1/24"}}
        });
        let found = set.validate("NetworkConfiguration", &value);
        let paths: Vec<&str> = found.iter().map(|v| v.path.as_str()).collect();
        assert!(paths.contains(&"spec.vlan"), "{found:?}");
        assert!(paths.contains(&"spec.bogus"), "{found:?}");
        assert!(paths.contains(&"spec.ipam.subnet"), "{found:?}");
        let rust = vitistack_types::validate::check_value(
            vitistack_types::registry::by_kind("NetworkConfiguration")
                .unwrap()
                .root_schema(),
            &value,
            vitistack_types::validate::Options { strict: true },
        );
        for e in rust
            .iter()
            .filter(|e| e.kind == vitistack_types::report::ErrorKind::Required)
        {
            assert!(
                paths.contains(&e.path.as_str()),
                "{} missing in {found:?}",
                e.path
            );
        }
        assert!(set.validate("Nope", &value)[0]
            .message
            .contains("no JSON Schema"));
    }
}
