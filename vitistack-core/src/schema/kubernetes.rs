//! Kubernetes types as plain field types: `Vec<Condition>`, `LabelSelector`, `Quantity`,
//! `IntOrString`, `Time`, `LocalObjectReference`, `ResourceRequirements`, `PodTemplateSpec`.
//!
//! Their schemas are k8s-openapi's own (its `schemars` feature, no version feature), bridged
//! into the schema model by [`super::bridge`], plus what k8s-openapi leaves out and a CRD needs:
//! the list types Kubernetes declares ([`list_type`]) and the quantity syntax ([`refine`]).
//! An embedded `ObjectMeta` (a `PodTemplateSpec`'s `metadata`) keeps its full schema, as kube's
//! derive gives it: a bare `type: object` would make the apiserver prune the template's labels.

use super::kubernetes_lists::LIST_TYPES;
use super::{bridge, Fields, ListType, Node, Schema, Type};
use crate::rules::Rule;
use k8s_openapi::api::core::v1::{LocalObjectReference, PodTemplateSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The definition name k8s-openapi gives `Quantity`.
const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// The list type Kubernetes declares for `property` of the type named `definition` (its OpenAPI
/// name, `io.k8s.api.core.v1.PodSpec`), if any.
pub fn list_type(definition: &str, property: &str) -> Option<ListType> {
    LIST_TYPES
        .iter()
        .find(|(d, p, _)| *d == definition && *p == property)
        .map(|(_, _, keys)| match keys {
            [] => ListType::Set,
            keys => ListType::Map(keys.iter().map(|k| k.to_string()).collect()),
        })
}

/// Adds to the bridged schema of a Kubernetes definition what k8s-openapi's schema leaves out:
/// a `Quantity` gets the quantity `pattern` (the one controller-tools gives it), so a malformed
/// quantity is refused by the apiserver and by `validate()` alike, wherever it is nested.
pub fn refine(definition: &str, node: Node) -> Node {
    if definition == QUANTITY && node.ty == Type::IntOrString {
        return node.with_rule(Rule::pattern(crate::formats::QUANTITY_PATTERN));
    }
    node
}

/// The bridged schema of a Kubernetes type. The bridge expresses every type below (each has a
/// unit test); were a future k8s-openapi to give one a shape it cannot, the field degrades to a
/// free-form object whose description says why, rather than a panic in `schema()`.
fn bridged<T: schemars::JsonSchema>() -> Node {
    match bridge::node_for::<T>() {
        Ok(node) => node,
        Err(e) => Node::new(Type::FreeForm).describe(format!("schema not expressible: {e}")),
    }
}

macro_rules! kubernetes_schema {
    ($($ty:ty $(=> $list:expr)?;)*) => {$(
        impl Schema for $ty {
            const FIELDS: Fields = Fields::Any;
            fn schema() -> Node {
                bridged::<$ty>()
            }
            $(fn item_list_type() -> ListType {
                $list
            })?
        }
    )*};
}

kubernetes_schema! {
    // API conventions: a `conditions` list is a map keyed by `type`, in every API.
    Condition => ListType::Map(vec!["type".to_string()]);
    LabelSelector;
    Quantity;
    IntOrString;
    Time;
    LocalObjectReference;
    ResourceRequirements;
    PodTemplateSpec;
}

#[cfg(test)]
#[path = "kubernetes_tests.rs"]
mod tests;
