//! The derive's one table of keywords: every `#[viti(...)]` keyword, every option of a struct
//! keyword and every `#[crd(...)]` key, typed. The syntax layer looks a keyword up here and
//! dispatches on the typed key, never on the keyword's text; no other file lists them.

/// A field keyword, typed.
#[derive(Clone, Copy)]
pub enum FieldKey {
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
    Schemars,
    Required,
    Optional,
    MultipleOf,
    Number,
    Properties,
    /// A fact about the node that is not a rule (`nullable`, `format = "..."`, ...).
    Fact(FactKey),
    /// A named string format: the variant of the engine's `rules::Format` it expands to (a
    /// name the engine does not have fails to compile in the generated code).
    Format(&'static str),
}

/// A node fact keyword, typed.
#[derive(Clone, Copy)]
pub enum FactKey {
    Nullable,
    PreserveUnknownFields,
    EmbeddedResource,
    /// `format = "..."`: any OpenAPI format, written as is.
    Format,
    /// `map_type = "atomic" | "granular"` (`x-kubernetes-map-type`, on maps and structs).
    MapType,
}

/// Every field keyword, once. A new engine `Format` needs one line here.
pub const FIELD_RULES: &[(&str, FieldKey)] = &[
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
    ("schemars", FieldKey::Schemars),
    ("required", FieldKey::Required),
    ("optional", FieldKey::Optional),
    ("multiple_of", FieldKey::MultipleOf),
    ("number", FieldKey::Number),
    ("properties", FieldKey::Properties),
    ("nullable", FieldKey::Fact(FactKey::Nullable)),
    (
        "preserve_unknown_fields",
        FieldKey::Fact(FactKey::PreserveUnknownFields),
    ),
    (
        "embedded_resource",
        FieldKey::Fact(FactKey::EmbeddedResource),
    ),
    ("format", FieldKey::Fact(FactKey::Format)),
    ("map_type", FieldKey::Fact(FactKey::MapType)),
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
pub enum ContainerKey {
    Rule,
    IpInCidr,
    Ordered,
    DisjointCidrs,
    Cel,
    /// `exactly_one_of("a", "b")` and its siblings: a list of field names, no options.
    OneOf(OneOfCount),
}

/// How many fields of a one-of group may be set (the engine's `OneOfKind`).
#[derive(Clone, Copy)]
pub enum OneOfCount {
    Exactly,
    AtMost,
    AtLeast,
}

/// What a struct keyword's option holds, so the syntax layer parses it before it knows the rule.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A field path relative to the struct (checked against its fields).
    Path,
    /// A condition of the `rule` language (its paths are checked).
    Condition,
    /// Plain text, or a keyword of a small table (`by`, `reason`).
    Text,
    /// A Rust path (`check = path::to::fn`).
    RustPath,
    /// A boolean literal (`optional_old_self = true`).
    Bool,
}

/// A struct keyword's option, typed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OptionKey {
    When,
    Then,
    Ip,
    Cidr,
    Each,
    Lesser,
    Greater,
    By,
    A,
    B,
    Rule,
    Check,
    Message,
    MessageExpression,
    FieldPath,
    Reason,
    OptionalOldSelf,
}

/// Every option of a struct keyword, once: its name and what it holds.
pub const OPTIONS: &[(&str, OptionKey, OptionKind)] = &[
    ("when", OptionKey::When, OptionKind::Condition),
    ("then", OptionKey::Then, OptionKind::Condition),
    ("ip", OptionKey::Ip, OptionKind::Path),
    ("cidr", OptionKey::Cidr, OptionKind::Path),
    ("each", OptionKey::Each, OptionKind::Path),
    ("lesser", OptionKey::Lesser, OptionKind::Path),
    ("greater", OptionKey::Greater, OptionKind::Path),
    ("by", OptionKey::By, OptionKind::Text),
    ("a", OptionKey::A, OptionKind::Path),
    ("b", OptionKey::B, OptionKind::Path),
    ("rule", OptionKey::Rule, OptionKind::Text),
    ("check", OptionKey::Check, OptionKind::RustPath),
    ("message", OptionKey::Message, OptionKind::Text),
    ("field_path", OptionKey::FieldPath, OptionKind::Text),
    ("reason", OptionKey::Reason, OptionKind::Text),
    (
        "message_expression",
        OptionKey::MessageExpression,
        OptionKind::Text,
    ),
    (
        "optional_old_self",
        OptionKey::OptionalOldSelf,
        OptionKind::Bool,
    ),
];

/// The options a struct keyword takes, in the order its error messages list them.
pub type Options = &'static [OptionKey];

