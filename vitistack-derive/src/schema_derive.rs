//! `#[derive(Schema)]`: parse (serde's model for wire names, `#[viti]` for rules), check, emit.
//!
//! The emitted code is data: calls to constructors in the engine's `rules` and `schema`
//! (`vitistack_core`, or the crate [`crate::krate`] picks). All rule logic lives there.

use crate::attr::{
    self, ContainerRule, DefaultLit, FieldAttrs, FieldRule, ListSpec, OrderBy, Reason, RuleKind,
    Target,
};
use crate::ctxt::Ctxt;
use crate::pred::{Literal, Pred};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use serde_derive_internals::{ast, attr as serde_attr, Derive};

/// Expands `#[derive(Schema)]`.
pub fn expand(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    // Checked before serde's model, whose own union error would say nothing about schemas.
    if let syn::Data::Union(_) = &input.data {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "unions cannot be made into a Kubernetes schema: use a struct with optional fields",
        ));
    }
    let serde_cx = serde_derive_internals::Ctxt::new();
    let container = ast::Container::from_ast(&serde_cx, input, Derive::Deserialize);
    serde_cx.check()?;
    let Some(container) = container else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "unions cannot be made into a Kubernetes schema",
        ));
    };
    if !input.generics.params.is_empty() {
        cx.error_at(
            &input.generics,
            "generic types are not supported: a CRD schema needs one concrete shape",
        );
    }
    let doc = doc_of(&input.attrs);
    if doc.is_empty() {
        cx.error_at(
            &input.ident,
            "add a doc comment: it becomes the schema description that `kubectl explain` shows",
        );
    }
    let ident = &input.ident;
    let k = &crate::krate::root(attr::crate_override(&cx, &input.attrs).as_ref());
    let body = match &container.data {
        ast::Data::Enum(variants) => {
            no_viti_attrs(&cx, &input.attrs);
            Body::node(enum_schema(&cx, k, variants, &doc))
        }
        ast::Data::Struct(ast::Style::Struct, fields) => {
            struct_schema(&cx, k, input, &container, fields, &doc)
        }
        ast::Data::Struct(..) => {
            cx.error_at(
                ident,
                "tuple and unit structs have no field names: use a struct with named fields",
            );
            Body::node(TokenStream::new())
        }
    };
    cx.check()?;
    let validate = match &container.data {
        ast::Data::Struct(..) => validate_impl(k, ident),
        ast::Data::Enum(_) => TokenStream::new(),
    };
    let (fields, path_checks) = match body.fields {
        Some(fields) => (
            quote!(const FIELDS: #k::schema::Fields = #fields;),
            body.path_checks,
        ),
        None => (TokenStream::new(), TokenStream::new()),
    };
    let body = body.node;
    Ok(quote! {
        impl #k::schema::Schema for #ident {
            #fields
            fn schema() -> #k::schema::Node {
                #body
            }
        }
        #validate
        #path_checks
    })
}

fn validate_impl(k: &TokenStream, ident: &syn::Ident) -> TokenStream {
    quote! {
        impl #k::validate::Validate for #ident {
            fn validate(&self) -> ::core::result::Result<(), #k::validate::ValidationErrors> {
                static NODE: ::std::sync::OnceLock<#k::schema::Node> = ::std::sync::OnceLock::new();
                let node = NODE.get_or_init(<Self as #k::schema::Schema>::schema);
                #k::validate::validate_serialize(node, self)
            }
        }
    }
}

/// The joined `///` doc comment.
pub fn doc_of(attrs: &[syn::Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    // Paragraph breaks survive; single line breaks join into one line, as godoc does.
    let mut out = String::new();
    for line in lines {
        if line.is_empty() {
            out.push_str("\n\n");
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            out.push_str(&line);
        }
    }
    out.trim().to_string()
}

/// `#[viti(...)]` on an enum or a variant would be silently ignored: reject it (`crate = "..."`
/// aside, which names the engine crate).
fn no_viti_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) {
    for attr in attrs
        .iter()
        .filter(|a| a.path().is_ident("viti") && !attr::is_crate_only(a))
    {
        cx.error_at(attr, "#[viti(...)] has no effect on an enum: its values are the variant names; put rules on the field that holds the enum");
    }
}

