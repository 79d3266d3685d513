//! `impl CrdVersion`: a version's `storage`, `served` and `deprecated`, as constants that
//! `versions!` checks together at compile time and merges into one CRD.

use crate::model::VersionFlags;
use proc_macro2::TokenStream;
use quote::quote;

/// The impl for the kind's root struct `root`.
pub fn emit(k: &TokenStream, root: &syn::Ident, flags: &VersionFlags) -> TokenStream {
    let (storage, served) = (flags.storage, flags.served);
    let warning = super::opt(&flags.deprecated.as_ref().map(syn::LitStr::value));
    quote! {
        impl #k::crd::CrdVersion for #root {
            const STORAGE: bool = #storage;
            const SERVED: bool = #served;
            const DEPRECATION_WARNING: ::core::option::Option<&'static str> = #warning;
        }
    }
}
