//! The `compat --config` file: per-check enforcement and the options crdify's checks take.
//!
//! The format is crdify's, so a crdify configuration works unchanged: its check names (crdify's
//! `xvalidations` is `x-kubernetes-validations` here) and `unhandledEnforcement` (the
//! enforcement of the `unhandled` check):
//!
//! ```yaml
//! validations:
//!   - name: enum            # a check name
//!     enforcement: Warn     # Error | Warn | None (any case); absent: by the version's stability
//!     configuration:
//!       additionPolicy: Allow
//! unhandledEnforcement: Warn
//! conversion: Ignore        # Ignore (default): no cross-version checks for Webhook conversion
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{InputError, CHECKS};

/// What to do with the findings of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforcement {
    /// Always an error.
    Error,
    /// Always a warning.
    Warn,
    /// Not reported.
    None,
}

/// The parsed configuration; [`Config::default`] is: severities by stability, crdify's
/// conservative options, no cross-version checks when conversion is a webhook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Checks whose severity does not follow the version's stability.
    pub overrides: BTreeMap<&'static str, Enforcement>,
    /// `enum` `additionPolicy: Allow`: adding an allowed value is compatible.
    pub enum_addition_allowed: bool,
    /// `pattern` `removalPolicy: Allow`: removing a pattern is compatible.
    pub pattern_removal_allowed: bool,
    /// `nullable` `additionPolicy: Allow`: allowing null is compatible.
    pub nullable_addition_allowed: bool,
    /// `nullable` `removalPolicy: Allow`: forbidding null is compatible.
    pub nullable_removal_allowed: bool,
    /// `conversion: None`: compare served versions even when conversion is a webhook.
    pub compare_webhook_versions: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    validations: Vec<RawValidation>,
    #[serde(default)]
    conversion: Option<String>,
    #[serde(default, rename = "unhandledEnforcement")]
    unhandled_enforcement: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidation {
    name: String,
    #[serde(default)]
    enforcement: Option<String>,
    #[serde(default)]
    configuration: Map<String, Value>,
}

impl Config {
    /// Parse a configuration file's text; `source` names the file in errors.
    pub fn parse(text: &str, source: &str) -> Result<Config, InputError> {
        let fail = |message: String| InputError(format!("{source}: {message}"));
        let docs =
            crate::yaml::parse_documents(text, source).map_err(|e| InputError(e.to_string()))?;
        let doc = match docs.as_slice() {
            [] => Value::Object(Map::new()),
            [one] => one.clone(),
            _ => return Err(fail("expected one YAML document".to_owned())),
        };
        let raw: RawConfig = serde_path_to_error::deserialize(doc).map_err(|e| {
            match e.path().to_string().as_str() {
                "." => fail(e.inner().to_string()),
                path => fail(format!("{path}: {}", e.inner())),
            }
        })?;
        let mut config = Config::default();
        if let Some(e) = &raw.unhandled_enforcement {
            let enforcement =
                parse_enforcement(e).map_err(|m| fail(format!("unhandledEnforcement: {m}")))?;
            config.overrides.insert("unhandled", enforcement);
        }
        for (i, v) in raw.validations.iter().enumerate() {
            config
                .apply(v)
                .map_err(|m| fail(format!("validations[{i}]: {m}")))?;
        }
        match raw
            .conversion
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("ignore") => {}
            Some("none") => config.compare_webhook_versions = true,
            Some(_) => {
                return Err(fail(format!(
                    "conversion: unknown policy {:?} (expected None or Ignore)",
                    raw.conversion.unwrap_or_default()
                )))
            }
        }
        Ok(config)
    }

    fn apply(&mut self, v: &RawValidation) -> Result<(), String> {
        // crdify's name of the rule check.
        let wanted = match v.name.as_str() {
            "xvalidations" => "x-kubernetes-validations",
            other => other,
        };
        let Some(name) = CHECKS.iter().copied().find(|c| *c == wanted) else {
            return Err(format!(
                "name: unknown check {:?} (known: {})",
                v.name,
                CHECKS.join(", ")
            ));
        };
        if let Some(e) = &v.enforcement {
            let enforcement = parse_enforcement(e).map_err(|m| format!("enforcement: {m}"))?;
            self.overrides.insert(name, enforcement);
        }
        for (key, value) in &v.configuration {
            let allow = policy(value).map_err(|m| format!("configuration.{key}: {m}"))?;
            match (name, key.as_str()) {
                ("enum", "additionPolicy") => self.enum_addition_allowed = allow,
                ("pattern", "removalPolicy") => self.pattern_removal_allowed = allow,
                ("nullable", "additionPolicy") => self.nullable_addition_allowed = allow,
                ("nullable", "removalPolicy") => self.nullable_removal_allowed = allow,
                _ => return Err(format!("configuration.{key}: not an option of {name}")),
            }
        }
        Ok(())
    }

    /// The enforcement configured for `check`, if any.
    pub fn enforcement(&self, check: &str) -> Option<Enforcement> {
        self.overrides.get(check).copied()
    }
}

