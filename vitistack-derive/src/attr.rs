//! Parses `#[viti(...)]` into the raw model: rules with the spans they were written at.

use crate::ctxt::Ctxt;
use crate::pred::{self, Pred};
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{LitInt, LitStr, Token};

/// What a rule applies to; the derive asserts the field's type at the rule's span.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Integer,
    String,
    List,
    /// Any field type (the update-time `immutable`).
    Any,
}

/// A field rule, as written.
pub enum FieldRule {
    Range(Option<i64>, Option<i64>),
    Length(Option<u64>, Option<u64>),
    Items(Option<u64>, Option<u64>),
    Pattern(String),
    OneOf(Vec<String>),
    /// A variant name of `vitistack_types::rules::Format`.
    Format(&'static str),
    Quantity(Option<String>, Option<String>),
    Odd,
    UniqueBy(String),
    /// Update-time: immutable once set.
    Immutable,
    /// Update-time: a quantity that may only grow.
    MayOnlyGrow,
    /// Update-time: a Kubernetes version that moves up one minor version at a time.
    KubernetesVersionStep,
}

impl FieldRule {
    pub fn target(&self) -> Target {
        match self {
            FieldRule::Range(..) | FieldRule::Odd => Target::Integer,
            FieldRule::Items(..) | FieldRule::UniqueBy(_) => Target::List,
            FieldRule::Immutable => Target::Any,
            _ => Target::String,
        }
    }
}

/// A list type, as written.
pub enum ListSpec {
    Set,
    Map(Vec<String>),
}

/// A default value literal.
pub enum DefaultLit {
    Int(i64),
    Str(String),
    Bool(bool),
}

/// Everything `#[viti(...)]` says about one field.
#[derive(Default)]
pub struct FieldAttrs {
    pub rules: Vec<(Span, FieldRule)>,
    pub each: Vec<(Span, FieldRule)>,
    pub default: Option<DefaultLit>,
    pub list: Option<(Span, ListSpec)>,
}

/// A cross-field rule on a struct, as written: what it relates, and the options all share.
pub struct ContainerRule {
    pub kind: RuleKind,
    pub common: Common,
}

/// What a cross-field rule relates.
pub enum RuleKind {
    Implies {
        when: Pred,
        then: Pred,
    },
    IpInCidr {
        ip: String,
        cidr: String,
        each: Option<String>,
    },
    Ordered {
        lesser: String,
        greater: String,
        by: OrderBy,
    },
    Disjoint {
        a: String,
        b: String,
    },
    Cel {
        rule: String,
        check: syn::Path,
    },
}

/// The error type a failed cross-field rule reports (the engine's `Reason`).
#[derive(Clone, Copy)]
pub enum Reason {
    Invalid,
    Required,
    Forbidden,
    Duplicate,
}

const REASONS: &[(&str, Reason)] = &[
    ("invalid", Reason::Invalid),
    ("required", Reason::Required),
    ("forbidden", Reason::Forbidden),
    ("duplicate", Reason::Duplicate),
];

/// How `ordered` compares (the engine's `OrderKind`).
#[derive(Clone, Copy)]
pub enum OrderBy {
    Integer,
    Quantity,
    Ipv4,
}

const ORDER_BY: &[(&str, OrderBy)] = &[
    ("integer", OrderBy::Integer),
    ("quantity", OrderBy::Quantity),
    ("ipv4", OrderBy::Ipv4),
];

/// Options every cross-field rule takes.
#[derive(Default)]
pub struct Common {
    pub message: Option<String>,
    pub field_path: Option<String>,
    pub reason: Option<Reason>,
}

/// The `#[viti(...)]` rules on a struct, with the field paths they read (for checking).
#[derive(Default)]
pub struct ContainerAttrs {
    pub rules: Vec<ContainerRule>,
    /// `(span, path)` of every field path a rule names.
    pub paths: Vec<(Span, String)>,
    /// `(span, path)` of paths into list items (`each` + `.` + item path): their first segment
    /// is already in `paths`, the rest is checked against the item type.
    pub item_paths: Vec<(Span, String)>,
}

/// A field keyword, typed: the derive dispatches on this, never on the keyword's text.
#[derive(Clone, Copy)]
enum FieldKey {
    Range,
    Length,
    Items,
    Pattern,
    OneOf,
    Quantity,
    Odd,
    UniqueBy,
    Immutable,
    MayOnlyGrow,
    KubernetesVersionStep,
    Each,
    Default,
    List,
    /// A named string format: the variant of the engine's `rules::Format` it expands to (a
    /// name the engine does not have fails to compile in the generated code).
    Format(&'static str),
}

/// Every field keyword, once. A new engine `Format` needs one line here.
const FIELD_RULES: &[(&str, FieldKey)] = &[
    ("range", FieldKey::Range),
    ("length", FieldKey::Length),
    ("items", FieldKey::Items),
    ("pattern", FieldKey::Pattern),
    ("one_of", FieldKey::OneOf),
    ("quantity", FieldKey::Quantity),
    ("odd", FieldKey::Odd),
    ("unique_by", FieldKey::UniqueBy),
    ("immutable", FieldKey::Immutable),
    ("may_only_grow", FieldKey::MayOnlyGrow),
    ("kubernetes_version_step", FieldKey::KubernetesVersionStep),
    ("each", FieldKey::Each),
    ("default", FieldKey::Default),
    ("list", FieldKey::List),
    ("ip", FieldKey::Format("Ip")),
    ("cidr", FieldKey::Format("Cidr")),
    ("ip_or_cidr", FieldKey::Format("IpOrCidr")),
    ("url", FieldKey::Format("HttpUrl")),
    ("mac", FieldKey::Format("Mac")),
    ("date_time", FieldKey::Format("DateTime")),
    ("duration", FieldKey::Format("Duration")),
    ("rfc1123_label", FieldKey::Format("Rfc1123Label")),
    ("rfc1123_subdomain", FieldKey::Format("Rfc1123Subdomain")),
    ("dns_name", FieldKey::Format("DnsName")),
    ("port_range", FieldKey::Format("PortRange")),
];

/// A struct keyword, typed.
#[derive(Clone, Copy)]
enum ContainerKey {
    Rule,
    IpInCidr,
    Ordered,
    DisjointCidrs,
    Cel,
}

/// Every struct keyword, once, with the options it takes.
const CONTAINER_RULES: &[(&str, ContainerKey, &[&str])] = &[
    (
        "rule",
        ContainerKey::Rule,
        &["when", "then", "message", "field_path", "reason"],
    ),
    (
        "ip_in_cidr",
        ContainerKey::IpInCidr,
        &["ip", "cidr", "each", "message", "field_path"],
    ),
    (
        "ordered",
        ContainerKey::Ordered,
        &["lesser", "greater", "by", "message", "field_path"],
    ),
    (
        "disjoint_cidrs",
        ContainerKey::DisjointCidrs,
        &["a", "b", "message", "field_path"],
    ),
    (
        "cel",
        ContainerKey::Cel,
        &["rule", "message", "check", "field_path", "reason"],
    ),
];

fn field_key(key: &str) -> Option<FieldKey> {
    FIELD_RULES.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn container_key(key: &str) -> Option<(ContainerKey, &'static [&'static str])> {
    CONTAINER_RULES
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, kind, options)| (*kind, *options))
}

