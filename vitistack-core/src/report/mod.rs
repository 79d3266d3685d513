//! The vocabulary every rule writes: violations worded like the apiserver's `field.Error`
//! ([`FieldError`], [`ErrorKind`]), field paths in the apiserver's form ([`Path`]) and the
//! [`Report`] that collects them. It depends on nothing else in the engine.

mod error;
mod path;

pub use error::{cut, render_value, ErrorKind, FieldError, ValidationErrors};
pub use path::Path;

/// Everything found wrong with one value.
pub type Report = Vec<FieldError>;

/// How a rule or the walk adds a violation to a [`Report`]: at the path being checked, with the
/// value quoted when given.
pub trait Reject: Extend<FieldError> {
    /// Adds a violation of `kind` at `path`.
    fn reject(
        &mut self,
        path: &Path,
        kind: ErrorKind,
        value: Option<&serde_json::Value>,
        detail: impl Into<String>,
    ) {
        self.extend([FieldError::new(path.as_str(), kind, value, detail)]);
    }
}

impl Reject for Report {}
