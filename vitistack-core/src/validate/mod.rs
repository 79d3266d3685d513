//! The Rust-side enforcer: walks a value against its schema tree and reports every violation,
//! with field paths and messages in the apiserver's style.

mod correlate;
mod defaults;
mod embedded;
mod int_format;
pub mod meta;
mod openapi_format;
mod walk;

pub use defaults::apply_defaults;
pub use walk::{check_update, check_value, Options, CEL_SKIPPED};

use crate::report::{ErrorKind, FieldError, ValidationErrors};

/// Types that validate themselves against the rules of their schema.
///
/// Implemented by `#[derive(Schema)]` for every struct, so it works for the ten kinds and for
/// anyone deriving their own CRD with `vitistack-derive`.
pub trait Validate {
    /// Returns every violation (not just the first), or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors>;
}

/// Types that validate an update of themselves: every rule of [`Validate`], plus the
/// update-time rules (immutable fields, values that may only grow), with the apiserver's
/// ratcheting. Implemented for every [`crate::crd::CustomResourceKind`].
pub trait ValidateUpdate {
    /// Returns every violation of replacing `old` with `self`, or `Ok(())`.
    fn validate_update(&self, old: &Self) -> Result<(), ValidationErrors>;
}

/// The JSON form of a value, or the error that it has none.
fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, ValidationErrors> {
    serde_json::to_value(value).map_err(|e| {
        ValidationErrors::from(vec![FieldError::new(
            "",
            ErrorKind::Invalid,
            None,
            format!("cannot be serialised: {e}"),
        )])
    })
}

/// Validates any serialisable value against a schema tree; the engine behind
/// [`Validate::validate`].
pub fn validate_serialize<T: serde::Serialize + ?Sized>(
    node: &crate::schema::Node,
    value: &T,
) -> Result<(), ValidationErrors> {
    let report = check_value(node, &to_json(value)?, Options::default());
    ValidationErrors::result(report)
}

/// Validates `new` as an update of `old` against a schema tree; the engine behind
/// [`ValidateUpdate::validate_update`].
pub fn validate_update_serialize<T: serde::Serialize + ?Sized>(
    node: &crate::schema::Node,
    new: &T,
    old: &T,
) -> Result<(), ValidationErrors> {
    let report = check_update(node, &to_json(new)?, &to_json(old)?, Options::default());
    ValidationErrors::result(report)
}

#[cfg(test)]
mod update_tests;

#[cfg(test)]
mod loaded_tests;
