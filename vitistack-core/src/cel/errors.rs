//! The apiserver's words for what goes wrong, in one place.

use std::fmt;

/// An evaluation that did not produce a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A runtime error with cel-go's text (`no such key: x`, `integer overflow`, ...).
    Message(String),
    /// No overload of a function matches the runtime arguments (`no such overload`).
    NoOverload(String),
    /// The per-call cost limit was exceeded.
    CostLimit,
    /// A function or library this engine does not implement: reported, never a pass.
    Unsupported(String),
}

impl EvalError {
    /// A runtime error with this text.
    pub fn msg(text: impl Into<String>) -> EvalError {
        EvalError::Message(text.into())
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Message(m) => f.write_str(m),
            EvalError::NoOverload(_) => f.write_str("no such overload"),
            EvalError::CostLimit => f.write_str(COST_LIMIT),
            EvalError::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

/// cel-go's text when the per-call limit is exceeded.
pub const COST_LIMIT: &str = "operation cancelled: actual cost limit exceeded";

/// `integer overflow`.
pub const INT_OVERFLOW: &str = "integer overflow";
/// `unsigned integer overflow`.
pub const UINT_OVERFLOW: &str = "unsigned integer overflow";
/// `division by zero`.
pub const DIV_ZERO: &str = "division by zero";
/// `modulus by zero`.
pub const MOD_ZERO: &str = "modulus by zero";
/// `duration overflow`.
pub const DURATION_OVERFLOW: &str = "duration overflow";
/// `timestamp overflow`.
pub const TIMESTAMP_OVERFLOW: &str = "timestamp overflow";

/// The finding for a rule that errors (`validation.go: validateExpressions`): `<err> evaluating
/// rule: <r>`, or for an overload mismatch `'<err>': call arguments did not match a supported
/// operator, function or macro signature for rule: <r>`.
pub fn rule_eval_error(err: &EvalError, rule: &str) -> String {
    match err {
        // The apiserver tests the text's prefix: an error carried through a comprehension's
        // accumulator keeps only its text.
        EvalError::Message(m) if m.starts_with("no such overload") => format!(
            "'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule}"
        ),
        EvalError::NoOverload(_) => format!(
            "'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule}"
        ),
        EvalError::CostLimit => {
            format!("'{COST_LIMIT}': no further validation rules will be run due to call cost exceeds limit for rule: {rule}")
        }
        other => format!("{other} evaluating rule: {rule}"),
    }
}

/// The finding when the per-object budget runs out.
pub const OUT_OF_BUDGET: &str =
    "validation failed due to running out of cost budget, no further validation rules will be run";

/// The finding when a messageExpression runs out of the per-object budget.
pub const MESSAGE_OUT_OF_BUDGET: &str = "messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run";

/// The finding when a messageExpression exceeds the per-call limit.
pub fn message_cost_limit(source: &str) -> String {
    format!("no further validation rules will be run due to call cost exceeds limit for messageExpression: {source:?}")
}