/// Parses every `#[viti(...)]` on a field.
pub fn field_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("viti")) {
        let result = attr.parse_nested_meta(|meta| {
            let span = meta
                .path
                .get_ident()
                .map_or_else(Span::call_site, |i| i.span());
            if meta.path.is_ident("each") {
                return meta.parse_nested_meta(|inner| {
                    let inner_span = inner.path.get_ident().map_or(span, |i| i.span());
                    let rule = field_rule(&inner)?;
                    out.each.push((inner_span, rule));
                    Ok(())
                });
            }
            if meta.path.is_ident("default") {
                out.default = Some(default_lit(&meta)?);
                return Ok(());
            }
            if meta.path.is_ident("list") {
                out.list = Some((span, list_spec(&meta)?));
                return Ok(());
            }
            let rule = field_rule(&meta)?;
            out.rules.push((span, rule));
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

fn field_rule(meta: &ParseNestedMeta) -> syn::Result<FieldRule> {
    let key = key_of(meta)?;
    let Some(field_key) = field_key(&key) else {
        if container_key(&key).is_some() {
            return Err(meta.error(format!(
                "`{key}` is a struct attribute: put #[viti({key}(...))] on the struct, with paths relative to it"
            )));
        }
        let known: Vec<&str> = FIELD_RULES.iter().map(|(k, _)| *k).collect();
        return Err(unknown(meta, &key, &known));
    };
    match field_key {
        FieldKey::Format(variant) => Ok(FieldRule::Format(variant)),
        FieldKey::Range => {
            let (min, max) = bounds(meta, signed)?;
            Ok(FieldRule::Range(min, max))
        }
        FieldKey::Length => {
            let (min, max) = bounds(meta, unsigned)?;
            Ok(FieldRule::Length(min, max))
        }
        FieldKey::Items => {
            let (min, max) = bounds(meta, unsigned)?;
            Ok(FieldRule::Items(min, max))
        }
        FieldKey::Pattern => {
            let lit: LitStr = meta.value()?.parse()?;
            if let Err(e) = regex::Regex::new(&lit.value()) {
                return Err(syn::Error::new(lit.span(), format!("invalid regular expression: {e}")));
            }
            Ok(FieldRule::Pattern(lit.value()))
        }
        FieldKey::OneOf => {
            let mut values = Vec::new();
            let content;
            syn::parenthesized!(content in meta.input);
            let lits = content.parse_terminated(|s| s.parse::<LitStr>(), Token![,])?;
            values.extend(lits.iter().map(LitStr::value));
            if values.is_empty() {
                return Err(meta.error("one_of needs at least one value"));
            }
            Ok(FieldRule::OneOf(values))
        }
        FieldKey::Quantity => {
            if meta.input.is_empty() || meta.input.peek(Token![,]) {
                return Ok(FieldRule::Quantity(None, None));
            }
            let (mut min, mut max) = (None, None);
            meta.parse_nested_meta(|inner| {
                let lit: LitStr = inner.value()?.parse()?;
                if !pred::is_quantity(&lit.value()) {
                    return Err(syn::Error::new(lit.span(), format!("`{}` is not a Kubernetes quantity", lit.value())));
                }
                match key_of(&inner)?.as_str() {
                    "min" => min = Some(lit.value()),
                    "max" => max = Some(lit.value()),
                    _ => return Err(inner.error("expected `min` or `max`")),
                }
                Ok(())
            })?;
            Ok(FieldRule::Quantity(min, max))
        }
        FieldKey::Odd => Ok(FieldRule::Odd),
        FieldKey::Immutable => Ok(FieldRule::Immutable),
        FieldKey::MayOnlyGrow => Ok(FieldRule::MayOnlyGrow),
        FieldKey::KubernetesVersionStep => Ok(FieldRule::KubernetesVersionStep),
        FieldKey::UniqueBy => Ok(FieldRule::UniqueBy(meta.value()?.parse::<LitStr>()?.value())),
        // Only reached inside `each(...)`: at the top level these are handled before.
        FieldKey::Each => Err(meta.error("`each` cannot be nested: it applies rules to the items of the field's own list")),
        FieldKey::Default | FieldKey::List => Err(meta.error(format!(
            "`{key}` is not allowed inside `each(...)`: it applies to the list field itself, write it next to `each`"
        ))),
    }
}

fn key_of(meta: &ParseNestedMeta) -> syn::Result<String> {
    meta.path
        .get_ident()
        .map(|i| i.to_string())
        .ok_or_else(|| meta.error("expected an identifier"))
}

fn unknown(meta: &ParseNestedMeta, key: &str, known: &[&str]) -> syn::Error {
    let hint = known
        .iter()
        .map(|k| (distance(k, key), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    meta.error(format!("unknown viti attribute `{key}`{hint}"))
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

/// Whether the attribute has no arguments: `key`, `key()` (syn rejects an empty list with a
/// message that names no attribute).
fn no_arguments(meta: &ParseNestedMeta) -> bool {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return true;
    }
    matches!(
        meta.input.fork().parse::<proc_macro2::Group>(),
        Ok(g) if g.delimiter() == proc_macro2::Delimiter::Parenthesis && g.stream().is_empty()
    )
}

fn bounds<T: PartialOrd + Copy>(
    meta: &ParseNestedMeta,
    parse: fn(&ParseNestedMeta) -> syn::Result<T>,
) -> syn::Result<(Option<T>, Option<T>)> {
    if no_arguments(meta) {
        let key = key_of(meta)?;
        return Err(meta.error(format!(
            "`{key}` needs `min`, `max` or both, e.g. `{key}(min = 1, max = 63)`"
        )));
    }
    let (mut min, mut max) = (None, None);
    meta.parse_nested_meta(|inner| {
        match key_of(&inner)?.as_str() {
            "min" => min = Some(parse(&inner)?),
            "max" => max = Some(parse(&inner)?),
            _ => return Err(inner.error("expected `min` or `max`")),
        }
        Ok(())
    })?;
    match (min, max) {
        (None, None) => Err(meta.error("give `min`, `max` or both")),
        (Some(lo), Some(hi)) if lo > hi => Err(meta.error("`min` is greater than `max`")),
        bounds => Ok(bounds),
    }
}

fn default_lit(meta: &ParseNestedMeta) -> syn::Result<DefaultLit> {
    let input = meta.value()?;
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let lit: syn::Lit = input.parse()?;
    match lit {
        syn::Lit::Int(i) => {
            let n: i64 = i.base10_parse()?;
            Ok(DefaultLit::Int(if negative { -n } else { n }))
        }
        syn::Lit::Str(s) if !negative => Ok(DefaultLit::Str(s.value())),
        syn::Lit::Bool(b) if !negative => Ok(DefaultLit::Bool(b.value)),
        other => Err(syn::Error::new(
            other.span(),
            "a default must be an integer, string or bool literal",
        )),
    }
}

fn list_spec(meta: &ParseNestedMeta) -> syn::Result<ListSpec> {
    if no_arguments(meta) {
        return Err(meta.error("expected `list(set)` or `list(map(\"key\"))`"));
    }
    let mut spec = None;
    meta.parse_nested_meta(|inner| {
        match key_of(&inner)?.as_str() {
            "set" => spec = Some(ListSpec::Set),
            "map" => {
                let content;
                syn::parenthesized!(content in inner.input);
                let keys = content.parse_terminated(|s| s.parse::<LitStr>(), Token![,])?;
                if keys.is_empty() {
                    return Err(inner.error("a map list needs at least one key"));
                }
                spec = Some(ListSpec::Map(keys.iter().map(LitStr::value).collect()));
            }
            _ => return Err(inner.error("expected `set` or `map(\"key\", ...)`")),
        }
        Ok(())
    })?;
    spec.ok_or_else(|| meta.error("expected `list(set)` or `list(map(\"key\"))`"))
}

/// `crate = "path"` in a container's `#[viti(...)]`: the path the engine is reached by.
pub fn crate_override(cx: &Ctxt, attrs: &[syn::Attribute]) -> Option<syn::Path> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("viti")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: LitStr = meta.value()?.parse()?;
                found = Some(lit.parse::<syn::Path>().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`crate` names a path, e.g. crate = \"my_crate::viti\"",
                    )
                })?);
            } else {
                // Other keys are parsed (and reported) by `container_attrs`.
                skip_arguments(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            // Reported once, by `container_attrs`, when the attribute is malformed anyway.
            if attr_has_crate(attr) {
                cx.syn_error(e);
            }
        }
    }
    found
}

