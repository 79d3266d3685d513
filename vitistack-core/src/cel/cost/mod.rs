//! Static cost estimation: what the apiserver computes for every `x-kubernetes-validations`
//! rule when a CRD is created or updated, and the limits it refuses a CRD by
//! (`estimated rule cost exceeds budget by factor of 18.1x`).
//!
//! # Shape (one concept per file)
//!
//! * [`sizes`]: cost and size ranges with Go's saturating and rounding rules, and the sizes a
//!   schema node gives CEL (`MaxElements` from maxItems / maxProperties / maxLength, else the
//!   request-size limit; `MinSerializedSize`), carried on [`Decl`](super::types::Decl) as the
//!   apiserver's `DeclType` carries them;
//! * `estimate`: cel-go's `checker/cost.go` estimator over a checked rule, with the apiserver's
//!   size estimator (sizes looked up by path through the node's declaration);
//! * `desugar`: the library macros the parser leaves as calls, expanded as cel-go expands them;
//! * `library`: the call costs of the Kubernetes libraries (`library/cost.go`) and of cel-go's
//!   `ext.Lists` v3 and `ext.Sets`;
//! * [`total`]: every rule of a schema, multiplied by the cardinality of its node, the per-rule
//!   and per-CRD limits with the apiserver's texts, and a suggested bound.
//!
//! # API
//!
//! * [`estimate_rule`] (also [`Program::estimated_cost`]) → [`RuleCost`]: one evaluation's
//!   estimate, before cardinality;
//! * [`schema_cost`] (a CRD version's `openAPIV3Schema`) or [`crd_total`] (a schema
//!   [`Node`](crate::schema::Node)) → [`SchemaCost`]: a [`CostFinding`] per rule and
//!   messageExpression (its path, cost, [`Cardinality`], the apiserver's finding when over the
//!   limit, a [`Suggestion`] such as `add maxItems: 64 to spec.l`), the total and the
//!   total's finding.
//!
//! # Where this differs from the apiserver (simplifications)
//!
//! * Overloads are resolved from the checked types of the operands, not from cel-go's
//!   reference map; where an operand is `dyn`, every overload the other operand allows is a
//!   candidate and the costs are united, as cel-go does for a `dyn` reference. A call cel-go
//!   would resolve to fewer candidates can therefore estimate higher here, never lower.
//! * `sortBy`, `optMap`, `optFlatMap` and the two-variable macros are rewritten to cel-go's
//!   expansions before estimating; the synthesized nodes get the types the expansion implies.
//! * The cost is estimated for the rules of the new-expressions environment only (a CRD
//!   update whose schema did not change skips the per-rule check on the apiserver; the
//!   total is checked regardless, as here).
//! * Among rules of equal cost, the apiserver's choice of the four "most expensive" is
//!   random (`sort.Slice`); here it is schema order.

mod desugar;
pub(crate) mod estimate;
mod library;
pub mod sizes;
pub mod total;

pub use total::{
    schema_cost, Bound, Cardinality, CostFinding, Expression, SchemaCost, Step, Suggestion,
    CRD_COST_LIMIT, RULE_COST_LIMIT,
};

use super::program::Program;

/// The estimated cost of one evaluation of a rule (`checker.CostEstimate`): the apiserver
/// limits `max` (times the node's cardinality).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleCost {
    /// The cheapest evaluation.
    pub min: u64,
    /// The most expensive evaluation.
    pub max: u64,
}

/// The estimate of a compiled rule (`env.EstimateCost` with the apiserver's estimator).
pub fn estimate_rule(program: &Program) -> RuleCost {
    let (ast, types, decl) = program.checked_rule();
    let c = estimate::estimate(&ast.expr, types, decl);
    RuleCost {
        min: c.min,
        max: c.max,
    }
}

/// The estimate of a rule's messageExpression, if it has one.
pub fn estimate_message_expression(program: &Program) -> Option<RuleCost> {
    let (_, _, decl) = program.checked_rule();
    let (ast, types) = program.checked_message()?;
    let c = estimate::estimate(&ast.expr, types, decl);
    Some(RuleCost {
        min: c.min,
        max: c.max,
    })
}

/// The cost of every rule of a schema tree of the model, rendered to OpenAPI as the CRD
/// carries it (its root is a resource root).
pub fn crd_total(node: &crate::schema::Node) -> SchemaCost {
    schema_cost(&crate::schema::openapi::render(node))
}

#[cfg(test)]
mod tests;
