//! `#[viti(...)]` on a field: its rules, `each(...)` item rules, `default`, `list` and
//! `schemars`.

use super::{items, key_of, lits_in_parens, nested_items, no_arguments, set_once, unknown};
use crate::ctxt::Ctxt;
use crate::model::{Bounds, DefaultLit, Fact, FieldAttrs, FieldRule, ListSpec, Site};
use crate::table::{self, FactKey, FieldKey, FIELD_RULES};
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{LitInt, LitStr, Token};

/// Parses every `#[viti(...)]` on a field, recording every malformed item.
pub fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("viti")) {
        if let Err(e) = items(attr, |meta| item(meta, &mut out)) {
            cx.syn_error(e);
        }
    }
    out
}

fn item(meta: &ParseNestedMeta, out: &mut FieldAttrs) -> syn::Result<()> {
    let span = meta
        .path
        .get_ident()
        .map_or_else(Span::call_site, |i| i.span());
    if meta.path.is_ident("each") {
        return nested_items(meta, |inner| {
            let inner_span = inner.path.get_ident().map_or(span, |i| i.span());
            out.each.push((inner_span, rule(inner)?));
            Ok(())
        });
    }
    if meta.path.is_ident("default") {
        let value = default_lit(meta)?;
        return set_once(meta, &mut out.default, value);
    }
    if meta.path.is_ident("list") {
        let spec = list_spec(meta)?;
        return set_once(meta, &mut out.list, (span, spec));
    }
    if let Some(FieldKey::Fact(key)) = key_of(meta).ok().and_then(|k| table::field_key(&k)) {
        out.facts.push((span, fact(meta, key)?));
        return Ok(());
    }
    if meta.path.is_ident("required") {
        return set_once(meta, &mut out.required, span);
    }
    if meta.path.is_ident("optional") {
        return Err(meta.error("a field is optional when its type is `Option<T>` or it has `#[serde(default)]`: the Rust type must accept its absence too"));
    }
    if meta.path.is_ident("schemars") {
        if !no_arguments(meta) {
            return Err(meta.error("`schemars` takes no arguments"));
        }
        return set_once(meta, &mut out.schemars, span);
    }
    out.rules.push((span, rule(meta)?));
    Ok(())
}

fn rule(meta: &ParseNestedMeta) -> syn::Result<FieldRule> {
    let key = key_of(meta)?;
    let Some(field_key) = table::field_key(&key) else {
        if table::container_key(&key).is_some() {
            return Err(meta.error(format!(
                "`{key}` is a struct attribute: put #[viti({key}(...))] on the struct, with paths relative to it"
            )));
        }
        let known: Vec<&str> = FIELD_RULES.iter().map(|(k, _)| *k).collect();
        return Err(unknown(meta, &key, &known));
    };
    match field_key {
        FieldKey::Format(variant) => Ok(FieldRule::Format(variant)),
        FieldKey::Range => Ok(FieldRule::Range(bounds(meta, signed)?)),
        FieldKey::Length => Ok(FieldRule::Length(bounds(meta, unsigned)?)),
        FieldKey::Items => Ok(FieldRule::Items(bounds(meta, unsigned)?)),
        FieldKey::Pattern => Ok(FieldRule::Pattern(meta.value()?.parse()?)),
        FieldKey::OneOf => one_of(meta),
        FieldKey::Quantity => quantity(meta),
        FieldKey::Odd => Ok(FieldRule::Odd),
        FieldKey::Immutable => Ok(FieldRule::Immutable),
        FieldKey::MayOnlyGrow => Ok(FieldRule::MayOnlyGrow),
        FieldKey::KubernetesVersionStep => Ok(FieldRule::KubernetesVersionStep),
        FieldKey::UniqueBy => Ok(FieldRule::UniqueBy(meta.value()?.parse::<LitStr>()?.value())),
        // Only reached inside `each(...)`: at the top level these are handled before.
        FieldKey::Each => Err(meta.error("`each` cannot be nested: it applies rules to the items of the field's own list")),
        FieldKey::MultipleOf => Ok(FieldRule::MultipleOf(number_text(meta.value()?)?)),
        FieldKey::Number => number(meta),
        FieldKey::Properties => Ok(FieldRule::Properties(bounds(meta, unsigned)?)),
        FieldKey::Default
        | FieldKey::List
        | FieldKey::Schemars
        | FieldKey::Required
        | FieldKey::Optional
        | FieldKey::Fact(_) => Err(meta.error(format!(
            "`{key}` is not allowed inside `each(...)`: it applies to the list field itself, write it next to `each`"
        ))),
    }
}

/// A node fact: `nullable`, `preserve_unknown_fields`, `embedded_resource`, `format = "..."`,
/// `map_type = "atomic" | "granular"`.
fn fact(meta: &ParseNestedMeta, key: FactKey) -> syn::Result<Fact> {
    Ok(match key {
        FactKey::Nullable => Fact::Nullable,
        FactKey::PreserveUnknownFields => Fact::PreserveUnknownFields,
        FactKey::EmbeddedResource => Fact::EmbeddedResource,
        FactKey::Format => Fact::Format(meta.value()?.parse::<LitStr>()?.value()),
        FactKey::MapType => {
            let lit: LitStr = meta.value()?.parse()?;
            match lit.value().as_str() {
                "atomic" | "granular" => Fact::MapType(lit.value()),
                _ => {
                    return Err(syn::Error::new(
                        lit.span(),
                        "map_type is \"atomic\" or \"granular\"",
                    ))
                }
            }
        }
    })
}

