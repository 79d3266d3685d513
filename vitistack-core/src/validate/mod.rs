//! The Rust-side enforcer: walks a value against its schema tree and reports every violation,
//! with field paths and messages in the apiserver's style.

mod error;
pub mod meta;
mod path;
mod walk;

pub use error::render_value;
pub use error::{ErrorKind, FieldError, ValidationErrors};
pub use path::Path;
pub use walk::{
    as_integer, check_value, metadata_name_rules, Options, CEL_SKIPPED, OBJECT_META_FIELDS,
};

/// Everything found wrong with one value.
pub type Report = Vec<FieldError>;

/// Types that validate themselves against the rules of their schema.
///
/// Implemented by `#[derive(Schema)]` for every struct, so it works for the ten kinds and for
/// anyone deriving their own CRD with `vitistack-derive`.
pub trait Validate {
    /// Returns every violation (not just the first), or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationErrors>;
}

/// Validates any serialisable value against a schema tree; the engine behind
/// [`Validate::validate`].
pub fn validate_serialize<T: serde::Serialize + ?Sized>(
    node: &crate::schema::Node,
    value: &T,
) -> Result<(), ValidationErrors> {
    let value = serde_json::to_value(value).map_err(|e| {
        ValidationErrors::from(vec![FieldError::new(
            "",
            ErrorKind::Invalid,
            None,
            format!("cannot be serialised: {e}"),
        )])
    })?;
    let report = check_value(node, &value, Options::default());
    ValidationErrors::result(report)
}
