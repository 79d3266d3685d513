//! Kubernetes types as plain field types: `Vec<Condition>`, `LabelSelector`, `Quantity`,
//! `IntOrString`, `Time`, `LocalObjectReference`, `ResourceRequirements`, `PodTemplateSpec`.
//!
//! Their schemas are k8s-openapi's own (its `schemars` feature, no version feature), bridged
//! into the schema model by [`super::bridge`], plus what k8s-openapi leaves out and a CRD needs:
//! the list types Kubernetes declares and the quantity syntax, the [`Kubernetes`] refinements
//! it gives the bridge.
//! An embedded `ObjectMeta` (a `PodTemplateSpec`'s `metadata`) keeps its full schema, as kube's
//! derive gives it: a bare `type: object` would make the apiserver prune the template's labels.
//!
//! Descriptions: an embedded Kubernetes type keeps the description of its top (which the
//! field's own doc comment replaces) and drops the ones below it.
//! They are Kubernetes' documentation, which every cluster already serves (`kubectl explain
//! pod.spec.containers`), and they are most of the size: with them a `PodTemplateSpec` alone
//! makes a CRD of about 600 KB, beyond the 256 KB a client-side `kubectl apply` can record in
//! its `last-applied-configuration` annotation, and a weight on every apiserver and client that
//! reads the CRD. The descriptions of the user's own fields, what `kubectl explain` on the
//! user's kind cannot get anywhere else, are all kept. A field that wants Kubernetes' text in
//! its schema anyway opts in with `#[viti(schemars)]`: the bridge as is, every description kept.

use super::bridge::{self, Refinements};
use super::kubernetes_lists::LIST_TYPES;
use super::{Fields, ListType, Node, Schema, Type};
use crate::rules::Rule;
use k8s_openapi::api::core::v1::{LocalObjectReference, PodTemplateSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The definition name k8s-openapi gives `Quantity`.
const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/// The list type Kubernetes declares for `property` of the type named `definition` (its OpenAPI
/// name, `io.k8s.api.core.v1.PodSpec`), if any.
fn list_type(definition: &str, property: &str) -> Option<ListType> {
    LIST_TYPES
        .iter()
        .find(|(d, p, _)| *d == definition && *p == property)
        .map(|(_, _, keys)| match keys {
            [] => ListType::Set,
            keys => ListType::Map(keys.iter().map(|k| k.to_string()).collect()),
        })
}

/// What a CRD needs beyond k8s-openapi's schemas of the Kubernetes types, given to the bridge.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kubernetes;

impl Refinements for Kubernetes {
    fn list_type(&self, definition: &str, property: &str) -> Option<ListType> {
        list_type(definition, property)
    }

    /// A `Quantity` gets the quantity `pattern` (the one controller-tools gives it), so a
    /// malformed quantity is refused by the apiserver and by `validate()` alike, wherever it is
    /// nested.
    fn refine(&self, definition: &str, node: Node) -> Node {
        if definition == QUANTITY && node.ty == Type::IntOrString {
            return node.with_rule(Rule::pattern(crate::formats::QUANTITY_PATTERN));
        }
        node
    }
}

/// The bridged schema of a Kubernetes type. The bridge expresses every type below (each has a
/// unit test); were a future k8s-openapi to give one a shape it cannot, the field degrades to a
/// free-form object whose description says why, rather than a panic in `schema()`.
fn bridged<T: schemars::JsonSchema>() -> Node {
    match bridge::node_for::<T>(&Kubernetes) {
        Ok(node) => without_inner_descriptions(node),
        Err(e) => Node::new(Type::FreeForm).describe(format!("schema not expressible: {e}")),
    }
}

/// `node` with the descriptions of everything below it removed, its own kept (see the module
/// docs for why embedded Kubernetes types are documented only at their top).
fn without_inner_descriptions(mut node: Node) -> Node {
    for child in children_mut(&mut node) {
        drop_descriptions(child);
    }
    node
}

fn drop_descriptions(node: &mut Node) {
    node.description = None;
    for child in children_mut(node) {
        drop_descriptions(child);
    }
}

/// The nodes directly below `node`: its properties, items or map values.
fn children_mut(node: &mut Node) -> Vec<&mut Node> {
    match &mut node.ty {
        Type::Object { properties } => properties.iter_mut().map(|p| &mut p.node).collect(),
        Type::Array { items, .. } => vec![&mut **items],
        Type::Map { values } => vec![&mut **values],
        _ => Vec::new(),
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
