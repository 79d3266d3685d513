//! `#[viti(...)]` on a struct (cross-field rules, `crate`) or an enum (`crate` only).

use super::{
    closest, crate_path, items, key_of, keyword, lits_in_parens, nested_items, set_once,
    skip_arguments, unknown, Errors,
};
use crate::ctxt::Ctxt;
use crate::model::{Common, ContainerAttrs, ContainerRule, RuleKind, RulePath};
use crate::pred::{self, Pred};
use crate::table::{
    self, ContainerKey, OneOfCount, OptionKey, OptionKind, CONTAINER_RULES, ORDER_BY, REASONS,
};
use syn::meta::ParseNestedMeta;
use syn::LitStr;

/// Parses every `#[viti(...)]` on a struct, recording every malformed item.
pub fn parse_struct(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("viti")) {
        if let Err(e) = items(attr, |meta| item(meta, &mut out)) {
            cx.syn_error(e);
        }
    }
    out
}

/// Parses `#[viti(crate = "...")]` where rules cannot go (an enum, a variant): any other
/// `#[viti(...)]` is kept as misplaced, for the check to report.
pub fn parse_crate_only(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("viti")) {
        let mut only_crate = true;
        let parsed = items(attr, |meta| {
            if meta.path.is_ident("crate") {
                let path = crate_path(meta)?;
                set_once(meta, &mut out.krate, path)?;
            } else {
                only_crate = false;
                skip_arguments(meta)?;
            }
            Ok(())
        });
        if !only_crate {
            out.misplaced.push(quote::quote!(#attr));
        } else if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}

fn item(meta: &ParseNestedMeta, out: &mut ContainerAttrs) -> syn::Result<()> {
    let key = key_of(meta)?;
    if key == "crate" {
        let path = crate_path(meta)?;
        return set_once(meta, &mut out.krate, path);
    }
    if table::field_key(&key).is_some() {
        return Err(meta.error(format!(
            "`{key}` is a field attribute: put it on the field it constrains"
        )));
    }
    let Some((kind, options)) = table::container_key(&key) else {
        let known: Vec<&str> = CONTAINER_RULES.iter().map(|(k, ..)| *k).collect();
        return Err(unknown(meta, &key, &known));
    };
    if let ContainerKey::OneOf(count) = kind {
        return one_of(meta, &key, count, out);
    }
    let (mut o, errors) = parse_options(meta, &key, options);
    // Paths first: they are checked even when the rule itself is malformed.
    let conditions = collect_paths(&o, &mut out.paths);
    errors.into_result()?;
    let rule = rule_kind(meta, &key, kind, &mut o, conditions)?;
    let common = common_options(&mut o)?;
    out.rules.push(ContainerRule { kind: rule, common });
    Ok(())
}

/// `exactly_one_of("a", "b")` (and `at_most_one_of`, `at_least_one_of`): field names of the
/// struct, no options, as controller-gen's marker, whose message and CEL it gets.
fn one_of(
    meta: &ParseNestedMeta,
    key: &str,
    count: OneOfCount,
    out: &mut ContainerAttrs,
) -> syn::Result<()> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`{key}` lists field names, e.g. {key}(\"http\", \"grpc\")"
        )));
    }
    let lits = lits_in_parens(meta)?;
    if lits.is_empty() {
        return Err(meta.error(format!("`{key}` needs at least one field name")));
    }
    for lit in &lits {
        if lit.value().contains(['.', '[']) {
            return Err(syn::Error::new(
                lit.span(),
                format!("`{key}` names fields of this struct, not paths below them"),
            ));
        }
        out.paths.push(RulePath {
            span: lit.span(),
            path: lit.value(),
            into_items: false,
        });
    }
    let fields = lits.iter().map(LitStr::value).collect();
    out.rules.push(ContainerRule {
        kind: RuleKind::OneOf { fields, count },
        common: Common::default(),
    });
    Ok(())
}

/// The `key = value` options of one cross-field rule, parsed but not yet interpreted.
#[derive(Default)]
struct Options {
    values: Vec<(OptionKey, OptionValue)>,
}

enum OptionValue {
    Lit(LitStr),
    Path(syn::Path),
    Bool(syn::LitBool),
}

impl Options {
    fn take(&mut self, key: OptionKey) -> Option<OptionValue> {
        let i = self.values.iter().position(|(k, _)| *k == key)?;
        Some(self.values.remove(i).1)
    }

    fn take_lit(&mut self, key: OptionKey) -> Option<LitStr> {
        match self.take(key)? {
            OptionValue::Lit(lit) => Some(lit),
            OptionValue::Path(_) | OptionValue::Bool(_) => None,
        }
    }

    fn take_bool(&mut self, key: OptionKey) -> Option<syn::LitBool> {
        match self.take(key)? {
            OptionValue::Bool(lit) => Some(lit),
            OptionValue::Path(_) | OptionValue::Lit(_) => None,
        }
    }
}

/// Parses every option, each on its own. Well-formed options are returned even when others
/// failed, so their paths can still be checked; the failures come back next to them.
fn parse_options(meta: &ParseNestedMeta, key: &str, known: table::Options) -> (Options, Errors) {
    let mut o = Options::default();
    let mut errors = Errors::default();
    let names: Vec<&str> = known.iter().map(|k| table::option(*k).0).collect();
    let result = nested_items(meta, |inner| {
        let name = key_of(inner)?;
        let Some((option, kind)) = known
            .iter()
            .map(|k| (*k, table::option(*k)))
            .find(|(_, (n, _))| *n == name)
            .map(|(k, (_, kind))| (k, kind))
        else {
            let hint = closest(&name, &names).map_or_else(
                || format!("; expected one of: {}", names.join(", ")),
                |k| format!("; did you mean `{k}`?"),
            );
            return Err(inner.error(format!("unknown option `{name}` of `{key}`{hint}")));
        };
        if o.values.iter().any(|(k, _)| *k == option) {
            return Err(inner.error(format!("duplicate option `{name}`")));
        }
        let value = match kind {
            OptionKind::RustPath => OptionValue::Path(inner.value()?.parse()?),
            OptionKind::Bool => OptionValue::Bool(inner.value()?.parse()?),
            _ => OptionValue::Lit(inner.value()?.parse()?),
        };
        o.values.push((option, value));
        Ok(())
    });
    if let Err(e) = result {
        errors.push(e);
    }
    (o, errors)
}

