//! Errors of the client: typed, with the API server's status kept, so a caller can tell a
//! `403 Forbidden` from a transient blip and a conflict from a timeout.

use crate::report::ValidationErrors;
use crate::unstructured::ConversionError;
use kube::core::Status;
use kube::runtime::watcher;
use std::time::Duration;

/// Anything the client can fail with.
///
/// The API server's answer is never flattened into a string: [`Error::status`] gives the
/// `Status` (code, reason, message, causes) of every variant that came from one, and
/// [`Error::is_transient`] says whether trying again later may help.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API server refused the request (`kube::Error::Api` keeps its `Status`) or the
    /// connection failed.
    #[error(transparent)]
    Kube(#[from] kube::Error),
    /// The watch behind a wait failed with an error that waiting longer cannot fix (for
    /// example `403 Forbidden` or an unknown resource). Transient watch errors (`410 Gone`,
    /// dropped connections, `5xx`) are retried with backoff instead and never end up here.
    #[error("waiting failed: {0}")]
    Watch(#[source] watcher::Error),
    /// A non-forced server-side apply conflicts with fields another field manager owns.
    #[error("{0}")]
    ApplyConflict(ApplyConflicts),
    /// `validate()` found violations; nothing was sent.
    #[error("invalid object:\n{0}")]
    Invalid(ValidationErrors),
    /// An object did not fit its Rust type.
    #[error(transparent)]
    Conversion(#[from] ConversionError),
    /// No vitistack kind by that name.
    #[error("unknown kind {0:?}: expected a vitistack.io kind, plural or short name")]
    UnknownKind(String),
    /// An object without `metadata.name` cannot be applied.
    #[error("metadata.name: Required value: server-side apply needs a name")]
    MissingName,
    /// A wait ran out of time. `last_error` is the last transient error the wait retried
    /// through, if any (it may be why the state was not reached).
    #[error("timed out after {waited:?}: {what}{}", last_error.as_ref().map(|e| format!(" (last transient error: {e})")).unwrap_or_default())]
    Timeout {
        /// What was waited for.
        what: String,
        /// How long.
        waited: Duration,
        /// The last transient error seen while waiting.
        last_error: Option<String>,
    },
    /// A delete waited out its time because finalizers keep the object.
    #[error("{kind} {namespace}/{name} still exists after {waited:?}: deletion is blocked by the finalizers {finalizers:?}")]
    DeleteBlocked {
        /// Kind of the object.
        kind: String,
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
        /// The finalizers still on it.
        finalizers: Vec<String>,
        /// How long the delete waited.
        waited: Duration,
    },
    /// The object waited for does not exist (it was deleted, or never existed).
    #[error("{kind} {namespace}/{name} does not exist (deleted while waiting, or never created)")]
    Deleted {
        /// Kind of the object.
        kind: String,
        /// Its namespace.
        namespace: String,
        /// Its name.
        name: String,
    },
    /// The closure of `update_status` changed fields outside `status`. The status subresource
    /// would silently drop them, so nothing was sent.
    #[error("update_status may change only status, but the closure changed {}: write those with apply or replace", paths.join(", "))]
    NotStatusOnly {
        /// The paths changed outside `status`.
        paths: Vec<String>,
    },
    /// The API server did not accept the names of a CRD (`NamesAccepted=False`, e.g. a plural
    /// or short name another CRD already uses).
    #[error("CRD {name}: names not accepted: {reason}: {message}")]
    CrdNamesNotAccepted {
        /// The CRD.
        name: String,
        /// The condition's reason.
        reason: String,
        /// The condition's message.
        message: String,
    },
    /// A CRD lists no version with `storage: true` (the apiserver never accepts one; seen only
    /// with a hand-made object).
    #[error("CRD {0}: no storage version")]
    NoStorageVersion(String),
}

impl Error {
    /// The API server's `Status` behind this error, if it came from one.
    pub fn status(&self) -> Option<&Status> {
        match self {
            Error::Kube(kube::Error::Api(status)) => Some(status),
            Error::Watch(error) => watch_status(error),
            Error::ApplyConflict(conflicts) => Some(&conflicts.status),
            _ => None,
        }
    }

    /// The HTTP status code of the API server's answer, if this error came from one.
    pub fn code(&self) -> Option<u16> {
        self.status().map(|s| s.code)
    }

    /// `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.code() == Some(404)
    }

    /// `409 Conflict` (a stale resourceVersion, an existing name, or an apply conflict).
    pub fn is_conflict(&self) -> bool {
        self.code() == Some(409)
    }

    /// `403 Forbidden`: the identity may not do this; retrying does not help.
    pub fn is_forbidden(&self) -> bool {
        self.code() == Some(403)
    }

    /// Whether trying again later may succeed: `429 Too Many Requests`, `5xx`, `410 Gone` (a
    /// watch re-lists), a timeout, or a connection that failed before the server answered.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Kube(error) => kube_error_is_transient(error),
            Error::Watch(error) => watch_error_is_transient(error),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }
}

