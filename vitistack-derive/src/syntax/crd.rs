//! `#[crd(...)]` on a `#[derive(CustomResource)]` spec struct.

use super::{crate_path, doc::doc_of, duplicate, items, key_of, nested_items, set_once};
use crate::ctxt::Ctxt;
use crate::model::{Column, Crd, Scale};
use crate::table::{self, CrdKey, Repeat, CRD_KEYS};
use syn::meta::ParseNestedMeta;
use syn::{LitInt, LitStr};

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
        selectable: Vec::new(),
        scale: None,
        doc: String::new(),
        krate: None,
        failed: Vec::new(),
        flags: Default::default(),
    };
    let mut doc = None;
    // Keys given so far, across every `#[crd(...)]` of the type.
    let mut given = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("crd")) {
        let result = items(attr, |meta| {
            let outcome = item(meta, &mut o, &mut doc, &mut given);
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

fn item(
    meta: &ParseNestedMeta,
    o: &mut Crd,
    doc: &mut Option<String>,
    given: &mut Vec<CrdKey>,
) -> syn::Result<()> {
    let key = key_of(meta).unwrap_or_default();
    let Some((crd_key, repeat)) = table::crd_key(&key) else {
        let known: Vec<&str> = CRD_KEYS.iter().map(|(k, ..)| *k).collect();
        return Err(meta.error(format!(
            "unknown crd attribute `{key}`; expected one of: {}",
            known.join(", ")
        )));
    };
    if repeat == Repeat::Once && given.contains(&crd_key) {
        return Err(duplicate(meta, &key));
    }
    given.push(crd_key);
    match crd_key {
        CrdKey::Group => o.group = Some(string(meta)?),
        CrdKey::Version => o.version = Some(string(meta)?),
        CrdKey::Kind => o.kind = Some(string(meta)?),
        CrdKey::Plural => o.plural = Some(string(meta)?),
        CrdKey::Doc => *doc = Some(string(meta)?),
        CrdKey::Namespaced => o.namespaced = true,
        CrdKey::Crate => o.krate = Some(crate_path(meta)?),
        CrdKey::Status => {
            let lit = meta.value()?.parse::<LitStr>()?;
            let ty = lit.parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    "`status` names the status type, e.g. status = \"MachineStatus\"",
                )
            })?;
            o.status = Some(ty);
        }
        CrdKey::ShortName => o.short_names.push(string(meta)?),
        CrdKey::Category => o.categories.push(string(meta)?),
        CrdKey::PrintColumn => o.columns.push(column(meta)?),
        CrdKey::Storage => o.flags.storage = true,
        CrdKey::Served => o.flags.served = served(meta)?,
        CrdKey::Deprecated => o.flags.deprecated = Some(meta.value()?.parse::<LitStr>()?),
        CrdKey::Selectable => o.selectable.push(meta.value()?.parse::<LitStr>()?),
        CrdKey::Scale => o.scale = Some(scale(meta)?),
    }
    Ok(())
}

/// `served = true | false`.
fn served(meta: &ParseNestedMeta) -> syn::Result<bool> {
    let value = meta.value()?;
    let lit = value.parse::<syn::LitBool>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "`served` is `true` or `false`, e.g. served = false",
        )
    })?;
    Ok(lit.value)
}

/// `scale(spec_replicas_path = "...", status_replicas_path = "...", label_selector_path =
/// "...")`, kube-derive's spelling.
fn scale(meta: &ParseNestedMeta) -> syn::Result<Scale> {
    let (mut spec, mut status, mut selector) = (None, None, None);
    nested_items(meta, |inner| {
        let key = key_of(inner).unwrap_or_default();
        let lit: LitStr = inner.value()?.parse()?;
        match key.as_str() {
            "spec_replicas_path" => set_once(inner, &mut spec, lit),
            "status_replicas_path" => set_once(inner, &mut status, lit),
            "label_selector_path" => set_once(inner, &mut selector, lit),
            _ => Err(inner.error(format!(
                "unknown scale option `{key}`; expected one of: spec_replicas_path, status_replicas_path, label_selector_path"
            ))),
        }
    })?;
    match (spec, status) {
        (Some(spec_replicas_path), Some(status_replicas_path)) => Ok(Scale {
            spec_replicas_path,
            status_replicas_path,
            label_selector_path: selector,
        }),
        _ => Err(meta.error(
            "scale needs spec_replicas_path and status_replicas_path, e.g. scale(spec_replicas_path = \".spec.replicas\", status_replicas_path = \".status.replicas\")",
        )),
    }
}

fn column(meta: &ParseNestedMeta) -> syn::Result<Column> {
    let (mut name, mut type_, mut json_path) = (None, None, None);
    let (mut description, mut priority, mut format) = (None, None, None);
    nested_items(meta, |inner| {
        let key = key_of(inner).unwrap_or_default();
        if key == "priority" {
            let value: i32 = inner.value()?.parse::<LitInt>()?.base10_parse()?;
            return set_once(inner, &mut priority, value);
        }
        let lit: LitStr = inner.value()?.parse()?;
        match key.as_str() {
            // An empty name counts as missing (the check below says so), not as given.
            "name" if lit.value().is_empty() => Ok(()),
            "name" => set_once(inner, &mut name, lit.value()),
            "type" => set_once(inner, &mut type_, lit),
            "json_path" => set_once(inner, &mut json_path, lit),
            "description" => set_once(inner, &mut description, lit.value()),
            "format" => set_once(inner, &mut format, lit.value()),
            _ => Err(inner.error(format!("unknown printcolumn option `{key}`"))),
        }
    })?;
    let (description, priority) = (description.unwrap_or_default(), priority.unwrap_or(0));
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
