//! Helpers shared by the fuzz targets: the ten kinds, YAML options with the same bounded budget
//! as `vitistack-codegen validate`, and the invariants the targets assert.

// The seed test compiles each target's file as a module of this crate, where the targets'
// `vitistack_fuzz::` paths must name the crate itself.
#[cfg(test)]
extern crate self as vitistack_fuzz;
#[cfg(test)]
mod seeds;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;
use vitistack_types::crd::CustomResourceKind;
use vitistack_types::Validate;

/// The ten kinds at this crate's root (`$crate::Machine` in the macros below).
macro_rules! reexport_kinds {
    ([] $($kind:ident $names:tt),*) => {
        pub use vitistack_types::kinds::{$($kind),*};
    };
}
vitistack_types::for_each_kind!(reexport_kinds!);

#[doc(hidden)]
pub use vitistack_types::for_each_kind;

/// What every kind is.
pub trait Kind:
    CustomResourceKind + Serialize + DeserializeOwned + PartialEq + Debug + Validate
{
}
impl<K> Kind for K where
    K: CustomResourceKind + Serialize + DeserializeOwned + PartialEq + Debug + Validate
{
}

/// Calls `$f::<K>($args)` for each of the ten kinds (the list is `vitistack_types::for_each_kind!`).
#[macro_export]
macro_rules! each_kind {
    ($f:ident $args:tt) => {
        $crate::for_each_kind!($crate::__each_kind! [$f $args])
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __each_kind {
    ([$f:ident $args:tt] $($kind:ident $names:tt),*) => {{
        $( $f::<$crate::$kind> $args; )*
    }};
}

/// Calls `$f::<K>($args)` for the kind number `$index % 10` (in [`each_kind!`]'s order), for a
/// target that lets one input byte choose the kind instead of running all ten.
#[macro_export]
macro_rules! by_kind_index {
    ($index:expr, $f:ident $args:tt) => {
        $crate::for_each_kind!($crate::__by_kind_index! [$index, $f $args])
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __by_kind_index {
    ([$index:expr, $f:ident $args:tt] $($kind:ident $names:tt),*) => {{
        let index = ($index as usize) % [$(stringify!($kind)),*].len();
        let mut at = 0usize;
        $(
            if at == index {
                $f::<$crate::$kind> $args;
            }
            at += 1;
        )*
        let _ = at;
    }};
}

/// Parser options of `vitistack-codegen validate` (bounded budget and alias replay, the one
/// definition in `vitistack_codegen_lib::validate`), with duplicate keys refused.
pub fn yaml_options() -> serde_saphyr::Options {
    vitistack_codegen_lib::validate::parser_options(serde_saphyr::DuplicateKeyPolicy::Error)
}

/// Whether `value` holds a floating-point number anywhere. serde_json (without its
/// `float_roundtrip` feature) may read a float back one ulp off, so exact round trips are only
/// asserted for values without floats.
pub fn has_float(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_f64(),
        Value::Array(items) => items.iter().any(has_float),
        Value::Object(map) => map.values().any(has_float),
        _ => false,
    }
}

/// Typed → JSON value, which must not fail for a decoded object.
pub fn to_json<K: Kind>(object: &K) -> Value {
    serde_json::to_value(object).expect("a decoded object serialises")
}

/// A decoded object, written as JSON and read back, is the same object; and `validate()` on
/// it completes with findings that all name a path or a message.
pub fn check_decoded<K: Kind>(object: &K) {
    let json = to_json(object);
    let text = serde_json::to_string(object).expect("a decoded object serialises");
    let back: K = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: written JSON does not read back: {e}\n{text}", K::KIND));
    if !has_float(&json) {
        assert_eq!(
            to_json(&back),
            json,
            "{}: JSON round trip changed the object",
            K::KIND
        );
    }
    if let Err(errors) = object.validate() {
        for e in errors.errors() {
            assert!(!e.to_string().is_empty(), "empty message");
        }
    }
}
