//! Rules that read more than one field, or a whole list. Each is stated once as data and
//! compiled into a CEL rule (apiserver), JSON Schema keywords where they can say it, and a Rust
//! check, so the three cannot drift apart. Paths are relative to the object the rule is attached
//! to, in wire names (`ipam.subnet`).

use super::as_integer;
use super::{cel, Coverage, Enforce, Phase};
use crate::formats;
use crate::report::{ErrorKind, Path, Reject, Report};
use serde_json::{json, Map, Value};

/// The apiserver `reason` of a CEL rule, which decides the error's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reason {
    /// `FieldValueInvalid` ("Invalid value").
    #[default]
    Invalid,
    /// `FieldValueRequired` ("Required value").
    Required,
    /// `FieldValueForbidden` ("Forbidden").
    Forbidden,
    /// `FieldValueDuplicate` ("Duplicate value").
    Duplicate,
}

impl Reason {
    /// The reason a CRD names (`FieldValueForbidden`, ...); `None` for one the apiserver does
    /// not allow.
    pub fn from_cel(name: &str) -> Option<Reason> {
        match name {
            "FieldValueInvalid" => Some(Reason::Invalid),
            "FieldValueRequired" => Some(Reason::Required),
            "FieldValueForbidden" => Some(Reason::Forbidden),
            "FieldValueDuplicate" => Some(Reason::Duplicate),
            _ => None,
        }
    }

    fn cel(self) -> Option<&'static str> {
        match self {
            Reason::Invalid => None,
            Reason::Required => Some("FieldValueRequired"),
            Reason::Forbidden => Some("FieldValueForbidden"),
            Reason::Duplicate => Some("FieldValueDuplicate"),
        }
    }

    fn kind(self) -> ErrorKind {
        match self {
            Reason::Invalid => ErrorKind::Invalid,
            Reason::Required => ErrorKind::Required,
            Reason::Forbidden => ErrorKind::Forbidden,
            Reason::Duplicate => ErrorKind::Duplicate,
        }
    }
}

/// How a violation of a cross-field rule is reported, the same for every one: the message the
/// apiserver and `validate()` say, where, and in which wording.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The message.
    pub message: String,
    /// Where the violation is reported, relative to the object the rule is on (`.type`); the
    /// object itself when `None`.
    pub field_path: Option<String>,
    /// How it is worded.
    pub reason: Reason,
}

impl Outcome {
    /// Appends the CEL rule `rule` with this outcome to a CRD schema node.
    fn push_cel(&self, schema: &mut Map<String, Value>, rule: &str) {
        cel::push(
            schema,
            rule,
            &self.message,
            self.field_path.as_deref(),
            self.reason.cel(),
        );
    }

    /// Reports a violation at the rule's node plus the field path.
    fn report(&self, path: &mut Path, report: &mut Report) {
        let mark = path.push_relative(self.field_path.as_deref().unwrap_or(""));
        report.reject(path, self.reason.kind(), None, &self.message);
        path.truncate(mark);
    }
}

/// A rule that relates the fields of the object it is on, stated once as data: its CEL rule, what
/// JSON Schema can say of it, and its Rust test, a violation reported through its [`Outcome`].
/// One `Enforce` impl (below) serves every such rule, so they share their phase, their CRD entry
/// and their report.
pub trait CrossField {
    /// The CEL rule, `self` being the object.
    fn cel_rule(&self) -> String;
    /// Writes what JSON Schema can say of the rule into a JSON Schema node, and how much that is.
    fn json_schema_form(&self, schema: &mut Map<String, Value>) -> Coverage;
    /// Whether `object` breaks the rule (malformed values are the format rules' to report).
    fn violated(&self, object: &Value) -> bool;
    /// How a violation is reported.
    fn outcome(&self) -> &Outcome;
}

impl<R: CrossField> Enforce for R {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        self.outcome().push_cel(schema, &self.cel_rule());
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        self.json_schema_form(schema)
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        if self.violated(value) {
            self.outcome().report(path, report);
        }
    }
}

/// A condition on the fields of an object.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// The field is present.
    Has(String),
    /// The field is present and equals the value.
    Eq(String, Value),
    /// The field is present and equals one of the values.
    In(String, Vec<Value>),
    /// The condition does not hold.
    Not(Box<Pred>),
}

impl Pred {
    /// The CEL form.
    pub fn cel(&self) -> String {
        match self {
            Pred::Has(p) => format!("({})", cel::has(p)),
            Pred::Eq(p, v) => format!(
                "({} && {} == {})",
                cel::has(p),
                cel::select(p),
                cel::literal(v)
            ),
            Pred::In(p, vs) => {
                let list: Vec<String> = vs.iter().map(cel::literal).collect();
                format!(
                    "({} && {} in [{}])",
                    cel::has(p),
                    cel::select(p),
                    list.join(", ")
                )
            }
            Pred::Not(inner) => format!("!{}", inner.cel()),
        }
    }

