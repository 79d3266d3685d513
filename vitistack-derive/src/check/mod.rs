//! The check step: the whole model (every field, every rule, every path), every error at its
//! span. Its output, [`Checked`], is the only input [`crate::emit`] takes, and only this module
//! can make one, so code is never emitted for input that failed a check.

mod cel;
mod crd;
mod field;
mod paths;
mod rules;
mod shape;
mod structure;

use crate::ctxt::Ctxt;
use crate::model::{Container, Crd, Resource, Schema};

/// A model that parsed without error and passed every check.
pub struct Checked<T>(T);

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Checks a `#[derive(Schema)]` model; consumes the derive's error collector, so syntax errors
/// recorded earlier fail the check too.
pub fn schema<'a>(cx: Ctxt, mut model: Container<'a>) -> syn::Result<Checked<Schema<'a>>> {
    structure::check(&cx, &model);
    let rules = std::mem::take(&mut model.attrs.rules)
        .into_iter()
        .map(rules::decide)
        .collect();
    cx.check()?;
    Ok(Checked(Schema {
        container: model,
        rules,
    }))
}

/// Checks a `#[derive(CustomResource)]` model, as [`schema`] does.
pub fn crd<'a>(cx: Ctxt, model: Crd<'a>) -> syn::Result<Checked<Resource<'a>>> {
    let spec = model.spec;
    let resource = crd::check(&cx, model);
    cx.check()?;
    // `crd::check` returns `None` only after recording the error `cx.check()` returned.
    resource
        .map(Checked)
        .ok_or_else(|| syn::Error::new(spec.span(), "#[derive(CustomResource)] is incomplete"))
}
