//! The loader: a CRD version's `openAPIV3Schema` into the schema model ([`Node`]), the way
//! [`super::bridge`] brings in schemars' JSON Schemas and [`super::openapi::render`] goes back.
//!
//! Property: for every structural schema `s`, `render(load(s)) == s` up to key order (and the
//! order of `required`, a set). Every keyword of `JSONSchemaProps` has one treatment
//! (`keywords.rs`): read into the model (the shape, a [`crate::rules::Rule`], or a [`Node`]
//! field), kept verbatim where no enforcer reads it (`title`, `example`, `externalDocs`,
//! `x-kubernetes-map-type`, defaults written out such as `x-kubernetes-list-type: atomic`), or
//! refused as not structural (`$ref`, `patternProperties`, ...).
//!
//! Junctors (`allOf`/`anyOf`/`oneOf`/`not`) are value validations in a structural schema; they
//! stay as written in a [`crate::rules::Junctor`] rule (see its module for why the `jsonschema`
//! crate evaluates them). `x-kubernetes-validations` become [`crate::rules::RawCel`] rules
//! without a Rust fast path: the CEL engine evaluates them.
//!
//! Errors: every node the loader refuses is a [`LoadError`] at the apiserver's schema path
//! (`properties[spec].properties[x].type`), in the apiserver's words where it refuses the same
//! (checked against the test apiserver): what is not structural (`reader.rs`, `junctors.rs`), the
//! list and map type rules (`list_types.rs`), a root `metadata` that declares more than `name`
//! and `generateName`. All of them are collected. Hostile input is bounded like the bridge's
//! ([`super::bridge::MAX_NODES`] nodes, [`super::bridge::MAX_DEPTH`] levels).
//!
//! What the apiserver checks at CRD creation but a schema model need not hold is left to
//! `lint`: defaults valid against their schema, enum values of the node's type, CEL cost.

mod constraints;
mod errors;
mod junctors;
mod keywords;
mod list_types;
mod reader;
mod validations;

pub use errors::{LoadError, LoadErrors};

use super::Node;
use serde_json::Value;

/// The model of one CRD version's `openAPIV3Schema` (a resource root: a `metadata` that is the
/// derive's own becomes [`super::Type::Metadata`]).
pub fn load(schema: &Value) -> Result<Node, LoadErrors> {
    let mut reader = reader::Reader::new();
    let mut node = reader.node(schema, "", 0, true);
    implicit_metadata(&mut node);
    if reader.errors.is_empty() {
        Ok(node)
    } else {
        Err(LoadErrors(reader.errors))
    }
}

/// A resource root always has `metadata` (`ObjectMeta`), declared or not: one the schema leaves
/// out is added as [`Node::implicit`], so the walk checks it and CEL sees it, and `render`
/// still gives back the schema as written.
fn implicit_metadata(root: &mut Node) {
    if let super::Type::Object { properties } = &mut root.ty {
        if !properties.iter().any(|p| p.name == "metadata") {
            let mut metadata = Node::new(super::Type::Metadata {
                name: None,
                generate_name: None,
            });
            metadata.implicit = true;
            properties.push(super::Property::new("metadata", false, metadata));
        }
    }
}

#[cfg(test)]
mod generated_tests;
#[cfg(test)]
mod round_trip_tests;