fn enum_schema(cx: &Ctxt, k: &TokenStream, variants: &[ast::Variant], doc: &str) -> TokenStream {
    let mut values = Vec::new();
    for variant in variants {
        no_viti_attrs(cx, &variant.original.attrs);
        if !matches!(variant.style, ast::Style::Unit) {
            let (name, fields) = (&variant.original.ident, &variant.original.fields);
            cx.error_at(
                quote!(#name #fields),
                "enum variants with data cannot be made into a structural schema: use unit variants (a string enum) or a struct with optional fields",
            );
            continue;
        }
        if variant.attrs.skip_deserializing() {
            continue;
        }
        values.push(variant.attrs.name().serialize_name().to_string());
    }
    quote! {
        #k::schema::Node::new(#k::schema::Type::String)
            .describe(#doc)
            .with_rule(#k::rules::Rule::one_of(&[#(#values),*]))
    }
}

/// What a type's `Schema` impl holds besides `schema()`.
struct Body {
    /// The body of `schema()`.
    node: TokenStream,
    /// `Schema::FIELDS` of a struct (enums keep the default).
    fields: Option<TokenStream>,
    /// Compile-time checks of multi-segment rule paths, next to the impl.
    path_checks: TokenStream,
}

impl Body {
    fn node(node: TokenStream) -> Self {
        Body {
            node,
            fields: None,
            path_checks: TokenStream::new(),
        }
    }
}

struct FieldInfo<'a> {
    wire: String,
    ty: &'a syn::Type,
    doc: String,
    attrs: FieldAttrs,
    serde_default: bool,
}

fn struct_schema(
    cx: &Ctxt,
    k: &TokenStream,
    input: &syn::DeriveInput,
    container: &ast::Container,
    fields: &[ast::Field],
    doc: &str,
) -> Body {
    let container_default = !matches!(container.attrs.default(), serde_attr::Default::None);
    let mut infos = Vec::new();
    for field in fields {
        if field.attrs.skip_deserializing() && field.attrs.skip_serializing() {
            continue;
        }
        let name = field.original.ident.as_ref();
        if field.attrs.flatten() {
            let serde_attr = field.original.attrs.iter().find(|a| {
                a.path().is_ident("serde")
                    && a.meta.to_token_stream().to_string().contains("flatten")
            });
            cx.error_at(
                serde_attr.map_or_else(|| quote!(#name), |a| quote!(#a)),
                "#[serde(flatten)] is not supported: a structural schema needs every field declared",
            );
            continue;
        }
        crate::shape::check_type(cx, field.ty, &input.ident);
        let doc = doc_of(&field.original.attrs);
        if doc.is_empty() {
            cx.error_at(name, "add a doc comment: it becomes the field's CRD description that `kubectl explain` shows");
        }
        if crate::shape::is_option(field.ty) && field.attrs.skip_serializing_if().is_none() {
            let ty = field.ty;
            cx.error_at(
                quote!(#name: #ty),
                "an Option field needs #[serde(skip_serializing_if = \"Option::is_none\")]: unset fields are omitted on the wire, never null",
            );
        }
        infos.push(FieldInfo {
            wire: field.attrs.name().serialize_name().to_string(),
            ty: field.ty,
            doc,
            attrs: attr::field_attrs(cx, &field.original.attrs),
            serde_default: container_default
                || !matches!(field.attrs.default(), serde_attr::Default::None),
        });
    }
    let container_attrs = attr::container_attrs(cx, &input.attrs);
    let known = check_paths(cx, &container_attrs.paths, &infos);
    let path_checks = known
        .into_iter()
        .chain(container_attrs.item_paths.iter())
        .filter(|(_, path)| path.contains('.'))
        .map(|(span, path)| path_check(k, &input.ident, *span, path))
        .collect();
    let properties = infos.iter().map(|info| property(k, info));
    let assertions = infos.iter().map(|info| type_assertions(k, info));
    let rules = container_attrs
        .rules
        .iter()
        .map(|rule| container_rule(k, rule));
    let fields = infos.iter().map(|info| {
        let (wire, ty) = (&info.wire, info.ty);
        quote!((#wire, <#ty as #k::schema::Schema>::FIELDS))
    });
    Body {
        node: quote! {
            #(#assertions)*
            #k::schema::Node::object(::std::vec![#(#properties),*])
                .describe(#doc)
                #(.with_rule(#rules))*
        },
        fields: Some(quote!(#k::schema::Fields::Named(&[#(#fields),*]))),
        path_checks,
    }
}

/// A compile-time check that every segment of `path` names a field: the first segment is
/// checked by the derive, the rest needs the field types' `Schema::FIELDS`, so the check is a
/// constant evaluated by the compiler, reported at the path's literal.
fn path_check(k: &TokenStream, ident: &syn::Ident, span: Span, path: &str) -> TokenStream {
    let message = format!(
        "`{path}` does not name a field: every segment is a wire name, of the struct and then of each field's type (a list continues into its items)"
    );
    quote_spanned! {span=>
        const _: () = ::core::assert!(
            #k::schema::Fields::has_path(<#ident as #k::schema::Schema>::FIELDS, #path),
            #message
        );
    }
}

/// Cross-field rules may only name fields that exist: the first segment is checked here, the
/// rest by [`path_check`]. Returns the paths whose first segment exists.
fn check_paths<'p>(
    cx: &Ctxt,
    paths: &'p [(Span, String)],
    infos: &[FieldInfo],
) -> Vec<&'p (Span, String)> {
    let mut known = Vec::new();
    for entry in paths {
        let (span, path) = entry;
        let first = path.split('.').next().unwrap_or_default();
        if infos.iter().any(|f| f.wire == first) {
            known.push(entry);
        } else {
            let known: Vec<&str> = infos.iter().map(|f| f.wire.as_str()).collect();
            cx.syn_error(syn::Error::new(
                *span,
                format!(
                    "no field `{first}` in this struct (wire names: {})",
                    known.join(", ")
                ),
            ));
        }
    }
    known
}

fn property(k: &TokenStream, info: &FieldInfo) -> TokenStream {
    let (wire, ty, doc) = (&info.wire, info.ty, &info.doc);
    let rules = info.attrs.rules.iter().map(|(_, r)| field_rule(k, r, wire));
    let each = info.attrs.each.iter().map(|(_, r)| field_rule(k, r, wire));
    let list = info.attrs.list.as_ref().map(|(_, spec)| match spec {
        ListSpec::Set => quote!(.with_list_type(#k::schema::ListType::Set)),
        ListSpec::Map(keys) => {
            quote!(.with_list_type(#k::schema::ListType::Map(::std::vec![#(#keys.to_string()),*])))
        }
    });
    let default = info.attrs.default.as_ref().map(|d| {
        let value = match d {
            DefaultLit::Int(n) => quote!(#n),
            DefaultLit::Str(s) => quote!(#s),
            DefaultLit::Bool(b) => quote!(#b),
        };
        quote!(.with_default(#k::__private::serde_json::Value::from(#value)))
    });
    let has_default = info.serde_default || info.attrs.default.is_some();
    quote! {
        #k::schema::Property::new(
            #wire,
            !<#ty as #k::schema::Schema>::OPTIONAL && !#has_default,
            <#ty as #k::schema::Schema>::schema()
                .describe(#doc)
                #(.with_rules(#rules))*
                .map_items(|items| items #(.with_rules(#each))*)
                #list
                #default,
        )
    }
}

fn opt<T: quote::ToTokens>(v: &Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The rules of one keyword; `wire` is the field's wire name (`immutable` words its message
/// with it).
fn field_rule(k: &TokenStream, rule: &FieldRule, wire: &str) -> TokenStream {
    let r = quote!(#k::rules);
    match rule {
        FieldRule::Range(min, max) => {
            let (min, max) = (opt(min), opt(max));
            quote!([#r::Rule::range(#min, #max)])
        }
        FieldRule::Length(min, max) => {
            let (min, max) = (opt(min), opt(max));
            quote!([#r::Rule::length(#min, #max)])
        }
        FieldRule::Items(min, max) => {
            let (min, max) = (opt(min), opt(max));
            quote!([#r::Rule::items(#min, #max)])
        }
        FieldRule::Pattern(p) => quote!([#r::Rule::pattern(#p)]),
        FieldRule::OneOf(values) => quote!([#r::Rule::one_of(&[#(#values),*])]),
        FieldRule::Format(variant) => {
            let variant = syn::Ident::new(variant, Span::call_site());
            quote!(#r::Format::#variant.rules())
        }
        FieldRule::Quantity(min, max) => {
            let (min, max) = (opt(min), opt(max));
            quote!(#r::Rule::quantity_rules(#min, #max))
        }
        FieldRule::Odd => quote!([#r::Rule::Odd(#r::Odd)]),
        FieldRule::UniqueBy(field) => {
            quote!([#r::Rule::UniqueBy(#r::UniqueBy { field: #field.to_string() })])
        }
        FieldRule::Immutable => quote!([#r::Rule::immutable(#wire)]),
        FieldRule::MayOnlyGrow => quote!([#r::Rule::MayOnlyGrow(#r::MayOnlyGrow)]),
        FieldRule::KubernetesVersionStep => {
            quote!([#r::Rule::KubernetesVersionStep(#r::KubernetesVersionStep)])
        }
    }
}

/// Compile-time checks that each rule fits its field's type, reported at the rule.
fn type_assertions(k: &TokenStream, info: &FieldInfo) -> TokenStream {
    let ty = info.ty;
    let s = quote!(#k::schema);
    let mut out = TokenStream::new();
    let assert = |span: Span, target: Target, subject: TokenStream| {
        let bound = match target {
            Target::Integer => quote!(#s::IntegerLike),
            Target::String => quote!(#s::StringLike),
            Target::List => quote!(#s::ListLike),
            Target::Any => quote!(#s::Schema),
        };
        quote_spanned! {span=>
            let _ = |__viti_check: ::core::marker::PhantomData<#subject>| {
                fn __viti_assert<T: #bound + ?Sized>(_: ::core::marker::PhantomData<T>) {}
                __viti_assert(__viti_check);
            };
        }
    };
    for (span, rule) in &info.attrs.rules {
        out.extend(assert(*span, rule.target(), quote!(#ty)));
    }
    for (span, rule) in &info.attrs.each {
        out.extend(assert(*span, Target::List, quote!(#ty)));
        out.extend(assert(
            *span,
            rule.target(),
            quote!(<#ty as #s::ListLike>::Item),
        ));
    }
    if let Some((span, _)) = &info.attrs.list {
        out.extend(assert(*span, Target::List, quote!(#ty)));
    }
    out
}

fn literal(k: &TokenStream, lit: &Literal) -> TokenStream {
    let value = match lit {
        Literal::Str(s) => quote!(#s),
        Literal::Bool(b) => quote!(#b),
        Literal::Int(n) => quote!(#n),
    };
    quote!(#k::__private::serde_json::Value::from(#value))
}

fn pred(k: &TokenStream, p: &Pred) -> TokenStream {
    let r = quote!(#k::rules::Pred);
    match p {
        Pred::Has(path) => quote!(#r::Has(#path.to_string())),
        Pred::Eq(path, lit) => {
            let lit = literal(k, lit);
            quote!(#r::Eq(#path.to_string(), #lit))
        }
        Pred::In(path, lits) => {
            let lits = lits.iter().map(|l| literal(k, l));
            quote!(#r::In(#path.to_string(), ::std::vec![#(#lits),*]))
        }
        Pred::Not(inner) => {
            let inner = pred(k, inner);
            quote!(#r::Not(::std::boxed::Box::new(#inner)))
        }
    }
}

/// The reason as written, else what the `then` condition implies (`has(x)` fails as required,
/// `!has(x)` as forbidden).
fn reason(k: &TokenStream, given: Option<Reason>, then: Option<&Pred>) -> TokenStream {
    let r = quote!(#k::rules::Reason);
    let reason = given.unwrap_or(match then {
        Some(Pred::Has(_)) => Reason::Required,
        Some(Pred::Not(inner)) if matches!(**inner, Pred::Has(_)) => Reason::Forbidden,
        _ => Reason::Invalid,
    });
    match reason {
        Reason::Required => quote!(#r::Required),
        Reason::Forbidden => quote!(#r::Forbidden),
        Reason::Duplicate => quote!(#r::Duplicate),
        Reason::Invalid => quote!(#r::Invalid),
    }
}

fn container_rule(k: &TokenStream, rule: &ContainerRule) -> TokenStream {
    let r = quote!(#k::rules);
    let text = |s: &str| quote!(#s.to_string());
    let common = &rule.common;
    match &rule.kind {
        RuleKind::Implies { when, then } => {
            let message = text(
                common
                    .message
                    .as_deref()
                    .unwrap_or("the condition does not hold"),
            );
            let default_path = then.paths().first().map(|p| format!(".{p}"));
            let field_path = opt(&common.field_path.clone().or(default_path).map(|p| text(&p)));
            let reason = reason(k, common.reason, Some(then));
            let (when, then) = (pred(k, when), pred(k, then));
            quote!(#r::Rule::Implies(#r::Implies { when: #when, then: #then, message: #message, field_path: #field_path, reason: #reason }))
        }
        RuleKind::IpInCidr { ip, cidr, each } => {
            let default_message = format!("must be inside {cidr}");
            let message = text(common.message.as_deref().unwrap_or(&default_message));
            let default_path = format!(".{}", each.as_deref().unwrap_or(ip));
            let field_path = opt(&Some(text(
                common.field_path.as_deref().unwrap_or(&default_path),
            )));
            let each = opt(&each.as_deref().map(text));
            let (ip, cidr) = (text(ip), text(cidr));
            quote!(#r::Rule::IpInCidr(#r::IpInCidr { ip: #ip, cidr: #cidr, each: #each, message: #message, field_path: #field_path }))
        }
        RuleKind::Ordered {
            lesser,
            greater,
            by,
        } => {
            let default_message = format!("must be less than or equal to {greater}");
            let message = text(common.message.as_deref().unwrap_or(&default_message));
            let default_path = format!(".{lesser}");
            let field_path = opt(&Some(text(
                common.field_path.as_deref().unwrap_or(&default_path),
            )));
            let kind = match by {
                OrderBy::Integer => quote!(#r::OrderKind::Integer),
                OrderBy::Quantity => quote!(#r::OrderKind::Quantity),
                OrderBy::Ipv4 => quote!(#r::OrderKind::Ipv4),
            };
            let (lesser, greater) = (text(lesser), text(greater));
            quote!(#r::Rule::Ordered(#r::Ordered { lesser: #lesser, greater: #greater, kind: #kind, message: #message, field_path: #field_path }))
        }
        RuleKind::Disjoint { a, b } => {
            let default_message = format!("{a} and {b} must not overlap");
            let message = text(common.message.as_deref().unwrap_or(&default_message));
            let default_path = format!(".{b}");
            let field_path = opt(&Some(text(
                common.field_path.as_deref().unwrap_or(&default_path),
            )));
            let (a, b) = (text(a), text(b));
            quote!(#r::Rule::DisjointCidrs(#r::DisjointCidrs { a: #a, b: #b, message: #message, field_path: #field_path }))
        }
        RuleKind::Cel { rule, check } => {
            let message = text(common.message.as_deref().unwrap_or_default());
            let field_path = opt(&common.field_path.as_deref().map(text));
            let reason = reason(k, common.reason, None);
            let rule = text(rule);
            quote!(#r::Rule::Cel(#r::RawCel { rule: #rule, message: #message, field_path: #field_path, reason: #reason, check: #check }))
        }
    }
}
