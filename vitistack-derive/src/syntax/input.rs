//! A `#[derive(Schema)]` type into the model: serde's view of it (wire names, defaults, skips)
//! plus what `#[viti(...)]` and doc comments say.

use super::{container, doc::doc_of, field};
use crate::ctxt::Ctxt;
use crate::model::{Container, Data, Field, Variant};
use quote::{quote, ToTokens};
use serde_derive_internals::{ast, attr as serde_attr, Derive};

/// Reads the type. `Err` when serde itself cannot read it (its errors, or a union): then there
/// is no model to check.
pub fn parse<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> syn::Result<Container<'a>> {
    // Checked before serde's model, whose own union error would say nothing about schemas.
    if let syn::Data::Union(_) = &input.data {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "unions cannot be made into a Kubernetes schema: use a struct with optional fields",
        ));
    }
    let serde_cx = serde_derive_internals::Ctxt::new();
    let serde = ast::Container::from_ast(&serde_cx, input, Derive::Deserialize);
    serde_cx.check()?;
    let Some(serde) = serde else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "unions cannot be made into a Kubernetes schema",
        ));
    };
    let (attrs, data) = match &serde.data {
        ast::Data::Enum(variants) => (
            container::parse_crate_only(cx, &input.attrs),
            Data::Enum(variants.iter().map(|v| variant(cx, v)).collect()),
        ),
        ast::Data::Struct(ast::Style::Struct, fields) => {
            let default = !matches!(serde.attrs.default(), serde_attr::Default::None);
            let fields = fields
                .iter()
                .filter(|f| !(f.attrs.skip_deserializing() && f.attrs.skip_serializing()))
                .map(|f| self::field(cx, f, default))
                .collect();
            (
                container::parse_struct(cx, &input.attrs),
                Data::Struct(fields),
            )
        }
        ast::Data::Struct(..) => (container::parse_crate_only(cx, &input.attrs), Data::Unnamed),
    };
    Ok(Container {
        ident: &input.ident,
        generics: &input.generics,
        doc: doc_of(&input.attrs),
        attrs,
        data,
    })
}

fn field<'a>(cx: &Ctxt, f: &ast::Field<'a>, container_default: bool) -> Field<'a> {
    let name = f.original.ident.as_ref();
    let flatten = f.attrs.flatten().then(|| {
        let serde_attr = f.original.attrs.iter().find(|a| {
            a.path().is_ident("serde") && a.meta.to_token_stream().to_string().contains("flatten")
        });
        serde_attr.map_or_else(|| quote!(#name), |a| quote!(#a))
    });
    Field {
        ident: name,
        ty: f.ty,
        wire: f.attrs.name().serialize_name().to_string(),
        doc: doc_of(&f.original.attrs),
        attrs: field::parse(cx, &f.original.attrs),
        serde_default: container_default || !matches!(f.attrs.default(), serde_attr::Default::None),
        skip_serializing_if: f.attrs.skip_serializing_if().is_some(),
        flatten,
    }
}

fn variant(cx: &Ctxt, v: &ast::Variant) -> Variant {
    let data = (!matches!(v.style, ast::Style::Unit)).then(|| {
        let (name, fields) = (&v.original.ident, &v.original.fields);
        quote!(#name #fields)
    });
    Variant {
        data,
        value: (!v.attrs.skip_deserializing()).then(|| v.attrs.name().serialize_name().to_string()),
        attrs: container::parse_crate_only(cx, &v.original.attrs),
    }
}
