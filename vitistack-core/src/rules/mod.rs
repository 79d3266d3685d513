//! Validation rules. Each rule knows how to express itself to all three enforcers:
//!
//! * [`Enforce::openapi`] writes OpenAPI keywords or a CEL `x-kubernetes-validations` entry into
//!   the CRD schema node (what the apiserver enforces);
//! * [`Enforce::json_schema`] writes JSON Schema keywords (what `schemas/` carry), and says how
//!   much of the rule JSON Schema can express;
//! * [`Enforce::check`] is the Rust-side check behind `validate()`.
//!
//! [`Rule`] dispatches to the rule modules in one exhaustive `match`, so a new rule does not
//! compile until all three enforcers exist.
//!
//! Update-time rules (decisions.md §6: [`Immutable`], [`MayOnlyGrow`],
//! [`KubernetesVersionStep`], and the [`RemovalGuard`] the schema model puts on an object above
//! an immutable field) are CEL transition rules: they also implement [`Transition`], the Rust
//! check of a value against its old value, reached through [`Rule::transition`].
//!
//! Shapes rules share: the bounds are one generic [`Bounds`] over a [`Measure`]; every
//! cross-field rule is a [`CrossField`] (its CEL, JSON Schema and Rust test), enforced by one
//! impl and reported through one [`Outcome`] (message, field path, reason); every check
//! adds its violations with [`crate::report::Reject`].

mod bounds;
pub(crate) mod cel;
mod cross;
mod format;
mod junctor;
mod junctor_errors;
pub mod meta;
mod numbers;
mod one_of;
mod strings;
mod transition;

pub use bounds::{
    Bounds, Characters, Integer, Items, Length, ListItems, Measure, ObjectProperties, Properties,
    Range, Violation,
};
pub use cross::{
    CompiledSlot, CrossField, DisjointCidrs, FastPath, Implies, IpInCidr, Odd, OrderKind, Ordered,
    Outcome, Pred, RawCel, Reason, UniqueBy,
};
pub use format::{Format, JsonFormat, StringFormat};
pub use junctor::{Junctor, JunctorKind};
pub use meta::{Annotations, Labels};
pub use numbers::{Limit, MultipleOf, NumberRange};
pub use one_of::{OneOfGroup, OneOfKind};
pub use strings::{EnumValues, Pattern, QuantityRange};
pub use transition::{
    Immutable, KubernetesVersionStep, MayOnlyGrow, RemovalGuard, Transition,
    KUBERNETES_VERSION_PATTERN,
};

use crate::report::{Path, Report};
use serde_json::{Map, Value};

/// How much of a rule a JSON Schema can express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// The JSON Schema enforces the rule exactly.
    Full,
    /// The JSON Schema enforces part of it; the text says what is missing and why.
    Partial(&'static str),
    /// JSON Schema cannot express the rule; the text says why.
    None(&'static str),
}

/// Which apiserver phase enforces a rule: the OpenAPI schema, or CEL (which the apiserver skips
/// when the schema phase found a type, required, enum or size error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// OpenAPI keywords (`minimum`, `pattern`, `enum`, ...).
    Schema,
    /// `x-kubernetes-validations` CEL rules.
    Cel,
}

/// The three enforcers of one rule, and its phase.
///
/// None has a default: a new rule does not compile until it says where the apiserver runs it
/// (a CEL rule that forgot would misplace its errors in the apiserver's ordering) and how each
/// enforcer expresses it.
pub trait Enforce {
    /// The apiserver phase the CRD form of this rule runs in.
    fn phase(&self) -> Phase;
    /// Writes the rule into a CRD (OpenAPI v3 + CEL) schema node.
    fn openapi(&self, schema: &mut Map<String, Value>);
    /// Writes the rule into a JSON Schema node and reports how much of it JSON Schema can say.
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage;
    /// Checks a value at `path`, adding every violation to `report`.
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report);
}

