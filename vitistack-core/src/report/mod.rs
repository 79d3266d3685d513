//! The vocabulary every rule writes: violations worded like the apiserver's `field.Error`
//! ([`FieldError`], [`ErrorKind`]), field paths in the apiserver's form ([`Path`]) and the
//! [`Report`] that collects them. It depends on nothing else in the engine.

mod error;
mod path;

pub use error::{cut, render_value, ErrorKind, FieldError, ValidationErrors};
pub use path::Path;

/// Everything found wrong with one value.
pub type Report = Vec<FieldError>;
