//! `ext.Strings` version 2 (`cel-go/ext/strings.go`): `charAt`, `indexOf`, `lastIndexOf`,
//! `lowerAscii`, `upperAscii`, `replace`, `split`, `substring`, `trim`, `join`, `format`,
//! `strings.quote`. No `reverse` (version 3), as on the apiserver. Indices count code points.

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::Type;
use super::super::value::Value;
use super::Overload;

const NAMES: [&str; 12] = [
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "replace",
    "split",
    "substring",
    "trim",
    "join",
    "format",
    "strings.quote",
];

/// The checker's overloads.
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    use Type::*;
    let s = target.is_some_and(|t| t.fits(&String));
    let is = |a: &Type, w: Type| a.fits(&w);
    let r = |t: Type| Overload::Result(t);
    match (f, args) {
        ("charAt", [i]) if s && is(i, Int) => r(String),
        ("indexOf" | "lastIndexOf", [p]) if s && is(p, String) => r(Int),
        ("indexOf" | "lastIndexOf", [p, i]) if s && is(p, String) && is(i, Int) => r(Int),
        ("lowerAscii" | "upperAscii" | "trim", []) if s => r(String),
        ("replace", [a, b]) if s && is(a, String) && is(b, String) => r(String),
        ("replace", [a, b, n]) if s && is(a, String) && is(b, String) && is(n, Int) => r(String),
        ("split", [a]) if s && is(a, String) => r(List(Box::new(String))),
        ("split", [a, n]) if s && is(a, String) && is(n, Int) => r(List(Box::new(String))),
        ("substring", [a]) if s && is(a, Int) => r(String),
        ("substring", [a, b]) if s && is(a, Int) && is(b, Int) => r(String),
        ("join", []) if target.is_some_and(|t| t.fits(&List(Box::new(String)))) => r(String),
        ("join", [sep])
            if target.is_some_and(|t| t.fits(&List(Box::new(String)))) && is(sep, String) =>
        {
            r(String)
        }
        ("format", [l]) if s && is(l, List(Box::new(Dyn))) => r(String),
        ("strings.quote", [a]) if target.is_none() && is(a, String) => r(String),
        _ => Overload::NoMatch,
    }
}

type R = Option<Result<Value, EvalError>>;

fn out_of_range(i: i64) -> R {
    Some(Err(EvalError::msg(format!("index out of range: {i}"))))
}

