//! RFC 1123 labels, subdomains and DNS names, exactly as Kubernetes
//! `validation.IsDNS1123Label` / `IsDNS1123Subdomain`
//! (`k8s.io/apimachinery/pkg/util/validation/validation.go`) accept them.
//!
//! Only lower-case ASCII letters, digits and `-` (plus `.` between labels in a
//! subdomain); every label starts and ends with a letter or digit. A label is
//! at most 63 bytes, a subdomain at most 253 bytes in total. Like Kubernetes,
//! the subdomain check does **not** limit the individual labels of a
//! subdomain to 63 bytes, and it rejects a trailing dot (`example.com.`).

use std::sync::LazyLock;

use regex::Regex;

use super::FormatError;

/// The CRD `pattern` for an RFC 1123 label (Kubernetes `dns1123LabelFmt`,
/// anchored; valid in Go RE2, ECMA-262 and Rust `regex`). Pair it with
/// `maxLength: 63` ([`RFC1123_LABEL_MAX_LEN`]).
pub const RFC1123_LABEL_PATTERN: &str = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

/// The CRD `pattern` for an RFC 1123 subdomain (Kubernetes
/// `dns1123SubdomainFmt`, anchored; valid in Go RE2, ECMA-262 and Rust
/// `regex`). Pair it with `maxLength: 253` ([`RFC1123_SUBDOMAIN_MAX_LEN`]).
pub const RFC1123_SUBDOMAIN_PATTERN: &str =
    "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/// Maximum length of an RFC 1123 label (`validation.DNS1123LabelMaxLength`).
pub const RFC1123_LABEL_MAX_LEN: usize = 63;

/// Maximum length of an RFC 1123 subdomain
/// (`validation.DNS1123SubdomainMaxLength`).
pub const RFC1123_SUBDOMAIN_MAX_LEN: usize = 253;

const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const LABEL_ERR_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(RFC1123_LABEL_PATTERN).expect("RFC1123_LABEL_PATTERN is a valid regex")
});
static SUBDOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(RFC1123_SUBDOMAIN_PATTERN).expect("RFC1123_SUBDOMAIN_PATTERN is a valid regex")
});

pub(crate) fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// Go `validation.RegexError`.
pub(crate) fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(e);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

