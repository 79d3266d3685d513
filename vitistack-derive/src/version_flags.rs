//! `#[crd(storage, served = false, deprecated = "warning")]`: how one version of a kind appears
//! in the merged CRD of `versions!`. The derive records them as the engine's `CrdVersion`
//! constants; `versions!` checks them together at compile time.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{LitBool, LitStr};

/// The keys this file reads in `#[crd(...)]`.
pub const KEYS: &[&str] = &["storage", "served", "deprecated"];

/// A version's flags, as written.
pub struct Flags {
    storage: bool,
    served: bool,
    deprecation_warning: Option<String>,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            storage: false,
            served: true,
            deprecation_warning: None,
        }
    }
}

impl Flags {
    /// Reads one of [`KEYS`].
    pub fn parse(&mut self, key: &str, meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
        match key {
            "storage" => self.storage = true,
            "served" => {
                let value = meta.value()?;
                let lit = value.parse::<LitBool>().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "`served` is `true` or `false`, e.g. served = false",
                    )
                })?;
                self.served = lit.value;
            }
            _ => {
                let lit = meta.value()?.parse::<LitStr>()?;
                if lit.value().trim().is_empty() {
                    return Err(syn::Error::new(
                        lit.span(),
                        "the deprecation warning is what kubectl and clients print: say what to use instead, e.g. deprecated = \"use example.dev/v1beta1\"",
                    ));
                }
                self.deprecation_warning = Some(lit.value());
            }
        }
        Ok(())
    }

    /// `impl CrdVersion for #root`.
    pub fn emit(&self, k: &TokenStream, root: &syn::Ident) -> TokenStream {
        let (storage, served) = (self.storage, self.served);
        let warning = match &self.deprecation_warning {
            Some(w) => quote!(::core::option::Option::Some(#w)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            impl #k::crd::CrdVersion for #root {
                const STORAGE: bool = #storage;
                const SERVED: bool = #served;
                const DEPRECATION_WARNING: ::core::option::Option<&'static str> = #warning;
            }
        }
    }
}