/// The runtime.
pub(crate) fn call(f: &str, target: Option<&Value>, args: &[Value], t: &mut Tracker) -> R {
    use Value as V;
    if f == "strings.quote" {
        let [V::String(s)] = args else { return None };
        return Some(Ok(V::string(quote(s))));
    }
    if f == "join" {
        let Some(V::List(l)) = target else {
            return None;
        };
        let sep = match args {
            [] => "",
            [V::String(s)] => s,
            _ => return None,
        };
        let mut parts = Vec::with_capacity(l.items.len());
        for item in &l.items {
            let V::String(s) = item else { return None };
            parts.push(&**s);
        }
        let joined = parts.join(sep);
        if let Err(e) = t.add(factor(joined.chars().count() as u64, 0.2)) {
            return Some(Err(e));
        }
        return Some(Ok(V::string(joined)));
    }
    let Some(V::String(s)) = target else {
        return None;
    };
    if !NAMES.contains(&f) {
        return None;
    }
    let n = s.chars().count() as u64;
    let cost = match f {
        "lowerAscii" | "upperAscii" | "substring" | "trim" => factor(n, 0.1),
        "replace" | "split" => factor(n, 0.2),
        "indexOf" | "lastIndexOf" => (s.len() as f64 * 0.1).floor() as u64,
        _ => 0,
    };
    if let Err(e) = t.add(cost) {
        return Some(Err(e));
    }
    let chars: Vec<char> = s.chars().collect();
    let r = match (f, args) {
        ("charAt", [V::Int(i)]) => {
            let Ok(i) = usize::try_from(*i) else {
                return out_of_range(*i);
            };
            match i.cmp(&chars.len()) {
                std::cmp::Ordering::Less => V::string(chars[i].to_string()),
                std::cmp::Ordering::Equal => V::string(""),
                std::cmp::Ordering::Greater => return out_of_range(i as i64),
            }
        }
        ("indexOf", [V::String(p)]) => V::Int(index_of(&chars, p, 0).map_or(-1, |i| i as i64)),
        ("indexOf", [V::String(p), V::Int(off)]) => {
            if *off < 0 || *off as usize > chars.len() {
                return out_of_range(*off);
            }
            V::Int(index_of(&chars, p, *off as usize).map_or(-1, |i| i as i64))
        }
        ("lastIndexOf", [V::String(p)]) => {
            V::Int(last_index_of(&chars, p, chars.len()).map_or(-1, |i| i as i64))
        }
        ("lastIndexOf", [V::String(p), V::Int(off)]) => {
            if *off < 0 || *off as usize > chars.len() {
                return out_of_range(*off);
            }
            V::Int(last_index_of(&chars, p, *off as usize).map_or(-1, |i| i as i64))
        }
        ("lowerAscii", []) => V::string(s.to_ascii_lowercase()),
        ("upperAscii", []) => V::string(s.to_ascii_uppercase()),
        ("trim", []) => V::string(s.trim()),
        ("replace", [V::String(a), V::String(b)]) => V::string(s.replace(&**a, b)),
        ("replace", [V::String(a), V::String(b), V::Int(n)]) => {
            if *n < 0 {
                V::string(s.replace(&**a, b))
            } else {
                V::string(s.replacen(&**a, b, *n as usize))
            }
        }
        ("split", [V::String(sep)]) => V::list(split(s, sep, -1)),
        ("split", [V::String(sep), V::Int(n)]) => V::list(split(s, sep, *n)),
        ("substring", [V::Int(a)]) => {
            if *a < 0 || *a as usize > chars.len() {
                return out_of_range(*a);
            }
            V::string(chars[*a as usize..].iter().collect::<String>())
        }
        ("substring", [V::Int(a), V::Int(b)]) => {
            if *a < 0 || *a as usize > chars.len() {
                return out_of_range(*a);
            }
            if *b < 0 || *b as usize > chars.len() {
                return out_of_range(*b);
            }
            if a > b {
                return Some(Err(EvalError::msg(format!(
                    "invalid substring range. start: {a}, end: {b}"
                ))));
            }
            V::string(chars[*a as usize..*b as usize].iter().collect::<String>())
        }
        ("format", [V::List(l)]) => return Some(format(s, &l.items)),
        _ => return None,
    };
    Some(Ok(r))
}

fn index_of(chars: &[char], p: &str, from: usize) -> Option<usize> {
    let p: Vec<char> = p.chars().collect();
    if p.is_empty() {
        return Some(from);
    }
    (from..chars.len()).find(|&i| chars[i..].starts_with(&p))
}

fn last_index_of(chars: &[char], p: &str, upto: usize) -> Option<usize> {
    let p: Vec<char> = p.chars().collect();
    if p.is_empty() {
        return Some(upto);
    }
    (0..=upto.min(chars.len()))
        .rev()
        .find(|&i| chars[i..].starts_with(&p))
}

/// Go's `strings.SplitN` (n < 0: all; n == 0: none).
fn split(s: &str, sep: &str, n: i64) -> Vec<Value> {
    if n == 0 {
        return Vec::new();
    }
    let parts: Vec<String> = if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        if n > 0 && chars.len() > n as usize {
            let mut head: Vec<String> = chars[..n as usize - 1].to_vec();
            head.push(chars[n as usize - 1..].concat());
            head
        } else {
            chars
        }
    } else if n > 0 {
        s.splitn(n as usize, sep).map(String::from).collect()
    } else {
        s.split(sep).map(String::from).collect()
    };
    parts.into_iter().map(Value::string).collect()
}

