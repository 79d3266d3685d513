//! A struct's cross-field rules: the options whose meaning the syntax layer does not judge.

use crate::ctxt::Ctxt;
use crate::model::ContainerRule;

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
}
