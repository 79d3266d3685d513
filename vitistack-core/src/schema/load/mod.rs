//! The loader: a CRD version's `openAPIV3Schema` into the schema model ([`Node`]), the way
//! [`super::bridge`] brings in schemars' JSON Schemas and [`super::openapi::render`] goes back.
//!
//! Property: for every structural schema `s`, `render(load(s)) == s` up to key order (and the
//! order of `required`, a set). Every keyword of `JSONSchemaProps` has one treatment
//! ([`keywords`]): read into the model (the shape, a [`crate::rules::Rule`], or a [`Node`]
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
//! (`properties[spec].properties[x].type`); all of them are collected. Hostile input is bounded
//! like the bridge's ([`super::bridge::MAX_NODES`] nodes, [`super::bridge::MAX_DEPTH`] levels).

mod constraints;
mod errors;
mod keywords;
mod reader;
mod validations;

pub use errors::{LoadError, LoadErrors};

use super::Node;
use serde_json::Value;

/// The model of one CRD version's `openAPIV3Schema` (a resource root: a `metadata` that is the
/// derive's own becomes [`super::Type::Metadata`]).
pub fn load(schema: &Value) -> Result<Node, LoadErrors> {
    let mut reader = reader::Reader::new();
    let node = reader.node(schema, "", 0, true);
    if reader.errors.is_empty() {
        Ok(node)
    } else {
        Err(LoadErrors(reader.errors))
    }
}

#[cfg(test)]
mod generated_tests;
#[cfg(test)]
mod tests;
