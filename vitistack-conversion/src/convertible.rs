//! The hub and spoke traits (controller-runtime's `Hub` and `Convertible`).

use crate::ConversionError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use vitistack_core::crd::CustomResourceKind;

/// The version every other version converts through, usually the storage version.
pub trait Hub: CustomResourceKind + Serialize + DeserializeOwned + Clone {}

/// A version other than the hub (a spoke): conversions both ways, written by the user.
///
/// Write both as plain, lossy conversions of the fields the spoke has: the
/// [`crate::Converter`] makes the round trip lossless ([`crate::lossless`]), also for hub
/// fields added later.
pub trait Convertible<H: Hub>: CustomResourceKind + Serialize + DeserializeOwned + Sized {
    /// Spoke → hub.
    fn to_hub(self) -> Result<H, ConversionError>;
    /// Hub → spoke.
    fn from_hub(hub: H) -> Result<Self, ConversionError>;
}
