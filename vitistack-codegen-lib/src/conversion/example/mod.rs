//! The example kind: `Widget` in `example.vitistack.dev`, with two versions, each its own Rust
//! type in its own module. `v1beta1` is the hub and the storage version; `v1alpha1` is a spoke.
//!
//! What changed between them (the recipe's cases): `spec.color` (one) became `spec.colors` (a
//! list), and `spec.replicas` and `status.readyReplicas` are new in `v1beta1`. A `v1alpha1`
//! object keeps the extra colors and the new fields in [`vitistack_conversion::lossless::PRESERVED_ANNOTATION`].

mod convert;
// Several `printcolumn(type = "string", ...)` in one `#[crd]` look like repeated attributes to clippy.
#[allow(clippy::duplicated_attributes)]
pub mod v1alpha1;
#[allow(clippy::duplicated_attributes)]
pub mod v1beta1;

use serde_json::Value;
use vitistack_conversion::Converter;
use vitistack_types::crd::{CrdVersion, Versions};

/// The example's API group (outside vitistack.io, which stays v1alpha1 for now).
pub const GROUP: &str = "example.vitistack.dev";

/// The warning clients get when they use `v1alpha1` (its `#[crd(deprecated = "...")]`).
pub const V1ALPHA1_WARNING: &str = match <v1alpha1::Widget as CrdVersion>::DEPRECATION_WARNING {
    Some(warning) => warning,
    None => "",
};

vitistack_types::versions! {
    /// Both versions of `Widget`: `v1alpha1` (deprecated) and `v1beta1` (storage). A mistake
    /// between them (two storage versions, another group, ...) is a compile error here.
    pub WidgetVersions: v1alpha1::Widget, v1beta1::Widget
}

/// The converter for every version of `Widget`.
pub fn converter() -> Converter<v1beta1::Widget> {
    Converter::new().spoke::<v1alpha1::Widget>()
}

/// The two-version CRD without `spec.conversion` (add it with [`vitistack_conversion::stanza::with_webhook`]):
/// [`WidgetVersions::crd`]. It cannot fail: `versions!` checks at compile time what
/// `merge_versions` checks at run time.
pub fn crd() -> Value {
    WidgetVersions::crd()
}
