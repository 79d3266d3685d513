//! A struct's cross-field rules: the options whose meaning the syntax layer does not judge.

use crate::ctxt::Ctxt;
use crate::model::{ContainerRule, RuleKind};

/// Checks one cross-field rule.
pub fn check(cx: &Ctxt, rule: &ContainerRule) {
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
        );
    }
}
