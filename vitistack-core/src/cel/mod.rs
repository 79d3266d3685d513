//! The CEL engine: compiles and evaluates `x-kubernetes-validations` rules with the semantics of
//! a 1.37 apiserver compiling new rules (compatibility version 1.36).
//!
//! # Shape
//!
//! [`parse`] (the `cel` crate's parser, converted to our tree) → [`check`] (our type checker,
//! against the declared type of the node, [`types::Decl`]) → [`eval`] (our evaluator, with
//! cost tracking), with the libraries in [`libs`], one file each.
//!
//! # Why not the `cel` crate's checker and interpreter
//!
//! * It has no type checker: `false && self.nope` passes there; the apiserver refuses the rule
//!   (`undeclared reference to 'nope'`) when the CRD is written.
//! * It has no cost tracking: `self.all(a, self.all(b, self.all(c, true)))` on a list of 1,000
//!   runs 10⁹ steps; the apiserver stops at 1,000,000 units with a finding
//!   (`operation cancelled: actual cost limit exceeded`).
//! * It knows nothing of schema-typed values: `self.set == ['b', 'a']` ignores order on the
//!   apiserver when `set` is an `x-kubernetes-list-type: set`, `+` on it is a union; a `null`
//!   field is absent; a `date-time` string is a timestamp.
//! * It accepts `math.abs(-1)` and `base64.encode(b'')`, which the apiserver refuses, and has no
//!   two-variable comprehensions, `sortBy`, Kubernetes format or semver libraries.
//!
//! # Public API
//!
//! * [`parse()`] → [`Ast`] or [`ParseError`] (cel-go's text), for comparing parsed rules;
//! * [`compile_all`]: every raw rule of a schema tree compiled up front, with the ones that do
//!   not compile ([`RuleError`]: path, rule, the apiserver's text), for building or linting a
//!   CRD; [`compiled`] gives the (cached) program of one [`crate::rules::RawCel`];
//! * [`Program::compile`] (against a [`types::Decl`], from a CRD schema with
//!   [`types::Decl::from_schema`]) or [`Program::compile_for_node`] (against a [`Node`]) →
//!   [`Program`] or [`CompileError`] (the apiserver's admission text);
//! * [`Program::uses_old_self`], [`Program::estimated_cost`] (the static cost, as the
//!   apiserver estimates it at CRD admission; per schema with cardinality: [`cost`]);
//! * [`Program::evaluate`] with a [`Budget`] → [`Outcome`]: pass, not run (a transition rule
//!   without an old value), a violation, an evaluation error, or a halt (the per-call limit or
//!   the per-object budget ran out).
//!
//! # Not supported (reported, never passed)
//!
//! * Time zones other than `UTC` and fixed `±HH:MM` offsets in timestamp accessors.
//! * Runtime costs follow cel-go's tracker for the common nodes (1 per variable, field and call,
//!   10 per list literal, 30 per map literal, the libraries' own costs); they are not pinned to
//!   `TestCelCostStability` number for number.
//!
//! [`Node`]: crate::schema::Node

pub mod check;
mod compile_all;
pub mod cost;
pub mod errors;
pub mod escape;
pub mod eval;
mod exercise;
pub mod libs;
pub mod parse;
pub mod program;
pub mod types;
pub mod value;

pub use compile_all::{compile_all, RuleError};
#[doc(hidden)]
pub use exercise::exercise;
pub use parse::{parse, Ast, ParseError};
pub use program::{
    compiled, validation_rule, Budget, CompileError, Outcome, Program, ValidationRule,
};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod walk_tests;
