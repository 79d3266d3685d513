//! The libraries of the apiserver's CRD environment (compatibility version 1.36, what a 1.37
//! apiserver compiles new rules with), one file each. Each library has two halves with the
//! same names: `check` (the overloads the type checker resolves) and `call` (the runtime).
//!
//! Not here, as on the apiserver: `cel.bind`, `math.*`, `base64.*`, `string.reverse()`,
//! `regex.*` (cel-go's ext), `jsonpatch.*`, and `includes` (Kubernetes lists v1 arrived at
//! compatibility version 1.37, so a 1.37 apiserver accepts it only in stored rules).

pub mod format;
pub mod lists;
pub mod net;
pub mod optionals;
pub mod quantity;
pub mod regex;
pub mod semver;
pub mod sets;
pub mod standard;
pub mod strings;
pub mod time;
pub mod url;

use super::errors::EvalError;
use super::eval::Tracker;
use super::types::Type;
use super::value::Value;

/// What the checker learns about a call from one library.
pub(crate) enum Overload {
    /// The library does not declare this function name.
    Unknown,
    /// It declares the name, but no overload takes these argument types.
    NoMatch,
    /// The result type.
    Result(Type),
}

type CheckFn = fn(&str, Option<&Type>, &[Type]) -> Overload;
type CallFn = fn(&str, Option<&Value>, &[Value], &mut Tracker) -> Option<Result<Value, EvalError>>;

/// Every library, checker and runtime halves side by side.
const LIBRARIES: [(CheckFn, CallFn); 11] = [
    (standard::check, standard::call),
    (strings::check, strings::call),
    (lists::check, lists::call),
    (regex::check, regex::call),
    (url::check, url::call),
    (net::check, net::call),
    (quantity::check, quantity::call),
    (semver::check, semver::call),
    (format::check, format::call),
    (optionals::check, optionals::call),
    (sets::check, sets::call),
];

/// Namespaces of global functions written like member calls (`sets.contains(a, b)`).
const NAMESPACES: [&str; 7] = [
    "sets", "lists", "optional", "strings", "format", "math", "ip",
];

/// Whether `name` is a function namespace (`sets`, `optional`, ...).
pub(crate) fn is_namespace(name: &str) -> bool {
    NAMESPACES.contains(&name)
}

/// The checker's view of a call: `Unknown` when no library declares the name.
pub(crate) fn check(function: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    let mut known = false;
    for (check, _) in LIBRARIES {
        match check(function, target, args) {
            Overload::Result(t) => return Overload::Result(t),
            Overload::NoMatch => known = true,
            Overload::Unknown => {}
        }
    }
    if known {
        Overload::NoMatch
    } else {
        Overload::Unknown
    }
}

/// Whether a call's cost is the library's own (cel-go `CallCost`), replacing the default 1.
pub(crate) fn has_own_cost(function: &str, target: Option<&Value>, args: &[Value]) -> bool {
    match function {
        "_+_" => matches!(args.first(), Some(Value::String(_) | Value::Bytes(_))),
        "@in" => matches!(args.get(1), Some(Value::List(_))),
        "contains" | "startsWith" | "endsWith" => matches!(target, Some(Value::String(_))),
        "indexOf" | "lastIndexOf" => matches!(target, Some(Value::String(_) | Value::List(_))),
        "ip" | "cidr" => target.is_none(),
        "matches" | "find" | "findAll" | "isSorted" | "sum" | "min" | "max" | "url" | "isURL"
        | "lowerAscii" | "upperAscii" | "substring" | "trim" | "replace" | "split" | "join"
        | "isIP" | "isCIDR" | "ip.isCanonical" | "quantity" | "isQuantity" | "semver"
        | "isSemver" | "containsIP" | "containsCIDR" | "validate" | "sets.contains"
        | "sets.equivalent" | "sets.intersects" => true,
        _ => false,
    }
}

/// Calls a function at runtime (the first library whose overload takes these values).
pub(crate) fn call(
    function: &str,
    target: Option<&Value>,
    args: &[Value],
    t: &mut Tracker,
) -> Result<Value, EvalError> {
    if let Some(Value::Error(e)) = target {
        return Err(EvalError::msg(&**e));
    }
    if let Some(Value::Error(e)) = args.iter().find(|a| matches!(a, Value::Error(_))) {
        return Err(EvalError::msg(&**e));
    }
    for (_, call) in LIBRARIES {
        if let Some(r) = call(function, target, args, t) {
            return r;
        }
    }
    Err(EvalError::NoOverload(function.to_string()))
}

/// Standard base64 decoding (`strfmt.Base64`: standard alphabet, padding required).
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let last = i == bytes.len() / 4 - 1;
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
}