fn attr_has_crate(attr: &syn::Attribute) -> bool {
    let mut has = false;
    let _ = attr.parse_nested_meta(|meta| {
        has |= meta.path.is_ident("crate");
        skip_arguments(&meta)
    });
    has
}

/// Whether this `#[viti(...)]` holds nothing but `crate = "..."`.
pub fn is_crate_only(attr: &syn::Attribute) -> bool {
    let mut only = true;
    let parsed = attr.parse_nested_meta(|meta| {
        only &= meta.path.is_ident("crate");
        skip_arguments(&meta)
    });
    parsed.is_ok() && only
}

/// Consumes a key's arguments (`= value` or `(...)`) up to the next top-level comma.
fn skip_arguments(meta: &ParseNestedMeta) -> syn::Result<()> {
    while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// Parses every `#[viti(...)]` on a struct.
pub fn container_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("viti")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            if key == "crate" {
                // Read by `crate_override`.
                meta.value()?.parse::<LitStr>()?;
                return Ok(());
            }
            if field_key(&key).is_some() {
                return Err(meta.error(format!(
                    "`{key}` is a field attribute: put it on the field it constrains"
                )));
            }
            let Some((kind, options)) = container_key(&key) else {
                let known: Vec<&str> = CONTAINER_RULES.iter().map(|(k, ..)| *k).collect();
                return Err(unknown(&meta, &key, &known));
            };
            let keyword = Keyword {
                key: &key,
                kind,
                options,
            };
            let rule = container_rule(&meta, keyword, &mut out.paths, &mut out.item_paths)?;
            out.rules.push(rule);
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// The `key = "value"` options of one cross-field rule.
#[derive(Default)]
struct Options {
    strings: Vec<(String, LitStr)>,
    check: Option<syn::Path>,
}

impl Options {
    fn take(&mut self, key: &str) -> Option<LitStr> {
        let i = self.strings.iter().position(|(k, _)| k == key)?;
        Some(self.strings.remove(i).1)
    }
}

/// A struct keyword as written, with its table entry.
struct Keyword<'a> {
    key: &'a str,
    kind: ContainerKey,
    options: &'static [&'static str],
}

