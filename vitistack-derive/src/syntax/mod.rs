//! The syntax layer: `#[viti(...)]` and `#[crd(...)]` into the [`crate::model`], with spans.
//!
//! Every comma-separated item of an attribute is parsed on its own ([`items`],
//! [`nested_items`]): an item that fails is recorded and parsing resumes at the next one, so one
//! compile reports every malformed item of every attribute. Meaning (regexes, quantities,
//! bounds, paths, shapes) is [`crate::check`]'s.

pub mod container;
pub mod crd;
pub mod doc;
pub mod field;
pub mod input;
pub mod json;

use syn::meta::ParseNestedMeta;
use syn::Token;

/// Errors of several items, combined.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds an error.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// `Err` with every error, or `Ok`.
    pub fn into_result(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// Parses each item of `#[attr(item, item, ...)]` with `parse`, recovering after a failed item.
pub fn items(
    attr: &syn::Attribute,
    parse: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    recovering(|each| attr.parse_nested_meta(each), parse)
}

/// Parses each item of `key(item, item, ...)` with `parse`, recovering after a failed item.
pub fn nested_items(
    meta: &ParseNestedMeta,
    parse: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    recovering(|each| meta.parse_nested_meta(each), parse)
}

/// Runs a syn item loop with [`recover`] around `parse`; the loop's own (structural) error, if
/// any, comes after the items' errors.
fn recovering(
    run: impl FnOnce(&mut dyn FnMut(ParseNestedMeta) -> syn::Result<()>) -> syn::Result<()>,
    mut parse: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    let mut errors = Errors::default();
    let structural = run(&mut |meta| recover(&meta, &mut errors, &mut parse));
    if let Err(e) = structural {
        errors.push(e);
    }
    errors.into_result()
}

/// Runs `parse` on one item; on failure records the error and skips to the item's end. An item
/// that leaves tokens unread (`odd = 1`, `namespaced = true`) is an error too.
fn recover(
    meta: &ParseNestedMeta,
    errors: &mut Errors,
    parse: &mut impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    match parse(meta) {
        Err(e) => errors.push(e),
        Ok(()) if meta.input.peek(Token![=]) => {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            errors.push(meta.input.error(format!("`{key}` takes no value")));
        }
        Ok(()) if !at_item_end(meta) => errors.push(meta.input.error("expected `,`")),
        Ok(()) => return Ok(()),
    }
    skip_arguments(meta)
}

fn at_item_end(meta: &ParseNestedMeta) -> bool {
    meta.input.is_empty() || meta.input.peek(Token![,])
}

/// Consumes a key's arguments (`= value` or `(...)`) up to the next top-level comma.
pub fn skip_arguments(meta: &ParseNestedMeta) -> syn::Result<()> {
    while !at_item_end(meta) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// The key of an item, as text.
pub fn key_of(meta: &ParseNestedMeta) -> syn::Result<String> {
    meta.path
        .get_ident()
        .map(|i| i.to_string())
        .ok_or_else(|| meta.error("expected an identifier"))
}

/// Whether the item has no arguments: `key`, `key()` (syn rejects an empty list with a message
/// that names no attribute).
pub fn no_arguments(meta: &ParseNestedMeta) -> bool {
    if at_item_end(meta) {
        return true;
    }
    matches!(
        meta.input.fork().parse::<proc_macro2::Group>(),
        Ok(g) if g.delimiter() == proc_macro2::Delimiter::Parenthesis && g.stream().is_empty()
    )
}

/// The closest of `known` to `key`, when it is close enough to be a typo.
pub fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (distance(k, key), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance, for "did you mean" hints.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// An "unknown attribute" error with a hint when the key looks like a typo of a known one.
pub fn unknown(meta: &ParseNestedMeta, key: &str, known: &[&str]) -> syn::Error {
    let hint = closest(key, known)
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    meta.error(format!("unknown viti attribute `{key}`{hint}"))
}

/// The value a keyword literal names in a small table (`by = "quantity"`), or an error listing
/// the table.
pub fn keyword<T: Copy>(lit: &syn::LitStr, table: &[(&str, T)], option: &str) -> syn::Result<T> {
    let value = lit.value();
    table
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<String> = table
                .iter()
                .map(|(name, _)| format!("\"{name}\""))
                .collect();
            syn::Error::new(
                lit.span(),
                format!("{option} is one of {}", names.join(", ")),
            )
        })
}

/// "duplicate attribute `key`" at the second `key`: as serde's, since a second value would
/// silently replace the first.
pub fn duplicate(meta: &ParseNestedMeta, key: &str) -> syn::Error {
    meta.error(format!("duplicate attribute `{key}`"))
}

/// Stores the value of a key that may be given once, or reports the second at its key.
pub fn set_once<T>(meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(duplicate(meta, &key_of(meta)?));
    }
    *slot = Some(value);
    Ok(())
}

/// `("a", "b", ...)`: the group is taken whole, so a bad literal inside it is one error, and
/// parsing goes on after the group.
pub fn lits_in_parens(meta: &ParseNestedMeta) -> syn::Result<Vec<syn::LitStr>> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.input.error("expected parentheses"));
    }
    let group: proc_macro2::Group = meta.input.parse()?;
    let parser = syn::punctuated::Punctuated::<syn::LitStr, Token![,]>::parse_terminated;
    let lits = syn::parse::Parser::parse2(parser, group.stream())?;
    Ok(lits.into_iter().collect())
}

/// `crate = "path"`: the path the engine is reached by.
pub fn crate_path(meta: &ParseNestedMeta) -> syn::Result<syn::Path> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    lit.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            "`crate` names a path, e.g. crate = \"my_crate::viti\"",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::items;

    fn messages(result: syn::Result<()>) -> Vec<String> {
        result
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    /// Every failing item is reported, and the items after a failure are still parsed.
    #[test]
    fn every_item_is_parsed_on_its_own() {
        let attr: syn::Attribute = syn::parse_quote!(#[viti(bad = 1, good, worse(x), last)]);
        let mut seen = Vec::new();
        let result = items(&attr, |meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            seen.push(key.clone());
            if key.starts_with("bad") || key.starts_with("worse") {
                return Err(meta.error(format!("no {key}")));
            }
            Ok(())
        });
        assert_eq!(seen, ["bad", "good", "worse", "last"]);
        assert_eq!(messages(result), ["no bad", "no worse"]);
    }

    /// A keyword that leaves a value unread is an error naming it, and parsing goes on.
    #[test]
    fn an_unread_value_is_reported() {
        let attr: syn::Attribute = syn::parse_quote!(#[viti(odd = 1, ip)]);
        let mut seen = 0;
        let result = items(&attr, |_| {
            seen += 1;
            Ok(())
        });
        assert_eq!(seen, 2);
        assert_eq!(messages(result), ["`odd` takes no value"]);
    }
}
