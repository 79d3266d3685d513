//! The hub and spoke traits (controller-runtime's `Hub` and `Convertible`).

use crate::ConversionError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use vitistack_core::crd::CustomResourceKind;

/// The version every other version converts through, usually the storage version.
pub trait Hub: CustomResourceKind + Serialize + DeserializeOwned + Clone {}

/// A version other than the hub (a spoke): conversions both ways, written by the user.
///
/// For a lossless round trip, `from_hub` keeps what the spoke cannot hold with
/// [`crate::lossless::preserve`] and `to_hub` restores it with [`crate::lossless::restore`].
pub trait Convertible<H: Hub>: CustomResourceKind + Serialize + DeserializeOwned + Sized {
    /// Spoke → hub.
    fn to_hub(self) -> Result<H, ConversionError>;
    /// Hub → spoke.
    fn from_hub(hub: H) -> Result<Self, ConversionError>;
}
