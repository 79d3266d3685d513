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

pub use vitistack_types::kinds::{
    KubernetesCluster, KubernetesProvider, KubevirtConfig, LoadBalancer, Machine, MachineProvider,
    NetworkConfiguration, NetworkNamespace, ProxmoxConfig, Vitistack,
};

/// What every kind is.
pub trait Kind:
    CustomResourceKind + Serialize + DeserializeOwned + PartialEq + Debug + Validate
{
}
impl<K> Kind for K where
    K: CustomResourceKind + Serialize + DeserializeOwned + PartialEq + Debug + Validate
{
}

/// Calls `$f::<K>($args)` for each of the ten kinds.
#[macro_export]
macro_rules! each_kind {
    ($f:ident ( $($arg:expr),* )) => {{
        $f::<$crate::Vitistack>($($arg),*);
        $f::<$crate::Machine>($($arg),*);
        $f::<$crate::MachineProvider>($($arg),*);
        $f::<$crate::KubernetesCluster>($($arg),*);
        $f::<$crate::KubernetesProvider>($($arg),*);
        $f::<$crate::NetworkConfiguration>($($arg),*);
        $f::<$crate::NetworkNamespace>($($arg),*);
        $f::<$crate::LoadBalancer>($($arg),*);
        $f::<$crate::KubevirtConfig>($($arg),*);
        $f::<$crate::ProxmoxConfig>($($arg),*);
    }};
}

/// Calls `$f::<K>($args)` for the kind number `$index % 10` (in [`each_kind!`]'s order), for a
/// target that lets one input byte choose the kind instead of running all ten.
#[macro_export]
macro_rules! by_kind_index {
    ($index:expr, $f:ident ( $($arg:expr),* )) => {{
        match $index % 10 {
            0 => $f::<$crate::Vitistack>($($arg),*),
            1 => $f::<$crate::Machine>($($arg),*),
            2 => $f::<$crate::MachineProvider>($($arg),*),
            3 => $f::<$crate::KubernetesCluster>($($arg),*),
            4 => $f::<$crate::KubernetesProvider>($($arg),*),
            5 => $f::<$crate::NetworkConfiguration>($($arg),*),
            6 => $f::<$crate::NetworkNamespace>($($arg),*),
            7 => $f::<$crate::LoadBalancer>($($arg),*),
            8 => $f::<$crate::KubevirtConfig>($($arg),*),
            _ => $f::<$crate::ProxmoxConfig>($($arg),*),
        }
    }};
}

/// Parser options of `vitistack-codegen validate`: bounded budget and alias replay.
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 256,
            max_nodes: 2_000_000,
            max_events: 8_000_000,
            max_aliases: 10_000,
            max_anchors: 10_000,
            max_documents: 16,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 64,
        },
        with_snippet: false,
    }
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
