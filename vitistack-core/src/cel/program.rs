//! A compiled rule: parsed and checked once against the type of its node, then evaluated on
//! any number of values, with the apiserver's outcomes (`validation.go: validateExpressions`).

use super::check::{self, Env};
use super::errors::{self, EvalError};
use super::eval::{self, Activation, Tracker};
use super::parse::{self, Ast, ExprKind, Literal};
use super::types::{Decl, Scalar, Shape, Type};
use super::value::{self, Value};
use crate::report::{ErrorKind, FieldError, Path};
use crate::schema::Node;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The apiserver's per-call limit (`PerCallLimit`).
pub const PER_CALL_LIMIT: u64 = 1_000_000;
/// The apiserver's budget for one object (`RuntimeCELCostBudget`).
pub const PER_OBJECT_BUDGET: i64 = 10_000_000;
/// The longest evaluated messageExpression (`MaxEvaluatedMessageExpressionSizeBytes`).
const MAX_MESSAGE_BYTES: usize = 5120;

/// One `x-kubernetes-validations` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationRule {
    /// `rule`.
    pub rule: String,
    /// `message`.
    pub message: Option<String>,
    /// `messageExpression`.
    pub message_expression: Option<String>,
    /// `reason` (`FieldValueInvalid`, `FieldValueForbidden`, `FieldValueRequired`,
    /// `FieldValueDuplicate`).
    pub reason: Option<String>,
    /// `fieldPath`.
    pub field_path: Option<String>,
    /// `optionalOldSelf`.
    pub optional_old_self: Option<bool>,
}

impl ValidationRule {
    /// The entry of a CRD schema's `x-kubernetes-validations` list.
    pub fn from_json(entry: &Json) -> ValidationRule {
        let text = |k: &str| entry.get(k).and_then(Json::as_str).map(String::from);
        ValidationRule {
            rule: text("rule").unwrap_or_default(),
            message: text("message"),
            message_expression: text("messageExpression"),
            reason: text("reason"),
            field_path: text("fieldPath"),
            optional_old_self: entry.get("optionalOldSelf").and_then(Json::as_bool),
        }
    }

    /// `ruleErrorString`: the trimmed message, else the trimmed rule.
    fn error_string(&self) -> &str {
        match self.message.as_deref().map(str::trim) {
            Some(m) if !m.is_empty() => m,
            _ => self.rule.trim(),
        }
    }
}

/// Why a rule does not compile, worded as the apiserver words it at CRD admission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompileError {
    /// The node has no CEL type (no `type`, and not int-or-string).
    NoType,
    /// A parse or type error: `compilation failed: ERROR: <input>:1:6: ...`.
    Rule(String),
    /// The rule's type is not `bool`.
    NotBool,
    /// A literal regex of `find`/`findAll` does not compile.
    Instantiation(String),
    /// The messageExpression does not compile.
    MessageExpression(String),
    /// The messageExpression's type is not `string`.
    MessageNotString,
    /// `optionalOldSelf` is set on a rule that does not use `oldSelf`.
    OptionalOldSelfUnused,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileError::NoType => f.write_str("internal error: failed to construct type information for x-kubernetes-validations rules: unable to convert structural schema to CEL declarations"),
            CompileError::Rule(e) => write!(f, "compilation failed: {e}"),
            CompileError::NotBool => f.write_str("cel expression must evaluate to a bool"),
            CompileError::Instantiation(e) => write!(f, "program instantiation failed: {e}"),
            CompileError::MessageExpression(e) => write!(f, "messageExpression compilation failed: {e}"),
            CompileError::MessageNotString => f.write_str("messageExpression must evaluate to a string"),
            CompileError::OptionalOldSelfUnused => f.write_str("may not be set if oldSelf is not used in rule"),
        }
    }
}

impl std::error::Error for CompileError {}

/// The cost left for the rules of one object (10,000,000 on the apiserver), and the limit of
/// one evaluation (1,000,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Cost units left; below zero nothing more runs.
    pub remaining: i64,
    /// The most one rule or messageExpression may cost.
    pub per_call_limit: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            remaining: PER_OBJECT_BUDGET,
            per_call_limit: PER_CALL_LIMIT,
        }
    }
}