/// Go's `strconv.Quote`-like quoting (what `strings.quote` returns).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The legacy `format` of ext.Strings v2: `%s %d %f %e %x %X %o %b` and `%%`, with an
/// optional precision for `%f` and `%e`.
fn format(s: &str, args: &[Value]) -> Result<Value, EvalError> {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if it.peek() == Some(&'%') {
            it.next();
            out.push('%');
            continue;
        }
        let mut precision: Option<usize> = None;
        if it.peek() == Some(&'.') {
            it.next();
            let mut digits = String::new();
            while let Some(d) = it.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                it.next();
            }
            precision = digits.parse().ok();
            // A precision past what a double holds only pads zeros: refuse it rather than
            // allocate what the rule asks for.
            if precision.is_none_or(|p| p > 1000) {
                return Err(EvalError::Unsupported(format!("format precision {digits}")));
            }
        }
        let verb = it
            .next()
            .ok_or_else(|| EvalError::msg("unexpected end of format string"))?;
        let arg = args
            .get(next)
            .ok_or_else(|| EvalError::msg(format!("index {next} out of range")))?;
        next += 1;
        let text = match (verb, arg) {
            ('s', v) => display(v)?,
            ('d', Value::Int(i)) => i.to_string(),
            ('d', Value::Uint(u)) => u.to_string(),
            ('f', Value::Double(d)) => format!("{:.*}", precision.unwrap_or(6), d),
            ('f', Value::Int(i)) => format!("{:.*}", precision.unwrap_or(6), *i as f64),
            ('e', Value::Double(d)) => go_exp(*d, precision.unwrap_or(6)),
            ('x', Value::Int(i)) => {
                if *i < 0 {
                    format!("-{:x}", i.unsigned_abs())
                } else {
                    format!("{i:x}")
                }
            }
            ('X', Value::Int(i)) => {
                if *i < 0 {
                    format!("-{:X}", i.unsigned_abs())
                } else {
                    format!("{i:X}")
                }
            }
            ('x', Value::Uint(u)) => format!("{u:x}"),
            ('X', Value::Uint(u)) => format!("{u:X}"),
            ('x', Value::String(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('X', Value::String(s)) => s.bytes().map(|b| format!("{b:02X}")).collect(),
            ('o', Value::Int(i)) => format!("{i:o}"),
            ('o', Value::Uint(u)) => format!("{u:o}"),
            ('b', Value::Int(i)) => format!("{i:b}"),
            ('b', Value::Uint(u)) => format!("{u:b}"),
            ('b', Value::Bool(b)) => b.to_string(),
            (v, a) => {
                return Err(EvalError::msg(format!(
                    "error during formatting: unrecognized formatting clause \"{v}\" for {}",
                    a.type_name()
                )))
            }
        };
        out.push_str(&text);
    }
    Ok(Value::string(out))
}

fn go_exp(d: f64, p: usize) -> String {
    let s = format!("{:.*e}", p, d);
    match s.split_once('e') {
        Some((m, e)) if e.starts_with('-') => format!("{m}e-{:0>2}", &e[1..]),
        Some((m, e)) => format!("{m}e+{e:0>2}"),
        None => s,
    }
}

/// `%s` of a value.
fn display(v: &Value) -> Result<String, EvalError> {
    Ok(match v {
        Value::String(s) => s.to_string(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Double(d) => d.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Duration(d) => super::time::format_duration(*d),
        Value::Timestamp(s, n) => super::time::format_rfc3339(*s, *n),
        Value::List(l) => {
            let items: Result<Vec<String>, EvalError> = l.items.iter().map(display).collect();
            format!("[{}]", items?.join(", "))
        }
        Value::Type(t) => t.to_string(),
        other => {
            return Err(EvalError::msg(format!(
                "error during formatting: no formatting for {}",
                other.type_name()
            )))
        }
    })
}
