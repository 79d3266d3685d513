//! The error of one object's conversion.

/// Why an object could not be converted. The message names the object when it is known.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ConversionError {
    /// The object is not a JSON object, or lacks `apiVersion`.
    #[error("{object}: {reason}")]
    Malformed {
        /// `kind namespace/name` or the object's index.
        object: String,
        /// What is wrong.
        reason: String,
    },
    /// The object's or the desired `apiVersion` is not a version of this kind.
    #[error("{object}: unknown apiVersion {api_version:?} (known: {known})")]
    UnknownVersion {
        /// `kind namespace/name`.
        object: String,
        /// The version asked for.
        api_version: String,
        /// The versions the converter knows, comma separated.
        known: String,
    },
    /// No converter of the webhook handles the object's kind in the desired group.
    #[error("{object}: no conversion for kind {kind:?} in group {group:?} (this webhook converts: {known})")]
    UnknownKind {
        /// `kind namespace/name`.
        object: String,
        /// The group of the desired `apiVersion`.
        group: String,
        /// The object's kind.
        kind: String,
        /// The kinds the webhook converts, `Kind.group`, comma separated.
        known: String,
    },
    /// The object does not decode as its version's type.
    #[error("{object}: does not decode as {api_version}: {reason}")]
    Decode {
        /// `kind namespace/name`.
        object: String,
        /// The version it claims.
        api_version: String,
        /// The decoder's message, with the field path.
        reason: String,
    },
    /// A user conversion function refused the object.
    #[error("{object}: {reason}")]
    Refused {
        /// `kind namespace/name`.
        object: String,
        /// The conversion function's message.
        reason: String,
    },
}

impl ConversionError {
    /// A refusal, for user conversion functions; the converter fills in the object's name.
    pub fn refused(reason: impl Into<String>) -> Self {
        ConversionError::Refused {
            object: String::new(),
            reason: reason.into(),
        }
    }

    /// The same error about `object` (used by the converter to name the object).
    pub(crate) fn about(self, name: &str) -> Self {
        match self {
            ConversionError::Refused { object, reason } if object.is_empty() => {
                ConversionError::Refused {
                    object: name.to_string(),
                    reason,
                }
            }
            other => other,
        }
    }
}
