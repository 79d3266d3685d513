//! Conversion between the versions of a Kubernetes custom resource kind, the way
//! controller-runtime and cluster-api do it in Go, in plain Rust.
//!
//! - [`Hub`] and [`Convertible`]: one version is the hub (usually the storage version); every
//!   other version (a spoke) converts to and from it, written by you as two plain functions.
//! - [`lossless`]: what a spoke cannot hold is kept in an annotation on the spoke
//!   ([`lossless::PRESERVED_ANNOTATION`]) and restored on the way back, so hub → spoke → hub gives
//!   the object back (cluster-api's `conversion-data`).
//! - [`Converter`]: every version of a kind by `apiVersion`, converting `serde_json::Value`
//!   objects as the apiserver sends them; only labels and annotations of `metadata` change.
//! - [`Conversions`]: several kinds in one webhook, each object sent to its kind's [`Converter`]
//!   by the review's desired group and the object's kind ([`ConvertObject`]).
//! - [`review`]: a `ConversionReview` v1 in, a `ConversionReview` out; malformed reviews, unknown
//!   versions and objects that fail give a failed response naming the object, never a panic.
//! - [`merge`]: one multi-version CRD from single-version CRDs given as values, with run-time
//!   checks (same group, kind and scope, exactly one storage version). For versions that are
//!   Rust types, `vitistack_types::versions!` makes the same CRD with the checks at compile time
//!   (`WidgetVersions` of the example kind in `vitistack_codegen_lib::conversion::example`).
//! - [`stanza`]: the CRD's `spec.conversion` (`strategy: Webhook`, service or url form, caBundle).
//! - `server` (cargo feature): the HTTPS webhook (`POST /convert`, `/healthz`, `/readyz`), rustls
//!   with ring, certificate and key reloaded from disk when they change, a body limit sized for
//!   a full list page, keep-alive, logs (`tracing`), and a drain in order on shutdown.
//!
//! The two-version example kind the tests, the example webhook and the README's recipe use
//! (`Widget` in `example.vitistack.dev`) is `vitistack_codegen_lib::conversion::example`, a user
//! of this crate: the library itself depends on `vitistack-core` only, not on the ten kinds.

#![deny(missing_docs)]

mod converter;
mod convertible;
mod error;
mod kinds;
pub mod lossless;
pub mod merge;
pub mod review;
#[cfg(feature = "server")]
pub mod server;
pub mod stanza;

pub use converter::Converter;
pub use convertible::{Convertible, Hub};
pub use error::ConversionError;
pub use kinds::{Conversions, ConvertObject};
