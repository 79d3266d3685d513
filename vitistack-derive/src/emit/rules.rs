//! Rules as engine constructor calls: field rules (`rules::Rule`, `rules::Format`) and
//! cross-field rules with the outcome the check decided (message, field path, reason).

use super::opt;
use crate::model::{DecidedRule, FieldRule, RuleKind};
use crate::pred::{Literal, Pred};
use crate::table::{OneOfCount, OrderBy, Reason};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// A field rule: an expression yielding the engine rules it stands for; `wire` is the field's
/// wire name (`immutable` words its message with it).
pub fn field_rule(k: &TokenStream, rule: &FieldRule, wire: &str) -> TokenStream {
    let r = quote!(#k::rules);
    match rule {
        FieldRule::Range(b) => {
            let (min, max) = (opt(&b.min), opt(&b.max));
            quote!([#r::Rule::range(#min, #max)])
        }
        FieldRule::Length(b) => {
            let (min, max) = (opt(&b.min), opt(&b.max));
            quote!([#r::Rule::length(#min, #max)])
        }
        FieldRule::Items(b) => {
            let (min, max) = (opt(&b.min), opt(&b.max));
            quote!([#r::Rule::items(#min, #max)])
        }
        FieldRule::Pattern(p) => {
            let p = p.value();
            quote!([#r::Rule::pattern(#p)])
        }
        FieldRule::OneOf(values) => quote!([#r::Rule::one_of(&[#(#values),*])]),
        FieldRule::Format(variant) => {
            let variant = syn::Ident::new(variant, Span::call_site());
            quote!(#r::Format::#variant.rules())
        }
        FieldRule::Quantity(min, max) => {
            let (min, max) = (
                opt(&min.as_ref().map(|l| l.value())),
                opt(&max.as_ref().map(|l| l.value())),
            );
            quote!(#r::Rule::quantity_rules(#min, #max))
        }
        FieldRule::Odd => quote!([#r::Rule::Odd(#r::Odd)]),
        FieldRule::UniqueBy(field) => {
            quote!([#r::Rule::UniqueBy(#r::UniqueBy { field: #field.to_string() })])
        }
        FieldRule::MultipleOf(text) => {
            let factor = number(k, text);
            quote!([#r::Rule::MultipleOf(#r::MultipleOf(#factor))])
        }
        FieldRule::Number {
            min,
            max,
            exclusive_min,
            exclusive_max,
        } => {
            let limit = |text: &Option<String>, exclusive: bool| {
                opt(&text.as_ref().map(|t| {
                    let value = number(k, t);
                    quote!(#r::Limit { value: #value, exclusive: #exclusive })
                }))
            };
            let (min, max) = (limit(min, *exclusive_min), limit(max, *exclusive_max));
            quote!([#r::Rule::Number(#r::NumberRange { min: #min, max: #max })])
        }
        FieldRule::Properties(b) => {
            let (min, max) = (opt(&b.min), opt(&b.max));
            quote!([#r::Rule::Properties(#r::Properties { min: #min, max: #max })])
        }
        FieldRule::Immutable => quote!([#r::Rule::immutable(#wire)]),
        FieldRule::MayOnlyGrow => quote!([#r::Rule::MayOnlyGrow(#r::MayOnlyGrow)]),
        FieldRule::KubernetesVersionStep => {
            quote!([#r::Rule::KubernetesVersionStep(#r::KubernetesVersionStep)])
        }
    }
}

/// A `serde_json::Number` for a number literal's text (the check admitted only integers and
/// finite floats, so the fallback is never taken).
fn number(k: &TokenStream, text: &str) -> TokenStream {
    let n = quote!(#k::__private::serde_json::Number);
    if let Ok(i) = text.parse::<i64>() {
        return quote!(#n::from(#i));
    }
    let f: f64 = text.parse().unwrap_or(0.0);
    quote!(#n::from_f64(#f).unwrap_or_else(|| #n::from(0)))
}

fn literal(k: &TokenStream, lit: &Literal) -> TokenStream {
    let value = match lit {
        Literal::Str(s) => quote!(#s),
        Literal::Bool(b) => quote!(#b),
        Literal::Int(n) => quote!(#n),
    };
    quote!(#k::__private::serde_json::Value::from(#value))
}

fn pred(k: &TokenStream, p: &Pred) -> TokenStream {
    let r = quote!(#k::rules::Pred);
    match p {
        Pred::Has(path) => quote!(#r::Has(#path.to_string())),
        Pred::Eq(path, lit) => {
            let lit = literal(k, lit);
            quote!(#r::Eq(#path.to_string(), #lit))
        }
        Pred::In(path, lits) => {
            let lits = lits.iter().map(|l| literal(k, l));
            quote!(#r::In(#path.to_string(), ::std::vec![#(#lits),*]))
        }
        Pred::Not(inner) => {
            let inner = pred(k, inner);
            quote!(#r::Not(::std::boxed::Box::new(#inner)))
        }
    }
}

/// The engine's `Reason`.
fn reason(k: &TokenStream, reason: Reason) -> TokenStream {
    let r = quote!(#k::rules::Reason);
    match reason {
        Reason::Required => quote!(#r::Required),
        Reason::Forbidden => quote!(#r::Forbidden),
        Reason::Duplicate => quote!(#r::Duplicate),
        Reason::Invalid => quote!(#r::Invalid),
    }
}

/// A cross-field rule: an engine `rules::Rule` value, its outcome as the check decided it.
pub fn container_rule(k: &TokenStream, rule: &DecidedRule) -> TokenStream {
    let r = quote!(#k::rules);
    let text = |s: &str| quote!(#s.to_string());
    let o = &rule.outcome;
    let message = text(&o.message);
    let field_path = opt(&o.field_path.as_deref().map(text));
    let reason = reason(k, o.reason);
    let outcome =
        quote!(#r::Outcome { message: #message, field_path: #field_path, reason: #reason });
    match &rule.kind {
        RuleKind::Implies { when, then } => {
            let (when, then) = (pred(k, when), pred(k, then));
            quote!(#r::Rule::Implies(#r::Implies { when: #when, then: #then, outcome: #outcome }))
        }
        RuleKind::IpInCidr { ip, cidr, each } => {
            let each = opt(&each.as_deref().map(text));
            let (ip, cidr) = (text(ip), text(cidr));
            quote!(#r::Rule::IpInCidr(#r::IpInCidr { ip: #ip, cidr: #cidr, each: #each, outcome: #outcome }))
        }
        RuleKind::Ordered {
            lesser,
            greater,
            by,
        } => {
            let kind = match by {
                OrderBy::Integer => quote!(#r::OrderKind::Integer),
                OrderBy::Quantity => quote!(#r::OrderKind::Quantity),
                OrderBy::Ipv4 => quote!(#r::OrderKind::Ipv4),
            };
            let (lesser, greater) = (text(lesser), text(greater));
            quote!(#r::Rule::Ordered(#r::Ordered { lesser: #lesser, greater: #greater, kind: #kind, outcome: #outcome }))
        }
        RuleKind::Disjoint { a, b } => {
            let (a, b) = (text(a), text(b));
            quote!(#r::Rule::DisjointCidrs(#r::DisjointCidrs { a: #a, b: #b, outcome: #outcome }))
        }
        RuleKind::OneOf { fields, count } => {
            let kind = match count {
                OneOfCount::Exactly => quote!(#r::OneOfKind::Exactly),
                OneOfCount::AtMost => quote!(#r::OneOfKind::AtMost),
                OneOfCount::AtLeast => quote!(#r::OneOfKind::AtLeast),
            };
            let names = fields.iter().map(String::as_str);
            let fields = fields.iter().map(|f| text(f));
            quote!(#r::Rule::OneOfGroup(#r::OneOfGroup {
                fields: ::std::vec![#(#fields),*],
                kind: #kind,
                outcome: #r::Outcome { message: #kind.message(&[#(#names),*]), field_path: #field_path, reason: #reason },
            }))
        }
        RuleKind::Cel {
            rule,
            check,
            message_expression,
            optional_old_self,
        } => {
            let rule = text(&rule.value());
            // Typed where it is written, so a function of the wrong signature is reported at
            // `check = ...` as a mismatch with `fn(&Value) -> bool`.
            let check = opt(&check.as_ref().map(|check| {
                quote_spanned!(check.span()=> {
                    let check: fn(&#k::__private::serde_json::Value) -> bool = #check;
                    check
                })
            }));
            let message_expression = opt(&message_expression.as_ref().map(|m| text(&m.value())));
            let optional_old_self = opt(&optional_old_self.as_ref().map(|b| quote!(#b)));
            quote!(#r::Rule::Cel(#r::RawCel {
                rule: #rule,
                message: #message,
                field_path: #field_path,
                reason: #reason,
                check: #check,
                message_expression: #message_expression,
                optional_old_self: #optional_old_self,
                ..::core::default::Default::default()
            }))
        }
    }
}
