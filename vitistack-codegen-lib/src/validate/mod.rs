//! Checking manifests: what `vitistack-codegen validate` does to every YAML/JSON document, as one
//! pipeline whatever the output format:
//!
//! 1. read (`read.rs`): the stream is read a document at a time
//!    ([`crate::document_stream::DocumentReader`], the cut of [`crate::yaml::split_documents`]),
//!    each parsed once under bounded parser budgets ([`parser_options`], which the fuzz crate
//!    decodes with too);
//! 2. schedule (`schedule.rs`): many files one per thread, a long stream a window of documents
//!    at a time on every thread, results in input order ([`in_order`]);
//! 3. check (`check.rs`): the [`Checker`] turns each document into a [`DocumentReport`]
//!    (outcome, findings, line), against the kinds it knows and the [`OldObjects`] of `--old`;
//! 4. report: every format reads the same [`DocumentReport`]s in the same order (the command's
//!    text and JSON as they come, [`crate::report`]'s JUnit, TAP and SARIF at the end); the
//!    [`Tally`] gives the exit code.
//!
//! Documents are pulled from their source a window at a time ([`Checker::check_documents`]), and
//! a file or stdin is read as it is checked ([`Checker::check_reader`]), so memory is bounded by
//! the window of documents, not by the stream: a 425 MB stream of 300,000 documents is checked in
//! a few tens of MB (`make bench-compare` measures it).

mod check;
mod crd_kinds;
mod finding;
mod old_objects;
mod read;
mod schedule;

pub use check::{field_message, CheckOptions, Checker};
pub use crd_kinds::{CrdKind, CrdKinds, CrdVersion, Lookup, Unsupported};
pub use finding::{DocumentReport, Finding, Outcome, Source, Tally};
pub use old_objects::OldObjects;
pub use read::{parse, parse_full, parser_options, MAX_DEPTH};
pub use schedule::{in_order, striped, threads, FILE_WINDOW, STACK_SIZE};
pub use vitistack_core::validate::apply_defaults;
