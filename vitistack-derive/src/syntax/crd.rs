//! `#[crd(...)]` on a `#[derive(CustomResource)]` spec struct.

use super::{crate_path, doc::doc_of, items, key_of, nested_items};
use crate::ctxt::Ctxt;
use crate::model::{Column, Crd};
use syn::meta::ParseNestedMeta;
use syn::{LitInt, LitStr};

const KEYS: &[&str] = &[
    "group",
    "version",
    "kind",
    "plural",
    "namespaced",
    "status",
    "shortname",
    "category",
    "printcolumn",
    "doc",
    "crate",
];

/// Parses every `#[crd(...)]`, recording every malformed item.
pub fn parse<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> Crd<'a> {
    let mut o = Crd {
        spec: &input.ident,
        group: None,
        version: None,
        kind: None,
        plural: None,
        namespaced: false,
        status: None,
        short_names: Vec::new(),
        categories: Vec::new(),
        columns: Vec::new(),
        doc: String::new(),
        krate: None,
        failed: Vec::new(),
    };
    let mut doc = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("crd")) {
        let result = items(attr, |meta| {
            let outcome = item(meta, &mut o, &mut doc);
            if outcome.is_err() {
                o.failed.push(key_of(meta).unwrap_or_default());
            }
            outcome
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    o.doc = doc.unwrap_or_else(|| doc_of(&input.attrs));
    o
}

fn string(meta: &ParseNestedMeta) -> syn::Result<String> {
    Ok(meta.value()?.parse::<LitStr>()?.value())
}

fn item(meta: &ParseNestedMeta, o: &mut Crd, doc: &mut Option<String>) -> syn::Result<()> {
    let key = key_of(meta).unwrap_or_default();
    match key.as_str() {
        "group" => o.group = Some(string(meta)?),
        "version" => o.version = Some(string(meta)?),
        "kind" => o.kind = Some(string(meta)?),
        "plural" => o.plural = Some(string(meta)?),
        "doc" => *doc = Some(string(meta)?),
        "namespaced" => o.namespaced = true,
        "crate" => o.krate = Some(crate_path(meta)?),
        "status" => {
            let lit = meta.value()?.parse::<LitStr>()?;
            let ty = lit.parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    "`status` names the status type, e.g. status = \"MachineStatus\"",
                )
            })?;
            o.status = Some(ty);
        }
        "shortname" => o.short_names.push(string(meta)?),
        "category" => o.categories.push(string(meta)?),
        "printcolumn" => o.columns.push(column(meta)?),
        _ => {
            return Err(meta.error(format!(
                "unknown crd attribute `{key}`; expected one of: {}",
                KEYS.join(", ")
            )))
        }
    }
    Ok(())
}

fn column(meta: &ParseNestedMeta) -> syn::Result<Column> {
    let (mut name, mut type_, mut json_path) = (None, None, None);
    let (mut description, mut priority, mut format) = (String::new(), 0, None);
    nested_items(meta, |inner| {
        let key = key_of(inner).unwrap_or_default();
        if key == "priority" {
            priority = inner.value()?.parse::<LitInt>()?.base10_parse()?;
            return Ok(());
        }
        let lit: LitStr = inner.value()?.parse()?;
        match key.as_str() {
            "name" => name = Some(lit.value()).filter(|n| !n.is_empty()),
            "type" => type_ = Some(lit),
            "json_path" => json_path = Some(lit),
            "description" => description = lit.value(),
            "format" => format = Some(lit.value()),
            _ => return Err(inner.error(format!("unknown printcolumn option `{key}`"))),
        }
        Ok(())
    })?;
    let missing: Vec<&str> = [
        ("name", name.is_none()),
        ("type", type_.is_none()),
        ("json_path", json_path.is_none()),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(key, _)| key)
    .collect();
    match (name, type_, json_path) {
        (Some(name), Some(type_), Some(json_path)) => Ok(Column {
            name,
            type_,
            json_path,
            description,
            priority,
            format,
        }),
        _ => Err(meta.error(format!(
            "printcolumn needs name, type and json_path; missing: {}",
            missing.join(", ")
        ))),
    }
}