/// What one evaluation found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The rule holds.
    Pass,
    /// A transition rule with no old value: not run.
    NotRun,
    /// The rule is false: this error (ratcheted on an unchanged node unless the rule uses
    /// `oldSelf`).
    Violation(FieldError),
    /// The rule did not evaluate (`no such key: x evaluating rule: ...`); never ratcheted.
    Error(FieldError),
    /// The cost limit or the budget ran out: this error, and no further rule runs.
    Halt(FieldError),
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Program {
    rule: ValidationRule,
    ast: Ast,
    /// The checker's type of each node of `ast` (what the cost estimator reads).
    types: Arc<HashMap<u64, Type>>,
    message: Option<(Ast, Arc<HashMap<u64, Type>>)>,
    decl: Arc<Decl>,
    uses_old_self: bool,
}

impl Program {
    /// Compiles a rule against the CEL declaration of its node.
    pub fn compile(rule: &ValidationRule, decl: &Arc<Decl>) -> Result<Program, CompileError> {
        let env = |optional: bool| Env {
            self_type: decl.ty.clone(),
            old_self_type: if optional {
                Type::Optional(Box::new(decl.ty.clone()))
            } else {
                decl.ty.clone()
            },
        };
        let optional = rule.optional_old_self == Some(true);
        // A blank rule has no program on the apiserver: it never fails.
        let source = if rule.rule.trim().is_empty() {
            "true"
        } else {
            &rule.rule
        };
        let ast = parse::parse(source).map_err(|e| CompileError::Rule(e.0))?;
        let checked = check::check(&ast, &env(optional)).map_err(CompileError::Rule)?;
        if !matches!(checked.result, Type::Bool) {
            return Err(CompileError::NotBool);
        }
        literal_regexes(&ast.expr)?;
        if rule.optional_old_self.is_some() && !checked.uses_old_self {
            return Err(CompileError::OptionalOldSelfUnused);
        }
        let message = match rule.message_expression.as_deref() {
            Some(src) => {
                let m = parse::parse(src).map_err(|e| CompileError::MessageExpression(e.0))?;
                let t = check::check(&m, &env(false)).map_err(CompileError::MessageExpression)?;
                if !matches!(t.result, Type::String) {
                    return Err(CompileError::MessageNotString);
                }
                Some((m, Arc::new(t.types)))
            }
            None => None,
        };
        Ok(Program {
            rule: rule.clone(),
            ast,
            types: Arc::new(checked.types),
            message,
            decl: decl.clone(),
            uses_old_self: checked.uses_old_self,
        })
    }

    /// Compiles a rule against a schema node of the model (`resource_root`: the node is a
    /// resource's root, whose `metadata` CEL sees as `name` and `generateName` only).
    pub fn compile_for_node(
        rule: &ValidationRule,
        node: &Node,
        resource_root: bool,
    ) -> Result<Program, CompileError> {
        let schema = crate::schema::openapi::render(node);
        let decl = Decl::from_schema(&schema, "self", resource_root).ok_or(CompileError::NoType)?;
        Program::compile(rule, &decl)
    }

    /// Whether the rule references `oldSelf` (a transition rule).
    pub fn uses_old_self(&self) -> bool {
        self.uses_old_self
    }

    /// The rule this program was compiled from.
    pub fn rule(&self) -> &ValidationRule {
        &self.rule
    }

    /// The static cost estimate of the rule, as the apiserver computes it at CRD admission
    /// (`MaxCost`, before the cardinality of the node: see [`super::cost`]).
    pub fn estimated_cost(&self) -> super::cost::RuleCost {
        super::cost::estimate_rule(self)
    }

    /// The parsed rule, the type of each of its nodes, and the declaration of `self`.
    pub(crate) fn checked_rule(&self) -> (&Ast, &HashMap<u64, Type>, &Decl) {
        (&self.ast, &self.types, &self.decl)
    }

    /// The parsed messageExpression and the type of each of its nodes.
    pub(crate) fn checked_message(&self) -> Option<(&Ast, &HashMap<u64, Type>)> {
        self.message.as_ref().map(|(a, t)| (a, t.as_ref()))
    }

