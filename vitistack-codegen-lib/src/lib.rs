//! Code generation and CRD hygiene for the Viti Stack Kubernetes API (`vitistack.io`).
//!
//! This crate (package `vitistack-codegen-lib`) is the library behind the `vitistack-codegen`
//! binary, whose whole command is [`cli::main`]. Every function takes its
//! input as plain values (CRDs as [`serde_json::Value`], JSON Schemas as [`SchemaDocument`]) so
//! it can be used on any CRD, not only on the ones from `vitistack-types`.
//!
//! * [`render()`] turns CRDs and JSON Schemas into the file layout `crds/<group>_<plural>.yaml` and
//!   `schemas/<group>/<kind>_<version>.json` (byte-stable: keys are sorted recursively);
//!   [`write_rendered`] writes it and removes stale generated files, [`verify_dir`] compares it
//!   with a directory and produces unified diffs.
//! * [`lint_structural`], [`lint_formats`], [`lint_transition_rules`] and [`lint_cel_rules`]
//!   (with [`lint_cel_cost`]; all in [`lint_crd`])
//!   find what the Kubernetes apiserver rejects or silently ignores in a CRD.
//! * [`sanitize_crd`] rewrites integer/number/string formats the apiserver does not know into
//!   ones it does (adding explicit `minimum`/`maximum`), and [`sanitize_yaml_stream`] does that on
//!   a multi-document YAML text, leaving everything else byte-for-byte untouched.
//! * [`packaging`] renders the Helm chart `charts/vitistack-crds` (CRDs plus aggregated
//!   ClusterRoles, the license), `crds.yaml`, `kustomization.yaml` and `docs/api-reference.md`.
//! * [`report`] writes `validate` results as JUnit XML, TAP 13 and SARIF 2.1.0.
//! * [`yaml`] reads multi-document YAML into [`serde_json::Value`]s and writes stable YAML.
//! * [`json_schema`] validates objects with the generated JSON Schemas (the `jsonschema` crate
//!   with the project's custom formats), [`validate`] checks manifests the way
//!   `vitistack-codegen validate` does.
//! * [`crd_lint`] finds everything the apiserver's CRD validation refuses in any CRD, at the
//!   apiserver's paths (`vitistack-codegen lint`).
//! * [`compat`] finds the changes between two sets of CRDs that break existing objects or
//!   clients (crdify's checks), for `vitistack-codegen compat`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod canonical;
pub mod cli;
mod codegen;
pub mod compat;
pub mod conversion;
mod crd_files;
pub mod crd_lint;
pub mod descriptions;
pub mod document_stream;
mod error;
pub mod fast_yaml;
pub mod formats;
pub mod import;
pub mod json_schema;
pub mod lint;
pub mod packaging;
mod path;
pub mod render;
pub mod report;
pub mod sanitize;
pub mod validate;
pub mod yaml;

pub use codegen::Codegen;
pub use error::Error;
pub use lint::{
    lint_cel_cost, lint_cel_rules, lint_crd, lint_formats, lint_structural, lint_transition_rules,
    Finding, FindingKind,
};
pub use render::{
    crd_file_name, crds_multi_document, render, render_with_header, schema_file_name, verify_dir,
    write_rendered, Drift, DriftKind, SchemaDocument, WriteReport,
};
pub use sanitize::{sanitize_crd, sanitize_yaml_stream, Change, DocumentChange, SanitizedStream};
