//! One-of groups: of a list of an object's fields, exactly one, at most one or at least one is
//! set. controller-gen's `+kubebuilder:validation:ExactlyOneOf=a;b`, `AtMostOneOf`,
//! `AtLeastOneOf` (controller-tools `pkg/crd/markers/validation.go`, v0.19 and later), with the
//! same CEL text, so a CRD written in Rust carries the rule a Go API's CRD carries, byte for
//! byte.

use super::cross::{CrossField, Outcome};
use super::{cel, Coverage};
use serde_json::{json, Map, Value};

/// How many of a group's fields may be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneOfKind {
    /// Exactly one (`ExactlyOneOf`).
    Exactly,
    /// None or one (`AtMostOneOf`).
    AtMost,
    /// One or more (`AtLeastOneOf`).
    AtLeast,
}

impl OneOfKind {
    /// controller-gen's message for the group `fields` (Go's `%v` of a string slice:
    /// `[a b c]`), what a rule without its own message says.
    pub fn message(self, fields: &[&str]) -> String {
        let list = format!("[{}]", fields.join(" "));
        match self {
            OneOfKind::Exactly => format!("exactly one of the fields in {list} must be set"),
            OneOfKind::AtMost => format!("at most one of the fields in {list} may be set"),
            OneOfKind::AtLeast => format!("at least one of the fields in {list} must be set"),
        }
    }

    fn holds(self, set: usize) -> bool {
        match self {
            OneOfKind::Exactly => set == 1,
            OneOfKind::AtMost => set <= 1,
            OneOfKind::AtLeast => set >= 1,
        }
    }
}

/// A one-of group on the fields (wire names, direct children) of the object it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfGroup {
    /// The fields, in the order written.
    pub fields: Vec<String>,
    /// How many may be set.
    pub kind: OneOfKind,
    /// How a violation is reported.
    pub outcome: Outcome,
}

impl CrossField for OneOfGroup {
    /// controller-gen's text: `(has(self.a)?1:0)+(has(self.b)?1:0) == 1` (`<= 1`), and
    /// `has(self.a)||has(self.b)` for at least one.
    fn cel_rule(&self) -> String {
        match self.kind {
            OneOfKind::AtLeast => self
                .fields
                .iter()
                .map(|f| format!("has({})", cel::select(f)))
                .collect::<Vec<_>>()
                .join("||"),
            OneOfKind::Exactly | OneOfKind::AtMost => {
                let sum = self
                    .fields
                    .iter()
                    .map(|f| format!("(has({})?1:0)", cel::select(f)))
                    .collect::<Vec<_>>()
                    .join("+");
                let compare = if self.kind == OneOfKind::Exactly {
                    "=="
                } else {
                    "<="
                };
                format!("{sum} {compare} 1")
            }
        }
    }

    fn json_schema_form(&self, schema: &mut Map<String, Value>) -> Coverage {
        let each: Vec<Value> = self
            .fields
            .iter()
            .map(|f| json!({ "required": [f] }))
            .collect();
        let clause = match self.kind {
            OneOfKind::Exactly => json!({ "oneOf": each }),
            OneOfKind::AtLeast => json!({ "anyOf": each }),
            // One of them, or none of them.
            OneOfKind::AtMost => {
                let mut options = each.clone();
                options.push(json!({ "not": { "anyOf": each } }));
                json!({ "oneOf": options })
            }
        };
        super::push_to(schema, "allOf", clause);
        Coverage::Full
    }

    fn violated(&self, object: &Value) -> bool {
        let set = self
            .fields
            .iter()
            .filter(|f| cel::lookup(object, f).is_some())
            .count();
        !self.kind.holds(set)
    }

    fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Enforce;

    fn group(kind: OneOfKind) -> OneOfGroup {
        let fields = vec!["http".to_string(), "grpc".to_string()];
        OneOfGroup {
            outcome: Outcome {
                message: kind.message(&["http", "grpc"]),
                ..Outcome::default()
            },
            fields,
            kind,
        }
    }

    /// The CEL text and message controller-gen v0.23.0 writes for
    /// `ExactlyOneOf=http;grpc`, `AtMostOneOf=http;grpc`, `AtLeastOneOf=http;grpc`.
    #[test]
    fn cel_is_controller_gens() {
        let entry = |kind| {
            let mut schema = Map::new();
            group(kind).openapi(&mut schema);
            schema["x-kubernetes-validations"][0].clone()
        };
        assert_eq!(
            entry(OneOfKind::Exactly),
            json!({"rule": "(has(self.http)?1:0)+(has(self.grpc)?1:0) == 1",
                   "message": "exactly one of the fields in [http grpc] must be set"})
        );
        assert_eq!(
            entry(OneOfKind::AtMost),
            json!({"rule": "(has(self.http)?1:0)+(has(self.grpc)?1:0) <= 1",
                   "message": "at most one of the fields in [http grpc] may be set"})
        );
        assert_eq!(
            entry(OneOfKind::AtLeast),
            json!({"rule": "has(self.http)||has(self.grpc)",
                   "message": "at least one of the fields in [http grpc] must be set"})
        );
    }

    /// The Rust twin counts the fields set (a null is not set: the apiserver prunes it).
    #[test]
    fn counts_the_fields_set() {
        let none = json!({});
        let one = json!({"http": {}, "grpc": null});
        let two = json!({"http": {}, "grpc": {}});
        let verdicts = |kind| {
            let g = group(kind);
            [&none, &one, &two].map(|v| !g.violated(v))
        };
        assert_eq!(verdicts(OneOfKind::Exactly), [false, true, false]);
        assert_eq!(verdicts(OneOfKind::AtMost), [true, true, false]);
        assert_eq!(verdicts(OneOfKind::AtLeast), [false, true, true]);
    }
}