/// A number literal's text (`5`, `-0.5`), as the CRD will carry it.
fn number_text(input: syn::parse::ParseStream) -> syn::Result<String> {
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let sign = if negative { "-" } else { "" };
    let lit: syn::Lit = input.parse()?;
    match lit {
        syn::Lit::Int(i) => Ok(format!("{sign}{}", i.base10_digits())),
        syn::Lit::Float(f) => Ok(format!("{sign}{}", f.base10_digits())),
        other => Err(syn::Error::new(other.span(), "expected a number")),
    }
}

/// `number(min = 0.5, max = 2, exclusive_min, exclusive_max)`.
fn number(meta: &ParseNestedMeta) -> syn::Result<FieldRule> {
    let (mut min, mut max) = (None, None);
    let (mut exclusive_min, mut exclusive_max) = (false, false);
    nested_items(meta, |inner| match key_of(inner)?.as_str() {
        "min" => set_once(inner, &mut min, number_text(inner.value()?)?),
        "max" => set_once(inner, &mut max, number_text(inner.value()?)?),
        "exclusive_min" => {
            exclusive_min = true;
            Ok(())
        }
        "exclusive_max" => {
            exclusive_max = true;
            Ok(())
        }
        _ => Err(inner.error("expected `min`, `max`, `exclusive_min` or `exclusive_max`")),
    })?;
    if min.is_none() && max.is_none() {
        return Err(meta.error("give `min`, `max` or both, e.g. `number(min = 0.5, max = 2)`"));
    }
    if (exclusive_min && min.is_none()) || (exclusive_max && max.is_none()) {
        return Err(meta.error("`exclusive_min` needs `min`, `exclusive_max` needs `max`"));
    }
    Ok(FieldRule::Number {
        min,
        max,
        exclusive_min,
        exclusive_max,
    })
}

fn one_of(meta: &ParseNestedMeta) -> syn::Result<FieldRule> {
    let values = strings_in_parens(meta)?;
    if values.is_empty() {
        return Err(meta.error("one_of needs at least one value"));
    }
    Ok(FieldRule::OneOf(values))
}

fn quantity(meta: &ParseNestedMeta) -> syn::Result<FieldRule> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(FieldRule::Quantity(None, None));
    }
    let (mut min, mut max) = (None, None);
    nested_items(meta, |inner| {
        let lit: LitStr = inner.value()?.parse()?;
        match key_of(inner)?.as_str() {
            "min" => set_once(inner, &mut min, lit),
            "max" => set_once(inner, &mut max, lit),
            _ => Err(inner.error("expected `min` or `max`")),
        }
    })?;
    Ok(FieldRule::Quantity(min, max))
}

fn signed(meta: &ParseNestedMeta) -> syn::Result<i64> {
    let input = meta.value()?;
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let lit: LitInt = input.parse()?;
    let n: i64 = lit.base10_parse()?;
    Ok(if negative { -n } else { n })
}

fn unsigned(meta: &ParseNestedMeta) -> syn::Result<u64> {
    let lit: LitInt = meta.value()?.parse()?;
    if lit.base10_digits().starts_with('-') {
        return Err(syn::Error::new(
            lit.span(),
            "a length or item count cannot be negative",
        ));
    }
    lit.base10_parse()
}

fn bounds<T: Copy>(
    meta: &ParseNestedMeta,
    parse: fn(&ParseNestedMeta) -> syn::Result<T>,
) -> syn::Result<Bounds<T>> {
    let key = key_of(meta)?;
    if no_arguments(meta) {
        return Err(meta.error(format!(
            "`{key}` needs `min`, `max` or both, e.g. `{key}(min = 1, max = 63)`"
        )));
    }
    let start = meta
        .path
        .get_ident()
        .map_or_else(Span::call_site, |i| i.span());
    let end = meta
        .input
        .fork()
        .parse::<proc_macro2::Group>()
        .map_or(start, |g| g.span());
    let (mut min, mut max) = (None, None);
    nested_items(meta, |inner| match key_of(inner)?.as_str() {
        "min" => set_once(inner, &mut min, parse(inner)?),
        "max" => set_once(inner, &mut max, parse(inner)?),
        _ => Err(inner.error("expected `min` or `max`")),
    })?;
    if min.is_none() && max.is_none() {
        return Err(meta.error("give `min`, `max` or both"));
    }
    Ok(Bounds {
        min,
        max,
        site: Site { start, end },
    })
}

fn default_lit(meta: &ParseNestedMeta) -> syn::Result<DefaultLit> {
    super::json::value(meta.value()?)
}

fn list_spec(meta: &ParseNestedMeta) -> syn::Result<ListSpec> {
    if no_arguments(meta) {
        return Err(meta.error("expected `list(set)` or `list(map(\"key\"))`"));
    }
    let mut spec = None;
    nested_items(meta, |inner| {
        match key_of(inner)?.as_str() {
            "set" => spec = Some(ListSpec::Set),
            "atomic" => spec = Some(ListSpec::Atomic),
            "map" => {
                let keys = strings_in_parens(inner)?;
                if keys.is_empty() {
                    return Err(inner.error("a map list needs at least one key"));
                }
                spec = Some(ListSpec::Map(keys));
            }
            _ => return Err(inner.error("expected `set`, `atomic` or `map(\"key\", ...)`")),
        }
        Ok(())
    })?;
    spec.ok_or_else(|| meta.error("expected `list(set)` or `list(map(\"key\"))`"))
}

/// `("a", "b", ...)`, as values.
fn strings_in_parens(meta: &ParseNestedMeta) -> syn::Result<Vec<String>> {
    Ok(lits_in_parens(meta)?.iter().map(LitStr::value).collect())
}
