//! One struct field: its shape, doc, wire form, and the meaning of each rule on it.

use super::shape;
use crate::ctxt::Ctxt;
use crate::model::{Bounds, Field, FieldRule, ListSpec};
use quote::quote;

/// Checks a field of the struct `owner`.
pub fn check(cx: &Ctxt, f: &Field, owner: &syn::Ident) {
    let name = f.ident;
    if let Some(attr) = &f.flatten {
        flatten(cx, f, attr);
        return;
    }
    shape::check_type(cx, f.ty, owner);
    if f.doc.is_empty() {
        cx.error_at(name, "add a doc comment: it becomes the field's CRD description that `kubectl explain` shows");
    }
    if shape::is_option(f.ty) && !f.skip_serializing_if {
        let ty = f.ty;
        cx.error_at(
            quote!(#name: #ty),
            "an Option field needs #[serde(skip_serializing_if = \"Option::is_none\")]: unset fields are omitted on the wire, never null",
        );
    }
    if let Some(span) = f.attrs.required {
        if !shape::is_option(f.ty) && f.attrs.schemars.is_none() {
            cx.syn_error(syn::Error::new(
                span,
                "`required` is for an `Option` field the schema requires anyway (controller-gen's `+required`); this field is required already",
            ));
        } else if f.serde_default || f.attrs.default.is_some() {
            cx.syn_error(syn::Error::new(
                span,
                "a field with a default is never missing: drop `required` or the default",
            ));
        }
    }
    for (span, r) in f.attrs.rules.iter().chain(&f.attrs.each) {
        rule(cx, r);
        numbers(cx, *span, r);
    }
    // The apiserver gives a list item an old value only in a list-map (matched by key), and
    // rejects a CRD whose rule reads `oldSelf` anywhere else inside a list.
    if !matches!(f.attrs.list, Some((_, ListSpec::Map(_)))) {
        for (span, r) in &f.attrs.each {
            if r.is_transition() {
                cx.syn_error(syn::Error::new(
                    *span,
                    "update-time rules (`immutable`, `may_only_grow`, `kubernetes_version_step`) apply to list items only in a list-map: add `list(map(\"key\"))`, whose keys match old items with new ones",
                ));
            }
        }
    }
}

/// A `#[serde(flatten)]` field: a struct (or an `Option` of one) whose fields join this one's.
/// Its attributes belong on the flattened struct's fields; a map flattened beside declared
/// fields is not structural (`properties` and `additionalProperties` exclude each other).
fn flatten(cx: &Ctxt, f: &Field, attr: &proc_macro2::TokenStream) {
    let a = &f.attrs;
    let has_attrs = !a.rules.is_empty()
        || !a.each.is_empty()
        || a.default.is_some()
        || a.list.is_some()
        || a.schemars.is_some()
        || a.required.is_some()
        || !a.facts.is_empty();
    if has_attrs {
        cx.error_at(
            attr,
            "#[viti(...)] on a flattened field has nothing to apply to: put the rules on the fields of the flattened struct",
        );
    }
    let inner = shape::option_inner(f.ty).unwrap_or(f.ty);
    if shape::is_container(inner) {
        cx.error_at(
            attr,
            "#[serde(flatten)] of a map or list is not structural (a CRD object has declared properties or additionalProperties, not both): flatten a #[derive(Schema)] struct",
        );
    }
}

/// Number literals a CRD can carry: finite, and a `multiple_of` above zero (the apiserver's
/// `multipleOf` must be positive).
fn numbers(cx: &Ctxt, span: proc_macro2::Span, r: &FieldRule) {
    let texts: Vec<&String> = match r {
        FieldRule::MultipleOf(t) => {
            if t.parse::<f64>().is_ok_and(|f| f <= 0.0) {
                cx.syn_error(syn::Error::new(span, "multiple_of must be greater than 0"));
            }
            vec![t]
        }
        FieldRule::Number { min, max, .. } => min.iter().chain(max).collect(),
        _ => Vec::new(),
    };
    for t in texts {
        if !t.parse::<f64>().is_ok_and(f64::is_finite) {
            cx.syn_error(syn::Error::new(
                span,
                format!("`{t}` is not a finite number"),
            ));
        }
    }
}

/// What a rule's values mean: a regex compiles, a quantity parses, bounds are ordered.
fn rule(cx: &Ctxt, r: &FieldRule) {
    match r {
        FieldRule::Range(b) => ordered(cx, b),
        FieldRule::Length(b) | FieldRule::Items(b) => ordered(cx, b),
        FieldRule::Pattern(lit) => {
            if let Err(e) = regex::Regex::new(&lit.value()) {
                cx.syn_error(syn::Error::new(
                    lit.span(),
                    format!("invalid regular expression: {e}"),
                ));
            }
        }
        FieldRule::Quantity(min, max) => {
            for lit in [min, max].into_iter().flatten() {
                // The engine's own grammar (`vitistack-quantity`): a bound accepted here is one it parses.
                if !vitistack_quantity::is_quantity(&lit.value()) {
                    cx.syn_error(syn::Error::new(
                        lit.span(),
                        format!("`{}` is not a Kubernetes quantity", lit.value()),
                    ));
                }
            }
        }
        FieldRule::Properties(b) => ordered(cx, b),
        FieldRule::OneOf(_)
        | FieldRule::MultipleOf(_)
        | FieldRule::Number { .. }
        | FieldRule::Format(_)
        | FieldRule::Odd
        | FieldRule::UniqueBy(_)
        | FieldRule::Immutable
        | FieldRule::MayOnlyGrow
        | FieldRule::KubernetesVersionStep => {}
    }
}

fn ordered<T: PartialOrd>(cx: &Ctxt, b: &Bounds<T>) {
    if let (Some(lo), Some(hi)) = (&b.min, &b.max) {
        if lo > hi {
            cx.syn_error(b.site.error("`min` is greater than `max`"));
        }
    }
}
