//! The estimated cost of the rules of a schema, as the apiserver estimates it when a CRD is
//! written: each rule's estimate times the cardinality of its node against 10,000,000, all of
//! them together against 100,000,000, with the apiserver's texts at its paths
//! (`vitistack_core::cel::cost::schema_cost`). Beyond the apiserver's text, a rule over its
//! limit gets its cost, how it arises and the bound that alone brings it under
//! (`add maxItems: 64 to spec.l`); with [`super::Options::cost_report`] every rule's cost is
//! reported too.

use serde_json::Value;
use vitistack_core::cel::cost::{
    schema_cost, Cardinality, CostFinding, Expression, CRD_COST_LIMIT, RULE_COST_LIMIT,
};

use super::api_path::ApiPath;
use super::issue::{Check, Issue, Severity};

/// The cost findings of the schema at `root`.
pub(crate) fn check(schema: &Value, root: &ApiPath, report_all: bool, out: &mut Vec<Issue>) {
    let cost = schema_cost(schema);
    let rebase = |path: &str| {
        ApiPath::new(format!(
            "{}{}",
            root,
            path.strip_prefix("openAPIV3Schema").unwrap_or(path)
        ))
    };
    for (path, detail) in cost.errors() {
        let finding = cost.findings.iter().find(|f| f.path == path);
        let mut message = format!("Forbidden: {detail}");
        if let Some(f) = finding.filter(|f| f.over_limit.as_deref() == Some(detail.as_str())) {
            message.push_str(&format!("; {}", breakdown(f)));
            if let Some(s) = &f.suggestion {
                message.push_str(&format!("; {s}"));
            }
        }
        let field = finding.map_or("", |f| f.field_path.as_str());
        out.push(Issue::refused(rebase(&path), field, Check::Cost, message));
    }
    if report_all {
        for f in cost.findings.iter().filter(|f| f.over_limit.is_none()) {
            out.push(Issue {
                path: rebase(&f.path),
                field: f.field_path.clone(),
                severity: Severity::Info,
                check: Check::Cost,
                message: format!(
                    "{}, {} of the per-rule limit",
                    breakdown(f),
                    percent(f.cost, RULE_COST_LIMIT)
                ),
            });
        }
        out.push(Issue {
            path: root.clone(),
            field: String::new(),
            severity: Severity::Info,
            check: Check::Cost,
            message: format!(
                "estimated cost of all rules {}, {} of the per-CRD limit",
                thousands(cost.total),
                percent(cost.total, CRD_COST_LIMIT)
            ),
        });
    }
}

/// `cost 406,000,000 = 406,000 per evaluation × 1,000 (bounded)`.
fn breakdown(f: &CostFinding) -> String {
    let what = match f.expression {
        Expression::Rule => "rule",
        Expression::MessageExpression => "messageExpression",
    };
    let times = match f.cardinality {
        Cardinality::Bounded(n) => format!("{} (the bounds above it)", thousands(n)),
        Cardinality::Unbounded(n) => format!(
            "{} (unbounded: values that fit in a 3 MiB request)",
            thousands(n)
        ),
    };
    format!(
        "{what} cost {} = {} per evaluation × {times}",
        thousands(f.cost),
        thousands(f.max_cost)
    )
}

fn percent(cost: u64, limit: u64) -> String {
    format!("{:.2} %", cost as f64 * 100.0 / limit as f64)
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