    /// Evaluates the condition on an object.
    pub fn eval(&self, object: &Value) -> bool {
        match self {
            Pred::Has(p) => cel::lookup(object, p).is_some(),
            Pred::Eq(p, v) => cel::lookup(object, p) == Some(v),
            Pred::In(p, vs) => cel::lookup(object, p).is_some_and(|x| vs.contains(x)),
            Pred::Not(inner) => !inner.eval(object),
        }
    }

    /// The JSON Schema form (used under `if`/`then`).
    pub fn json_schema(&self) -> Value {
        match self {
            Pred::Has(p) => nested(p, json!({})),
            Pred::Eq(p, v) => nested(p, json!({ "const": v })),
            Pred::In(p, vs) => nested(p, json!({ "enum": vs })),
            Pred::Not(inner) => json!({ "not": inner.json_schema() }),
        }
    }
}

/// `{required: [a], properties: {a: {required: [b], properties: {b: leaf}}}}` for `a.b`.
fn nested(path: &str, leaf: Value) -> Value {
    path.rsplit('.').fold(
        leaf,
        |inner, segment| json!({ "required": [segment], "properties": { segment: inner } }),
    )
}

/// When `when` holds, `then` must hold too.
#[derive(Debug, Clone, PartialEq)]
pub struct Implies {
    /// The condition.
    pub when: Pred,
    /// What must then hold.
    pub then: Pred,
    /// How a violation is reported.
    pub outcome: Outcome,
}

impl CrossField for Implies {
    fn cel_rule(&self) -> String {
        format!("!{} || {}", self.when.cel(), self.then.cel())
    }
    fn json_schema_form(&self, schema: &mut Map<String, Value>) -> Coverage {
        let clause = json!({ "if": self.when.json_schema(), "then": self.then.json_schema() });
        super::push_to(schema, "allOf", clause);
        Coverage::Full
    }
    fn violated(&self, object: &Value) -> bool {
        self.when.eval(object) && !self.then.eval(object)
    }
    fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// An IP address field that must lie inside a CIDR field; with `each`, the IP field of every
/// item of that list.
#[derive(Debug, Clone, PartialEq)]
pub struct IpInCidr {
    /// The IP field (relative to the list item when `each` is set).
    pub ip: String,
    /// The CIDR field.
    pub cidr: String,
    /// A list whose items each carry the IP field.
    pub each: Option<String>,
    /// How a violation is reported.
    pub outcome: Outcome,
}

fn ip_in(cidr_text: &str, ip_text: &str) -> bool {
    match (formats::parse_cidr(cidr_text), formats::parse_ip(ip_text)) {
        (Ok(cidr), Ok(ip)) => cidr.contains_ip(&ip),
        // Malformed values are the format rules' to report.
        _ => true,
    }
}

impl CrossField for IpInCidr {
    fn cel_rule(&self) -> String {
        let cidr = cel::select(&self.cidr);
        let guard = format!("!({}) || !isCIDR({cidr})", cel::has(&self.cidr));
        match &self.each {
            None => {
                let ip = cel::select(&self.ip);
                format!(
                    "!({}) || {guard} || !isIP({ip}) || cidr({cidr}).containsIP({ip})",
                    cel::has(&self.ip)
                )
            }
            Some(list) => {
                let ip = format!("x.{}", self.ip);
                format!(
                    "!({}) || {guard} || {}.all(x, !has({ip}) || !isIP({ip}) || cidr({cidr}).containsIP({ip}))",
                    cel::has(list),
                    cel::select(list)
                )
            }
        }
    }
    fn json_schema_form(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None("JSON Schema cannot relate two fields' values (IP inside CIDR)")
    }
    fn violated(&self, value: &Value) -> bool {
        let Some(cidr) = cel::lookup(value, &self.cidr).and_then(Value::as_str) else {
            return false;
        };
        let ips: Vec<&Value> = match &self.each {
            None => cel::lookup(value, &self.ip).into_iter().collect(),
            Some(list) => cel::lookup(value, list)
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| cel::lookup(item, &self.ip))
                        .collect()
                })
                .unwrap_or_default(),
        };
        ips.iter()
            .filter_map(|ip| ip.as_str())
            .any(|ip| !ip_in(cidr, ip))
    }
    fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// How [`Ordered`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// Integers.
    Integer,
    /// Kubernetes quantities, compared exactly.
    Quantity,
    /// IPv4 addresses, numerically (IPv6 pairs are not ordered).
    Ipv4,
}

