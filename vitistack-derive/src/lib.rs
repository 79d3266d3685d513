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
//! | `list(set)`, `list(map("name"))`, `list(atomic)` | `x-kubernetes-list-type` (uniqueness; `atomic` written out) |
//! | `map_type = "atomic"` / `"granular"` | `x-kubernetes-map-type` on a map or struct |
//! | `number(min = 0.5, max = 2, exclusive_min, exclusive_max)`, `multiple_of = 0.25` | number bounds (fractional, exclusive) and factor |
//! | `properties(min = 1, max = 5)` | how many entries a map (or properties an object) has |
//! | `nullable`, `preserve_unknown_fields`, `embedded_resource`, `format = "uuid"` | the OpenAPI facts of the same names (any `format`, checked as the apiserver checks it) |
//! | `unique_by = "macAddress"` | no two items share a non-key field |
//! | `each(ip)`, `each(rfc1123_label)`, ... | rules on every list item, or every value of a map |
//! | `default = 1`, `default = {"port": 80}`, `default = ["a"]` | server-side default: JSON in Rust tokens |
//! | `required` | an `Option` field the schema requires (controller-gen's `+required`) |
//! | `immutable` | on update: may be set when unset, may not change or be removed afterwards |
//! | `may_only_grow` | on update: a quantity may not become smaller (`may not shrink from 100Gi`) |
//! | `kubernetes_version_step` | on update: a `v1.32.3`-style version may not go down and goes up one minor at a time |
//! | `schemars` | the schema is the field type's `schemars::JsonSchema` (schemars 1), bridged into a structural one (`vitistack_core::schema::bridge`); optional when that schema admits `null` |
//!
//! Struct attributes (cross-field rules; paths are wire names relative to the struct):
//!
//! | attribute | meaning |
//! |---|---|
//! | `rule(when = "secureBoot == true", then = "type == 'uefi'", message = "...", field_path = ".type")` | implication; conditions are `has(p)`, `p == lit`, `p in [lits]`, `!cond` |
//! | `ip_in_cidr(ip = "gateway", cidr = "subnet")`, `ip_in_cidr(each = "list", ip = "ipAddress", cidr = "subnet")` | IP inside a CIDR |
//! | `ordered(lesser = "a", greater = "b", by = "integer" \| "quantity" \| "ipv4")` | `a <= b` |
//! | `disjoint_cidrs(a = "podCIDR", b = "serviceCIDR")` | CIDRs do not overlap |
//! | `cel(rule = "...", message = "...")` | raw CEL, enforced by the apiserver and by `validate()` / `validate_update()` through the CEL engine (`vitistack_core::cel`); the rule is parsed at compile time (a syntax error, or a field selected on `self`/`oldSelf` that the struct does not have on the wire, is a compile error at the literal). Options: `message_expression = "..."`, `reason`, `field_path`, `optional_old_self = true`, and `check = path::to::fn` (a `fn(&serde_json::Value) -> bool` that `validate()` runs instead of the engine: a fast path) |
//! | `exactly_one_of("a", "b")`, `at_most_one_of(...)`, `at_least_one_of(...)` | one-of groups of fields, with controller-gen's CEL and message |
//! | `crate = "my_crate::viti"` | where the engine is (also on enums) |
//!
//! Every segment of every path is checked at compile time: the first against the struct's wire
//! names by the derive, the rest (into nested structs, and into list items for `each`) by a
//! constant the compiler evaluates, reported at the path's literal.
//!
//! `#[serde(flatten)]` of a `#[derive(Schema)]` struct puts its fields and rules beside the
//! struct's own. Shapes a structural schema cannot hold (recursive types, maps with non-string
//! keys, enums with data, tuples, unions, generics, a flattened map) are compile errors.
//!
//! # `#[derive(CustomResource)]`
//!
//! On the spec struct, with `#[crd(group = "...", version = "...", kind = "...", plural = "...",
//! namespaced, status = "StatusType", shortname = "m", category = "...", printcolumn(name = "...",
//! type = "string", json_path = ".status.phase", description = "...", priority = 1, format = "..."),
//! selectable = ".spec.color", scale(spec_replicas_path = ".spec.replicas", status_replicas_path =
//! ".status.replicas", label_selector_path = ".status.selector"), crate = "...")]`. Generates the kind's
//! struct (metadata, spec, status) with its wire `Serialize`/`Deserialize`, kube's `Resource`,
//! `HasSpec`, `HasStatus`, `CustomResourceKind` (the CRD and JSON Schema) and `Validate`.
//!
//! # Several versions of a kind: `versions!`
//!
//! Each version is its own `#[derive(CustomResource)]` type (a module per version), with its own
//! schema and printer columns, and `#[crd(storage)]` on exactly one, `#[crd(served = false)]` on
//! a version kept only for stored objects, `#[crd(deprecated = "use v1beta1")]` for the warning
//! clients print. `versions!(WidgetVersions: v1alpha1::Widget, v1beta1::Widget)` declares
//! `WidgetVersions` with `Versions::crd()`, the one merged CRD, and checks at compile time that
//! the versions agree on group, kind, plural and scope, that exactly one is the storage version,
//! that no version name appears twice and that one is served.
//!
//! # How the derive is built
//!
//! As serde_derive and garde_derive: four steps, one concept per file.
//!
//! 1. **syntax** (`src/syntax/`): `#[viti(...)]`, `#[crd(...)]`, doc comments and serde's view of
//!    the type become the model (`src/model.rs`), every value with its span. Each
//!    comma-separated item is parsed on its own, so one compile reports every malformed item of
//!    every attribute of every field. Errors go to the `Ctxt` (`src/ctxt.rs`), which panics if
//!    dropped unchecked.
//! 2. **check** (`src/check/`): the whole model (every field, every rule, every path) is
//!    checked, each error at its span, and every default decided (plural, messages, field
//!    paths, reasons); it consumes the `Ctxt` and, only when nothing failed, returns
//!    `check::Checked<_>` of the decided model (`model::Schema`, `model::Resource`), which no
//!    other module can build.
//! 3. **emit** (`src/emit/`): tokens from a `Checked` model only.
//! 4. What needs the compiler (a rule's target type, the later segments of a path) is emitted as
//!    compile-time assertions, reported at the attribute.
//!
//! Keywords are typed in one table, `src/table.rs` (`FIELD_RULES`, `CONTAINER_RULES` and their
//! `OPTIONS`, `CRD_KEYS`); the syntax layer dispatches on the typed key, never on text. A key
//! given twice where it takes one value is an error at the second ("duplicate attribute"), as in
//! serde. **Adding a field rule:**
//!
//! - a string format the engine already has (`rules::Format::X`): one line in `FIELD_RULES`,
//!   `("x", FieldKey::Format("X"))`. Nothing else.
//! - any other field rule: a `FieldKey` variant and its `FIELD_RULES` line (`src/table.rs`); a
//!   `model::FieldRule` variant, with its `target()` (`src/model.rs`); its parsing in
//!   `syntax/field.rs::rule`; the meaning of its values in `check/field.rs::rule`; its engine call
//!   in `emit/rules.rs::field_rule`. The compiler lists every `match` still missing it.
//! - a struct (cross-field) rule: a `ContainerKey` variant and its `CONTAINER_RULES` line with
//!   its options (a new option: an `OptionKey` variant and its `OPTIONS` line with its
//!   `OptionKind`; a `Path` option is checked against the fields automatically); a
//!   `model::RuleKind` variant; its construction in `syntax/container.rs::rule_kind`; its default
//!   message and field path in `check/rules.rs::defaults`; emission in
//!   `emit/rules.rs::container_rule` (the outcome is emitted for every rule alike). The engine
//!   side is one struct with an `outcome: Outcome` and its `Enforce` impl.
//!
//! Every new check gets a `tests/ui/**` trybuild case with a reviewed `.stderr`.
//!
//! `versions!` (`src/versions.rs`) only parses its input and emits: what it checks is in the
//! version types' constants, so its checks are `const fn`s in the engine
//! (`vitistack_core::crd::version_check`), evaluated by the compiler (`tests/ui/versions/`).

