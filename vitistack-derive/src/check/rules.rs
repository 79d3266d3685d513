//! A struct's cross-field rules: the options whose meaning the syntax layer does not judge, and
//! the defaults of those not given (message, field path, reason), decided here once.

use crate::ctxt::Ctxt;
use crate::model::{ContainerRule, DecidedRule, Outcome, RuleKind};
use crate::pred::Pred;
use crate::table::Reason;

/// Checks one cross-field rule; `wire_names` are the struct's fields, where all are known.
pub fn check(cx: &Ctxt, rule: &ContainerRule, wire_names: Option<&[String]>) {
    if let Some(lit) = &rule.common.field_path {
        if !lit.value().starts_with('.') {
            cx.syn_error(syn::Error::new(
                lit.span(),
                "a field_path starts with `.`, e.g. \".gateway\"",
            ));
        }
    }
    if let RuleKind::Cel {
        rule: text,
        message_expression,
        optional_old_self,
        ..
    } = &rule.kind
    {
        super::cel::check(
            cx,
            text,
            rule.common.message.as_deref(),
            message_expression.as_ref(),
            optional_old_self.as_ref(),
            wire_names,
        );
    }
}

/// Decides how a violation of a (checked) cross-field rule is reported.
pub fn decide(rule: ContainerRule) -> DecidedRule {
    let common = rule.common;
    let (message, field_path, reason) = defaults(&rule.kind);
    let outcome = Outcome {
        message: common.message.unwrap_or(message),
        field_path: common.field_path.map(|lit| lit.value()).or(field_path),
        reason: common.reason.unwrap_or(reason),
    };
    DecidedRule {
        kind: rule.kind,
        outcome,
    }
}

/// The message, field path and reason of a rule that gives none.
fn defaults(kind: &RuleKind) -> (String, Option<String>, Reason) {
    match kind {
        RuleKind::Implies { then, .. } => (
            "the condition does not hold".to_string(),
            then.paths().first().map(|p| format!(".{p}")),
            implied_reason(then),
        ),
        RuleKind::IpInCidr { ip, cidr, each } => (
            format!("must be inside {cidr}"),
            Some(format!(".{}", each.as_deref().unwrap_or(ip))),
            Reason::Invalid,
        ),
        RuleKind::Ordered {
            lesser, greater, ..
        } => (
            format!("must be less than or equal to {greater}"),
            Some(format!(".{lesser}")),
            Reason::Invalid,
        ),
        RuleKind::Disjoint { a, b } => (
            format!("{a} and {b} must not overlap"),
            Some(format!(".{b}")),
            Reason::Invalid,
        ),
        // `message` is required (the syntax layer says so); the rule is reported at its object.
        RuleKind::Cel { .. } => (String::new(), None, Reason::Invalid),
        // controller-gen's message, which the engine words (`OneOfKind::message`), at the
        // object.
        RuleKind::OneOf { .. } => (String::new(), None, Reason::Invalid),
    }
}

/// What the `then` condition implies: `has(x)` fails as required, `!has(x)` as forbidden.
fn implied_reason(then: &Pred) -> Reason {
    match then {
        Pred::Has(_) => Reason::Required,
        Pred::Not(inner) if matches!(**inner, Pred::Has(_)) => Reason::Forbidden,
        _ => Reason::Invalid,
    }
}
