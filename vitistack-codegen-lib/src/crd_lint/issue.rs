//! One thing `lint` found: where (the apiserver's path, the object field), which check, how
//! bad, what.

use super::api_path::ApiPath;

/// How bad an [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The apiserver refuses the CRD (exit code 1).
    Refused,
    /// Accepted, but not as written: a field the apiserver drops or ignores.
    Warning,
    /// What `lint` could not check (never passed as valid silently).
    NotChecked,
    /// A measure, not a problem: a rule's estimated cost (`lint --cost`).
    Info,
}

impl Severity {
    /// `refused`, `warning`, `not-checked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Refused => "refused",
            Severity::Warning => "warning",
            Severity::NotChecked => "not-checked",
            Severity::Info => "info",
        }
    }
}

/// Which check found an [`Issue`]; one per family of the apiserver's CRD validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// The schema is not structural (or breaks another schema keyword rule).
    Structural,
    /// A `default` breaks its own schema.
    Default,
    /// A `pattern` Go's `regexp` (RE2) does not compile.
    Pattern,
    /// `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type` rules.
    ListType,
    /// An `x-kubernetes-validations` entry: rule, message, messageExpression, reason,
    /// fieldPath, optionalOldSelf, oldSelf where nothing correlates.
    Rule,
    /// The estimated cost of a rule, or of all rules of a schema.
    Cost,
    /// `selectableFields`.
    SelectableField,
    /// What the apiserver of `--kube-version` lacks.
    KubeVersion,
    /// A `format` the apiserver does not know (dropped, with a warning).
    Format,
}

impl Check {
    /// The check's id, as the SARIF rule id and the JSON `check`.
    pub fn id(self) -> &'static str {
        match self {
            Check::Structural => "structural",
            Check::Default => "default",
            Check::Pattern => "pattern",
            Check::ListType => "list-type",
            Check::Rule => "rule",
            Check::Cost => "cost",
            Check::SelectableField => "selectable-field",
            Check::KubeVersion => "kube-version",
            Check::Format => "format",
        }
    }

    /// Every check, for the SARIF rule list.
    pub const ALL: [Check; 9] = [
        Check::Structural,
        Check::Default,
        Check::Pattern,
        Check::ListType,
        Check::Rule,
        Check::Cost,
        Check::SelectableField,
        Check::KubeVersion,
        Check::Format,
    ];

    /// One line on what the check finds.
    pub fn description(self) -> &'static str {
        match self {
            Check::Structural => "The schema is not structural",
            Check::Default => "A default breaks its own schema",
            Check::Pattern => "A pattern that Go's regexp (RE2) does not compile",
            Check::ListType => "List-type and map-key rules",
            Check::Rule => "An x-kubernetes-validations rule the apiserver refuses",
            Check::Cost => "Estimated CEL cost over the apiserver's budget",
            Check::SelectableField => "A selectableFields entry the apiserver refuses",
            Check::KubeVersion => "Something the apiserver of --kube-version lacks",
            Check::Format => "A format the apiserver does not know",
        }
    }
}

/// One finding of `lint`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Issue {
    /// The apiserver's path, e.g.
    /// `spec.validation.openAPIV3Schema.properties[spec].properties[port].default`.
    pub path: ApiPath,
    /// The object field the schema node describes (`spec.port`, `spec.ports[*].name`); empty
    /// for the object itself or the CRD.
    pub field: String,
    /// How bad.
    pub severity: Severity,
    /// Which check.
    pub check: Check,
    /// What is wrong, in the apiserver's words where it has them
    /// (`Invalid value: 9: in body should be less than or equal to 5`).
    pub message: String,
}

impl Issue {
    pub(crate) fn refused(
        path: ApiPath,
        field: &str,
        check: Check,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            path,
            field: field.to_owned(),
            severity: Severity::Refused,
            check,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if !self.field.is_empty() {
            write!(f, " (field {})", self.field)?;
        }
        Ok(())
    }
}