fn container_rule(
    meta: &ParseNestedMeta,
    keyword: Keyword,
    paths: &mut Vec<(Span, String)>,
    item_paths: &mut Vec<(Span, String)>,
) -> syn::Result<ContainerRule> {
    let key = keyword.key;
    let mut o = Options::default();
    let mut seen: Vec<String> = Vec::new();
    meta.parse_nested_meta(|inner| {
        let name = key_of(&inner)?;
        let known = keyword.options;
        if !known.contains(&name.as_str()) {
            let hint = known
                .iter()
                .map(|k| (distance(k, &name), k))
                .filter(|(d, _)| *d <= 2)
                .min()
                .map_or_else(
                    || format!("; expected one of: {}", known.join(", ")),
                    |(_, k)| format!("; did you mean `{k}`?"),
                );
            return Err(inner.error(format!("unknown option `{name}` of `{key}`{hint}")));
        }
        if seen.contains(&name) {
            return Err(inner.error(format!("duplicate option `{name}`")));
        }
        seen.push(name.clone());
        if name == "check" {
            o.check = Some(inner.value()?.parse()?);
        } else {
            o.strings.push((name, inner.value()?.parse()?));
        }
        Ok(())
    })?;
    let path =
        |o: &mut Options, paths: &mut Vec<(Span, String)>, name: &str| -> syn::Result<String> {
            let lit = o
                .take(name)
                .ok_or_else(|| meta.error(format!("`{key}` needs `{name} = \"...\"`")))?;
            paths.push((lit.span(), lit.value()));
            Ok(lit.value())
        };
    let kind = match keyword.kind {
        ContainerKey::Rule => {
            let when = pred_option(meta, &mut o, "when", paths)?;
            let then = pred_option(meta, &mut o, "then", paths)?;
            RuleKind::Implies { when, then }
        }
        ContainerKey::IpInCidr => {
            let each = match o.take("each") {
                Some(lit) => {
                    paths.push((lit.span(), lit.value()));
                    Some(lit.value())
                }
                None => None,
            };
            let ip = if let Some(list) = &each {
                let lit = o
                    .take("ip")
                    .ok_or_else(|| meta.error("`ip_in_cidr` needs `ip = \"...\"`"))?;
                item_paths.push((lit.span(), format!("{list}.{}", lit.value())));
                lit.value()
            } else {
                path(&mut o, paths, "ip")?
            };
            RuleKind::IpInCidr {
                ip,
                cidr: path(&mut o, paths, "cidr")?,
                each,
            }
        }
        ContainerKey::Ordered => {
            let by = match o.take("by") {
                None => OrderBy::Integer,
                Some(lit) => ORDER_BY
                    .iter()
                    .find(|(name, _)| *name == lit.value())
                    .map(|(_, by)| *by)
                    .ok_or_else(|| {
                        syn::Error::new(
                            lit.span(),
                            "`by` is one of \"integer\", \"quantity\", \"ipv4\"",
                        )
                    })?,
            };
            RuleKind::Ordered {
                lesser: path(&mut o, paths, "lesser")?,
                greater: path(&mut o, paths, "greater")?,
                by,
            }
        }
        ContainerKey::DisjointCidrs => RuleKind::Disjoint {
            a: path(&mut o, paths, "a")?,
            b: path(&mut o, paths, "b")?,
        },
        ContainerKey::Cel => {
            let rule = o
                .take("rule")
                .ok_or_else(|| meta.error("`cel` needs `rule = \"...\"`"))?
                .value();
            let check = o.check.take().ok_or_else(|| {
                meta.error("`cel` needs `check = path::to::fn` (a `fn(&serde_json::Value) -> bool`), so validate() enforces the rule too")
            })?;
            if o.strings.iter().all(|(k, _)| k != "message") {
                return Err(meta.error("`cel` needs `message = \"...\"`"));
            }
            RuleKind::Cel { rule, check }
        }
    };
    let common = common_options(meta, &mut o)?;
    Ok(ContainerRule { kind, common })
}

