//! A `#[derive(CustomResource)]`: the keys a kind cannot do without, printer columns, and the
//! names a kind derives (plural, singular).

use crate::ctxt::Ctxt;
use crate::model::{Crd, Resource};

const COLUMN_TYPES: &[&str] = &["string", "integer", "number", "boolean", "date"];

/// Checks the spec struct's `#[crd(...)]` and decides the kind; `None` only when an error was
/// recorded.
pub fn check<'a>(cx: &Ctxt, o: Crd<'a>) -> Option<Resource<'a>> {
    report(cx, &o);
    let (Some(group), Some(version), Some(kind), Some(status)) =
        (o.group, o.version, o.kind, o.status)
    else {
        return None;
    };
    let singular = kind.to_lowercase();
    Some(Resource {
        spec: o.spec,
        plural: o.plural.unwrap_or_else(|| format!("{singular}s")),
        singular,
        group,
        version,
        kind,
        namespaced: o.namespaced,
        status,
        short_names: o.short_names,
        categories: o.categories,
        columns: o.columns,
        selectable: o.selectable,
        scale: o.scale,
        doc: o.doc,
        krate: o.krate,
        flags: o.flags,
    })
}

/// Reports every problem of the `#[crd(...)]` keys.
fn report(cx: &Ctxt, o: &Crd) {
    for column in &o.columns {
        if !COLUMN_TYPES.contains(&column.type_.value().as_str()) {
            cx.syn_error(syn::Error::new(
                column.type_.span(),
                "a printer column type is one of string, integer, number, boolean, date",
            ));
        }
        if !column.json_path.value().starts_with('.') {
            cx.syn_error(syn::Error::new(
                column.json_path.span(),
                "a printer column json_path starts with `.`, e.g. \".status.phase\"",
            ));
        }
    }
    selectable(cx, &o.selectable);
    if let Some(scale) = &o.scale {
        let spec = &scale.spec_replicas_path;
        under(cx, spec, &[".spec."], "specReplicasPath", ".spec.replicas");
        let status = &scale.status_replicas_path;
        under(
            cx,
            status,
            &[".status."],
            "statusReplicasPath",
            ".status.replicas",
        );
        if let Some(selector) = &scale.label_selector_path {
            let prefixes = [".spec.", ".status."];
            under(
                cx,
                selector,
                &prefixes,
                "labelSelectorPath",
                ".status.selector",
            );
        }
    }
    let missing = |key: &str| !o.failed.iter().any(|k| k == key);
    for (value, key) in [
        (&o.group, "group"),
        (&o.version, "version"),
        (&o.kind, "kind"),
    ] {
        if value.is_none() && missing(key) {
            cx.error_at(
                o.spec,
                format!("#[derive(CustomResource)] needs #[crd({key} = \"...\")]"),
            );
        }
    }
    if let Some(warning) = o
        .flags
        .deprecated
        .as_ref()
        .filter(|w| w.value().trim().is_empty())
    {
        cx.syn_error(syn::Error::new(
            warning.span(),
            "the deprecation warning is what kubectl and clients print: say what to use instead, e.g. deprecated = \"use example.dev/v1beta1\"",
        ));
    }
    if o.status.is_none() && missing("status") {
        cx.error_at(o.spec, "#[derive(CustomResource)] needs #[crd(status = \"StatusType\")]: every kind has the status subresource");
    }
    if o.kind.as_deref() == Some(o.spec.to_string().as_str()) {
        cx.error_at(
            o.spec,
            "the spec struct cannot be named like the kind: the derive generates the kind's struct",
        );
    }
}

/// The apiserver's limits on `selectableFields` (apiextensions validation): at most
/// [`MAX_SELECTABLE_FIELDS`], each a JSON path once, not under `metadata`.
fn selectable(cx: &Ctxt, paths: &[syn::LitStr]) {
    for (i, lit) in paths.iter().enumerate() {
        let path = lit.value();
        if !path.starts_with('.') || path.len() < 2 {
            cx.syn_error(syn::Error::new(
                lit.span(),
                "a selectable field is a JSON path that starts with `.`, e.g. \".spec.color\"",
            ));
        } else if path.starts_with(".metadata") {
            cx.syn_error(syn::Error::new(
                lit.span(),
                "a selectable field may not be under metadata (metadata.name and metadata.namespace are always selectable)",
            ));
        }
        if paths[..i].iter().any(|p| p.value() == path) {
            cx.syn_error(syn::Error::new(
                lit.span(),
                "this selectable field is already listed",
            ));
        }
        if i == MAX_SELECTABLE_FIELDS {
            cx.syn_error(syn::Error::new(
                lit.span(),
                format!("a version has at most {MAX_SELECTABLE_FIELDS} selectable fields"),
            ));
        }
    }
}

/// The apiserver's `MaxSelectableFields`.
const MAX_SELECTABLE_FIELDS: usize = 8;

/// A scale path must be under one of `prefixes` (apiextensions validation of the subresource).
fn under(cx: &Ctxt, lit: &syn::LitStr, prefixes: &[&str], name: &str, example: &str) {
    let path = lit.value();
    if !prefixes
        .iter()
        .any(|p| path.starts_with(p) && path.len() > p.len())
    {
        let places = prefixes
            .iter()
            .map(|p| format!("`{}`", p.trim_end_matches('.')))
            .collect::<Vec<_>>()
            .join(" or ");
        cx.syn_error(syn::Error::new(
            lit.span(),
            format!("{name} is a JSON path under {places}, e.g. \"{example}\""),
        ));
    }
}
