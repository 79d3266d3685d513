//! Compile-time checks of field types a structural CRD cannot hold.

use crate::ctxt::Ctxt;

/// Reports recursive types, maps with non-string keys, tuples and other unstructural shapes.
pub fn check_type(cx: &Ctxt, ty: &syn::Type, owner: &syn::Ident) {
    match ty {
        syn::Type::Path(path) => check_path(cx, ty, path, owner),
        syn::Type::Tuple(t) if t.elems.is_empty() => {
            cx.error_at(ty, "`()` has no schema");
        }
        syn::Type::Tuple(_) => cx.error_at(
            ty,
            "tuples cannot be made structural (a list whose items differ in type): use a struct",
        ),
        syn::Type::Paren(p) => check_type(cx, &p.elem, owner),
        syn::Type::Group(g) => check_type(cx, &g.elem, owner),
        _ => cx.error_at(ty, "this type has no Kubernetes schema: use String, integers, bool, f64, Option, Vec, BTreeMap<String, _> or a #[derive(Schema)] type"),
    }
}

fn check_path(cx: &Ctxt, ty: &syn::Type, path: &syn::TypePath, owner: &syn::Ident) {
    let Some(last) = path.path.segments.last() else {
        return;
    };
    if last.ident == *owner || last.ident == "Self" {
        cx.error_at(
            ty,
            format!("`{owner}` contains itself: a recursive type needs `$ref`, which structural CRD schemas forbid"),
        );
        return;
    }
    let args: Vec<&syn::Type> = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let name = last.ident.to_string();
    if matches!(name.as_str(), "BTreeMap" | "HashMap" | "IndexMap") {
        if let Some(key) = args.first() {
            if !is_string(key) {
                cx.error_at(
                    key,
                    "map keys must be `String`: JSON object keys are strings",
                );
            }
        }
        if let Some(value) = args.get(1) {
            check_type(cx, value, owner);
        }
        return;
    }
    if matches!(name.as_str(), "f32") {
        cx.error_at(ty, "use f64: the apiserver stores numbers as 64-bit floats");
        return;
    }
    if matches!(name.as_str(), "u128" | "i128" | "usize" | "isize") {
        cx.error_at(ty, "use a fixed-width integer of at most 64 bits (i32, u32, i64, ...): the apiserver knows int32 and int64 only");
        return;
    }
    for arg in args {
        check_type(cx, arg, owner);
    }
}

fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "String"))
}

/// Whether the type is written as `Option<...>`.
pub fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// `T` of a type written as `Option<T>`.
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// Whether the type is written as a list or a map.
pub fn is_container(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| {
        matches!(s.ident.to_string().as_str(), "Vec" | "BTreeMap" | "HashMap" | "IndexMap" | "Value" | "Map")
    }))
}