fn pred_option(
    meta: &ParseNestedMeta,
    o: &mut Options,
    name: &str,
    paths: &mut Vec<(Span, String)>,
) -> syn::Result<Pred> {
    let lit = o
        .take(name)
        .ok_or_else(|| meta.error(format!("`rule` needs `{name} = \"...\"`")))?;
    let parsed = pred::parse(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e))?;
    for p in parsed.paths() {
        paths.push((lit.span(), p.to_string()));
    }
    Ok(parsed)
}

fn common_options(meta: &ParseNestedMeta, o: &mut Options) -> syn::Result<Common> {
    let message = o.take("message").map(|l| l.value());
    let field_path = match o.take("field_path") {
        Some(lit) if !lit.value().starts_with('.') => {
            return Err(syn::Error::new(
                lit.span(),
                "a field_path starts with `.`, e.g. \".gateway\"",
            ));
        }
        lit => lit.map(|l| l.value()),
    };
    let reason = match o.take("reason") {
        None => None,
        Some(lit) => Some(
            REASONS
                .iter()
                .find(|(name, _)| *name == lit.value())
                .map(|(_, reason)| *reason)
                .ok_or_else(|| {
                    syn::Error::new(
                        lit.span(),
                        "reason is one of \"invalid\", \"required\", \"forbidden\", \"duplicate\"",
                    )
                })?,
        ),
    };
    if let Some((key, lit)) = o.strings.first() {
        return Err(syn::Error::new(
            lit.span(),
            format!("unknown option `{key}`"),
        ));
    }
    let _ = meta;
    Ok(Common {
        message,
        field_path,
        reason,
    })
}