fn watch_status(error: &watcher::Error) -> Option<&Status> {
    match error {
        watcher::Error::InitialListFailed(kube::Error::Api(status))
        | watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::WatchFailed(kube::Error::Api(status)) => Some(status),
        watcher::Error::WatchError(status) => Some(status),
        _ => None,
    }
}

/// Whether an HTTP status code may go away by itself.
pub(crate) fn code_is_transient(code: u16) -> bool {
    matches!(code, 408 | 410 | 429 | 500..=599)
}

pub(crate) fn kube_error_is_transient(error: &kube::Error) -> bool {
    match error {
        kube::Error::Api(status) => code_is_transient(status.code),
        // The request never got an answer (refused, reset, TLS handshake, timeout).
        kube::Error::HyperError(_) | kube::Error::Service(_) | kube::Error::ReadEvents(_) => true,
        _ => false,
    }
}

pub(crate) fn watch_error_is_transient(error: &watcher::Error) -> bool {
    match error {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => kube_error_is_transient(e),
        watcher::Error::WatchError(status) => code_is_transient(status.code),
        // A server without resourceVersions on a watch: the watcher re-lists.
        watcher::Error::NoResourceVersion => true,
    }
}

/// The fields a non-forced apply would have taken from other field managers.
#[derive(Debug, Clone)]
pub struct ApplyConflicts {
    /// One entry per conflicting field.
    pub conflicts: Vec<FieldConflict>,
    /// The API server's `409 Conflict` answer.
    pub status: Box<Status>,
}

/// One field another manager owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    /// The field, as the API server names it (`.spec.qos.priority`).
    pub field: String,
    /// The field manager that owns it (`kubectl-edit`).
    pub manager: String,
}

impl std::fmt::Display for ApplyConflicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "apply conflicts with other field managers:")?;
        for c in &self.conflicts {
            write!(f, " {} (owned by {:?});", c.field, c.manager)?;
        }
        if self.conflicts.is_empty() {
            write!(f, " {};", self.status.message)?;
        }
        write!(
            f,
            " leave these fields out, or take them over with a forced apply"
        )
    }
}

impl ApplyConflicts {
    /// Reads the conflicts of a `409` answer to a server-side apply; `None` if it is not one.
    pub(crate) fn from_status(status: &Status) -> Option<ApplyConflicts> {
        let details = status.details.as_ref()?;
        let conflicts: Vec<FieldConflict> = details
            .causes
            .iter()
            .filter(|c| c.reason == "FieldManagerConflict")
            .map(|c| FieldConflict {
                field: c.field.clone(),
                manager: manager_of(&c.message),
            })
            .collect();
        if status.code != 409 || conflicts.is_empty() {
            return None;
        }
        Some(ApplyConflicts {
            conflicts,
            status: Box::new(status.clone()),
        })
    }
}

/// The manager of a cause message `conflict with "kubectl-edit" using vitistack.io/v1alpha1`.
fn manager_of(message: &str) -> String {
    message
        .split('"')
        .nth(1)
        .map_or_else(|| message.to_string(), str::to_string)
}

/// An object a lenient list could not decode.
#[derive(Debug)]
pub struct DecodeFailure {
    /// The object's name.
    pub name: String,
    /// Why, with the field path.
    pub error: ConversionError,
}

/// The result of a lenient list.
#[derive(Debug)]
pub struct LenientList<K> {
    /// Objects that decoded.
    pub items: Vec<K>,
    /// One entry per object that did not.
    pub failures: Vec<DecodeFailure>,
    /// The list's `resourceVersion`: start a watch from it to miss nothing that changed after
    /// the list.
    pub resource_version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_causes_name_field_and_manager() {
        let status: Status = serde_json::from_value(serde_json::json!({
            "status": "Failure", "code": 409, "reason": "Conflict",
            "message": "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using vitistack.io/v1alpha1: .spec.qos.priority",
            "details": {"causes": [{"reason": "FieldManagerConflict",
                "message": "conflict with \"kubectl-edit\" using vitistack.io/v1alpha1",
                "field": ".spec.qos.priority"}]}
        }))
        .unwrap();
        let conflicts = ApplyConflicts::from_status(&status).expect("a conflict");
        assert_eq!(
            conflicts.conflicts,
            vec![FieldConflict {
                field: ".spec.qos.priority".into(),
                manager: "kubectl-edit".into()
            }]
        );
        let text = conflicts.to_string();
        assert!(
            text.contains(".spec.qos.priority (owned by \"kubectl-edit\")"),
            "{text}"
        );
    }

    #[test]
    fn transient_codes() {
        for code in [408, 410, 429, 500, 503, 504] {
            assert!(code_is_transient(code), "{code}");
        }
        for code in [400, 401, 403, 404, 409, 422] {
            assert!(!code_is_transient(code), "{code}");
        }
    }
}
