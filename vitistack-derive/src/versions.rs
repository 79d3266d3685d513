//! `versions!(Marker: v1alpha1::Kind, v1beta1::Kind)`: every version of one kind, each its own
//! `#[derive(CustomResource)]` type. Declares the marker type with the engine's `Versions`
//! (the merged CRD), and `const` items whose evaluation checks the versions: each against those
//! before it (same group, kind, plural and scope as the first, a version name not seen yet),
//! reported at its type; then all together (exactly one storage version, at least one served),
//! reported at the marker. Every mistake stops the build with a message naming the versions.
//!
//! The macro only sees type paths; the facts are the types' constants, so the checks are
//! `const fn`s in the engine (`crd::version_check`), evaluated by the compiler.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitStr, Token, Type, Visibility};

/// The parsed input: `#[attrs] vis Marker: Type, Type, ...`.
struct Input {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    versions: Vec<Type>,
    /// `#[crd(crate = "...")]`: where the engine is.
    krate: Option<syn::Path>,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut attrs = input.call(Attribute::parse_outer)?;
        let krate = take_crate(&mut attrs)?;
        let vis = input.parse()?;
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `:` and the version types, e.g. versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget)",
            )
        })?;
        let versions: Vec<Type> = Punctuated::<Type, Token![,]>::parse_terminated(input)?
            .into_iter()
            .collect();
        if versions.is_empty() {
            return Err(syn::Error::new(
                name.span(),
                "versions! needs the kind's version types after `:`, e.g. versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget)",
            ));
        }
        Ok(Input {
            attrs,
            vis,
            name,
            versions,
            krate,
        })
    }
}

/// Removes `#[crd(crate = "...")]` from the marker's attributes and returns the path.
fn take_crate(attrs: &mut Vec<Attribute>) -> syn::Result<Option<syn::Path>> {
    let mut krate = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("crd")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("crate") {
                return Err(meta.error("versions! takes only #[crd(crate = \"path\")]"));
            }
            let lit: LitStr = meta.value()?.parse()?;
            krate = Some(lit.parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    "`crate` names a path, e.g. crate = \"my_crate::viti\"",
                )
            })?);
            Ok(())
        })?;
    }
    attrs.retain(|a| !a.path().is_ident("crd"));
    Ok(krate)
}

/// Expands `versions!(...)`.
pub fn expand(tokens: TokenStream) -> syn::Result<TokenStream> {
    let input: Input = syn::parse2(tokens)?;
    let k = crate::krate::root(input.krate.as_ref());
    Ok(emit(&k, &input))
}

fn emit(k: &TokenStream, input: &Input) -> TokenStream {
    let Input {
        attrs,
        vis,
        name,
        versions,
        ..
    } = input;
    let name_text = name.to_string();
    let infos: Vec<TokenStream> = versions
        .iter()
        .map(|ty| {
            let path = path_text(ty);
            quote!(#k::crd::version_check::VersionInfo::of::<#ty>(#path))
        })
        .collect();
    let doc = if attrs.iter().any(|a| a.path().is_ident("doc")) {
        quote!()
    } else {
        let text = format!("Every version of one kind: {}.", list(versions));
        quote!(#[doc = #text])
    };
    // The error is reported where the panic is: at the version's type for what is wrong with
    // one version, at the marker for what is wrong with them all.
    let per_version = versions.iter().enumerate().skip(1).map(|(i, ty)| {
        let earlier = &infos[..i];
        let this = &infos[i];
        check(
            ty.span(),
            quote!(#k::crd::version_check::version_problem(#name_text, &[#(#earlier),*], &#this)),
        )
    });
    let together = check(
        name.span(),
        quote!(#k::crd::version_check::set_problem(#name_text, &[#(#infos),*])),
    );
    quote! {
        #doc
        #(#attrs)*
        #vis struct #name;

        #(#per_version)*
        #together

        impl #k::crd::Versions for #name {
            const NAMES: &'static [&'static str] =
                &[#(<#versions as #k::crd::CustomResourceKind>::VERSION),*];
            const STORAGE_VERSION: &'static str =
                #k::crd::version_check::storage_version(&[#(#infos),*]);
            fn crd() -> #k::__private::serde_json::Value {
                #k::crd::versions::merged_crd(&[#(#k::crd::versions::VersionCrd::of::<#versions>()),*])
            }
        }
    }
}

/// `const _: () = ...;` that stops the build with the message of `problem` (an
/// `Option<Message>` expression), reported at `span`.
fn check(span: Span, problem: TokenStream) -> TokenStream {
    quote_spanned! {span=>
        const _: () = {
            if let ::core::option::Option::Some(problem) = #problem {
                ::core::panic!("{}", problem.as_str());
            }
        };
    }
}

/// A version's type as the user wrote it, for messages: `v1beta1::Widget`.
fn path_text(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

fn list(versions: &[Type]) -> String {
    let paths: Vec<String> = versions
        .iter()
        .map(|t| format!("`{}`", path_text(t)))
        .collect();
    paths.join(", ")
}
