//! The derive's model: what the attributes and the type say, as the syntax layer read it, with
//! the spans errors are reported at, and what the check decides from it ([`Schema`],
//! [`Resource`], [`DecidedRule`]: every default applied). [`crate::check`] checks the whole
//! model and wraps what it decided in [`crate::check::Checked`], the only input [`crate::emit`]
//! takes.

use crate::pred::Pred;
use crate::table::{OneOfCount, OrderBy, Reason};
use proc_macro2::{Span, TokenStream};
use syn::LitStr;

/// A stretch of source from `start` to `end` (e.g. `range(min = 1, max = 2)`), for errors about
/// a whole attribute item.
#[derive(Clone, Copy)]
pub struct Site {
    pub start: Span,
    pub end: Span,
}

impl Site {
    /// An error covering the whole stretch.
    pub fn error(&self, message: impl std::fmt::Display) -> syn::Error {
        let tokens: TokenStream = [
            proc_macro2::TokenTree::Ident(proc_macro2::Ident::new("start", self.start)),
            proc_macro2::TokenTree::Ident(proc_macro2::Ident::new("end", self.end)),
        ]
        .into_iter()
        .collect();
        syn::Error::new_spanned(tokens, message)
    }
}

/// What a rule applies to; the emitted code asserts the field's type at the rule's span.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Integer,
    String,
    List,
    /// An integer or `f64`.
    Number,
    /// A list or a map (`each(...)`: their items or values).
    Elements,
    /// Any field type (the update-time `immutable`).
    Any,
}

/// `min`/`max` bounds as written, with the item they were written in.
pub struct Bounds<T> {
    pub min: Option<T>,
    pub max: Option<T>,
    pub site: Site,
}

/// A field rule, as written.
pub enum FieldRule {
    Range(Bounds<i64>),
    Length(Bounds<u64>),
    Items(Bounds<u64>),
    /// The regular expression literal (compiled by the check).
    Pattern(LitStr),
    OneOf(Vec<String>),
    /// A variant name of the engine's `rules::Format`.
    Format(&'static str),
    /// Bound literals (parsed as quantities by the check).
    Quantity(Option<LitStr>, Option<LitStr>),
    Odd,
    UniqueBy(String),
    /// `multiple_of = 5` / `0.5`: the number literal's text.
    MultipleOf(String),
    /// `number(min = 0.5, max = 2, exclusive_min, exclusive_max)`: literal texts.
    Number {
        min: Option<String>,
        max: Option<String>,
        exclusive_min: bool,
        exclusive_max: bool,
    },
    /// `properties(min = 1, max = 5)` on a map or struct.
    Properties(Bounds<u64>),
    /// Update-time: immutable once set.
    Immutable,
    /// Update-time: a quantity that may only grow.
    MayOnlyGrow,
    /// Update-time: a Kubernetes version that moves up one minor version at a time.
    KubernetesVersionStep,
}

impl FieldRule {
    /// Whether the rule compares a value with the old one (an update-time rule).
    pub fn is_transition(&self) -> bool {
        matches!(
            self,
            FieldRule::Immutable | FieldRule::MayOnlyGrow | FieldRule::KubernetesVersionStep
        )
    }

