//! String rules: patterns, enums and quantities.

use super::{cel, Coverage, Enforce, JsonFormat, Phase};
use crate::formats::Quantity;
use crate::report::{ErrorKind, Path, Reject, Report};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::Arc;

/// A regular expression the whole string must match. Patterns are written in the subset that
/// Go RE2 (the apiserver), ECMA-262 (JSON Schema) and Rust's `regex` read alike.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: Option<Arc<Regex>>,
}

impl Pattern {
    /// Compiles `source`. An invalid pattern (the derive rejects those at compile time) matches
    /// nothing, so the problem shows as a violation instead of a panic.
    pub fn new(source: &str) -> Self {
        Pattern {
            source: source.to_string(),
            regex: Regex::new(source).ok().map(Arc::new),
        }
    }

    /// The pattern text.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Enforce for Pattern {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        schema.insert("pattern".into(), Value::from(self.source.as_str()));
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(text) = value.as_str() else { return };
        if !self.regex.as_ref().is_some_and(|re| re.is_match(text)) {
            let detail = format!("must match '{}'", self.source);
            report.reject(path, ErrorKind::Invalid, Some(value), detail);
        }
    }
}

/// A closed set of values (`enum`): strings for what the derive writes, any JSON values in a
/// loaded CRD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValues(pub Vec<Value>);

impl Enforce for EnumValues {
    fn phase(&self) -> Phase {
        Phase::Schema
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        schema.insert("enum".into(), Value::Array(self.0.clone()));
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.openapi(schema);
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        if self.0.contains(value) {
            return;
        }
        // apiextensions-apiserver lists a string as it is and any other value as its JSON,
        // and `field.NotSupported` quotes each.
        let supported: Vec<String> = self
            .0
            .iter()
            .map(|v| match v {
                Value::String(text) => format!("{text:?}"),
                other => format!("{:?}", other.to_string()),
            })
            .collect();
        let detail = format!("supported values: {}", supported.join(", "));
        report.reject(path, ErrorKind::NotSupported, Some(value), detail);
    }
}

/// A Kubernetes quantity (`128Mi`, `1.5Gi`, `500m`), optionally within bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityRange {
    min: Option<(String, Quantity)>,
    max: Option<(String, Quantity)>,
}

impl QuantityRange {
    /// Bounds given as quantity literals; a literal that does not parse (the derive rejects
    /// those at compile time) is left out.
    pub fn new(min: Option<&str>, max: Option<&str>) -> Self {
        let parse = |s: &str| Quantity::parse(s).ok().map(|q| (s.to_string(), q));
        QuantityRange {
            min: min.and_then(parse),
            max: max.and_then(parse),
        }
    }

    /// The lower bound as written.
    pub fn min_literal(&self) -> Option<&str> {
        self.min.as_ref().map(|(s, _)| s.as_str())
    }

    /// The upper bound as written.
    pub fn max_literal(&self) -> Option<&str> {
        self.max.as_ref().map(|(s, _)| s.as_str())
    }

    fn message(&self) -> String {
        match (&self.min, &self.max) {
            (Some((lo, _)), Some((hi, _))) => {
                format!("must be a Kubernetes quantity between {lo} and {hi}")
            }
            (Some((lo, _)), None) => format!("must be a Kubernetes quantity of at least {lo}"),
            (None, Some((hi, _))) => format!("must be a Kubernetes quantity of at most {hi}"),
            (None, None) => {
                "must be a Kubernetes quantity such as 128Mi, 1.5Gi or 500m".to_string()
            }
        }
    }

    fn cel_rule(&self) -> String {
        let mut rule = String::from("isQuantity(self)");
        if let Some((lo, _)) = &self.min {
            rule += &format!(
                " && quantity(self).compareTo(quantity({})) >= 0",
                cel::string(lo)
            );
        }
        if let Some((hi, _)) = &self.max {
            rule += &format!(
                " && quantity(self).compareTo(quantity({})) <= 0",
                cel::string(hi)
            );
        }
        rule
    }

    fn holds(&self, text: &str) -> bool {
        let Ok(q) = Quantity::parse(text) else {
            return false;
        };
        self.min.as_ref().is_none_or(|(_, lo)| &q >= lo)
            && self.max.as_ref().is_none_or(|(_, hi)| &q <= hi)
    }
}

impl Enforce for QuantityRange {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        cel::push(schema, &self.cel_rule(), &self.message(), None, None);
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        schema.insert("format".into(), Value::from(JsonFormat::Quantity.name()));
        if self.min.is_none() && self.max.is_none() {
            Coverage::Full
        } else {
            Coverage::Partial("JSON Schema cannot compare quantities: the `quantity` format checks the syntax, the bounds are left to validate() and the apiserver")
        }
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(text) = value.as_str() else { return };
        if !self.holds(text) {
            report.reject(path, ErrorKind::Invalid, Some(value), self.message());
        }
    }
}
