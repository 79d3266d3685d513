//! Kubernetes format (`k8s.io/apiserver/pkg/cel/library/format.go`): `format.named(name)`,
//! `format.<name>()` and `<format>.validate(s)` (`optional.none()` when valid, else the list of
//! messages). The messages port `k8s.io/apimachinery/pkg/util/validation` (DNS labels and
//! subdomains, qualified names, label values).

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::{opaque, Type};
use super::super::value::Value;
use super::Overload;
use std::sync::{Arc, OnceLock};

/// The named formats: (CEL name, max regex size for the cost).
const FORMATS: [(&str, u64); 14] = [
    ("dns1123Label", 30),
    ("dns1123Subdomain", 60),
    ("dns1035Label", 30),
    ("qualifiedName", 60),
    ("dns1123LabelPrefix", 30),
    ("dns1123SubdomainPrefix", 60),
    ("dns1035LabelPrefix", 30),
    ("labelValue", 40),
    ("uri", 40),
    ("uuid", 40),
    ("byte", 40),
    ("date", 40),
    ("datetime", 40),
    // Reached only through `format.named`.
    ("", 0),
];

fn known(name: &str) -> Option<&'static str> {
    FORMATS
        .iter()
        .map(|(n, _)| *n)
        .find(|n| !n.is_empty() && *n == name)
}

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    let fmt = Type::Opaque(opaque::FORMAT);
    let r = |t: Type| Overload::Result(t);
    if f == "format.named" {
        return match (target, args) {
            (None, [s]) if s.fits(&Type::String) => r(Type::Optional(Box::new(fmt))),
            _ => Overload::NoMatch,
        };
    }
    if let Some(name) = f.strip_prefix("format.") {
        return match (known(name), target, args) {
            (Some(_), None, []) => r(fmt),
            (Some(_), _, _) => Overload::NoMatch,
            (None, _, _) => Overload::Unknown,
        };
    }
    if f == "validate" {
        return match (target, args) {
            (Some(t), [s]) if t.fits(&fmt) && !t.is_dyn() && s.fits(&Type::String) => {
                r(Type::Optional(Box::new(Type::List(Box::new(Type::String)))))
            }
            _ => Overload::NoMatch,
        };
    }
    Overload::Unknown
}

/// The runtime.
pub(crate) fn call(
    f: &str,
    target: Option<&Value>,
    args: &[Value],
    t: &mut Tracker,
) -> Option<Result<Value, EvalError>> {
    if f == "format.named" {
        let [Value::String(name)] = args else {
            return None;
        };
        return Some(Ok(Value::Optional(
            known(name).map(|n| Arc::new(Value::Format(n))),
        )));
    }
    if let Some(name) = f.strip_prefix("format.") {
        return known(name).map(|n| Ok(Value::Format(n)));
    }
    match (f, target, args) {
        ("validate", Some(Value::Format(name)), [Value::String(s)]) => {
            let regex_size = FORMATS
                .iter()
                .find(|(n, _)| n == name)
                .map_or(40, |(_, m)| *m);
            let cost = factor(s.chars().count() as u64 + 1, 0.1) * factor(regex_size, 0.25);
            if let Err(e) = t.add(cost) {
                return Some(Err(e));
            }
            let errors = validate(name, s);
            Some(Ok(if errors.is_empty() {
                Value::Optional(None)
            } else {
                Value::Optional(Some(Arc::new(Value::list(
                    errors.into_iter().map(Value::string).collect(),
                ))))
            }))
        }
        _ => None,
    }
}

fn re(cell: &'static OnceLock<regex::Regex>, pattern: &str) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(pattern).expect("a constant pattern"))
}

const LABEL_1035: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const KEY: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

use crate::formats::names::{max_len_error as max_len, regex_error};

/// `IsDNS1123Label`/`IsDNS1123Subdomain` messages come from [`crate::formats::names`], which
/// ports them for the format rules.
fn name_reasons(result: Result<(), crate::formats::FormatError>) -> Vec<String> {
    match result {
        Ok(()) => Vec::new(),
        Err(crate::formats::FormatError::Name { reasons, .. }) => reasons,
        Err(other) => vec![other.to_string()],
    }
}

fn matches(cell: &'static OnceLock<regex::Regex>, fmt: &str, s: &str) -> bool {
    re(cell, &format!("^(?:{fmt})$")).is_match(s)
}

static LABEL_1035_RE: OnceLock<regex::Regex> = OnceLock::new();
static KEY_RE: OnceLock<regex::Regex> = OnceLock::new();

fn dns1123_label(s: &str) -> Vec<String> {
    name_reasons(crate::formats::validate_rfc1123_label(s))
}

fn dns1123_subdomain(s: &str) -> Vec<String> {
    name_reasons(crate::formats::validate_rfc1123_subdomain(s))
}

fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !matches(&LABEL_1035_RE, LABEL_1035, s) {
        errs.push(regex_error(
            LABEL_1035_MSG,
            LABEL_1035,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".into());
            } else {
                errs.extend(dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            *name
        }
        _ => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(KEY_MSG, KEY, &["MyName", "my.name", "123-abc"])
            )]
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".into());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len(63)));
    }
    if !matches(&KEY_RE, KEY, name) {
        errs.push(format!(
            "name part {}",
            regex_error(KEY_MSG, KEY, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !s.is_empty() && !matches(&KEY_RE, KEY, s) {
        errs.push(regex_error(
            VALUE_MSG,
            &format!("({KEY})?"),
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `maskTrailingDash`: a generateName prefix may end in `-`.
fn mask_trailing_dash(s: &str) -> String {
    if s.len() > 1 && s.ends_with('-') {
        format!("{}a", &s[..s.len() - 2])
    } else {
        s.to_string()
    }
}

fn validate(name: &str, s: &str) -> Vec<String> {
    match name {
        "dns1123Label" => dns1123_label(s),
        "dns1123Subdomain" => dns1123_subdomain(s),
        "dns1035Label" => dns1035_label(s),
        "qualifiedName" => qualified_name(s),
        "dns1123LabelPrefix" => dns1123_label(&mask_trailing_dash(s)),
        "dns1123SubdomainPrefix" => dns1123_subdomain(&mask_trailing_dash(s)),
        "dns1035LabelPrefix" => dns1035_label(&mask_trailing_dash(s)),
        "labelValue" => label_value(s),
        "uri" => crate::formats::url::parse_request_uri(s)
            .err()
            .into_iter()
            .collect(),
        "uuid" => {
            static UUID: OnceLock<regex::Regex> = OnceLock::new();
            let uuid = "^(?i:[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$";
            if re(&UUID, uuid).is_match(s) {
                vec![]
            } else {
                vec!["does not match the UUID format".into()]
            }
        }
        "byte" => {
            if super::base64_decode(s).is_some() {
                vec![]
            } else {
                vec!["invalid base64".into()]
            }
        }
        "date" => {
            if super::time::parse_date(s).is_some() {
                vec![]
            } else {
                vec!["invalid date".into()]
            }
        }
        "datetime" => {
            if !s.is_empty() && super::time::parse_date_time(s).is_some() {
                vec![]
            } else {
                vec!["invalid datetime".into()]
            }
        }
        _ => vec![],
    }
}
