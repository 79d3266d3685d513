//! A default value written as JSON in Rust tokens: `default = 1`, `default = "a"`,
//! `default = {"port": 80, "hosts": ["a", "b"]}`, `default = []`, `null`. What controller-gen's
//! `+kubebuilder:default=` takes for objects and lists, and what kube-derive users write with
//! `#[schemars(default = ...)]`, here checked as JSON at compile time.

use crate::model::DefaultLit;
use proc_macro2::{Delimiter, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::Token;

/// Parses one JSON value at the head of `input`.
pub fn value(input: ParseStream) -> syn::Result<DefaultLit> {
    if input.peek(syn::token::Brace) || input.peek(syn::token::Bracket) {
        let TokenTree::Group(group) = input.parse::<TokenTree>()? else {
            return Err(input.error("expected `{...}` or `[...]`"));
        };
        return match group.delimiter() {
            Delimiter::Brace => object.parse2(group.stream()),
            _ => list.parse2(group.stream()),
        };
    }
    if input.peek(syn::Ident) {
        let ident: syn::Ident = input.parse()?;
        return match ident.to_string().as_str() {
            "null" => Ok(DefaultLit::Null),
            _ => Err(syn::Error::new(
                ident.span(),
                "a default is JSON: a number, string, bool, `null`, `[...]` or `{\"key\": ...}`",
            )),
        };
    }
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let lit: syn::Lit = input.parse()?;
    match lit {
        syn::Lit::Int(i) => {
            let n: i64 = i.base10_parse()?;
            Ok(DefaultLit::Int(if negative { -n } else { n }))
        }
        syn::Lit::Float(f) => {
            let n: f64 = f.base10_parse()?;
            Ok(DefaultLit::Float(if negative { -n } else { n }))
        }
        syn::Lit::Str(s) if !negative => Ok(DefaultLit::Str(s.value())),
        syn::Lit::Bool(b) if !negative => Ok(DefaultLit::Bool(b.value)),
        other => Err(syn::Error::new(
            other.span(),
            "a default is JSON: a number, string, bool, `null`, `[...]` or `{\"key\": ...}`",
        )),
    }
}

fn list(input: ParseStream) -> syn::Result<DefaultLit> {
    let items =
        syn::punctuated::Punctuated::<DefaultLit, Token![,]>::parse_terminated_with(input, value)?;
    Ok(DefaultLit::List(items.into_iter().collect()))
}

fn object(input: ParseStream) -> syn::Result<DefaultLit> {
    let entry = |input: ParseStream| -> syn::Result<(syn::LitStr, DefaultLit)> {
        let key: syn::LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "a JSON key is a string literal, e.g. {\"port\": 80}",
            )
        })?;
        input.parse::<Token![:]>()?;
        Ok((key, value(input)?))
    };
    let entries = syn::punctuated::Punctuated::<_, Token![,]>::parse_terminated_with(input, entry)?;
    let mut out: Vec<(String, DefaultLit)> = Vec::new();
    for (key, value) in entries {
        let name = key.value();
        if out.iter().any(|(k, _)| *k == name) {
            return Err(syn::Error::new(
                key.span(),
                format!("duplicate key `{name}` in the default"),
            ));
        }
        out.push((name, value));
    }
    Ok(DefaultLit::Object(out))
}

/// Parses `tokens` as one JSON value (for tests).
#[cfg(test)]
fn parse(tokens: proc_macro2::TokenStream) -> syn::Result<DefaultLit> {
    value.parse2(tokens)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::model::DefaultLit;

    #[test]
    fn objects_lists_and_scalars() {
        let v =
            parse(quote::quote!({"port": 80, "hosts": ["a", -1, 0.5, true, null], "empty": {}}))
                .expect("parses");
        let DefaultLit::Object(entries) = v else {
            panic!("an object")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["port", "hosts", "empty"]);
        assert!(parse(quote::quote!({"a": 1, "a": 2})).is_err());
        assert!(parse(quote::quote!({a: 1})).is_err());
        assert!(parse(quote::quote!(nil)).is_err());
    }
}
