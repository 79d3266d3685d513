//! Which `format` values the Kubernetes apiserver knows, per schema type.
//!
//! Mirrors `StripUnsupportedFormatsPostProcessorForVersion` in
//! `k8s.io/apiextensions-apiserver/pkg/apiserver/validation/formats.go`: on `string` (and on
//! nodes without a type) the format is normalized by removing `-` and looked up in
//! [`STRING_FORMATS`]; `integer` allows [`INTEGER_FORMATS`], `number` allows
//! [`NUMBER_FORMATS`], and every other type allows no format at all. The apiserver strips any
//! other format silently (no validation happens) and, since 1.34, warns about it.
//!
//! `k8s-short-name` and `k8s-long-name` (1.34+, effective 1.35+ because of the n-1 compatibility
//! version) are deliberately not listed: a CRD using them would silently lose validation on
//! older servers.

/// String formats every supported apiserver validates (already normalized: no `-`).
pub const STRING_FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
];

/// Formats the apiserver knows on `type: integer`.
pub const INTEGER_FORMATS: &[&str] = &["int32", "int64"];

/// Formats the apiserver knows on `type: number`.
pub const NUMBER_FORMATS: &[&str] = &["float", "double"];

/// Whether the apiserver knows `format` on a schema node whose `type` is `schema_type`
/// (`None` when the node has no `type`, e.g. int-or-string or inside `anyOf`).
pub fn is_known_format(schema_type: Option<&str>, format: &str) -> bool {
    match schema_type {
        None | Some("") | Some("string") => {
            let normalized: String = format.chars().filter(|&c| c != '-').collect();
            STRING_FORMATS.contains(&normalized.as_str())
        }
        Some("integer") => INTEGER_FORMATS.contains(&format),
        Some("number") => NUMBER_FORMATS.contains(&format),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_known_format;

    #[test]
    fn formats_per_type() {
        assert!(is_known_format(Some("string"), "date-time"));
        assert!(is_known_format(Some("string"), "datetime"));
        assert!(is_known_format(None, "ipv4"));
        assert!(!is_known_format(Some("string"), "ip"));
        assert!(!is_known_format(Some("string"), "uri-reference"));
        assert!(!is_known_format(Some("string"), "int32"));
        assert!(is_known_format(Some("integer"), "int64"));
        assert!(!is_known_format(Some("integer"), "uint16"));
        assert!(is_known_format(Some("number"), "double"));
        assert!(!is_known_format(Some("number"), "int32"));
        assert!(!is_known_format(Some("boolean"), "int32"));
    }
}