/// `Error`, `Warn` or `None`, in any case.
fn parse_enforcement(text: &str) -> Result<Enforcement, String> {
    match text.to_ascii_lowercase().as_str() {
        "error" => Ok(Enforcement::Error),
        "warn" | "warning" => Ok(Enforcement::Warn),
        "none" => Ok(Enforcement::None),
        _ => Err(format!(
            "unknown value {text:?} (expected error, warn or none)"
        )),
    }
}

/// `Allow` → true, `Disallow` → false.
fn policy(value: &Value) -> Result<bool, String> {
    match value.as_str() {
        Some("Allow") => Ok(true),
        Some("Disallow") => Ok(false),
        _ => Err(format!("expected Allow or Disallow, got {value}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crdify_format_is_read() {
        let text = "validations:\n- name: enum\n  enforcement: Warn\n  configuration:\n    additionPolicy: Allow\n- name: type\n  enforcement: none\nconversion: None\n";
        let c = Config::parse(text, "c.yaml").unwrap();
        assert_eq!(c.enforcement("enum"), Some(Enforcement::Warn));
        assert_eq!(c.enforcement("type"), Some(Enforcement::None));
        assert_eq!(c.enforcement("default"), None);
        assert!(c.enum_addition_allowed);
        assert!(!c.pattern_removal_allowed);
        assert!(c.compare_webhook_versions);
    }

    #[test]
    fn crdify_names_are_accepted() {
        let text = "validations:\n- name: xvalidations\n  enforcement: None\n- name: format\n  enforcement: Warn\nunhandledEnforcement: Error\n";
        let c = Config::parse(text, "c.yaml").unwrap();
        assert_eq!(
            c.enforcement("x-kubernetes-validations"),
            Some(Enforcement::None)
        );
        assert_eq!(c.enforcement("format"), Some(Enforcement::Warn));
        assert_eq!(c.enforcement("unhandled"), Some(Enforcement::Error));
    }

    #[test]
    fn mistakes_name_the_file_and_the_field() {
        let cases = [
            (
                "validations:\n- name: enumm\n",
                "c.yaml: validations[0]: name: unknown check \"enumm\"",
            ),
            (
                "validations:\n- name: enum\n  enforcement: fatal\n",
                "validations[0]: enforcement: unknown value \"fatal\"",
            ),
            (
                "validations:\n- name: type\n  configuration:\n    additionPolicy: Allow\n",
                "configuration.additionPolicy: not an option of type",
            ),
            (
                "validations:\n- name: enum\n  configuration:\n    additionPolicy: yes\n",
                "expected Allow or Disallow",
            ),
            (
                "unhandledEnforcement: Sometimes\n",
                "c.yaml: unhandledEnforcement: unknown value \"Sometimes\"",
            ),
            ("conversion: Always\n", "conversion: unknown policy"),
        ];
        for (text, expected) in cases {
            let err = Config::parse(text, "c.yaml").unwrap_err().0;
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }
}