    /// The apiserver's schema type name (`sts.Type`), the value of eval-error findings.
    fn schema_type(&self) -> &'static str {
        match &self.decl.shape {
            Shape::Object(_) | Shape::Map { .. } => "object",
            Shape::List { .. } => "array",
            Shape::IntOrString => "",
            Shape::Scalar(Scalar::Bool) => "boolean",
            Shape::Scalar(Scalar::Int) => "integer",
            Shape::Scalar(Scalar::Double) => "number",
            Shape::Scalar(_) => "string",
        }
    }

    fn at_node(&self, path: &Path, detail: String) -> FieldError {
        FieldError::new(
            path.as_str(),
            ErrorKind::Invalid,
            Some(&Json::from(self.schema_type())),
            detail,
        )
    }

    /// Evaluates the rule on `value` (the node's JSON) with its correlated old value, at
    /// `path`, deducting the cost from `budget`.
    pub fn evaluate(
        &self,
        value: &Json,
        old: Option<&Json>,
        path: &mut Path,
        budget: &mut Budget,
    ) -> Outcome {
        if budget.remaining <= 0 {
            return Outcome::Halt(self.at_node(path, errors::OUT_OF_BUDGET.into()));
        }
        let optional = self.rule.optional_old_self == Some(true);
        if self.uses_old_self && old.is_none() && !optional {
            return Outcome::NotRun;
        }
        let this = value::from_json(value, &self.decl);
        let old_value = old.map(|o| value::from_json(o, &self.decl));
        let mut vars = vec![("self", this.clone())];
        if optional {
            vars.push(("oldSelf", Value::Optional(old_value.clone().map(Arc::new))));
        } else if let Some(o) = &old_value {
            vars.push(("oldSelf", o.clone()));
        }
        let mut tracker = Tracker::new(budget.per_call_limit);
        let result = eval::eval(&self.ast.expr, &mut Activation::new(vars), &mut tracker);
        if tracker.cost > i64::MAX as u64 || tracker.cost as i64 > budget.remaining {
            return Outcome::Halt(self.at_node(path, errors::OUT_OF_BUDGET.into()));
        }
        budget.remaining -= tracker.cost as i64;
        let rule_text = self.rule.error_string();
        match result {
            Ok(Value::Bool(true)) => Outcome::Pass,
            Ok(Value::Bool(false)) => self.violation(value, old_value, this, path, budget),
            Ok(other) => Outcome::Error(self.at_node(
                path,
                errors::rule_eval_error(&EvalError::NoOverload(other.type_name()), rule_text),
            )),
            Err(e @ EvalError::CostLimit) => {
                Outcome::Halt(self.at_node(path, errors::rule_eval_error(&e, rule_text)))
            }
            Err(e) => Outcome::Error(self.at_node(path, errors::rule_eval_error(&e, rule_text))),
        }
    }

    fn violation(
        &self,
        json: &Json,
        old: Option<Value>,
        this: Value,
        path: &mut Path,
        budget: &mut Budget,
    ) -> Outcome {
        let mark = push_field_path(path, self.rule.field_path.as_deref(), &self.decl);
        let detail = match &self.message {
            Some((m, _)) => match self.message_expression(m, this, old, budget) {
                Ok(Some(text)) => Some(text),
                Ok(None) => None,
                Err(halt) => {
                    let e = self.at_node(path, halt);
                    path.truncate(mark);
                    return Outcome::Halt(e);
                }
            },
            None => None,
        };
        let detail = detail.unwrap_or_else(|| match self.rule.message.as_deref().map(str::trim) {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => format!("failed rule: {}", self.rule.error_string()),
        });
        let value = (!matches!(json, Json::Object(_) | Json::Array(_))).then_some(json);
        let error = match self.rule.reason.as_deref() {
            Some("FieldValueForbidden") => {
                FieldError::new(path.as_str(), ErrorKind::Forbidden, None, detail)
            }
            Some("FieldValueRequired") => {
                FieldError::new(path.as_str(), ErrorKind::Required, None, detail)
            }
            // `field.Duplicate(fldPath, value)`: the detail is dropped.
            Some("FieldValueDuplicate") => {
                FieldError::new(path.as_str(), ErrorKind::Duplicate, value, "")
            }
            _ => FieldError::new(path.as_str(), ErrorKind::Invalid, value, detail),
        };
        path.truncate(mark);
        Outcome::Violation(error)
    }

    /// `evalMessageExpression`: `Ok(None)` falls back to the message; `Err` halts.
    fn message_expression(
        &self,
        m: &Ast,
        this: Value,
        old: Option<Value>,
        budget: &mut Budget,
    ) -> Result<Option<String>, String> {
        let mut vars = vec![("self", this)];
        if let Some(o) = old {
            vars.push(("oldSelf", o));
        }
        let mut tracker = Tracker::new(budget.per_call_limit);
        let result = eval::eval(&m.expr, &mut Activation::new(vars), &mut tracker);
        if tracker.cost as i64 > budget.remaining {
            return Err(errors::MESSAGE_OUT_OF_BUDGET.into());
        }
        if let Err(EvalError::CostLimit) = result {
            return Err(errors::message_cost_limit(
                self.rule.message_expression.as_deref().unwrap_or(""),
            ));
        }
        budget.remaining -= tracker.cost as i64;
        match result {
            Ok(Value::String(s)) => {
                let s = s.trim();
                if s.is_empty() || s.len() > MAX_MESSAGE_BYTES || s.contains('\n') {
                    Ok(None)
                } else {
                    Ok(Some(s.to_string()))
                }
            }
            _ => Ok(None),
        }
    }
}