/// A validation rule attached to a schema node.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Integer bounds.
    Range(Range),
    /// String length bounds (in characters).
    Length(Length),
    /// List length bounds.
    Items(Items),
    /// Object size bounds (`minProperties`/`maxProperties`).
    Properties(Properties),
    /// Number bounds that are fractions or exclusive (a CRD's; the derive writes [`Range`]).
    Number(NumberRange),
    /// `multipleOf`.
    MultipleOf(MultipleOf),
    /// `allOf`/`anyOf`/`oneOf`/`not` over value validations.
    Junctor(Junctor),
    /// A regular expression the whole string must match.
    Pattern(Pattern),
    /// A closed set of values.
    Enum(EnumValues),
    /// A string format checked by CEL or the `date-time` format (see [`Format::rules`]).
    Format(StringFormat),
    /// A Kubernetes quantity, optionally bounded.
    Quantity(QuantityRange),
    /// An odd integer.
    Odd(Odd),
    /// List items unique by a (non-key) field.
    UniqueBy(UniqueBy),
    /// Cross-field: when one condition holds, another must.
    Implies(Implies),
    /// Cross-field: an IP inside a CIDR.
    IpInCidr(IpInCidr),
    /// Cross-field: one value not greater than another.
    Ordered(Ordered),
    /// Cross-field: two CIDRs that must not overlap.
    DisjointCidrs(DisjointCidrs),
    /// Cross-field: exactly, at most or at least one of a group of fields is set.
    OneOfGroup(OneOfGroup),
    /// A raw CEL rule with its Rust-side counterpart.
    Cel(RawCel),
    /// `metadata.labels`: qualified-name keys, label values.
    Labels(Labels),
    /// `metadata.annotations`: qualified-name keys, total size.
    Annotations(Annotations),
    /// Update: immutable once set.
    Immutable(Immutable),
    /// Update: a quantity that may only grow.
    MayOnlyGrow(MayOnlyGrow),
    /// Update: a Kubernetes version that moves up at most one minor version at a time.
    KubernetesVersionStep(KubernetesVersionStep),
    /// Update, on an object: the removal of an immutable field below it (put there by the schema
    /// model, see [`RemovalGuard`]).
    RemovalGuard(RemovalGuard),
}

impl Rule {
    fn enforcer(&self) -> &dyn Enforce {
        match self {
            Rule::Range(r) => r,
            Rule::Length(r) => r,
            Rule::Items(r) => r,
            Rule::Properties(r) => r,
            Rule::Number(r) => r,
            Rule::MultipleOf(r) => r,
            Rule::Junctor(r) => r,
            Rule::Pattern(r) => r,
            Rule::Enum(r) => r,
            Rule::Format(r) => r,
            Rule::Quantity(r) => r,
            Rule::Odd(r) => r,
            Rule::UniqueBy(r) => r,
            Rule::Implies(r) => r,
            Rule::IpInCidr(r) => r,
            Rule::Ordered(r) => r,
            Rule::DisjointCidrs(r) => r,
            Rule::OneOfGroup(r) => r,
            Rule::Cel(r) => r,
            Rule::Labels(r) => r,
            Rule::Annotations(r) => r,
            Rule::Immutable(r) => r,
            Rule::MayOnlyGrow(r) => r,
            Rule::KubernetesVersionStep(r) => r,
            Rule::RemovalGuard(r) => r,
        }
    }

    /// The update-time check of a transition rule (one that reads `oldSelf`); `None` for a rule
    /// that looks at the new value alone.
    pub fn transition(&self) -> Option<&dyn Transition> {
        match self {
            Rule::Immutable(r) => Some(r),
            Rule::MayOnlyGrow(r) => Some(r),
            Rule::KubernetesVersionStep(r) => Some(r),
            Rule::RemovalGuard(r) => Some(r),
            Rule::Range(_)
            | Rule::Length(_)
            | Rule::Items(_)
            | Rule::Properties(_)
            | Rule::Number(_)
            | Rule::MultipleOf(_)
            | Rule::Junctor(_)
            | Rule::Pattern(_)
            | Rule::Enum(_)
            | Rule::Format(_)
            | Rule::Quantity(_)
            | Rule::Odd(_)
            | Rule::UniqueBy(_)
            | Rule::Implies(_)
            | Rule::IpInCidr(_)
            | Rule::Ordered(_)
            | Rule::DisjointCidrs(_)
            | Rule::OneOfGroup(_)
            | Rule::Cel(_)
            | Rule::Labels(_)
            | Rule::Annotations(_) => None,
        }
    }

