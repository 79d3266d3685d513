//! Raw CEL rules (`#[viti(cel(...))]`) at compile time: the rule and its `message_expression`
//! must parse, and the options must be ones the apiserver accepts, each error at its literal.
//!
//! The parser is the one the engine uses (`vitistack_core::cel::parse`: the `cel` crate's, the
//! ANTLR grammar of cel-go), with the apiserver's options: optional syntax (`.?f`, `[?k]`),
//! backtick identifiers, recursion depth 250, at most 100,000 code points. A rule that parses
//! here parses there. Type errors and unknown fields need the schema of the whole CRD and are
//! found when the CRD is built (`vitistack_core::cel::compile`), not here.

use crate::ctxt::Ctxt;
use syn::{LitBool, LitStr};

/// The apiserver's parser recursion limit (cel-go `parser.NewParser` default).
const MAX_RECURSION_DEPTH: u16 = 250;
/// The apiserver's longest expression, in code points.
const MAX_CODE_POINTS: usize = 100_000;

/// Parses `source` as the apiserver does; the error is cel-go's text (`ERROR: <input>:1:5: ...`).
fn parse(source: &str) -> Result<cel::IdedExpr, String> {
    let code_points = source.chars().count();
    if code_points > MAX_CODE_POINTS {
        return Err(format!(
            "expression code point size exceeds limit: size: {code_points}, limit {MAX_CODE_POINTS}"
        ));
    }
    let parse = || {
        cel::parser::Parser::new()
            .max_recursion_depth(MAX_RECURSION_DEPTH)
            .enable_optional_syntax(true)
            .enable_ident_escape_syntax(true)
            .parse(source)
    };
    // The ANTLR runtime has panicked on some inputs: that is a parse error, never a crashed
    // compiler.
    match std::panic::catch_unwind(parse) {
        Ok(Ok(expr)) => Ok(expr),
        Ok(Err(errors)) => Err(errors
            .errors
            .iter()
            .map(|e| format!("ERROR: <input>:{}:{}: {}", e.pos.0, e.pos.1, e.msg))
            .collect::<Vec<_>>()
            .join("\n")),
        Err(_) => Err("ERROR: <input>:1:1: internal parser error".to_string()),
    }
}

/// Checks one raw CEL rule's options.
pub fn check(
    cx: &Ctxt,
    rule: &LitStr,
    message: Option<&str>,
    message_expression: Option<&LitStr>,
    optional_old_self: Option<&LitBool>,
) {
    let uses_old_self = match parse(&rule.value()) {
        Ok(expr) => Some(expr.references().has_variable("oldSelf")),
        Err(e) => {
            cx.syn_error(syn::Error::new(
                rule.span(),
                format!("the CEL rule does not parse:\n{e}"),
            ));
            None
        }
    };
    if let Some(lit) = message_expression {
        if let Err(e) = parse(&lit.value()) {
            cx.syn_error(syn::Error::new(
                lit.span(),
                format!("the CEL message_expression does not parse:\n{e}"),
            ));
        }
    }
    // The apiserver's own checks of the entry (apiextensions validation.go), so a CRD it would
    // refuse does not compile.
    if let (Some(false), Some(lit)) = (uses_old_self, optional_old_self) {
        cx.syn_error(syn::Error::new(
            lit.span(),
            "optional_old_self may not be set if oldSelf is not used in rule",
        ));
    }
    if let Some(message) = message {
        if message.is_empty() {
            cx.syn_error(syn::Error::new(rule.span(), "message must be non-empty"));
        } else if message.contains(['\n', '\r']) {
            cx.syn_error(syn::Error::new(
                rule.span(),
                "message must not contain line breaks",
            ));
        }
    }
}
