//! Wire names as Rust names: fields in snake case (keywords raw, `r#type`), types in camel case.

/// Rust's keywords, strict and reserved (a field named so is written `r#name`).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// `ipAddress` → `ip_address`, `x-y` → `x_y`, `1a` → `_1a`, `type` → `r#type`.
pub(super) fn field_name(wire: &str) -> String {
    let mut out = snake(wire);
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if ["self", "Self", "super", "crate"].contains(&out.as_str()) {
        out.push('_');
    } else if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

/// Lower snake case of a wire or kind name; characters outside `[A-Za-z0-9]` become `_`.
pub(super) fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = true;
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    out
}

/// `ipAddress` → `IpAddress`, `x-y` → `XY`.
pub(super) fn type_name(wire: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}
