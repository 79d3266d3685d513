//! A `#[derive(CustomResource)]`: the keys a kind cannot do without, and printer columns.

use crate::ctxt::Ctxt;
use crate::model::Crd;

const COLUMN_TYPES: &[&str] = &["string", "integer", "number", "boolean", "date"];

/// Checks the spec struct's `#[crd(...)]`.
pub fn check(cx: &Ctxt, o: &Crd) {
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
