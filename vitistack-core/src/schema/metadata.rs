//! The schema of `ObjectMeta` at the root of a resource ([`super::Type::Metadata`]): the
//! fields a client may send and the rules the apiserver applies to them.

use crate::rules::{Format, Rule};

/// Fields of `ObjectMeta` a client may send.
pub const OBJECT_META_FIELDS: &[&str] = &[
    "annotations",
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generateName",
    "generation",
    "labels",
    "managedFields",
    "name",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
];

/// The rules on `metadata.name` of every vitistack object: an RFC 1123 label.
pub fn metadata_name_rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| Format::Rfc1123Label.rules())
}

/// The rule on each map of `ObjectMeta`, by field name: `labels` and `annotations`.
pub fn metadata_map_rules() -> &'static [(&'static str, Rule)] {
    static RULES: [(&str, Rule); 2] = [
        ("labels", Rule::Labels(crate::rules::Labels)),
        ("annotations", Rule::Annotations(crate::rules::Annotations)),
    ];
    &RULES
}
