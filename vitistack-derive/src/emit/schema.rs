//! `impl Schema` (the node, `FIELDS`), `impl Validate`, and the compile-time checks that need
//! the compiler: rule targets against field types, and the later segments of rule paths.

use super::rules::{container_rule, field_rule};
use crate::check::Checked;
use crate::model::{
    Data, DecidedRule, DefaultLit, Fact, Field, ListSpec, RulePath, Schema, Target,
};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

/// Emits the impls of a checked type.
pub fn emit(checked: &Checked<Schema>) -> TokenStream {
    let c = &checked.container;
    let ident = c.ident;
    let k = &crate::krate::root(c.attrs.krate.as_ref());
    let doc = &c.doc;
    let (node, fields, validate, path_checks) = match &c.data {
        Data::Enum(variants) => {
            let values = variants.iter().filter_map(|v| v.value.as_ref());
            let node = quote! {
                #k::schema::Node::new(#k::schema::Type::String)
                    .describe(#doc)
                    .with_rule(#k::rules::Rule::one_of(&[#(#values),*]))
            };
            (
                node,
                TokenStream::new(),
                TokenStream::new(),
                TokenStream::new(),
            )
        }
        Data::Struct(fields) => {
            let flattens = fields.iter().any(|f| f.flatten.is_some());
            let path_checks = c
                .attrs
                .paths
                .iter()
                .filter(|p| flattens || p.path.contains('.'))
                .map(|p| path_check(k, ident, p))
                .collect();
            let names = fields.iter().filter(|f| f.flatten.is_none()).map(|f| {
                let (wire, ty) = (&f.wire, f.ty);
                match f.attrs.schemars {
                    // A schemars type's fields are unknown to the compiler: any path goes on.
                    Some(_) => quote!((#wire, #k::schema::Fields::Any)),
                    None => quote!((#wire, <#ty as #k::schema::Schema>::FIELDS)),
                }
            });
            (
                struct_node(k, &c.doc, &checked.rules, fields),
                fields_const(k, fields, quote!(#k::schema::Fields::Named(&[#(#names),*]))),
                validate_impl(k, ident),
                path_checks,
            )
        }
        // A check error: never reaches emit.
        Data::Unnamed => Default::default(),
    };
    quote! {
        impl #k::schema::Schema for #ident {
            #fields
            fn schema() -> #k::schema::Node {
                #node
            }
        }
        #validate
        #path_checks
    }
}

/// `FIELDS`: the struct's own wire names, and those of the structs it flattens.
fn fields_const(k: &TokenStream, fields: &[Field], own: TokenStream) -> TokenStream {
    let flattened: Vec<&syn::Type> = fields
        .iter()
        .filter(|f| f.flatten.is_some())
        .map(|f| f.ty)
        .collect();
    let s = quote!(#k::schema);
    if flattened.is_empty() {
        return quote!(const FIELDS: #s::Fields = #own;);
    }
    quote!(const FIELDS: #s::Fields = #s::Fields::All(&[#own, #(<#flattened as #s::Schema>::FIELDS),*]);)
}

/// `.flatten(...)` for each flattened field, after a compile-time check that its type is a
/// struct (maps, lists and scalars have no fields to put beside this struct's).
fn flattened(k: &TokenStream, fields: &[Field]) -> TokenStream {
    let s = quote!(#k::schema);
    fields
        .iter()
        .filter_map(|f| Some((f.flatten.as_ref()?, f.ty)))
        .map(|(attr, ty)| {
            let check = quote_spanned! {attr.clone().into_iter().next().map_or_else(Span::call_site, |t| t.span())=>
                const _: () = ::core::assert!(
                    ::core::matches!(<#ty as #s::Schema>::FIELDS, #s::Fields::Named(_) | #s::Fields::All(_)),
                    "#[serde(flatten)] takes a #[derive(Schema)] struct (or an Option of one): its fields join this struct's"
                );
            };
            quote!(.flatten({ #check <#ty as #s::Schema>::schema() }, <#ty as #s::Schema>::OPTIONAL))
        })
        .collect()
}

fn struct_node(k: &TokenStream, doc: &str, rules: &[DecidedRule], fields: &[Field]) -> TokenStream {
    let flattened = flattened(k, fields);
    let fields: Vec<&Field> = fields.iter().filter(|f| f.flatten.is_none()).collect();
    let properties = fields.iter().map(|f| property(k, f));
    let assertions = fields.iter().map(|f| type_assertions(k, f));
    let rules = rules.iter().map(|rule| container_rule(k, rule));
    quote! {
        #(#assertions)*
        #k::schema::Node::object(::std::vec![#(#properties),*])
            #flattened
            .describe(#doc)
            #(.with_rule(#rules))*
    }
}

fn validate_impl(k: &TokenStream, ident: &syn::Ident) -> TokenStream {
    quote! {
        impl #k::validate::Validate for #ident {
            fn validate(&self) -> ::core::result::Result<(), #k::report::ValidationErrors> {
                static NODE: ::std::sync::OnceLock<#k::schema::Node> = ::std::sync::OnceLock::new();
                let node = NODE.get_or_init(<Self as #k::schema::Schema>::schema);
                #k::validate::validate_serialize(node, self)
            }
        }
    }
}

/// A compile-time check that every segment of a path names a field: the first segment was
/// checked by [`crate::check`], the rest needs the field types' `Schema::FIELDS`, so the check
/// is a constant evaluated by the compiler, reported at the path's literal.
fn path_check(k: &TokenStream, ident: &syn::Ident, p: &RulePath) -> TokenStream {
    let path = &p.path;
    let message = format!(
        "`{path}` does not name a field: every segment is a wire name, of the struct and then of each field's type (a list continues into its items)"
    );
    quote_spanned! {p.span=>
        const _: () = ::core::assert!(
            #k::schema::Fields::has_path(<#ident as #k::schema::Schema>::FIELDS, #path),
            #message
        );
    }
}

fn property(k: &TokenStream, f: &Field) -> TokenStream {
    let (wire, ty, doc) = (&f.wire, f.ty, &f.doc);
    let rules = f.attrs.rules.iter().map(|(_, r)| field_rule(k, r, wire));
    let each = f.attrs.each.iter().map(|(_, r)| field_rule(k, r, wire));
    let list = f.attrs.list.as_ref().map(|(_, spec)| match spec {
        ListSpec::Atomic => quote!(.edit(|n| {
            n.verbatim.insert("x-kubernetes-list-type".to_string(), "atomic".into());
        })),
        ListSpec::Set => quote!(.with_list_type(#k::schema::ListType::Set)),
        ListSpec::Map(keys) => {
            quote!(.with_list_type(#k::schema::ListType::Map(::std::vec![#(#keys.to_string()),*])))
        }
    });
    let default = f.attrs.default.as_ref().map(|d| {
        let value = json_value(k, d);
        quote!(.with_default(#value))
    });
    let facts = f.attrs.facts.iter().map(|(_, fact)| node_fact(k, fact));
    let has_default = f.serde_default || f.attrs.default.is_some();
    let forced = f.attrs.required.is_some();
    // The schema and optionality: the type's `Schema`, or its `schemars::JsonSchema` bridged.
    let shape = match f.attrs.schemars {
        Some(_) => quote!(#k::schema::bridge::field::<#ty>(&#k::schema::kubernetes::Kubernetes)),
        None => quote!((
            <#ty as #k::schema::Schema>::schema(),
            <#ty as #k::schema::Schema>::OPTIONAL,
        )),
    };
    quote! {{
        let (__viti_node, __viti_optional): (#k::schema::Node, bool) = #shape;
        #k::schema::Property::new(
            #wire,
            #forced || (!__viti_optional && !#has_default),
            __viti_node
                .describe(#doc)
                #(.with_rules(#rules))*
                .map_items(|items| items #(.with_rules(#each))*)
                #list
                #(#facts)*
                #default,
        )
    }}
}

/// Compile-time checks that each rule fits its field's type, reported at the rule.
fn type_assertions(k: &TokenStream, f: &Field) -> TokenStream {
    let ty = f.ty;
    let s = quote!(#k::schema);
    let mut out = TokenStream::new();
    let assert = |span: Span, target: Target, subject: TokenStream| {
        let bound = match target {
            Target::Integer => quote!(#s::IntegerLike),
            Target::String => quote!(#s::StringLike),
            Target::List => quote!(#s::ListLike),
            Target::Number => quote!(#s::NumberLike),
            Target::Elements => quote!(#s::Elements),
            Target::Any => quote!(#s::Schema),
        };
        quote_spanned! {span=>
            let _ = |__viti_check: ::core::marker::PhantomData<#subject>| {
                fn __viti_assert<T: #bound + ?Sized>(_: ::core::marker::PhantomData<T>) {}
                __viti_assert(__viti_check);
            };
        }
    };
    for (span, rule) in &f.attrs.rules {
        out.extend(assert(*span, rule.target(), quote!(#ty)));
    }
    for (span, rule) in &f.attrs.each {
        out.extend(assert(*span, Target::Elements, quote!(#ty)));
        out.extend(assert(
            *span,
            rule.target(),
            quote!(<#ty as #s::Elements>::Item),
        ));
    }
    if let Some((span, _)) = &f.attrs.list {
        out.extend(assert(*span, Target::List, quote!(#ty)));
    }
    out
}

/// A `serde_json::Value` expression for a default.
fn json_value(k: &TokenStream, d: &DefaultLit) -> TokenStream {
    let v = quote!(#k::__private::serde_json::Value);
    match d {
        DefaultLit::Int(n) => quote!(#v::from(#n)),
        DefaultLit::Float(n) => quote!(#v::from(#n)),
        DefaultLit::Str(s) => quote!(#v::from(#s)),
        DefaultLit::Bool(b) => quote!(#v::from(#b)),
        DefaultLit::Null => quote!(#v::Null),
        DefaultLit::List(items) => {
            let items = items.iter().map(|i| json_value(k, i));
            quote!(#v::Array(::std::vec![#(#items),*]))
        }
        DefaultLit::Object(entries) => {
            let (keys, values): (Vec<&String>, Vec<TokenStream>) = entries
                .iter()
                .map(|(key, value)| (key, json_value(k, value)))
                .unzip();
            quote!(#v::Object([#((#keys.to_string(), #values)),*].into_iter().collect()))
        }
    }
}

/// `.edit(...)` setting one node fact.
fn node_fact(k: &TokenStream, fact: &Fact) -> TokenStream {
    let set = match fact {
        Fact::Nullable => quote!(n.nullable = true),
        Fact::PreserveUnknownFields => quote!(n.preserve_unknown_fields = true),
        Fact::EmbeddedResource => quote!(n.embedded_resource = true),
        Fact::Format(format) => {
            quote!(n.format = #k::schema::FormatKeyword::Named(#format.to_string()))
        }
        Fact::MapType(map_type) => quote!(n.verbatim.insert(
            "x-kubernetes-map-type".to_string(),
            #map_type.into()
        )),
    };
    quote!(.edit(|n| { #set; }))
}