    /// The kind of field the rule constrains.
    pub fn target(&self) -> Target {
        match self {
            FieldRule::Range(..) | FieldRule::Odd => Target::Integer,
            FieldRule::Items(..) | FieldRule::UniqueBy(_) => Target::List,
            FieldRule::Immutable | FieldRule::Properties(_) => Target::Any,
            FieldRule::MultipleOf(_) | FieldRule::Number { .. } => Target::Number,
            FieldRule::Length(..)
            | FieldRule::Pattern(_)
            | FieldRule::OneOf(_)
            | FieldRule::Format(_)
            | FieldRule::Quantity(..)
            | FieldRule::MayOnlyGrow
            | FieldRule::KubernetesVersionStep => Target::String,
        }
    }
}

/// A fact about a field's node that is not a rule, as written.
pub enum Fact {
    Nullable,
    PreserveUnknownFields,
    EmbeddedResource,
    Format(String),
    MapType(String),
}

/// A list type, as written.
pub enum ListSpec {
    /// `list(atomic)`: written out as `x-kubernetes-list-type: atomic` (the default, unwritten
    /// otherwise).
    Atomic,
    Set,
    Map(Vec<String>),
}

/// A default value, JSON written in Rust tokens.
pub enum DefaultLit {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Null,
    List(Vec<DefaultLit>),
    /// Keys in the order written (checked: each once).
    Object(Vec<(String, DefaultLit)>),
}

/// Everything `#[viti(...)]` says about one field; each rule with the span of its keyword.
#[derive(Default)]
pub struct FieldAttrs {
    pub rules: Vec<(Span, FieldRule)>,
    pub each: Vec<(Span, FieldRule)>,
    pub default: Option<DefaultLit>,
    pub list: Option<(Span, ListSpec)>,
    /// `required`: required in the schema though the type is an `Option` (controller-gen's
    /// `+required`).
    pub required: Option<Span>,
    /// `nullable`, `format = "..."`, ...: facts about the node.
    pub facts: Vec<(Span, Fact)>,
    /// `schemars`: the field's schema is its type's `schemars::JsonSchema`, bridged.
    pub schemars: Option<Span>,
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
    /// Of these fields (wire names of the struct), exactly / at most / at least one is set.
    OneOf {
        fields: Vec<String>,
        count: OneOfCount,
    },
    /// Raw CEL, evaluated by the engine, or by `check` (a fast path) when given.
    Cel {
        /// The rule, where a syntax error points.
        rule: LitStr,
        check: Option<syn::Path>,
        /// `messageExpression`, where a syntax error points.
        message_expression: Option<LitStr>,
        optional_old_self: Option<syn::LitBool>,
    },
}

/// Options every cross-field rule takes.
#[derive(Default)]
pub struct Common {
    pub message: Option<String>,
    /// The literal, so the check can point at it.
    pub field_path: Option<LitStr>,
    pub reason: Option<Reason>,
}

/// A struct rule as the check decided it: what it relates, and how a violation is reported.
pub struct DecidedRule {
    pub kind: RuleKind,
    pub outcome: Outcome,
}

/// How a violation of a struct rule is reported, with every default applied by the check (the
/// engine's `rules::Outcome`).
pub struct Outcome {
    pub message: String,
    /// Relative to the struct, starting with `.`.
    pub field_path: Option<String>,
    pub reason: Reason,
}

/// A field path a struct rule names, at the literal it was written in.
pub struct RulePath {
    pub span: Span,
    pub path: String,
    /// A path into the items of the list field `path`'s first segment names (`each` + `.` +
    /// item path): its first segment is checked as the `each` option itself.
    pub into_items: bool,
}

/// The `#[viti(...)]` of a struct or enum.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `crate = "..."`: the path of the engine crate.
    pub krate: Option<syn::Path>,
    pub rules: Vec<ContainerRule>,
    /// Every field path the rules name, including those of rules that failed to parse.
    pub paths: Vec<RulePath>,
    /// `#[viti(...)]` attributes that say more than `crate = "..."` where rules cannot go (an
    /// enum or a variant).
    pub misplaced: Vec<TokenStream>,
}

/// A `#[derive(Schema)]` type.
pub struct Container<'a> {
    pub ident: &'a syn::Ident,
    pub generics: &'a syn::Generics,
    pub doc: String,
    pub attrs: ContainerAttrs,
    pub data: Data<'a>,
}

/// A `#[derive(Schema)]` type as the check decided it: the model, and its struct rules decided
/// (the model's own list of them is emptied, so emit reads the decided ones only).
pub struct Schema<'a> {
    pub container: Container<'a>,
    pub rules: Vec<DecidedRule>,
}

