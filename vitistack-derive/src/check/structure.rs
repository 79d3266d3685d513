//! The type as a whole: generics, docs, enums, and each field and struct rule in turn.

use super::{field, paths, rules};
use crate::ctxt::Ctxt;
use crate::model::{Container, Data, Variant};

/// Checks a `#[derive(Schema)]` type.
pub fn check(cx: &Ctxt, c: &Container) {
    if !c.generics.params.is_empty() {
        cx.error_at(
            c.generics,
            "generic types are not supported: a CRD schema needs one concrete shape",
        );
    }
    if c.doc.is_empty() {
        cx.error_at(
            c.ident,
            "add a doc comment: it becomes the schema description that `kubectl explain` shows",
        );
    }
    match &c.data {
        Data::Enum(variants) => {
            misplaced(cx, &c.attrs.misplaced);
            variants.iter().for_each(|v| variant(cx, v));
        }
        Data::Struct(fields) => {
            for f in fields {
                field::check(cx, f, c.ident);
            }
            // A flattened member's wire names are its type's: not all known here.
            let wire_names: Option<Vec<String>> = fields
                .iter()
                .map(|f| f.flatten.is_none().then(|| f.wire.clone()))
                .collect();
            for rule in &c.attrs.rules {
                rules::check(cx, rule, wire_names.as_deref());
            }
            paths::check(cx, &c.attrs.paths, fields);
        }
        Data::Unnamed => cx.error_at(
            c.ident,
            "tuple and unit structs have no field names: use a struct with named fields",
        ),
    }
}

fn variant(cx: &Ctxt, v: &Variant) {
    misplaced(cx, &v.attrs.misplaced);
    if let Some(data) = &v.data {
        cx.error_at(
            data,
            "enum variants with data cannot be made into a structural schema: use unit variants (a string enum) or a struct with optional fields",
        );
    }
}

/// `#[viti(...)]` on an enum or a variant would be silently ignored.
fn misplaced(cx: &Ctxt, attrs: &[proc_macro2::TokenStream]) {
    for attr in attrs {
        cx.error_at(attr, "#[viti(...)] has no effect on an enum: its values are the variant names; put rules on the field that holds the enum");
    }
}
