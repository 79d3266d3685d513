//! One arbitrary input through the whole engine, for the `cel` fuzz target and its seed test:
//! the first line is a rule, the rest a JSON value; the rule is compiled against a schema
//! inferred from the value (objects, maps, list-sets, list-maps, formats) and evaluated. It
//! must end (a finding at worst), never panic or run past the cost limit.

use super::program::{Budget, Outcome, Program, ValidationRule, PER_CALL_LIMIT};
use super::types::Decl;
use crate::report::Path;
use serde_json::{json, Map, Value};

/// Runs one input; panics only when an invariant breaks.
pub fn exercise(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (rule, rest) = text.split_once('\n').unwrap_or((text, "null"));
    // Rules written as transition rules get an old value: the same data.
    let value: Value = serde_json::from_str(rest).unwrap_or(Value::Null);
    let _ = super::parse(rule);
    if value.is_null() {
        return;
    }
    let schema = infer(&value);
    let Some(decl) = Decl::from_schema(&schema, "self", false) else {
        return;
    };
    for optional in [None, Some(true)] {
        let rule = ValidationRule {
            rule: rule.to_string(),
            message_expression: Some("'value: ' + string(self)".into()),
            optional_old_self: optional,
            ..Default::default()
        };
        let Ok(program) = Program::compile(&rule, &decl) else {
            continue;
        };
        let mut budget = Budget::default();
        let outcome = program.evaluate(&value, Some(&value), &mut Path::root(), &mut budget);
        // The per-call limit bounds what one evaluation may spend (plus the step that
        // crossed it).
        let spent = super::program::PER_OBJECT_BUDGET - budget.remaining;
        assert!(spent as u64 <= 2 * PER_CALL_LIMIT, "{rule:?} spent {spent}");
        if let Outcome::Halt(e) | Outcome::Error(e) | Outcome::Violation(e) = outcome {
            let _ = e.to_string();
        }
    }
}

/// A structural schema for a value: the first element of a list gives the items, and the
/// shape of the value picks list types and formats so that every kind of node occurs.
fn infer(v: &Value) -> Value {
    match v {
        Value::Null => json!({"type": "string", "nullable": true}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_i64() => json!({"type": "integer"}),
        Value::Number(_) => json!({"type": "number"}),
        Value::String(s) => match s.as_str() {
            s if super::libs::time::parse_rfc3339(s).is_some() => {
                json!({"type": "string", "format": "date-time"})
            }
            s if crate::formats::parse_duration(s).is_ok() => {
                json!({"type": "string", "format": "duration"})
            }
            _ => json!({"type": "string", "maxLength": 64}),
        },
        Value::Array(items) => {
            let item = items.first().map_or(json!({"type": "integer"}), infer);
            let mut schema = json!({"type": "array", "items": item});
            match items.first() {
                Some(Value::Object(o)) if o.contains_key("name") => {
                    schema["x-kubernetes-list-type"] = json!("map");
                    schema["x-kubernetes-list-map-keys"] = json!(["name"]);
                }
                Some(Value::String(_)) => schema["x-kubernetes-list-type"] = json!("set"),
                _ => {}
            }
            schema
        }
        Value::Object(fields) => {
            // An object whose keys start with `map` is a map of its first value's schema.
            if fields.keys().next().is_some_and(|k| k.starts_with("map")) {
                let values = fields
                    .values()
                    .next()
                    .map_or(json!({"type": "string"}), infer);
                return json!({"type": "object", "additionalProperties": values});
            }
            let properties: Map<String, Value> =
                fields.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            json!({"type": "object", "properties": properties})
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every seed of the `cel` fuzz target runs as an ordinary test.
    #[test]
    fn fuzz_seeds_run_clean() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/cel");
        let mut count = 0;
        for entry in std::fs::read_dir(&dir).expect("fuzz/seeds/cel") {
            let path = entry.expect("a seed").path();
            eprintln!("seed {}", path.display());
            super::exercise(&std::fs::read(&path).expect("a readable seed"));
            count += 1;
        }
        assert!(count >= 10, "only {count} seeds in {}", dir.display());
    }
}
