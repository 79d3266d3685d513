//! `ValidFieldPath` of k8s.io/apiextensions-apiserver (`pkg/apiserver/schema/cel/validation.go`):
//! a rule's `fieldPath` and a `selectableFields` `jsonPath` must walk the schema through
//! `properties` (`.name`, `['name']`) and `additionalProperties` (`['key']` or `.key` on a map),
//! nothing else.

use serde_json::Value;

/// The schema `path` names below `schema`, or why it names none (the apiserver's words).
/// `brackets`: whether `['name']` is allowed (not in `selectableFields`).
pub(crate) fn resolve<'a>(
    path: &str,
    schema: &'a Value,
    brackets: bool,
) -> Result<&'a Value, String> {
    let tokens = tokens(path);
    let mut tokens = tokens.iter();
    let mut schema = schema;
    while let Some(token) = tokens.next() {
        let name = match token.as_str() {
            "[" => {
                if !brackets {
                    return Err("array notation is not allowed".to_owned());
                }
                let quoted = tokens.next().ok_or("unexpected end of JSON path")?;
                if quoted.len() < 2 || !quoted.starts_with('\'') || !quoted.ends_with('\'') {
                    return Err(format!("expected single quoted string but got {quoted}"));
                }
                let name = unescape(&quoted[1..quoted.len() - 1])?;
                match tokens.next().map(String::as_str) {
                    Some("]") => {}
                    Some(other) => return Err(format!("expected ] but got {other}")),
                    None => return Err("unexpected end of JSON path".to_owned()),
                }
                name
            }
            "." => tokens.next().ok_or("unexpected end of JSON path")?.clone(),
            other => return Err(format!("expected [ or . but got: {other}")),
        };
        schema = step(schema, &name)?;
    }
    Ok(schema)
}

fn step<'a>(schema: &'a Value, name: &str) -> Result<&'a Value, String> {
    if let Some(props) = schema.get("properties") {
        props
            .get(name)
            .ok_or_else(|| "does not refer to a valid field".to_owned())
    } else if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        Ok(values)
    } else {
        Err("does not refer to a valid field".to_owned())
    }
}

/// The Go scanner's tokens: `.`, `[` and `]` alone, a single-quoted string whole, any other run
/// of text up to a delimiter.
fn tokens(path: &str) -> Vec<String> {
    let chars: Vec<char> = path.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\'' {
            let mut j = i + 1;
            while j < chars.len() && !(chars[j] == '\'' && chars[j - 1] != '\\') {
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            out.push(chars[i..end].iter().collect());
            i = end;
        } else if matches!(chars[i], '.' | '[' | ']') {
            out.push(chars[i].to_string());
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !matches!(chars[i], '.' | '[' | ']') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        }
    }
    out
}

/// `unescapeSingleQuote`: `\a \b \f \n \r \t \v \' \\`.
fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('a') => '\u{7}',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('v') => '\u{b}',
            Some('\'') => '\'',
            Some('\\') => '\\',
            _ => return Err("invalid string literal: invalid escape sequence".to_owned()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::resolve;

    #[test]
    fn walks_properties_and_maps_only() {
        let schema = json!({"type": "object", "properties": {
            "a": {"type": "string"},
            "l": {"type": "array", "items": {"type": "string"}},
            "m": {"type": "object", "additionalProperties": {"type": "string"}}}});
        assert!(resolve(".a", &schema, true).is_ok());
        assert!(resolve(".m['k.x']", &schema, true).is_ok());
        assert!(resolve(".m.k", &schema, true).is_ok());
        assert!(resolve("['a']", &schema, true).is_ok());
        assert!(resolve("['a']", &schema, false).is_err());
        assert!(resolve(".nope", &schema, true).is_err());
        assert!(resolve(".l[0]", &schema, true).is_err());
        assert!(resolve("a", &schema, true).is_err());
    }
}
