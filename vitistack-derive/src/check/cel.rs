//! Raw CEL rules (`#[viti(cel(...))]`) at compile time: the rule and its `message_expression`
//! must parse, and the options must be ones the apiserver accepts, each error at its literal.
//!
//! The parser is the one the engine uses (`vitistack_core::cel::parse`: the `cel` crate's, the
//! ANTLR grammar of cel-go), with the apiserver's options: optional syntax (`.?f`, `[?k]`),
//! backtick identifiers, recursion depth 250, at most 100,000 code points. A rule that parses
//! here parses there.
//!
//! One part of the schema is known here: on a struct, `self` (and `oldSelf`) is that struct, so
//! the first field selected on it (`self.f`, `has(self.f)`, `self.?f`) must be one of its wire
//! names, else the apiserver's compile error (`undefined field 'f'`) is reported at the literal.
//! A struct with `#[serde(flatten)]` members is skipped: their wire names are their types'.
//! Deeper selections, type errors and everything else need the schema of the whole CRD and are
//! found when the CRD is built (`vitistack_core::cel::compile`), not here.

use crate::ctxt::Ctxt;
use cel::common::ast::{operators, EntryExpr, Expr, IdedExpr, LiteralValue};
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

/// The variables that are the rule's own object.
const OBJECT_VARIABLES: [&str; 2] = ["self", "oldSelf"];

/// The fields selected on `self`/`oldSelf` in `expr` that are not in `wire_names`, first seen
/// first, each once.
fn undefined_fields(expr: &IdedExpr, wire_names: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    walk(expr, &mut |name| {
        if !wire_names.iter().any(|w| w == name) && !found.iter().any(|f| f == name) {
            found.push(name.to_string());
        }
    });
    found
}

/// Calls `field` with each field name selected directly on `self`/`oldSelf`, where they are
/// not bound by a comprehension.
fn walk(expr: &IdedExpr, field: &mut dyn FnMut(&str)) {
    let is_object =
        |e: &IdedExpr| matches!(&e.expr, Expr::Ident(n) if OBJECT_VARIABLES.contains(&n.as_str()));
    match &expr.expr {
        // `self.f` and `has(self.f)` (the parser expands `has` into a test selection).
        Expr::Select(select) => {
            if is_object(&select.operand) {
                field(&select.field);
            }
            walk(&select.operand, field);
        }
        Expr::Call(call) => {
            // `self.?f`: the optional selection, a call with the field name as a string literal.
            if call.func_name == operators::OPT_SELECT {
                if let [operand, IdedExpr {
                    expr: Expr::Literal(LiteralValue::String(name)),
                    ..
                }] = call.args.as_slice()
                {
                    if is_object(operand) {
                        field(name);
                    }
                }
            }
            call.target.iter().for_each(|t| walk(t, field));
            call.args.iter().for_each(|a| walk(a, field));
        }
        Expr::Comprehension(c) => {
            walk(&c.iter_range, field);
            walk(&c.accu_init, field);
            // A comprehension variable named `self` would shadow the object: not our field.
            let binds_object = [Some(&c.iter_var), c.iter_var2.as_ref(), Some(&c.accu_var)]
                .into_iter()
                .flatten()
                .any(|v| OBJECT_VARIABLES.contains(&v.as_str()));
            if !binds_object {
                [&c.loop_cond, &c.loop_step, &c.result]
                    .into_iter()
                    .for_each(|e| walk(e, field));
            }
        }
        Expr::List(list) => list.elements.iter().for_each(|e| walk(e, field)),
        Expr::Map(map) => map.entries.iter().for_each(|e| walk_entry(&e.expr, field)),
        Expr::Struct(s) => s.entries.iter().for_each(|e| walk_entry(&e.expr, field)),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

fn walk_entry(entry: &EntryExpr, field: &mut dyn FnMut(&str)) {
    match entry {
        EntryExpr::StructField(f) => walk(&f.value, field),
        EntryExpr::MapEntry(e) => {
            walk(&e.key, field);
            walk(&e.value, field);
        }
    }
}

/// Reports the fields `expr` selects on the object that the struct does not have (the
/// apiserver's compile error), at `lit`.
fn check_fields(
    cx: &Ctxt,
    lit: &LitStr,
    what: &str,
    expr: &IdedExpr,
    wire_names: Option<&[String]>,
) {
    let Some(wire_names) = wire_names else {
        return;
    };
    for name in undefined_fields(expr, wire_names) {
        cx.syn_error(syn::Error::new(
            lit.span(),
            format!(
                "the CEL {what} does not compile: undefined field '{name}' (the struct's fields: {})",
                wire_names.join(", ")
            ),
        ));
    }
}

/// Checks one raw CEL rule's options. `wire_names` are the fields of the object the rule is
/// written on, where all are known (`None`: not checked).
pub fn check(
    cx: &Ctxt,
    rule: &LitStr,
    message: Option<&str>,
    message_expression: Option<&LitStr>,
    optional_old_self: Option<&LitBool>,
    wire_names: Option<&[String]>,
) {
    let uses_old_self = match parse(&rule.value()) {
        Ok(expr) => {
            check_fields(cx, rule, "rule", &expr, wire_names);
            Some(expr.references().has_variable("oldSelf"))
        }
        Err(e) => {
            cx.syn_error(syn::Error::new(
                rule.span(),
                format!("the CEL rule does not parse:\n{e}"),
            ));
            None
        }
    };
    if let Some(lit) = message_expression {
        match parse(&lit.value()) {
            Ok(expr) => check_fields(cx, lit, "message_expression", &expr, wire_names),
            Err(e) => cx.syn_error(syn::Error::new(
                lit.span(),
                format!("the CEL message_expression does not parse:\n{e}"),
            )),
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