/// Records the paths the options name; returns the conditions parsed on the way (`when`,
/// `then`), or their errors.
fn collect_paths(o: &Options, paths: &mut Vec<RulePath>) -> Vec<(OptionKey, syn::Result<Pred>)> {
    let each = o.values.iter().find_map(|(key, value)| match value {
        OptionValue::Lit(lit) if *key == OptionKey::Each => Some(lit.value()),
        _ => None,
    });
    let mut conditions = Vec::new();
    for (key, value) in &o.values {
        let OptionValue::Lit(lit) = value else {
            continue;
        };
        match table::option(*key).1 {
            OptionKind::Path => {
                let (path, into_items) = match &each {
                    Some(list) if *key == OptionKey::Ip => {
                        (format!("{list}.{}", lit.value()), true)
                    }
                    _ => (lit.value(), false),
                };
                paths.push(RulePath {
                    span: lit.span(),
                    path,
                    into_items,
                });
            }
            OptionKind::Condition => {
                let parsed = pred::parse(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e));
                if let Ok(p) = &parsed {
                    for path in p.paths() {
                        paths.push(RulePath {
                            span: lit.span(),
                            path: path.to_string(),
                            into_items: false,
                        });
                    }
                }
                conditions.push((*key, parsed));
            }
            OptionKind::Text | OptionKind::RustPath | OptionKind::Bool => {}
        }
    }
    conditions
}

/// The rule a struct keyword stands for, from its options.
fn rule_kind(
    meta: &ParseNestedMeta,
    key: &str,
    kind: ContainerKey,
    o: &mut Options,
    mut conditions: Vec<(OptionKey, syn::Result<Pred>)>,
) -> syn::Result<RuleKind> {
    let needs = |option: OptionKey| {
        let name = table::option(option).0;
        meta.error(format!("`{key}` needs `{name} = \"...\"`"))
    };
    let required = |o: &mut Options, option: OptionKey| -> syn::Result<String> {
        o.take_lit(option)
            .map(|lit| lit.value())
            .ok_or_else(|| needs(option))
    };
    Ok(match kind {
        ContainerKey::Rule => {
            let mut condition = |option: OptionKey| -> syn::Result<Pred> {
                o.take(option);
                let i = conditions
                    .iter()
                    .position(|(k, _)| *k == option)
                    .ok_or_else(|| needs(option))?;
                conditions.remove(i).1
            };
            // Both conditions are reported when both are malformed.
            match (condition(OptionKey::When), condition(OptionKey::Then)) {
                (Ok(when), Ok(then)) => RuleKind::Implies { when, then },
                (Err(mut e), Err(then)) => {
                    e.combine(then);
                    return Err(e);
                }
                (Err(e), _) | (_, Err(e)) => return Err(e),
            }
        }
        ContainerKey::IpInCidr => {
            let each = o.take_lit(OptionKey::Each).map(|lit| lit.value());
            RuleKind::IpInCidr {
                ip: required(o, OptionKey::Ip)?,
                cidr: required(o, OptionKey::Cidr)?,
                each,
            }
        }
        ContainerKey::Ordered => {
            let by = match o.take_lit(OptionKey::By) {
                None => crate::table::OrderBy::Integer,
                Some(lit) => keyword(&lit, ORDER_BY, "`by`")?,
            };
            RuleKind::Ordered {
                lesser: required(o, OptionKey::Lesser)?,
                greater: required(o, OptionKey::Greater)?,
                by,
            }
        }
        ContainerKey::DisjointCidrs => RuleKind::Disjoint {
            a: required(o, OptionKey::A)?,
            b: required(o, OptionKey::B)?,
        },
        // Parsed by `one_of` before any option.
        ContainerKey::OneOf(_) => return Err(meta.error(format!("`{key}` lists field names"))),
        ContainerKey::Cel => {
            let rule = o
                .take_lit(OptionKey::Rule)
                .ok_or_else(|| needs(OptionKey::Rule))?;
            // Without `check`, validate() evaluates the rule with the CEL engine.
            let check = match o.take(OptionKey::Check) {
                Some(OptionValue::Path(path)) => Some(path),
                _ => None,
            };
            if o.values.iter().all(|(k, _)| *k != OptionKey::Message) {
                return Err(needs(OptionKey::Message));
            }
            RuleKind::Cel {
                rule,
                check,
                message_expression: o.take_lit(OptionKey::MessageExpression),
                optional_old_self: o.take_bool(OptionKey::OptionalOldSelf),
            }
        }
    })
}

/// The options every struct rule takes.
fn common_options(o: &mut Options) -> syn::Result<Common> {
    let message = o.take_lit(OptionKey::Message).map(|l| l.value());
    let field_path = o.take_lit(OptionKey::FieldPath);
    let reason = match o.take_lit(OptionKey::Reason) {
        None => None,
        Some(lit) => Some(keyword(&lit, REASONS, "reason")?),
    };
    Ok(Common {
        message,
        field_path,
        reason,
    })
}
