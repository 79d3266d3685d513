//! Derive macros for [vitistack-rs](https://docs.rs/vitistack-types): annotated Rust structs
//! become structural Kubernetes CRD schemas, a Rust `validate()` and JSON Schemas, all from the
//! same attributes.
//!
//! The macros stay thin: they parse and check attributes at compile time (with spans), then emit
//! calls into the engine crate `vitistack-core` (its `schema` and `rules`, where the rule logic
//! lives). A crate that depends on `vitistack-core` gets `::vitistack_core` paths; one that only
//! depends on `vitistack-types` gets `::vitistack_types` paths (the same modules, re-exported);
//! `#[viti(crate = "path")]` / `#[crd(crate = "path")]` name the engine explicitly for crates that
//! re-export it, as serde's `#[serde(crate = "...")]` does.
//!
//! # `#[derive(Schema)]`
//!
//! On a struct with named fields (every field needs a doc comment: it is the CRD description) or
//! a unit-only enum (a string enum; serde's renames give the values). Field attributes:
//!
//! | attribute | meaning |
//! |---|---|
//! | `range(min = 1, max = 4094)` | integer bounds |
//! | `length(min = 1, max = 63)` | string length |
//! | `items(min = 1, max = 32)` | list size |
//! | `pattern = "^[a-z]+$"` | regular expression (checked at compile time) |
//! | `one_of("a", "b")` | string enum on a `String` field |
//! | `ip`, `cidr`, `ip_or_cidr`, `mac`, `url`, `duration`, `date_time`, `rfc1123_label`, `rfc1123_subdomain`, `dns_name`, `port_range` | string formats |
//! | `quantity`, `quantity(min = "128Mi", max = "1024Gi")` | Kubernetes quantity, exact bounds |
//! | `odd` | odd integer |
//! | `list(set)`, `list(map("name"))` | `x-kubernetes-list-type` (uniqueness) |
//! | `unique_by = "macAddress"` | no two items share a non-key field |
//! | `each(ip)`, `each(rfc1123_label)`, ... | rules on every list item |
//! | `default = 1` | server-side default |
//! | `immutable` | on update: may be set when unset, may not change or be removed afterwards |
//! | `may_only_grow` | on update: a quantity may not become smaller (`may not shrink from 100Gi`) |
//! | `kubernetes_version_step` | on update: a `v1.32.3`-style version may not go down and goes up one minor at a time |
//!
//! Struct attributes (cross-field rules; paths are wire names relative to the struct):
//!
//! | attribute | meaning |
//! |---|---|
//! | `rule(when = "secureBoot == true", then = "type == 'uefi'", message = "...", field_path = ".type")` | implication; conditions are `has(p)`, `p == lit`, `p in [lits]`, `!cond` |
//! | `ip_in_cidr(ip = "gateway", cidr = "subnet")`, `ip_in_cidr(each = "list", ip = "ipAddress", cidr = "subnet")` | IP inside a CIDR |
//! | `ordered(lesser = "a", greater = "b", by = "integer" \| "quantity" \| "ipv4")` | `a <= b` |
//! | `disjoint_cidrs(a = "podCIDR", b = "serviceCIDR")` | CIDRs do not overlap |
//! | `cel(rule = "...", message = "...", check = path::to::fn)` | raw CEL, with the Rust function that checks the same |
//! | `crate = "my_crate::viti"` | where the engine is (also on enums) |
//!
//! Every segment of every path is checked at compile time: the first against the struct's wire
//! names by the derive, the rest (into nested structs, and into list items for `each`) by a
//! constant the compiler evaluates, reported at the path's literal.
//!
//! Shapes a structural schema cannot hold (recursive types, maps with non-string keys, enums
//! with data, tuples, unions, generics, `#[serde(flatten)]`) are compile errors.
//!
//! # `#[derive(CustomResource)]`
//!
//! On the spec struct, with `#[crd(group = "...", version = "...", kind = "...", plural = "...",
//! namespaced, status = "StatusType", shortname = "m", category = "...", printcolumn(name = "...",
//! type = "string", json_path = ".status.phase", description = "..."), crate = "...")]`. Generates the kind's
//! struct (metadata, spec, status) with its wire `Serialize`/`Deserialize`, kube's `Resource`,
//! `HasSpec`, `HasStatus`, `CustomResourceKind` (the CRD and JSON Schema) and `Validate`.

#![deny(missing_docs)]

mod attr;
mod ctxt;
mod krate;
mod pred;
mod resource;
mod schema_derive;
mod shape;

use proc_macro::TokenStream;

/// Derives the engine's `Schema` and `Validate` (`vitistack_core::{Schema, Validate}`, re-exported
/// by `vitistack_types`). See the crate docs.
#[proc_macro_derive(Schema, attributes(viti))]
pub fn derive_schema(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    schema_derive::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives a custom resource kind from its spec struct. See the crate docs.
#[proc_macro_derive(CustomResource, attributes(crd))]
pub fn derive_custom_resource(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    resource::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
