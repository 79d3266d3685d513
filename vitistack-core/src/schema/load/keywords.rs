//! The keywords of a CRD schema node (`JSONSchemaProps`), one list: what the loader reads, what
//! it keeps as written, and what a structural schema forbids.

/// How the loader treats a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Treatment {
    /// Read into the model (shape, a [`crate::rules::Rule`], or a node field).
    Read,
    /// Kept as written in [`crate::schema::Node::verbatim`]: no enforcer reads it.
    Verbatim,
    /// Never in a structural schema; the text says why.
    Forbidden(&'static str),
}

/// Every keyword of `JSONSchemaProps` (apiextensions v1), with its treatment.
pub(super) const KEYWORDS: &[(&str, Treatment)] = &[
    ("type", Treatment::Read),
    ("format", Treatment::Read),
    ("description", Treatment::Read),
    ("default", Treatment::Read),
    ("nullable", Treatment::Read),
    ("enum", Treatment::Read),
    ("maximum", Treatment::Read),
    ("exclusiveMaximum", Treatment::Read),
    ("minimum", Treatment::Read),
    ("exclusiveMinimum", Treatment::Read),
    ("multipleOf", Treatment::Read),
    ("maxLength", Treatment::Read),
    ("minLength", Treatment::Read),
    ("pattern", Treatment::Read),
    ("maxItems", Treatment::Read),
    ("minItems", Treatment::Read),
    ("uniqueItems", Treatment::Read),
    ("maxProperties", Treatment::Read),
    ("minProperties", Treatment::Read),
    ("required", Treatment::Read),
    ("properties", Treatment::Read),
    ("additionalProperties", Treatment::Read),
    ("items", Treatment::Read),
    ("allOf", Treatment::Read),
    ("anyOf", Treatment::Read),
    ("oneOf", Treatment::Read),
    ("not", Treatment::Read),
    ("x-kubernetes-preserve-unknown-fields", Treatment::Read),
    ("x-kubernetes-embedded-resource", Treatment::Read),
    ("x-kubernetes-int-or-string", Treatment::Read),
    ("x-kubernetes-list-type", Treatment::Read),
    ("x-kubernetes-list-map-keys", Treatment::Read),
    ("x-kubernetes-validations", Treatment::Read),
    ("x-kubernetes-map-type", Treatment::Verbatim),
    ("title", Treatment::Verbatim),
    ("example", Treatment::Verbatim),
    ("externalDocs", Treatment::Verbatim),
    (
        "$ref",
        Treatment::Forbidden("`$ref` is not allowed: a structural schema is inlined"),
    ),
    (
        "$schema",
        Treatment::Forbidden("`$schema` is not allowed in a structural schema"),
    ),
    (
        "id",
        Treatment::Forbidden("`id` is not allowed in a structural schema"),
    ),
    (
        "definitions",
        Treatment::Forbidden("`definitions` is not allowed: a structural schema is inlined"),
    ),
    (
        "patternProperties",
        Treatment::Forbidden("`patternProperties` is not allowed in a structural schema"),
    ),
    (
        "dependencies",
        Treatment::Forbidden("`dependencies` is not allowed in a structural schema"),
    ),
    (
        "additionalItems",
        Treatment::Forbidden("`additionalItems` is not allowed in a structural schema"),
    ),
];

/// The treatment of `keyword`; `None` for one `JSONSchemaProps` does not have.
pub(super) fn treatment(keyword: &str) -> Option<Treatment> {
    KEYWORDS
        .iter()
        .find(|(name, _)| *name == keyword)
        .map(|(_, treatment)| *treatment)
}
