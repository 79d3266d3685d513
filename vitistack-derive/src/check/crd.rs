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