#![doc = include_str!("../PARITY.md")]
#![deny(missing_docs)]

mod check;
mod ctxt;
mod emit;
mod krate;
mod model;
mod pred;
mod syntax;
mod table;
mod versions;

use proc_macro::TokenStream;

/// Derives the engine's `Schema` and `Validate` (`vitistack_core::{Schema, Validate}`, re-exported
/// by `vitistack_types`). See the crate docs.
#[proc_macro_derive(Schema, attributes(viti))]
pub fn derive_schema(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand_schema(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives a custom resource kind from its spec struct. See the crate docs.
#[proc_macro_derive(CustomResource, attributes(crd))]
pub fn derive_custom_resource(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand_custom_resource(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// syntax -> check -> emit for `#[derive(Schema)]`.
fn expand_schema(input: &syn::DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let cx = ctxt::Ctxt::new();
    let model = match syntax::input::parse(&cx, input) {
        Ok(model) => model,
        Err(e) => {
            // serde could not read the type: its errors alone, as before any check.
            let _ = cx.check();
            return Err(e);
        }
    };
    let checked = check::schema(cx, model)?;
    Ok(emit::schema(&checked))
}

/// syntax -> check -> emit for `#[derive(CustomResource)]`.
fn expand_custom_resource(input: &syn::DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let cx = ctxt::Ctxt::new();
    let model = syntax::crd::parse(&cx, input);
    let checked = check::crd(cx, model)?;
    Ok(emit::resource(&checked))
}

/// Every version of one kind, each its own `#[derive(CustomResource)]` type:
/// `versions!(pub WidgetVersions: v1alpha1::Widget, v1beta1::Widget)` (doc comments first)
/// declares the unit struct `WidgetVersions` implementing the engine's `crd::Versions` (the
/// merged CRD), and checks the versions together at compile time. See the crate docs.
#[proc_macro]
pub fn versions(input: TokenStream) -> TokenStream {
    versions::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