/// Appends a rule's `fieldPath` (`.a.b`, `['a.b']`, `.a['b']`) below the rule's node `decl`:
/// each token is a field, or `[key]` where it goes through a map (`ValidFieldPath`).
fn push_field_path(path: &mut Path, field_path: Option<&str>, decl: &Decl) -> usize {
    let mark = path.as_str().len();
    let Some(fp) = field_path else { return mark };
    let mut node = Some(decl);
    let mut rest = fp;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("['") {
            let mut name = String::new();
            let mut chars = r.char_indices();
            let mut end = r.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, e)) = chars.next() {
                            name.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                other => other,
                            });
                        }
                    }
                    '\'' => {
                        end = i;
                        break;
                    }
                    c => name.push(c),
                }
            }
            push_segment(path, &mut node, &name);
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            push_segment(path, &mut node, &r[..end]);
            rest = &r[end..];
        } else {
            break;
        }
    }
    mark
}

/// `ValidFieldPath`'s `appendToPath`: a key of a map (`additionalProperties`) is appended as
/// `[key]` (`field.Path.Key`), a property as `.name` (`Child`); `node` moves down with it.
fn push_segment(path: &mut Path, node: &mut Option<&Decl>, name: &str) {
    match node.map(|d| &d.shape) {
        Some(Shape::Map { values }) => {
            path.push_bracketed_key(name);
            *node = Some(values.as_ref());
        }
        Some(Shape::Object(o)) => {
            path.push_field(name);
            *node = o
                .fields
                .iter()
                .find(|f| f.raw == name)
                .map(|f| f.decl.as_ref());
        }
        _ => {
            path.push_field(name);
            *node = None;
        }
    }
}

/// `FindRegexOptimization`: literal patterns of `find`/`findAll` compile when the program is
/// built.
fn literal_regexes(e: &parse::Expr) -> Result<(), CompileError> {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Call {
                function,
                target,
                args,
            } => {
                if matches!(function.as_str(), "find" | "findAll") && target.is_some() {
                    if let Some(parse::Expr {
                        kind: ExprKind::Literal(Literal::String(p)),
                        ..
                    }) = args.first()
                    {
                        super::libs::regex::compile(p)
                            .map_err(|e| CompileError::Instantiation(e.to_string()))?;
                    }
                }
                stack.extend(target.as_deref());
                stack.extend(args);
            }
            ExprKind::Select { operand, .. } => stack.push(operand),
            ExprKind::List { elements, .. } => stack.extend(elements),
            ExprKind::Map(entries) => {
                for (k, v, _) in entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
            ExprKind::Comprehension(c) => {
                stack.extend([&c.range, &c.init, &c.cond, &c.step, &c.result])
            }
            _ => {}
        }
    }
    Ok(())
}

/// The compiled program of a raw CEL rule of the schema model, compiled on first use and kept
/// in the rule's slot: a schema compiles each rule once, never once per object.
pub fn compiled(
    raw: &crate::rules::RawCel,
    node: &Node,
    resource_root: bool,
) -> Arc<Result<Program, CompileError>> {
    type Compiled = Arc<Result<Program, CompileError>>;
    let slot = raw.compiled.0.get_or_init(|| {
        let compiled: Compiled = Arc::new(Program::compile_for_node(
            &validation_rule(raw),
            node,
            resource_root,
        ));
        Arc::new(compiled)
    });
    match slot.downcast_ref::<Compiled>() {
        Some(compiled) => compiled.clone(),
        // Only this function fills the slot; a foreign value compiles afresh.
        None => Arc::new(Program::compile_for_node(
            &validation_rule(raw),
            node,
            resource_root,
        )),
    }
}

/// The `x-kubernetes-validations` entry of a raw CEL rule.
pub fn validation_rule(raw: &crate::rules::RawCel) -> ValidationRule {
    use crate::rules::Reason;
    ValidationRule {
        rule: raw.rule.clone(),
        message: (!raw.message.is_empty()).then(|| raw.message.clone()),
        message_expression: raw.message_expression.clone(),
        reason: match raw.reason {
            Reason::Invalid => None,
            Reason::Required => Some("FieldValueRequired".into()),
            Reason::Forbidden => Some("FieldValueForbidden".into()),
            Reason::Duplicate => Some("FieldValueDuplicate".into()),
        },
        field_path: raw.field_path.clone(),
        optional_old_self: raw.optional_old_self,
    }
}