/// The error strings `validation.IsDNS1123Label` returns (empty when valid).
fn label_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > RFC1123_LABEL_MAX_LEN {
        errs.push(max_len_error(RFC1123_LABEL_MAX_LEN));
    }
    if !LABEL_RE.is_match(value) {
        if SUBDOMAIN_RE.is_match(value) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(
                LABEL_ERR_MSG,
                LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// The error strings `validation.IsDNS1123Subdomain` returns (empty when valid).
fn subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > RFC1123_SUBDOMAIN_MAX_LEN {
        errs.push(max_len_error(RFC1123_SUBDOMAIN_MAX_LEN));
    }
    if !SUBDOMAIN_RE.is_match(value) {
        errs.push(regex_error(
            SUBDOMAIN_ERR_MSG,
            SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

fn to_result(value: &str, reasons: Vec<String>) -> Result<(), FormatError> {
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(FormatError::Name {
            value: value.to_owned(),
            reasons,
        })
    }
}

/// Kubernetes `IsDNS1123Label`: at most 63 bytes and matches
/// [`RFC1123_LABEL_PATTERN`] (e.g. `my-name`, `123-abc`).
pub fn is_rfc1123_label(s: &str) -> bool {
    s.len() <= RFC1123_LABEL_MAX_LEN && LABEL_RE.is_match(s)
}

/// Kubernetes `IsDNS1123Subdomain`: at most 253 bytes and matches
/// [`RFC1123_SUBDOMAIN_PATTERN`] (e.g. `example.com`).
pub fn is_rfc1123_subdomain(s: &str) -> bool {
    s.len() <= RFC1123_SUBDOMAIN_MAX_LEN && SUBDOMAIN_RE.is_match(s)
}

/// A DNS name for `hostname` / `searchDomains` style fields.
///
/// Deliberately the same as [`is_rfc1123_subdomain`] (Kubernetes
/// `IsDNS1123Subdomain` semantics): **lower case only**, no trailing dot, no
/// underscores, at most 253 bytes. Upper-case host names (`Example.COM`),
/// which DNS itself treats case-insensitively, are rejected so that stored
/// values are canonical and the CRD can use [`RFC1123_SUBDOMAIN_PATTERN`].
pub fn is_dns_name(s: &str) -> bool {
    is_rfc1123_subdomain(s)
}

/// [`is_rfc1123_label`] with Kubernetes' error messages.
///
/// # Errors
///
/// [`FormatError::Name`] with the strings `IsDNS1123Label` returns.
pub fn validate_rfc1123_label(s: &str) -> Result<(), FormatError> {
    to_result(s, label_errors(s))
}

/// [`is_rfc1123_subdomain`] with Kubernetes' error messages.
///
/// # Errors
///
/// [`FormatError::Name`] with the strings `IsDNS1123Subdomain` returns.
pub fn validate_rfc1123_subdomain(s: &str) -> Result<(), FormatError> {
    to_result(s, subdomain_errors(s))
}

/// [`is_dns_name`] with Kubernetes' error messages (those of
/// `IsDNS1123Subdomain`).
///
/// # Errors
///
/// [`FormatError::Name`].
pub fn validate_dns_name(s: &str) -> Result<(), FormatError> {
    validate_rfc1123_subdomain(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, IsDNS1123Label ok, IsDNS1123Subdomain ok). Checked against Go.
    fn cases() -> Vec<(String, bool, bool)> {
        let mut v: Vec<(String, bool, bool)> = [
            ("a", true, true),
            ("0", true, true),
            ("abc", true, true),
            ("my-name", true, true),
            ("123-abc", true, true),
            ("a--b", true, true),
            ("1-2-3", true, true),
            ("example.com", false, true),
            ("a.b.c.d", false, true),
            ("a-1.b-2", false, true),
            ("0.0.0.0", false, true),
            ("", false, false),
            ("-a", false, false),
            ("a-", false, false),
            ("A", false, false),
            ("myName", false, false),
            ("Example.com", false, false),
            ("a_b", false, false),
            ("a b", false, false),
            (" a", false, false),
            ("a\n", false, false),
            ("a.", false, false),
            (".a", false, false),
            ("a..b", false, false),
            ("a.-b", false, false),
            ("a-.b", false, false),
            ("*.example.com", false, false),
            ("é", false, false),
            ("ａ", false, false),
        ]
        .iter()
        .map(|&(s, l, d)| (s.to_owned(), l, d))
        .collect();
        let l63 = "a".repeat(63);
        let l64 = "a".repeat(64);
        v.push((l63.clone(), true, true));
        v.push((l64.clone(), false, true));
        // Subdomain labels are not limited to 63 bytes by Kubernetes.
        v.push((format!("{l64}.com"), false, true));
        let d253 = format!("{l63}.{l63}.{l63}.{}", "a".repeat(61));
        assert_eq!(d253.len(), 253);
        v.push((d253.clone(), false, true));
        v.push((format!("{d253}a"), false, false));
        v
    }

    #[test]
    fn table() {
        for (input, label, sub) in cases() {
            assert_eq!(is_rfc1123_label(&input), label, "label {input:?}");
            assert_eq!(is_rfc1123_subdomain(&input), sub, "subdomain {input:?}");
            assert_eq!(is_dns_name(&input), sub, "dns name {input:?}");
            assert_eq!(validate_rfc1123_label(&input).is_ok(), label);
            assert_eq!(validate_rfc1123_subdomain(&input).is_ok(), sub);
            assert_eq!(validate_dns_name(&input).is_ok(), sub);
        }
    }

    #[test]
    fn messages_match_apimachinery() {
        let reasons = |r: Result<(), FormatError>| match r {
            Err(FormatError::Name { reasons, .. }) => reasons,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(
            reasons(validate_rfc1123_label("My_Name")),
            vec!["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_owned()]
        );
        assert_eq!(
            reasons(validate_rfc1123_label("a.b")),
            vec!["must not contain dots".to_owned()]
        );
        assert_eq!(
            reasons(validate_rfc1123_label(&"a".repeat(64))),
            vec!["must be no more than 63 characters".to_owned()]
        );
        assert_eq!(
            reasons(validate_rfc1123_subdomain("Example.com")),
            vec!["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_owned()]
        );
    }
}
