//! One struct field: its shape, doc, wire form, and the meaning of each rule on it.

use super::shape;
use crate::ctxt::Ctxt;
use crate::model::{Bounds, Field, FieldRule, ListSpec};
use quote::quote;

/// Checks a field of the struct `owner`.
pub fn check(cx: &Ctxt, f: &Field, owner: &syn::Ident) {
    let name = f.ident;
    if let Some(attr) = &f.flatten {
        cx.error_at(
            attr,
            "#[serde(flatten)] is not supported: a structural schema needs every field declared",
        );
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
    for (_, r) in f.attrs.rules.iter().chain(&f.attrs.each) {
        rule(cx, r);
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
        FieldRule::OneOf(_)
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
