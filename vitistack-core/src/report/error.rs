//! Violations, worded like the apiserver's `field.Error`.

use serde_json::Value;
use std::fmt;

/// The kind of a violation, matching the apiserver's `field.ErrorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ErrorKind {
    /// `Required value`.
    Required,
    /// `Invalid value`.
    Invalid,
    /// `Invalid value` for a value of the wrong JSON type (blocks CEL rules on the apiserver).
    TypeInvalid,
    /// `Unsupported value` (not in an enum).
    NotSupported,
    /// `Duplicate value`.
    Duplicate,
    /// `Too long`.
    TooLong,
    /// `Too many`.
    TooMany,
    /// `Forbidden`.
    Forbidden,
    /// A field the schema does not declare (strict field validation).
    UnknownField,
}

impl ErrorKind {
    /// The apiserver's wording.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Required => "Required value",
            ErrorKind::Invalid | ErrorKind::TypeInvalid => "Invalid value",
            ErrorKind::NotSupported => "Unsupported value",
            ErrorKind::Duplicate => "Duplicate value",
            ErrorKind::TooLong => "Too long",
            ErrorKind::TooMany => "Too many",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::UnknownField => "Unknown field",
        }
    }

    /// Whether the apiserver skips all CEL rules of an object that has an error of this kind
    /// (`hasBlockingErr` in apiextensions-apiserver's `customresource/strategy.go`).
    pub fn blocks_cel(self) -> bool {
        matches!(
            self,
            ErrorKind::NotSupported
                | ErrorKind::Required
                | ErrorKind::TooLong
                | ErrorKind::TooMany
                | ErrorKind::TypeInvalid
        )
    }
}

/// One violation: where, what kind, the offending value and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// Field path in the apiserver's form, e.g. `spec.networking.interfaces[0].macAddress`.
    pub path: String,
    /// The kind of violation.
    pub kind: ErrorKind,
    /// The offending value, rendered like the apiserver does (`5000`, `"abc"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The rule's message.
    pub detail: String,
}

/// Longest value text quoted in a message; longer values are cut (hostile input stays bounded).
const MAX_VALUE_TEXT: usize = 120;

impl FieldError {
    /// A violation at `path`.
    pub fn new(
        path: &str,
        kind: ErrorKind,
        value: Option<&Value>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            path: path.to_string(),
            kind,
            value: value.map(render_value),
            detail: detail.into(),
        }
    }
}

/// Renders a value the way the apiserver quotes it in messages (long values cut).
pub fn render_value(value: &Value) -> String {
    match value {
        Value::Object(_) => "object".to_string(),
        Value::Array(_) => "array".to_string(),
        other => cut(&other.to_string(), MAX_VALUE_TEXT),
    }
}

/// `text` cut to at most `max` bytes (at a character boundary), marked with `...` when cut, so
/// hostile input quoted in a message stays bounded.
pub fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

impl FieldError {
    /// The message without the leading path: `Invalid value: 5000: must be ...`.
    pub fn message(&self) -> String {
        let mut out = String::from(self.kind.as_str());
        if let Some(value) = &self.value {
            out.push_str(": ");
            out.push_str(value);
        }
        if !self.detail.is_empty() {
            out.push_str(": ");
            out.push_str(&self.detail);
        }
        out
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message())
    }
}

/// Every violation found in one object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// `Ok(())` when `errors` is empty.
    pub fn result(errors: Vec<FieldError>) -> Result<(), ValidationErrors> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(errors))
        }
    }

    /// The violations.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// The distinct field paths, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.0.iter().map(|e| e.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }
}

impl From<Vec<FieldError>> for ValidationErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        ValidationErrors(errors)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
