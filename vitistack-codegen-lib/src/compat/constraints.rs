//! What the layers of a field (its own schema and the `allOf` members that apply to it, see
//! [`super::flatten`]) admit together, keyword by keyword, and crdify's verdict on a change of
//! it: every layer must accept a value, so enums intersect, bounds take the tightest, patterns
//! and formats all apply, and `required` names add up.

use std::cmp::Ordering;

use serde_json::Value;

use super::config::Config;

/// The values of `key` in the layers that have it.
fn values<'a>(layers: &[&'a Value], key: &str) -> Vec<&'a Value> {
    layers.iter().filter_map(|l| l.get(key)).collect()
}

/// Elements of a set, as sorted JSON texts.
fn texts<'a>(values: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    let mut all: Vec<String> = values.into_iter().map(Value::to_string).collect();
    all.sort();
    all.dedup();
    all
}

/// The allowed values (JSON texts) when some layer has an `enum`: the values every such layer
/// allows.
fn allowed_values(layers: &[&Value]) -> Option<Vec<String>> {
    let mut sets = values(layers, "enum")
        .into_iter()
        .map(|e| texts(e.as_array().into_iter().flatten()));
    let first = sets.next()?;
    Some(sets.fold(first, |acc, set| {
        acc.into_iter().filter(|v| set.contains(v)).collect()
    }))
}

/// crdify `enum`: a constraint added where there was none, allowed values removed, or (unless
/// `additionPolicy: Allow`) allowed values added.
pub fn enum_change(old: &[&Value], new: &[&Value], config: &Config) -> Option<String> {
    let b = allowed_values(new)?;
    let Some(a) = allowed_values(old) else {
        return Some(format!("enum constraint added: [{}]", b.join(", ")));
    };
    let removed: Vec<&str> = a
        .iter()
        .filter(|v| !b.contains(v))
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = b
        .iter()
        .filter(|v| !a.contains(v))
        .map(String::as_str)
        .collect();
    if !removed.is_empty() {
        Some(format!("allowed values removed: [{}]", removed.join(", ")))
    } else if !added.is_empty() && !config.enum_addition_allowed {
        Some(format!("allowed values added: [{}]", added.join(", ")))
    } else {
        None
    }
}

/// A bound and whether it is exclusive (OpenAPI v3.0 `exclusiveMaximum: true`).
#[derive(Debug, Clone, Copy)]
struct Bound<'a> {
    value: &'a Value,
    exclusive: bool,
}

/// The tightest bound `key` of the layers (`tighter`: the direction that admits less).
fn tightest<'a>(layers: &[&'a Value], key: &str, tighter: Ordering) -> Option<Bound<'a>> {
    let exclusive_key = match key {
        "maximum" => Some("exclusiveMaximum"),
        "minimum" => Some("exclusiveMinimum"),
        _ => None,
    };
    let bounds = layers.iter().filter_map(|layer| {
        Some(Bound {
            value: layer.get(key)?,
            exclusive: exclusive_key
                .and_then(|k| layer.get(k))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    });
    bounds.reduce(|a, b| match compare_numbers(b.value, a.value) {
        Some(o) if o == tighter => b,
        Some(Ordering::Equal) if b.exclusive => b,
        _ => a,
    })
}

/// crdify's `MaxVerification`/`MinVerification` for `key`: a bound added where there was
/// none, or moved in the `tighter` direction. The same bound made exclusive is reported by the
/// `exclusiveMaximum`/`exclusiveMinimum` check (`exclusive == true`).
pub fn bound_change(
    old: &[&Value],
    new: &[&Value],
    key: &str,
    tighter: Ordering,
    exclusive: bool,
) -> Option<String> {
    let verb = if tighter == Ordering::Less {
        "lowered"
    } else {
        "raised"
    };
    let b = tightest(new, key, tighter)?;
    let Some(a) = tightest(old, key, tighter) else {
        return (!exclusive).then(|| format!("{key} added: {}", b.value));
    };
    match compare_numbers(b.value, a.value) {
        Some(o) if o == tighter && !exclusive => {
            Some(format!("{key} {verb}: {} -> {}", a.value, b.value))
        }
        Some(Ordering::Equal) if exclusive && b.exclusive && !a.exclusive => Some(format!(
            "{key} {} made exclusive: the value itself is no longer allowed",
            a.value
        )),
        _ => None,
    }
}

/// Exact for integers (int64 bounds do not survive a trip through f64), else as f64.
fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => Some(x.cmp(&y)),
        (_, _, Some(x), Some(y)) => Some(x.cmp(&y)),
        (Some(_), _, _, Some(_)) => Some(Ordering::Less),
        (_, Some(_), Some(_), _) => Some(Ordering::Greater),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// A string keyword every layer applies (`pattern`, `format`): each new value that no old
/// layer had restricts; old values gone only loosen.
fn string_set(layers: &[&Value], key: &str) -> Vec<String> {
    texts(values(layers, key))
}

/// crdify `pattern`: added, changed, or (unless `removalPolicy: Allow`) removed.
pub fn pattern_change(old: &[&Value], new: &[&Value], config: &Config) -> Option<String> {
    let (a, b) = (string_set(old, "pattern"), string_set(new, "pattern"));
    if a == b {
        return None;
    }
    let gone = a.iter().any(|p| !b.contains(p));
    let came = b.iter().any(|p| !a.contains(p));
    match (a.is_empty(), came, gone) {
        (true, _, _) => Some(format!("pattern added: {}", b.join(", "))),
        (false, true, _) => Some(format!(
            "pattern changed: {} -> {}",
            show_set(&a),
            show_set(&b)
        )),
        (false, false, true) if !config.pattern_removal_allowed => {
            Some(format!("pattern removed: {}", show_set(&a)))
        }
        _ => None,
    }
}

/// A set of values for a message: `a, b`, or `(none)`.
pub fn show_set(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

/// `format`: a format added or changed (the apiserver checks the formats it knows, so stored
/// values may fail the new one); a format removed only loosens.
pub fn format_change(old: &[&Value], new: &[&Value]) -> Option<String> {
    let (a, b) = (string_set(old, "format"), string_set(new, "format"));
    if !b.iter().any(|f| !a.contains(f)) {
        return None;
    }
    Some(if a.is_empty() {
        format!("format added: {}", b.join(", "))
    } else {
        format!("format changed: {} -> {}", show_set(&a), show_set(&b))
    })
}

/// `uniqueItems: true` added: lists with repeated items become invalid.
pub fn unique_items_change(old: &[&Value], new: &[&Value]) -> Option<String> {
    let unique = |layers: &[&Value]| {
        values(layers, "uniqueItems")
            .iter()
            .any(|v| v.as_bool() == Some(true))
    };
    (!unique(old) && unique(new)).then(|| "uniqueItems added".to_owned())
}

/// The `required` names of every layer.
pub fn required_names(layers: &[&Value]) -> Vec<String> {
    let mut names: Vec<String> = values(layers, "required")
        .into_iter()
        .flat_map(|r| r.as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}
