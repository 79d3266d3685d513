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
use crate::model::{Container, Crd};

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
pub fn schema<'a>(cx: Ctxt, model: Container<'a>) -> syn::Result<Checked<Container<'a>>> {
    structure::check(&cx, &model);
    cx.check()?;
    Ok(Checked(model))
}

/// Checks a `#[derive(CustomResource)]` model, as [`schema`] does.
pub fn crd<'a>(cx: Ctxt, model: Crd<'a>) -> syn::Result<Checked<Crd<'a>>> {
    crd::check(&cx, &model);
    cx.check()?;
    Ok(Checked(model))
}