    /// Immutable once set: may be set when unset, may not change or be removed afterwards.
    /// `field` is the wire name the messages use.
    pub fn immutable(field: &str) -> Rule {
        Rule::Immutable(Immutable {
            field: field.to_string(),
        })
    }

    /// Merges `other` into `self` when both bound the same thing; returns whether it did.
    pub(crate) fn merge(&mut self, other: &Rule) -> bool {
        match (self, other) {
            (Rule::Range(a), Rule::Range(b)) => a.intersect(b),
            (Rule::Length(a), Rule::Length(b)) => a.intersect(b),
            (Rule::Items(a), Rule::Items(b)) => a.intersect(b),
            (Rule::Properties(a), Rule::Properties(b)) => a.intersect(b),
            _ => return false,
        }
        true
    }

    /// Integer bounds `min..=max` (either may be open).
    pub fn range(min: Option<i64>, max: Option<i64>) -> Rule {
        Rule::Range(Range { min, max })
    }

    /// String length bounds.
    pub fn length(min: Option<u64>, max: Option<u64>) -> Rule {
        Rule::Length(Length { min, max })
    }

    /// List length bounds.
    pub fn items(min: Option<u64>, max: Option<u64>) -> Rule {
        Rule::Items(Items { min, max })
    }

    /// A regular expression (RE2/ECMA/Rust-compatible subset) the string must match.
    pub fn pattern(source: &str) -> Rule {
        Rule::Pattern(Pattern::new(source))
    }

    /// A closed set of string values.
    pub fn one_of(values: &[&str]) -> Rule {
        Rule::Enum(EnumValues(values.iter().map(|v| Value::from(*v)).collect()))
    }

    /// A Kubernetes quantity within optional bounds (bounds are quantity literals).
    pub fn quantity(min: Option<&str>, max: Option<&str>) -> Rule {
        Rule::Quantity(QuantityRange::new(min, max))
    }

    /// What `#[viti(quantity(...))]` expands to: a `maxLength` (so the apiserver's CEL cost
    /// estimator accepts the rule, also inside lists) and the quantity rule.
    pub fn quantity_rules(min: Option<&str>, max: Option<&str>) -> Vec<Rule> {
        vec![
            Rule::length(None, Some(crate::formats::QUANTITY_MAX_LEN as u64)),
            Rule::quantity(min, max),
        ]
    }
}

impl Enforce for Rule {
    fn phase(&self) -> Phase {
        self.enforcer().phase()
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        self.enforcer().openapi(schema)
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.enforcer().json_schema(schema)
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        self.enforcer().check(value, path, report)
    }
}

/// The integer a JSON number stands for: the apiserver takes `100.0` for `100`.
pub fn as_integer(value: &Value) -> Option<i128> {
    if let Some(n) = value.as_i64() {
        return Some(i128::from(n));
    }
    if let Some(n) = value.as_u64() {
        return Some(i128::from(n));
    }
    let f = value.as_f64()?;
    // Beyond 2^63 a float has no exact integer in the apiserver's int64 either.
    (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i128)
}

/// Sets `key` to the tighter of the existing and the new numeric bound.
fn tighten(schema: &mut Map<String, Value>, key: &str, new: i64, keep_greater: bool) {
    let merged = match schema.get(key).and_then(Value::as_i64) {
        Some(old) if keep_greater => old.max(new),
        Some(old) => old.min(new),
        None => new,
    };
    schema.insert(key.to_string(), Value::from(merged));
}

/// Appends `entry` to the array under `key`, creating it when missing.
fn push_to(schema: &mut Map<String, Value>, key: &str, entry: Value) {
    match schema.get_mut(key) {
        Some(Value::Array(list)) => list.push(entry),
        _ => {
            schema.insert(key.to_string(), Value::Array(vec![entry]));
        }
    }
}