/// One field must not be greater than another.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered {
    /// The field that must be smaller or equal.
    pub lesser: String,
    /// The field that must be greater or equal.
    pub greater: String,
    /// How the values compare.
    pub kind: OrderKind,
    /// How a violation is reported.
    pub outcome: Outcome,
}

fn ipv4_number(cel_expr: &str) -> String {
    let part = |i: usize| format!("int({cel_expr}.split('.')[{i}])");
    format!(
        "{} * 16777216 + {} * 65536 + {} * 256 + {}",
        part(0),
        part(1),
        part(2),
        part(3)
    )
}

impl Ordered {
    fn holds(&self, a: &Value, b: &Value) -> bool {
        match self.kind {
            OrderKind::Integer => match (as_integer(a), as_integer(b)) {
                (Some(a), Some(b)) => a <= b,
                _ => true,
            },
            OrderKind::Quantity => {
                let parse = |v: &Value| v.as_str().and_then(|s| formats::Quantity::parse(s).ok());
                match (parse(a), parse(b)) {
                    (Some(a), Some(b)) => a <= b,
                    _ => true,
                }
            }
            OrderKind::Ipv4 => {
                let parse = |v: &Value| v.as_str().and_then(|s| formats::parse_ip(s).ok());
                match (parse(a), parse(b)) {
                    (Some(std::net::IpAddr::V4(a)), Some(std::net::IpAddr::V4(b))) => a <= b,
                    _ => true,
                }
            }
        }
    }
}

impl CrossField for Ordered {
    fn cel_rule(&self) -> String {
        let (a, b) = (cel::select(&self.lesser), cel::select(&self.greater));
        let present = format!(
            "!({}) || !({})",
            cel::has(&self.lesser),
            cel::has(&self.greater)
        );
        match self.kind {
            OrderKind::Integer => format!("{present} || {a} <= {b}"),
            OrderKind::Quantity => format!(
                "{present} || !isQuantity({a}) || !isQuantity({b}) || quantity({a}).compareTo(quantity({b})) <= 0"
            ),
            OrderKind::Ipv4 => format!(
                "{present} || !isIP({a}) || !isIP({b}) || ip({a}).family() != 4 || ip({b}).family() != 4 || {} <= {}",
                ipv4_number(&a),
                ipv4_number(&b)
            ),
        }
    }
    fn json_schema_form(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None("JSON Schema cannot compare two fields' values")
    }
    fn violated(&self, value: &Value) -> bool {
        match (
            cel::lookup(value, &self.lesser),
            cel::lookup(value, &self.greater),
        ) {
            (Some(a), Some(b)) => !self.holds(a, b),
            _ => false,
        }
    }
    fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// Two CIDR fields that must not overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct DisjointCidrs {
    /// One CIDR field.
    pub a: String,
    /// The other.
    pub b: String,
    /// How a violation is reported.
    pub outcome: Outcome,
}

impl CrossField for DisjointCidrs {
    fn cel_rule(&self) -> String {
        let (a, b) = (cel::select(&self.a), cel::select(&self.b));
        format!(
            "!({}) || !({}) || !isCIDR({a}) || !isCIDR({b}) || (!cidr({a}).containsCIDR(cidr({b})) && !cidr({b}).containsCIDR(cidr({a})))",
            cel::has(&self.a),
            cel::has(&self.b)
        )
    }
    fn json_schema_form(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None("JSON Schema cannot compare two CIDRs")
    }
    fn violated(&self, value: &Value) -> bool {
        let parse = |p: &str| {
            cel::lookup(value, p)
                .and_then(Value::as_str)
                .and_then(|s| formats::parse_cidr(s).ok())
        };
        match (parse(&self.a), parse(&self.b)) {
            (Some(a), Some(b)) => a.overlaps(&b),
            _ => false,
        }
    }
    fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// No two items of a list share the value of a field that is not the list's key.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueBy {
    /// The item field.
    pub field: String,
}

impl UniqueBy {
    fn message(&self) -> String {
        format!("no two items may have the same {}", self.field)
    }
}

impl Enforce for UniqueBy {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        let f = &self.field;
        let rule =
            format!("self.all(x, !has(x.{f}) || self.exists_one(y, has(y.{f}) && y.{f} == x.{f}))");
        cel::push(
            schema,
            &rule,
            &self.message(),
            None,
            Reason::Duplicate.cel(),
        );
    }
    fn json_schema(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None("JSON Schema's uniqueItems compares whole items, not one field of them")
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(items) = value.as_array() else {
            return;
        };
        let values: Vec<&Value> = items
            .iter()
            .filter_map(|i| cel::lookup(i, &self.field))
            .collect();
        let duplicated = values
            .iter()
            .enumerate()
            .any(|(i, v)| values[..i].contains(v));
        if duplicated {
            report.reject(path, ErrorKind::Duplicate, None, self.message());
        }
    }
}

