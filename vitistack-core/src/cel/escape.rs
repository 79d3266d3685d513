//! Property-name escaping (`k8s.io/apiserver/pkg/cel/escaping.go`): how a property name becomes
//! a CEL field name (`a-b` → `a__dash__b`, `namespace` → `__namespace__`).

/// The words the apiserver escapes as `__{word}__` when they are a whole property name.
pub const RESERVED: [&str; 21] = [
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// The CEL field name of a property, or `None` when the apiserver omits the property from the
/// type (empty, leading digit, or a character outside `[a-zA-Z0-9_./-]`).
pub fn escape(name: &str) -> Option<String> {
    let first = name.bytes().next()?;
    if first.is_ascii_digit() {
        return None;
    }
    if RESERVED.contains(&name) {
        return Some(format!("__{name}__"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-'))
    {
        return None;
    }
    let bytes = name.as_bytes();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'_' if bytes.get(i + 1) == Some(&b'_') => {
                out.push_str("__underscores__");
                i += 2;
                continue;
            }
            b'.' => out.push_str("__dot__"),
            b'-' => out.push_str("__dash__"),
            b'/' => out.push_str("__slash__"),
            b => out.push(b as char),
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    /// `TestEscaping` of `k8s.io/apiserver/pkg/cel/escaping_test.go` (the table as is).
    #[test]
    fn the_apiservers_escaping_table() {
        let cases: &[(&str, Option<&str>)] = &[
            // '.', '-', '/' and '__' are escaped since
            // CEL only allows identifiers of the form: [a-zA-Z_][a-zA-Z0-9_]*
            ("a.a", Some("a__dot__a")),
            ("a-a", Some("a__dash__a")),
            ("a__a", Some("a__underscores__a")),
            ("a.-/__a", Some("a__dot____dash____slash____underscores__a")),
            ("a._a", Some("a__dot___a")),
            ("a__.__a", Some("a__underscores____dot____underscores__a")),
            ("a___a", Some("a__underscores___a")),
            ("a____a", Some("a__underscores____underscores__a")),
            ("a__dot__a", Some("a__underscores__dot__underscores__a")),
            (
                "a__underscores__a",
                Some("a__underscores__underscores__underscores__a"),
            ),
            // CEL lexer RESERVED keywords must be escaped
            ("true", Some("__true__")),
            ("false", Some("__false__")),
            ("null", Some("__null__")),
            ("in", Some("__in__")),
            ("as", Some("__as__")),
            ("break", Some("__break__")),
            ("const", Some("__const__")),
            ("continue", Some("__continue__")),
            ("else", Some("__else__")),
            ("for", Some("__for__")),
            ("function", Some("__function__")),
            ("if", Some("__if__")),
            ("import", Some("__import__")),
            ("let", Some("__let__")),
            ("loop", Some("__loop__")),
            ("package", Some("__package__")),
            ("namespace", Some("__namespace__")),
            ("return", Some("__return__")),
            ("var", Some("__var__")),
            ("void", Some("__void__")),
            ("while", Some("__while__")),
            // Not all property names are escapable
            ("@", None),
            ("1up", None),
            ("👑", None),
            // CEL macro and function names do not need to be escaped because the parser keeps identifiers in a
            // different namespace than function and  macro names.
            ("has", Some("has")),
            ("all", Some("all")),
            ("exists", Some("exists")),
            ("exists_one", Some("exists_one")),
            ("filter", Some("filter")),
            ("size", Some("size")),
            ("contains", Some("contains")),
            ("startsWith", Some("startsWith")),
            ("endsWith", Some("endsWith")),
            ("matches", Some("matches")),
            ("duration", Some("duration")),
            ("timestamp", Some("timestamp")),
            ("getDate", Some("getDate")),
            ("getDayOfMonth", Some("getDayOfMonth")),
            ("getDayOfWeek", Some("getDayOfWeek")),
            ("getFullYear", Some("getFullYear")),
            ("getHours", Some("getHours")),
            ("getMilliseconds", Some("getMilliseconds")),
            ("getMinutes", Some("getMinutes")),
            ("getMonth", Some("getMonth")),
            ("getSeconds", Some("getSeconds")),
            // we don't escape a single _
            ("_if", Some("_if")),
            ("_has", Some("_has")),
            ("_int", Some("_int")),
            ("_anything", Some("_anything")),
        ];
        for (name, expected) in cases {
            assert_eq!(escape(name).as_deref(), *expected, "{name:?}");
        }
    }
}
