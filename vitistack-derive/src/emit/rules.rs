//! Rules as engine constructor calls: field rules (`rules::Rule`, `rules::Format`) and
//! cross-field rules with their defaults (message, field path, reason).

use super::opt;
use crate::model::{ContainerRule, FieldRule, RuleKind};
use crate::pred::{Literal, Pred};
use crate::table::{OrderBy, Reason};
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
        FieldRule::Immutable => quote!([#r::Rule::immutable(#wire)]),
        FieldRule::MayOnlyGrow => quote!([#r::Rule::MayOnlyGrow(#r::MayOnlyGrow)]),
        FieldRule::KubernetesVersionStep => {
            quote!([#r::Rule::KubernetesVersionStep(#r::KubernetesVersionStep)])
        }
    }
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

/// The reason as written, else what the `then` condition implies (`has(x)` fails as required,
/// `!has(x)` as forbidden).
fn reason(k: &TokenStream, given: Option<Reason>, then: Option<&Pred>) -> TokenStream {
    let r = quote!(#k::rules::Reason);
    let reason = given.unwrap_or(match then {
        Some(Pred::Has(_)) => Reason::Required,
        Some(Pred::Not(inner)) if matches!(**inner, Pred::Has(_)) => Reason::Forbidden,
        _ => Reason::Invalid,
    });
    match reason {
        Reason::Required => quote!(#r::Required),
        Reason::Forbidden => quote!(#r::Forbidden),
        Reason::Duplicate => quote!(#r::Duplicate),
        Reason::Invalid => quote!(#r::Invalid),
    }
}

/// A cross-field rule: an engine `rules::Rule` value.
pub fn container_rule(k: &TokenStream, rule: &ContainerRule) -> TokenStream {
    let r = quote!(#k::rules);
    let text = |s: &str| quote!(#s.to_string());
    let common = &rule.common;
    let field_path = common.field_path.as_ref().map(syn::LitStr::value);
    let message_or = |default: &str| text(common.message.as_deref().unwrap_or(default));
    let path_or = |default: String| opt(&Some(text(field_path.as_deref().unwrap_or(&default))));
    match &rule.kind {
        RuleKind::Implies { when, then } => {
            let message = message_or("the condition does not hold");
            let default_path = then.paths().first().map(|p| format!(".{p}"));
            let field_path = opt(&field_path.clone().or(default_path).map(|p| text(&p)));
            let reason = reason(k, common.reason, Some(then));
            let (when, then) = (pred(k, when), pred(k, then));
            quote!(#r::Rule::Implies(#r::Implies { when: #when, then: #then, message: #message, field_path: #field_path, reason: #reason }))
        }
        RuleKind::IpInCidr { ip, cidr, each } => {
            let message = message_or(&format!("must be inside {cidr}"));
            let field_path = path_or(format!(".{}", each.as_deref().unwrap_or(ip)));
            let each = opt(&each.as_deref().map(text));
            let (ip, cidr) = (text(ip), text(cidr));
            quote!(#r::Rule::IpInCidr(#r::IpInCidr { ip: #ip, cidr: #cidr, each: #each, message: #message, field_path: #field_path }))
        }
        RuleKind::Ordered {
            lesser,
            greater,
            by,
        } => {
            let message = message_or(&format!("must be less than or equal to {greater}"));
            let field_path = path_or(format!(".{lesser}"));
            let kind = match by {
                OrderBy::Integer => quote!(#r::OrderKind::Integer),
                OrderBy::Quantity => quote!(#r::OrderKind::Quantity),
                OrderBy::Ipv4 => quote!(#r::OrderKind::Ipv4),
            };
            let (lesser, greater) = (text(lesser), text(greater));
            quote!(#r::Rule::Ordered(#r::Ordered { lesser: #lesser, greater: #greater, kind: #kind, message: #message, field_path: #field_path }))
        }
        RuleKind::Disjoint { a, b } => {
            let message = message_or(&format!("{a} and {b} must not overlap"));
            let field_path = path_or(format!(".{b}"));
            let (a, b) = (text(a), text(b));
            quote!(#r::Rule::DisjointCidrs(#r::DisjointCidrs { a: #a, b: #b, message: #message, field_path: #field_path }))
        }
        RuleKind::Cel {
            rule,
            check,
            message_expression,
            optional_old_self,
        } => {
            let message = message_or("");
            let field_path = opt(&field_path.as_deref().map(text));
            let reason = reason(k, common.reason, None);
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