/// An odd integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Odd;

impl Enforce for Odd {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        cel::push(schema, "self % 2 == 1", "must be an odd number", None, None);
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        schema.insert("not".into(), json!({ "multipleOf": 2 }));
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        // CEL's `%` keeps the dividend's sign, like Rust's.
        if as_integer(value).is_some_and(|n| n % 2 != 1) {
            report.reject(
                path,
                ErrorKind::Invalid,
                Some(value),
                "must be an odd number",
            );
        }
    }
}

/// A raw CEL rule: evaluated by the CEL engine (`crate::cel`), or by a Rust function that
/// checks the same thing (a fast path).
///
/// Build it with struct-update syntax (`..Default::default()`), so fields added later (like the
/// engine's compiled-program slot) need no edit at the call site.
#[derive(Debug, Clone, Default)]
pub struct RawCel {
    /// The CEL expression (`self` is the node's value).
    pub rule: String,
    /// The message.
    pub message: String,
    /// Where the violation is reported.
    pub field_path: Option<String>,
    /// How it is worded.
    pub reason: Reason,
    /// The Rust-side fast path: `true` when the value satisfies the rule. `None`: the rule is
    /// evaluated by the CEL engine.
    pub check: Option<fn(&Value) -> bool>,
    /// A CEL expression giving the message (`messageExpression`), tried before `message`.
    pub message_expression: Option<String>,
    /// `optionalOldSelf`: the rule also runs on a create (or an uncorrelated node), with
    /// `oldSelf` an optional.
    pub optional_old_self: Option<bool>,
    /// `reason: FieldValueInvalid` written out though it is the default (a loaded CRD's), so
    /// the entry renders as it was written.
    pub reason_written: bool,
    /// Where the CEL engine keeps this rule's compiled program: compiled once, on first use,
    /// never once per object. Clones share it (a clone sits on a node of the same schema).
    #[doc(hidden)]
    pub compiled: CompiledSlot,
}

/// The Rust fast path of a raw CEL rule as the derive writes it: a struct field, so a function
/// of the wrong type is reported at the attribute as a plain type mismatch.
#[doc(hidden)]
pub struct FastPath {
    /// The check.
    pub check: fn(&Value) -> bool,
}

impl FastPath {
    /// The `check` field of [`RawCel`].
    pub fn some(self) -> Option<fn(&Value) -> bool> {
        Some(self.check)
    }
}

/// A slot for the compiled form of a rule, filled by the CEL engine (`crate::cel`, which sits
/// above this module in the chain, hence the type erasure).
#[derive(Clone, Default)]
pub struct CompiledSlot(
    pub(crate) std::sync::Arc<std::sync::OnceLock<std::sync::Arc<dyn std::any::Any + Send + Sync>>>,
);

impl std::fmt::Debug for CompiledSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "CompiledSlot(compiled)"
        } else {
            "CompiledSlot(empty)"
        })
    }
}

impl PartialEq for RawCel {
    fn eq(&self, other: &Self) -> bool {
        self.rule == other.rule
            && self.message == other.message
            && self.field_path == other.field_path
            && self.message_expression == other.message_expression
            && self.optional_old_self == other.optional_old_self
            && self.reason == other.reason
            && self.reason_written == other.reason_written
    }
}

impl RawCel {
    /// Its message, field path and reason as an [`Outcome`] (they stay fields of their own here:
    /// a raw rule is written by hand, as a struct literal).
    fn outcome(&self) -> Outcome {
        Outcome {
            message: self.message.clone(),
            field_path: self.field_path.clone(),
            reason: self.reason,
        }
    }
}

impl Enforce for RawCel {
    fn phase(&self) -> Phase {
        Phase::Cel
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        cel::push_entry(
            schema,
            cel::Entry {
                rule: &self.rule,
                message: &self.message,
                field_path: self.field_path.as_deref(),
                reason: self
                    .reason
                    .cel()
                    .or(self.reason_written.then_some("FieldValueInvalid")),
                message_expression: self.message_expression.as_deref(),
                optional_old_self: self.optional_old_self,
            },
        );
    }
    fn json_schema(&self, _: &mut Map<String, Value>) -> Coverage {
        Coverage::None("a raw CEL expression has no JSON Schema form")
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(check) = self.check else {
            // The walk evaluates engine rules with the node's schema in hand; reaching this
            // means a caller without a schema: say so rather than pass.
            report.reject(
                path,
                ErrorKind::Invalid,
                None,
                format!(
                    "unsupported: CEL rule not evaluated without its schema: {}",
                    self.rule
                ),
            );
            return;
        };
        if !check(value) {
            self.outcome().report(path, report);
        }
    }
}
