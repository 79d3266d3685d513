//! The emit step: tokens from a [`Checked`] model only. The emitted code is data: calls to
//! constructors in the engine's `rules` and `schema` (`vitistack_core`, or the crate
//! [`crate::krate`] picks). All rule logic lives there.

mod resource;
mod rules;
mod schema;
mod version_flags;

use crate::check::Checked;
use crate::model::{Resource, Schema};
use proc_macro2::TokenStream;

/// The `Schema` (and, for a struct, `Validate`) impls of a checked type.
pub fn schema(model: &Checked<Schema>) -> TokenStream {
    schema::emit(model)
}

/// The kind's root struct and its impls, from a checked spec struct.
pub fn resource(model: &Checked<Resource>) -> TokenStream {
    resource::emit(model)
}

/// `Some(v)` / `None` as tokens.
fn opt<T: quote::ToTokens>(v: &Option<T>) -> TokenStream {
    match v {
        Some(v) => quote::quote!(::core::option::Option::Some(#v)),
        None => quote::quote!(::core::option::Option::None),
    }
}
