//! `x-kubernetes-validations` compared as CEL, not as text: each rule is parsed with the
//! engine's parser (`vitistack_core::cel::parse`, cel-go's grammar and options), so a rule only
//! reformatted (spaces, line breaks, redundant parentheses) is the same rule.
//!
//! A rule the old field did not have is a tightening: objects stored under the old schema may
//! fail it. A rule removed only loosens; a changed `message`, `messageExpression`, `reason` or
//! `fieldPath` changes what a refusal says, not what is refused: no finding. A new *transition*
//! rule (one that reads `oldSelf`) is reported apart: transition rules are not ratcheted (the
//! apiserver checks them on every update that has an old value, whether the field changed or
//! not). A rule that does not parse is compared by its text, and the finding says so.

use serde_json::Value;
use vitistack_core::cel::parse;
use vitistack_core::cel::parse::{Expr, ExprKind};

/// One rule of a field: its text and its parsed form (`None`: it does not parse).
struct Rule {
    text: String,
    parsed: Result<Expr, String>,
}

impl Rule {
    fn new(text: &str) -> Rule {
        Rule {
            text: text.to_owned(),
            parsed: parse(text)
                .map(|ast| without_ids(&ast.expr))
                .map_err(|e| e.0),
        }
    }

    /// Whether two rules reject the same objects: the same tree, or (unparsable) the same text.
    fn same(&self, other: &Rule) -> bool {
        match (&self.parsed, &other.parsed) {
            (Ok(a), Ok(b)) => a == b,
            _ => self.text == other.text,
        }
    }

    fn reads_old_self(&self) -> bool {
        match &self.parsed {
            Ok(expr) => mentions(expr, "oldSelf"),
            Err(_) => self.text.contains("oldSelf"),
        }
    }
}

fn rules(node: &Value) -> Vec<Rule> {
    node.get("x-kubernetes-validations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("rule").and_then(Value::as_str))
        .map(Rule::new)
        .collect()
}

/// One message per rule of `new` that `old` lacks (compared parsed).
pub fn added_rules(old: &Value, new: &Value) -> Vec<String> {
    let before = rules(old);
    rules(new)
        .into_iter()
        .filter(|r| !before.iter().any(|b| b.same(r)))
        .map(|r| {
            let what = if r.reads_old_self() {
                "transition rule added (not ratcheted: checked on every update with an old value, changed field or not)"
            } else {
                "rule added"
            };
            match &r.parsed {
                Ok(_) => format!("{what}: {}", r.text),
                Err(e) => format!("{what}: {} (does not parse: {})", r.text, first_line(e)),
            }
        })
        .collect()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// `expr` with every node id 0: ids number the nodes in source order, and say nothing about
/// what the rule means.
fn without_ids(expr: &Expr) -> Expr {
    let kind = match &expr.kind {
        ExprKind::Select {
            operand,
            field,
            test,
        } => ExprKind::Select {
            operand: Box::new(without_ids(operand)),
            field: field.clone(),
            test: *test,
        },
        ExprKind::Call {
            function,
            target,
            args,
        } => ExprKind::Call {
            function: function.clone(),
            target: target.as_ref().map(|t| Box::new(without_ids(t))),
            args: args.iter().map(without_ids).collect(),
        },
        ExprKind::List { elements, optional } => ExprKind::List {
            elements: elements.iter().map(without_ids).collect(),
            optional: optional.clone(),
        },
        ExprKind::Map(entries) => ExprKind::Map(
            entries
                .iter()
                .map(|(k, v, o)| (without_ids(k), without_ids(v), *o))
                .collect(),
        ),
        ExprKind::Comprehension(c) => {
            let mut c = (**c).clone();
            for e in [
                &mut c.range,
                &mut c.init,
                &mut c.cond,
                &mut c.step,
                &mut c.result,
            ] {
                *e = without_ids(e);
            }
            ExprKind::Comprehension(Box::new(c))
        }
        other @ (ExprKind::Literal(_) | ExprKind::Ident(_) | ExprKind::Struct(_)) => other.clone(),
    };
    Expr { id: 0, kind }
}

/// Whether the variable `name` occurs in `expr`.
fn mentions(expr: &Expr, name: &str) -> bool {
    match &expr.kind {
        ExprKind::Ident(n) => n == name,
        ExprKind::Select { operand, .. } => mentions(operand, name),
        ExprKind::Call { target, args, .. } => {
            target.as_deref().is_some_and(|t| mentions(t, name))
                || args.iter().any(|a| mentions(a, name))
        }
        ExprKind::List { elements, .. } => elements.iter().any(|e| mentions(e, name)),
        ExprKind::Map(entries) => entries
            .iter()
            .any(|(k, v, _)| mentions(k, name) || mentions(v, name)),
        ExprKind::Comprehension(c) => [&c.range, &c.init, &c.cond, &c.step, &c.result]
            .iter()
            .any(|e| mentions(e, name)),
        ExprKind::Literal(_) | ExprKind::Struct(_) => false,
    }
}
