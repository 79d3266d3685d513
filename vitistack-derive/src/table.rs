//! The derive's one table of rules: every `#[viti(...)]` keyword, typed. The syntax layer looks
//! a keyword up here and dispatches on the typed key, never on the keyword's text.

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
    /// A named string format: the variant of the engine's `rules::Format` it expands to (a
    /// name the engine does not have fails to compile in the generated code).
    Format(&'static str),
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

/// The options every struct keyword takes besides its own.
const COMMON: [(&str, OptionKind); 2] = [
    ("message", OptionKind::Text),
    ("field_path", OptionKind::Text),
];

/// The options a struct keyword takes, each with what it holds.
pub type Options = &'static [(&'static str, OptionKind)];

/// Every struct keyword, once, with the options it takes (the common ones are in the list).
pub const CONTAINER_RULES: &[(&str, ContainerKey, Options)] = &[
    (
        "rule",
        ContainerKey::Rule,
        &[
            ("when", OptionKind::Condition),
            ("then", OptionKind::Condition),
            COMMON[0],
            COMMON[1],
            ("reason", OptionKind::Text),
        ],
    ),
    (
        "ip_in_cidr",
        ContainerKey::IpInCidr,
        &[
            ("ip", OptionKind::Path),
            ("cidr", OptionKind::Path),
            ("each", OptionKind::Path),
            COMMON[0],
            COMMON[1],
        ],
    ),
    (
        "ordered",
        ContainerKey::Ordered,
        &[
            ("lesser", OptionKind::Path),
            ("greater", OptionKind::Path),
            ("by", OptionKind::Text),
            COMMON[0],
            COMMON[1],
        ],
    ),
    (
        "disjoint_cidrs",
        ContainerKey::DisjointCidrs,
        &[
            ("a", OptionKind::Path),
            ("b", OptionKind::Path),
            COMMON[0],
            COMMON[1],
        ],
    ),
    (
        "cel",
        ContainerKey::Cel,
        &[
            ("rule", OptionKind::Text),
            COMMON[0],
            ("message_expression", OptionKind::Text),
            ("check", OptionKind::RustPath),
            COMMON[1],
            ("reason", OptionKind::Text),
            ("optional_old_self", OptionKind::Bool),
        ],
    ),
];

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
