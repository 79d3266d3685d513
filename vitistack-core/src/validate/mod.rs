//! The Rust-side enforcer: walks a value against its schema tree and reports every violation,
//! with field paths and messages in the apiserver's style.

mod int_format;
mod walk;

// The report vocabulary and the metadata schema live below this module (report ← rules ←
// schema ← validate); re-exported so their historical paths keep working.
pub use crate::report::{cut, render_value, ErrorKind, FieldError, Path, Report, ValidationErrors};
pub use crate::rules::as_integer;
pub use crate::schema::{metadata_name_rules, OBJECT_META_FIELDS};
pub use walk::{check_value, Options, CEL_SKIPPED};

/// The apiserver's checks of `ObjectMeta` labels and annotations (now the ordinary rules
/// [`crate::rules::Labels`] and [`crate::rules::Annotations`]).
pub mod meta {
    pub use crate::rules::meta::{check_labels_and_annotations, is_label_value, is_qualified_name};
}

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