/// The shape of the type.
pub enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant>),
    /// A tuple or unit struct: no field names.
    Unnamed,
}

/// A struct field the wire carries.
pub struct Field<'a> {
    /// The field's name, where errors about the field point.
    pub ident: Option<&'a syn::Ident>,
    pub ty: &'a syn::Type,
    pub wire: String,
    pub doc: String,
    pub attrs: FieldAttrs,
    /// A serde default (on the field or the container): the field is not required.
    pub serde_default: bool,
    pub skip_serializing_if: bool,
    /// `#[serde(flatten)]`, with the attribute to point at.
    pub flatten: Option<TokenStream>,
}

/// An enum variant.
pub struct Variant {
    /// `Name(data)`, where an error about data points; `None` for a unit variant.
    pub data: Option<TokenStream>,
    /// The wire value; `None` when deserializing skips it.
    pub value: Option<String>,
    pub attrs: ContainerAttrs,
}

/// A `#[derive(CustomResource)]` spec struct and its `#[crd(...)]`.
pub struct Crd<'a> {
    pub spec: &'a syn::Ident,
    pub group: Option<String>,
    pub version: Option<String>,
    pub kind: Option<String>,
    pub plural: Option<String>,
    pub namespaced: bool,
    pub status: Option<syn::Type>,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub columns: Vec<Column>,
    /// `selectable = ".spec.x"`: the JSON path literals.
    pub selectable: Vec<LitStr>,
    /// `scale(...)`.
    pub scale: Option<Scale>,
    /// `doc = "..."`, else the spec's doc comment.
    pub doc: String,
    /// `crate = "..."`: the path of the engine crate.
    pub krate: Option<syn::Path>,
    /// Keys whose item failed to parse: "missing" errors about them would be noise.
    pub failed: Vec<String>,
    /// `storage`, `served = false`, `deprecated = "..."`: this version's place among the kind's
    /// versions (read by `versions!`).
    pub flags: VersionFlags,
}

/// A `#[derive(CustomResource)]` as the check decided it: every key a kind needs present, the
/// names it derives (plural, singular) chosen.
pub struct Resource<'a> {
    pub spec: &'a syn::Ident,
    pub group: String,
    pub version: String,
    pub kind: String,
    /// `plural = "..."`, else the kind lower-cased plus `s`.
    pub plural: String,
    /// The kind lower-cased.
    pub singular: String,
    pub namespaced: bool,
    pub status: syn::Type,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub columns: Vec<Column>,
    pub selectable: Vec<LitStr>,
    pub scale: Option<Scale>,
    pub doc: String,
    pub krate: Option<syn::Path>,
    pub flags: VersionFlags,
}

/// `scale(spec_replicas_path = "...", status_replicas_path = "...", label_selector_path =
/// "...")`: the literals, checked (under `.spec` / `.status`).
pub struct Scale {
    pub spec_replicas_path: LitStr,
    pub status_replicas_path: LitStr,
    pub label_selector_path: Option<LitStr>,
}

/// How one version of a kind appears in the merged CRD of `versions!`.
pub struct VersionFlags {
    /// `storage`: the version objects are stored in.
    pub storage: bool,
    /// `served = false` turns it off.
    pub served: bool,
    /// `deprecated = "warning"` (checked: not blank).
    pub deprecated: Option<LitStr>,
}

impl Default for VersionFlags {
    fn default() -> Self {
        VersionFlags {
            storage: false,
            served: true,
            deprecated: None,
        }
    }
}

/// A `printcolumn(...)`.
pub struct Column {
    pub name: String,
    /// The type literal (one of the OpenAPI printer column types, checked).
    pub type_: LitStr,
    /// The JSONPath literal (starts with `.`, checked).
    pub json_path: LitStr,
    pub description: String,
    pub priority: i32,
    pub format: Option<String>,
}
