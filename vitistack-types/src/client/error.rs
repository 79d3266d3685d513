//! Errors of the client.

use crate::unstructured::ConversionError;
use crate::validate::ValidationErrors;

/// Anything the client can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API server or the connection failed.
    #[error(transparent)]
    Kube(#[from] kube::Error),
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
    /// A wait ran out of time.
    #[error("timed out: {0}")]
    Timeout(String),
    /// A wait's watch failed.
    #[error("waiting failed: {0}")]
    Wait(String),
    /// An object could not be encoded.
    #[error("cannot encode object: {0}")]
    Encode(String),
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
}
