//! The field paths struct rules name: the first segment against the struct's wire names here,
//! the rest by a constant the compiler evaluates (emitted by [`crate::emit`]).

use crate::ctxt::Ctxt;
use crate::model::{Field, RulePath};

/// Reports every path whose first segment is not a field of the struct.
pub fn check(cx: &Ctxt, paths: &[RulePath], fields: &[Field]) {
    // A flattened struct's wire names are its type's: the compiler checks every path then.
    if fields.iter().any(|f| f.flatten.is_some()) {
        return;
    }
    let wire: Vec<&str> = fields
        .iter()
        .filter(|f| f.flatten.is_none())
        .map(|f| f.wire.as_str())
        .collect();
    for p in paths.iter().filter(|p| !p.into_items) {
        let first = p.path.split('.').next().unwrap_or_default();
        if !wire.contains(&first) {
            cx.syn_error(syn::Error::new(
                p.span,
                format!(
                    "no field `{first}` in this struct (wire names: {})",
                    wire.join(", ")
                ),
            ));
        }
    }
}