/// Every struct keyword, once, with the options it takes (`message` and `field_path`, which
/// every one takes, included).
pub const CONTAINER_RULES: &[(&str, ContainerKey, Options)] = &[
    (
        "rule",
        ContainerKey::Rule,
        &[
            OptionKey::When,
            OptionKey::Then,
            OptionKey::Message,
            OptionKey::FieldPath,
            OptionKey::Reason,
        ],
    ),
    (
        "ip_in_cidr",
        ContainerKey::IpInCidr,
        &[
            OptionKey::Ip,
            OptionKey::Cidr,
            OptionKey::Each,
            OptionKey::Message,
            OptionKey::FieldPath,
        ],
    ),
    (
        "ordered",
        ContainerKey::Ordered,
        &[
            OptionKey::Lesser,
            OptionKey::Greater,
            OptionKey::By,
            OptionKey::Message,
            OptionKey::FieldPath,
        ],
    ),
    (
        "disjoint_cidrs",
        ContainerKey::DisjointCidrs,
        &[
            OptionKey::A,
            OptionKey::B,
            OptionKey::Message,
            OptionKey::FieldPath,
        ],
    ),
    (
        "cel",
        ContainerKey::Cel,
        &[
            OptionKey::Rule,
            OptionKey::Message,
            OptionKey::MessageExpression,
            OptionKey::Check,
            OptionKey::FieldPath,
            OptionKey::Reason,
            OptionKey::OptionalOldSelf,
        ],
    ),
    (
        "exactly_one_of",
        ContainerKey::OneOf(OneOfCount::Exactly),
        &[],
    ),
    (
        "at_most_one_of",
        ContainerKey::OneOf(OneOfCount::AtMost),
        &[],
    ),
    (
        "at_least_one_of",
        ContainerKey::OneOf(OneOfCount::AtLeast),
        &[],
    ),
];

/// The name and kind of a struct keyword's option.
pub fn option(key: OptionKey) -> (&'static str, OptionKind) {
    OPTIONS
        .iter()
        .find(|(_, k, _)| *k == key)
        .map_or(("", OptionKind::Text), |(name, _, kind)| (*name, *kind))
}

/// A `#[crd(...)]` key, typed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CrdKey {
    Group,
    Version,
    Kind,
    Plural,
    Namespaced,
    Status,
    ShortName,
    Category,
    PrintColumn,
    Doc,
    Crate,
    Storage,
    Served,
    Deprecated,
    Selectable,
    Scale,
}

/// How often a key may be given.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// At most once: a second would silently replace the first, so it is an error.
    Once,
    /// Any number of times, each adding one (`shortname`, `category`, `printcolumn`,
    /// `selectable`).
    Many,
}

/// Every `#[crd(...)]` key, once.
pub const CRD_KEYS: &[(&str, CrdKey, Repeat)] = &[
    ("group", CrdKey::Group, Repeat::Once),
    ("version", CrdKey::Version, Repeat::Once),
    ("kind", CrdKey::Kind, Repeat::Once),
    ("plural", CrdKey::Plural, Repeat::Once),
    ("namespaced", CrdKey::Namespaced, Repeat::Once),
    ("status", CrdKey::Status, Repeat::Once),
    ("shortname", CrdKey::ShortName, Repeat::Many),
    ("category", CrdKey::Category, Repeat::Many),
    ("printcolumn", CrdKey::PrintColumn, Repeat::Many),
    ("doc", CrdKey::Doc, Repeat::Once),
    ("crate", CrdKey::Crate, Repeat::Once),
    ("storage", CrdKey::Storage, Repeat::Once),
    ("served", CrdKey::Served, Repeat::Once),
    ("deprecated", CrdKey::Deprecated, Repeat::Once),
    ("selectable", CrdKey::Selectable, Repeat::Many),
    ("scale", CrdKey::Scale, Repeat::Once),
];

/// The `#[crd(...)]` key `key`, and how often it may be given.
pub fn crd_key(key: &str) -> Option<(CrdKey, Repeat)> {
    CRD_KEYS
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, key, repeat)| (*key, *repeat))
}

/// The error type a failed cross-field rule reports (the engine's `Reason`).
#[derive(Clone, Copy)]
pub enum Reason {
    Invalid,
    Required,
    Forbidden,
    Duplicate,
}

/// `reason = "..."` values.
pub const REASONS: &[(&str, Reason)] = &[
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

/// `by = "..."` values.
pub const ORDER_BY: &[(&str, OrderBy)] = &[
    ("integer", OrderBy::Integer),
    ("quantity", OrderBy::Quantity),
    ("ipv4", OrderBy::Ipv4),
];

/// The field keyword `key`.
pub fn field_key(key: &str) -> Option<FieldKey> {
    FIELD_RULES.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The struct keyword `key`, with its options.
pub fn container_key(key: &str) -> Option<(ContainerKey, Options)> {
    CONTAINER_RULES
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, kind, options)| (*kind, *options))
}
