//! The evaluator: walks a checked tree over [`Value`]s, with cel-go's runtime semantics and
//! cost tracking.
//!
//! Why our own and not the `cel` crate's interpreter: that interpreter has no cost tracking
//! (a rule like `self.all(x, self.all(y, self.all(z, true)))` on a 1,000-item list runs 10⁹
//! steps, about twenty minutes in a release build, where the apiserver stops after 1,000,000
//! units with a finding); it has no notion of schema-typed lists (`self.set == ['b', 'a']` ignores
//! order on the apiserver, and `+` on a list-set is a union); and it accepts functions the
//! apiserver refuses (`math.abs`, `base64.encode`) while lacking libraries it offers.

use super::errors::EvalError;
use super::libs;
use super::parse::{Comprehension, Expr, ExprKind, Literal};
use super::types::ListKind;
use super::value::{Key, List, Map, Value};
use std::cmp::Ordering;
use std::sync::Arc;

/// The cost tracker of one evaluation (cel-go's `ActualCost` with `CostLimit`).
#[derive(Debug, Clone)]
pub struct Tracker {
    /// Cost so far.
    pub cost: u64,
    /// The limit: exceeding it stops the evaluation.
    pub limit: u64,
}

impl Tracker {
    /// A tracker with this limit.
    pub fn new(limit: u64) -> Tracker {
        Tracker { cost: 0, limit }
    }

    /// Adds `n`; past the limit the evaluation stops.
    pub fn add(&mut self, n: u64) -> Result<(), EvalError> {
        self.cost = self.cost.saturating_add(n);
        if self.cost > self.limit {
            Err(EvalError::CostLimit)
        } else {
            Ok(())
        }
    }
}

/// `ceil(n × factor)` as cel-go computes it (f64, rounded up).
pub fn factor(n: u64, factor: f64) -> u64 {
    (n as f64 * factor).ceil() as u64
}

/// The variables in scope.
pub struct Activation {
    vars: Vec<(Arc<str>, Value)>,
}

impl Activation {
    /// An activation with these variables.
    pub fn new(vars: Vec<(&str, Value)>) -> Activation {
        Activation {
            vars: vars.into_iter().map(|(n, v)| (Arc::from(n), v)).collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v)
    }

    fn push(&mut self, name: &str, value: Value) {
        self.vars.push((Arc::from(name), value));
    }

    fn pop(&mut self) {
        self.vars.pop();
    }

    fn set_last(&mut self, value: Value) {
        if let Some(last) = self.vars.last_mut() {
            last.1 = value;
        }
    }
}

type R = Result<Value, EvalError>;

/// Evaluates `expr`.
pub fn eval(expr: &Expr, act: &mut Activation, t: &mut Tracker) -> R {
    stacker::maybe_grow(super::parse::RED_ZONE, super::parse::NEW_STACK, || {
        eval_node(expr, act, t)
    })
}

fn eval_node(expr: &Expr, act: &mut Activation, t: &mut Tracker) -> R {
    match &expr.kind {
        ExprKind::Literal(l) => Ok(literal(l)),
        ExprKind::Ident(name) => {
            t.add(1)?;
            match act.get(name) {
                Some(Value::Error(e)) => Err(EvalError::msg(&**e)),
                Some(v) => Ok(v.clone()),
                None => type_ident(name)
                    .ok_or_else(|| EvalError::msg(format!("no such attribute: {name}"))),
            }
        }
        ExprKind::Select {
            operand,
            field,
            test,
        } if !*test && qualified_type_value(expr, act).is_some() => {
            t.add(1)?;
            Ok(qualified_type_value(expr, act).unwrap_or(Value::Null))
        }
        ExprKind::Select {
            operand,
            field,
            test,
        } => {
            // cel-go plans `self.a.b` as one attribute costing 1; a presence test costs 0.
            let before = t.cost;
            let target = eval(operand, act, t)?;
            if !is_attribute(operand) {
                t.add(1)?;
            }
            if *test {
                t.cost = before;
            }
            select(&target, field, *test)
        }
        ExprKind::Call {
            function,
            target,
            args,
        } => call(function, target.as_deref(), args, act, t),
        ExprKind::List { elements, optional } => {
            // Constant literals are folded when the program is planned (`OptOptimize`): free.
            if !is_constant(expr) {
                t.add(10)?;
            }
            let mut items = Vec::with_capacity(elements.len());
            for (i, e) in elements.iter().enumerate() {
                let v = eval(e, act, t)?;
                if optional.contains(&i) {
                    match v {
                        Value::Optional(Some(inner)) => items.push((*inner).clone()),
                        Value::Optional(None) => {}
                        _ => return Err(no_overload("optional list element")),
                    }
                } else {
                    items.push(v);
                }
            }
            Ok(Value::list(items))
        }
        ExprKind::Map(entries) => {
            if !is_constant(expr) {
                t.add(30)?;
            }
            let mut map = Map::default();
            for (k, v, optional) in entries {
                let key = eval(k, act, t)?;
                let value = eval(v, act, t)?;
                let key = Key::of(&key).ok_or_else(|| no_overload("map key"))?;
                let value = if *optional {
                    match value {
                        Value::Optional(Some(inner)) => (*inner).clone(),
                        Value::Optional(None) => continue,
                        _ => return Err(no_overload("optional map entry")),
                    }
                } else {
                    value
                };
                if map.entries.insert(key.clone(), value).is_some() {
                    return Err(EvalError::msg(format!(
                        "Failed with repeated key: {}",
                        display_key(&key)
                    )));
                }
            }
            Ok(Value::Map(Arc::new(map)))
        }
        ExprKind::Struct(name) => Err(EvalError::msg(format!("unknown type: {name}"))),
        ExprKind::Comprehension(c) => comprehension(c, act, t),
    }
}

/// The value of a qualified type name (`google.protobuf.Duration`, `net.IP`) whose root is no
/// variable.
fn qualified_type_value(e: &Expr, act: &Activation) -> Option<Value> {
    let mut parts = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Select {
                operand,
                field,
                test: false,
            } => {
                parts.push(field.as_str());
                cur = operand;
            }
            ExprKind::Ident(root) if act.get(root).is_none() => {
                parts.push(root.as_str());
                break;
            }
            _ => return None,
        }
    }
    parts.reverse();
    let name = parts.join(".");
    const NAMES: [&str; 7] = [
        "google.protobuf.Duration",
        "google.protobuf.Timestamp",
        "net.IP",
        "net.CIDR",
        "kubernetes.Quantity",
        "kubernetes.URL",
        "kubernetes.Semver",
    ];
    NAMES
        .contains(&name.as_str())
        .then(|| Value::Type(Arc::from(name.as_str())))
}

/// Whether an expression is part of a cel-go attribute (a variable with field selections and
/// index qualifiers), which costs 1 as a whole.
fn is_attribute(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_) => true,
        ExprKind::Select {
            operand,
            test: false,
            ..
        } => is_attribute(operand),
        ExprKind::Call {
            function,
            target: None,
            args,
        } if function == "_[_]" => is_attribute(&args[0]),
        _ => false,
    }
}

/// Whether a literal is constant (folded at plan time).
fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Literal(_) => true,
        ExprKind::List { elements, optional } => {
            optional.is_empty() && elements.iter().all(is_constant)
        }
        ExprKind::Map(entries) => entries
            .iter()
            .all(|(k, v, o)| !o && is_constant(k) && is_constant(v)),
        _ => false,
    }
}

fn display_key(k: &Key) -> String {
    match k {
        Key::String(s) => s.to_string(),
        Key::Int(i) => i.to_string(),
        Key::Uint(u) => u.to_string(),
        Key::Bool(b) => b.to_string(),
    }
}

fn literal(l: &Literal) -> Value {
    match l {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::Int(*i),
        Literal::Uint(u) => Value::Uint(*u),
        Literal::Double(d) => Value::Double(*d),
        Literal::String(s) => Value::String(s.clone()),
        Literal::Bytes(b) => Value::Bytes(b.clone()),
    }
}

/// The value of a type name used as an identifier (`int`, `string`, ...).
fn type_ident(name: &str) -> Option<Value> {
    const NAMES: [&str; 11] = [
        "bool",
        "int",
        "uint",
        "double",
        "string",
        "bytes",
        "list",
        "map",
        "null_type",
        "type",
        "optional_type",
    ];
    let name = match name {
        "google.protobuf.Duration" => "google.protobuf.Duration",
        "google.protobuf.Timestamp" => "google.protobuf.Timestamp",
        n if NAMES.contains(&n) => n,
        _ => return None,
    };
    Some(Value::Type(Arc::from(name)))
}

pub(crate) fn no_overload(what: &str) -> EvalError {
    EvalError::NoOverload(what.to_string())
}

/// A field of an object by its CEL name; a reserved word written plainly (`self.namespace`)
/// names its escaped field (`__namespace__`), as the apiserver's type provider resolves it.
pub(crate) fn object_field(o: &super::value::Object, field: &str) -> Option<Value> {
    o.fields.get(field).cloned().or_else(|| {
        super::escape::RESERVED
            .contains(&field)
            .then(|| o.fields.get(&format!("__{field}__")).cloned())
            .flatten()
    })
}

/// `target.field` (or `has(target.field)`).
fn select(target: &Value, field: &str, test: bool) -> R {
    let found = match target {
        Value::Object(o) => object_field(o, field),
        Value::Map(m) => m.entries.get(&Key::String(Arc::from(field))).cloned(),
        Value::Optional(inner) => {
            // Selection on an optional propagates (`oldSelf.?a.b`, `optionalOldSelf`).
            return match inner {
                None => Ok(Value::Optional(None)),
                Some(v) => match select(v, field, true)? {
                    Value::Bool(true) if test => Ok(Value::Bool(true)),
                    Value::Bool(true) => {
                        Ok(Value::Optional(Some(Arc::new(select(v, field, false)?))))
                    }
                    _ if test => Ok(Value::Bool(false)),
                    _ => Ok(Value::Optional(None)),
                },
            };
        }
        Value::Error(e) => return Err(EvalError::msg(&**e)),
        _ => return Err(no_overload("select")),
    };
    match (found, test) {
        (Some(_), true) => Ok(Value::Bool(true)),
        (None, true) => Ok(Value::Bool(false)),
        (Some(Value::Error(e)), false) => Err(EvalError::msg(&*e)),
        (Some(v), false) => Ok(v),
        (None, false) => Err(EvalError::msg(format!("no such key: {field}"))),
    }
}

fn call(
    function: &str,
    target: Option<&Expr>,
    args: &[Expr],
    act: &mut Activation,
    t: &mut Tracker,
) -> R {
    match function {
        "_&&_" | "_||_" => return logic(function == "_&&_", &args[0], &args[1], act, t),
        "_?_:_" => {
            return match eval(&args[0], act, t)? {
                Value::Bool(true) => eval(&args[1], act, t),
                Value::Bool(false) => eval(&args[2], act, t),
                _ => Err(no_overload("_?_:_")),
            }
        }
        "@not_strictly_false" => {
            let v = eval(&args[0], act, t);
            if let Err(e @ EvalError::CostLimit) = v {
                return Err(e);
            }
            t.add(1)?;
            return Ok(Value::Bool(!matches!(v, Ok(Value::Bool(false)))));
        }
        _ => {}
    }
    if let Some(r) = macro_call(function, target, args, act, t) {
        return r;
    }
    let target_value = match target {
        Some(e) => match qualified(e) {
            // `sets.contains(...)`, `optional.of(...)`: a namespaced global function.
            Some(ns) if libs::is_namespace(&ns) && act.get(&ns).is_none() => {
                let name = format!("{ns}.{function}");
                let values = eval_all(args, act, t)?;
                if !libs::has_own_cost(&name, None, &values) {
                    t.add(1)?;
                }
                return libs::call(&name, None, &values, t);
            }
            _ => Some(eval(e, act, t)?),
        },
        None => None,
    };
    // An index qualifier of an attribute is part of the attribute's cost.
    let before = t.cost;
    let values = eval_all(args, act, t)?;
    if function == "_[_]" && is_attribute(&args[0]) {
        t.cost = before + 1;
        t.add(0)?;
    }
    // A call costs 1 unless its library says otherwise (cel-go `costCall`).
    match function {
        "_==_" | "_!=_" => {
            t.add(equality_cost(&values[0], &values[1]))?;
            let eq = equals(&values[0], &values[1])?;
            Ok(Value::Bool(if function == "_==_" { eq } else { !eq }))
        }
        "_<_" | "_<=_" | "_>_" | "_>=_" => {
            t.add(match (&values[0], &values[1]) {
                (Value::String(_) | Value::Bytes(_), _) => equality_cost(&values[0], &values[1]),
                _ => 1,
            })?;
            let Some(ord) = compare(&values[0], &values[1])? else {
                return Ok(Value::Bool(false));
            };
            Ok(Value::Bool(match function {
                "_<_" => ord == Ordering::Less,
                "_<=_" => ord != Ordering::Greater,
                "_>_" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        "_[_]" if is_attribute(&args[0]) => libs::call(function, target_value.as_ref(), &values, t),
        _ => {
            if !libs::has_own_cost(function, target_value.as_ref(), &values) {
                t.add(1)?;
            }
            libs::call(function, target_value.as_ref(), &values, t)
        }
    }
}

fn eval_all(args: &[Expr], act: &mut Activation, t: &mut Tracker) -> Result<Vec<Value>, EvalError> {
    args.iter().map(|a| eval(a, act, t)).collect()
}

/// The namespace of a call target written as a plain identifier (`sets` in `sets.contains`).
fn qualified(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Ident(n) => Some(n.clone()),
        _ => None,
    }
}

/// `&&` / `||` with CEL's commutative error handling: a decisive operand wins over an error.
fn logic(and: bool, a: &Expr, b: &Expr, act: &mut Activation, t: &mut Tracker) -> R {
    let decisive = !and;
    let left = eval(a, act, t);
    if let Ok(Value::Bool(v)) = left {
        if v == decisive {
            return Ok(Value::Bool(v));
        }
    }
    let right = eval(b, act, t);
    match (left, right) {
        (_, Ok(Value::Bool(v))) if v == decisive => Ok(Value::Bool(v)),
        (Ok(Value::Bool(_)), Ok(Value::Bool(v))) => Ok(Value::Bool(v)),
        (Err(e @ EvalError::CostLimit), _) | (_, Err(e @ EvalError::CostLimit)) => Err(e),
        (Err(e), _) => Err(e),
        (_, Err(e)) => Err(e),
        _ => Err(no_overload(if and { "_&&_" } else { "_||_" })),
    }
}

fn comprehension(c: &Comprehension, act: &mut Activation, t: &mut Tracker) -> R {
    let range = eval(&c.range, act, t)?;
    let items: Vec<(Value, Value)> = match &range {
        Value::List(l) => l
            .items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::Int(i as i64), v.clone()))
            .collect(),
        Value::Map(m) => m
            .entries
            .iter()
            .map(|(k, v)| (k.value(), v.clone()))
            .collect(),
        Value::Object(o) => o
            .fields
            .iter()
            .map(|(k, v)| (Value::string(k.as_str()), v.clone()))
            .collect(),
        _ => return Err(no_overload("comprehension range")),
    };
    let init = eval(&c.init, act, t)?;
    act.push(&c.accu, init);
    let result = (|| {
        for (first, second) in items {
            let pushed = match &c.var2 {
                Some(v2) => {
                    act.push(&c.var, first);
                    act.push(v2, second);
                    2
                }
                None => {
                    let single = if matches!(range, Value::List(_)) {
                        second
                    } else {
                        first
                    };
                    act.push(&c.var, single);
                    1
                }
            };
            let cond = eval(&c.cond, act, t);
            let stop = matches!(cond, Ok(Value::Bool(false)));
            if let Err(e @ EvalError::CostLimit) = cond {
                return Err(e);
            }
            if stop {
                for _ in 0..pushed {
                    act.pop();
                }
                break;
            }
            let step = step(c, act, t, pushed);
            for _ in 0..pushed {
                act.pop();
            }
            // cel-go errors are values: `exists` absorbs an error once a later item is true.
            act.set_last(match step {
                Ok(v) => v,
                Err(e @ EvalError::CostLimit) => return Err(e),
                Err(e) => Value::Error(Arc::from(e.to_string().as_str())),
            });
        }
        eval(&c.result, act, t)
    })();
    act.pop();
    result
}

/// One comprehension step. `map` and `filter` append to the accumulator (`@result + [x]`):
/// done in place, so a step costs what cel-go charges without copying the list each time
/// (copying would make `map` quadratic in the list's length).
fn step(c: &Comprehension, act: &mut Activation, t: &mut Tracker, pushed: usize) -> R {
    if let ExprKind::Call {
        function,
        target: None,
        args,
    } = &c.step.kind
    {
        if function == "_+_" && matches!(&args[0].kind, ExprKind::Ident(n) if *n == c.accu) {
            if let ExprKind::List { .. } = &args[1].kind {
                let rhs = eval(&args[1], act, t)?;
                // The accumulator's ident and the call.
                t.add(2)?;
                let accu_index = act.vars.len() - 1 - pushed;
                let accu = std::mem::replace(&mut act.vars[accu_index].1, Value::Null);
                return match (accu, rhs) {
                    (Value::List(mut list), Value::List(extra))
                        if list.kind == ListKind::Atomic =>
                    {
                        match Arc::get_mut(&mut list) {
                            Some(owned) => owned.items.extend(extra.items.iter().cloned()),
                            None => {
                                let mut items = list.items.clone();
                                items.extend(extra.items.iter().cloned());
                                list = Arc::new(List {
                                    items,
                                    kind: ListKind::Atomic,
                                    data: false,
                                });
                            }
                        }
                        Ok(Value::List(list))
                    }
                    (accu, rhs) => libs::call("_+_", None, &[accu, rhs], t),
                };
            }
        }
    }
    eval(&c.step, act, t)
}

/// The library macros the `cel` crate's parser leaves as calls (see [`super::parse`]).
fn macro_call(
    function: &str,
    target: Option<&Expr>,
    args: &[Expr],
    act: &mut Activation,
    t: &mut Tracker,
) -> Option<R> {
    let target = target?;
    let name = |e: &Expr| match &e.kind {
        ExprKind::Ident(n) => Some(n.clone()),
        _ => None,
    };
    match (function, args.len()) {
        ("all" | "exists" | "existsOne" | "exists_one", 3) => {
            let (a, b) = (name(&args[0])?, name(&args[1])?);
            Some(two_var_quantifier(
                function, target, &a, &b, &args[2], act, t,
            ))
        }
        ("transformList" | "transformMap" | "transformMapEntry", 3 | 4) => {
            let (a, b) = (name(&args[0])?, name(&args[1])?);
            let (filter, body) = if args.len() == 4 {
                (Some(&args[2]), &args[3])
            } else {
                (None, &args[2])
            };
            Some(transform(function, target, &a, &b, filter, body, act, t))
        }
        ("sortBy", 2) => {
            let v = name(&args[0])?;
            Some(libs::lists::sort_by(target, &v, &args[1], act, t))
        }
        ("optMap" | "optFlatMap", 2) => {
            let v = name(&args[0])?;
            Some((|| {
                let opt = eval(target, act, t)?;
                match opt {
                    Value::Optional(None) => Ok(Value::Optional(None)),
                    Value::Optional(Some(inner)) => {
                        act.push(&v, (*inner).clone());
                        let r = eval(&args[1], act, t);
                        act.pop();
                        let r = r?;
                        if function == "optMap" {
                            Ok(Value::Optional(Some(Arc::new(r))))
                        } else {
                            Ok(r)
                        }
                    }
                    _ => Err(no_overload(function)),
                }
            })())
        }
        _ => None,
    }
}

/// The pairs a two-variable comprehension iterates: (index, item) or (key, value).
fn pairs(range: &Value) -> Result<Vec<(Value, Value)>, EvalError> {
    match range {
        Value::List(l) => Ok(l
            .items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::Int(i as i64), v.clone()))
            .collect()),
        Value::Map(m) => Ok(m
            .entries
            .iter()
            .map(|(k, v)| (k.value(), v.clone()))
            .collect()),
        _ => Err(no_overload("comprehension range")),
    }
}

/// Runs `f` with `name` bound to `value`.
pub(crate) fn with_var<T>(
    act: &mut Activation,
    name: &str,
    value: Value,
    f: impl FnOnce(&mut Activation) -> T,
) -> T {
    act.push(name, value);
    let r = f(act);
    act.pop();
    r
}

fn with2<T>(
    act: &mut Activation,
    a: &str,
    av: Value,
    b: &str,
    bv: Value,
    f: impl FnOnce(&mut Activation) -> T,
) -> T {
    act.push(a, av);
    act.push(b, bv);
    let r = f(act);
    act.pop();
    act.pop();
    r
}

fn two_var_quantifier(
    function: &str,
    target: &Expr,
    a: &str,
    b: &str,
    pred: &Expr,
    act: &mut Activation,
    t: &mut Tracker,
) -> R {
    let range = eval(target, act, t)?;
    let mut count = 0u64;
    let mut error = None;
    for (k, v) in pairs(&range)? {
        t.add(1)?;
        let r = with2(act, a, k, b, v, |act| eval(pred, act, t));
        match (function, r) {
            (_, Err(e @ EvalError::CostLimit)) => return Err(e),
            ("all", Ok(Value::Bool(false))) => return Ok(Value::Bool(false)),
            ("exists", Ok(Value::Bool(true))) => return Ok(Value::Bool(true)),
            (_, Ok(Value::Bool(true))) => count += 1,
            (_, Ok(Value::Bool(false))) => {}
            ("existsOne" | "exists_one", Err(e)) => return Err(e),
            (_, Err(e)) => error = Some(e),
            (_, Ok(_)) => error = Some(no_overload(function)),
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    Ok(Value::Bool(match function {
        "all" => true,
        "exists" => false,
        _ => count == 1,
    }))
}

#[allow(clippy::too_many_arguments)]
fn transform(
    function: &str,
    target: &Expr,
    a: &str,
    b: &str,
    filter: Option<&Expr>,
    body: &Expr,
    act: &mut Activation,
    t: &mut Tracker,
) -> R {
    let range = eval(target, act, t)?;
    let mut list = Vec::new();
    let mut map = Map::default();
    for (k, v) in pairs(&range)? {
        t.add(1)?;
        let r = with2(
            act,
            a,
            k.clone(),
            b,
            v,
            |act| -> Result<Option<Value>, EvalError> {
                if let Some(f) = filter {
                    match eval(f, act, t)? {
                        Value::Bool(true) => {}
                        Value::Bool(false) => return Ok(None),
                        _ => return Err(no_overload(function)),
                    }
                }
                eval(body, act, t).map(Some)
            },
        )?;
        let Some(r) = r else { continue };
        match function {
            "transformList" => list.push(r),
            "transformMap" => {
                let key = Key::of(&k).ok_or_else(|| no_overload(function))?;
                map.entries.insert(key, r);
            }
            _ => {
                let Value::Map(entry) = r else {
                    return Err(no_overload(function));
                };
                for (key, value) in &entry.entries {
                    if map.entries.insert(key.clone(), value.clone()).is_some() {
                        return Err(EvalError::msg(format!(
                            "insert failed: key {} already exists",
                            display_key(key)
                        )));
                    }
                }
            }
        }
    }
    Ok(match function {
        "transformList" => Value::list(list),
        _ => Value::Map(Arc::new(map)),
    })
}

/// The cost cel-go charges `==`, `!=` and string `<`: `ceil(min(n1, n2) × 0.1)`, where a
/// scalar's size is 1.
fn equality_cost(a: &Value, b: &Value) -> u64 {
    factor(a.size().min(b.size()), 0.1)
}

/// CEL equality (`_==_`), with the apiserver's data semantics: a list-set or list-map on the
/// left compares without order; numbers compare across types; other type mismatches are
/// unequal.
pub fn equals(a: &Value, b: &Value) -> Result<bool, EvalError> {
    Ok(match (a, b) {
        (Value::Error(e), _) | (_, Value::Error(e)) => return Err(EvalError::msg(&**e)),
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Duration(x), Value::Duration(y)) => x == y,
        (Value::Timestamp(s1, n1), Value::Timestamp(s2, n2)) => s1 == s2 && n1 == n2,
        (
            Value::Int(_) | Value::Uint(_) | Value::Double(_),
            Value::Int(_) | Value::Uint(_) | Value::Double(_),
        ) => num_cmp(a, b) == Some(Ordering::Equal),
        (Value::List(x), Value::List(y)) => list_equals(x, y)?,
        (Value::Map(x), Value::Map(y)) => {
            if x.entries.len() != y.entries.len() {
                return Ok(false);
            }
            for (k, v) in &x.entries {
                match y.entries.get(k) {
                    Some(w) if equals(v, w)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.fields.len() != y.fields.len() {
                return Ok(false);
            }
            for (k, v) in &x.fields {
                match y.fields.get(k) {
                    Some(w) if equals(v, w)? => {}
                    _ => return Ok(false),
                }
            }
            // Fields the type does not name (preserved unknown fields) compare as raw data.
            let unnamed = |o: &super::value::Object| -> Vec<(String, serde_json::Value)> {
                o.raw
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .filter(|(k, v)| {
                                !v.is_null() && !o.ty.fields.iter().any(|f| &f.raw == *k)
                            })
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (mut ux, mut uy) = (unnamed(x), unnamed(y));
            ux.sort_by(|p, q| p.0.cmp(&q.0));
            uy.sort_by(|p, q| p.0.cmp(&q.0));
            ux == uy
        }
        (Value::Optional(x), Value::Optional(y)) => match (x, y) {
            (None, None) => true,
            (Some(x), Some(y)) => equals(x, y)?,
            _ => false,
        },
        (Value::Type(x), Value::Type(y)) => x == y,
        (Value::Quantity(x), Value::Quantity(y)) => x == y,
        (Value::Ip(x), Value::Ip(y)) => x == y,
        (Value::Cidr(x), Value::Cidr(y)) => x == y,
        (Value::Url(x), Value::Url(y)) => x.text == y.text,
        (Value::Semver(x), Value::Semver(y)) => x.cmp_precedence(y) == Ordering::Equal,
        (Value::Format(x), Value::Format(y)) => x == y,
        _ => false,
    })
}

fn list_equals(x: &List, y: &List) -> Result<bool, EvalError> {
    if x.items.len() != y.items.len() {
        return Ok(false);
    }
    match &x.kind {
        // `unstructuredSetList.Equal` / `unstructuredMapList.Equal`: every item of the other
        // list must be in this one (the left operand decides, as cel-go dispatches on it).
        ListKind::Set => {
            for item in &y.items {
                let mut found = false;
                for mine in &x.items {
                    if strict_equals(mine, item)? {
                        found = true;
                        break;
                    }
                }
                if !found {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ListKind::Map(keys) => {
            for item in &y.items {
                let key = map_list_key(item, keys);
                let mut matched = false;
                for mine in &x.items {
                    if map_list_key(mine, keys) == key {
                        if !equals(mine, item)? {
                            return Ok(false);
                        }
                        matched = true;
                        break;
                    }
                }
                if !matched {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ListKind::Atomic => {
            for (a, b) in x.items.iter().zip(&y.items) {
                if !equals(a, b)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
    }
}

/// Equality of set elements: raw Go values, no cross-type numeric equality.
fn strict_equals(a: &Value, b: &Value) -> Result<bool, EvalError> {
    if std::mem::discriminant(a) != std::mem::discriminant(b) {
        return Ok(false);
    }
    equals(a, b)
}

/// The key of a list-map item: its key fields' values as JSON text.
pub(crate) fn map_list_key(item: &Value, keys: &[String]) -> Option<Vec<String>> {
    let Value::Object(o) = item else { return None };
    Some(
        keys.iter()
            .map(|k| o.raw.get(k).map(|v| v.to_string()).unwrap_or_default())
            .collect(),
    )
}

fn num_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Uint(x), Value::Uint(y)) => Some(x.cmp(y)),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Uint(y)) => Some(if *x < 0 {
            Ordering::Less
        } else {
            (*x as u64).cmp(y)
        }),
        (Value::Uint(_), Value::Int(_)) => num_cmp(b, a).map(Ordering::reverse),
        (Value::Int(x), Value::Double(y)) => int_double_cmp(*x as i128, *y),
        (Value::Uint(x), Value::Double(y)) => int_double_cmp(*x as i128, *y),
        (Value::Double(_), Value::Int(_) | Value::Uint(_)) => num_cmp(b, a).map(Ordering::reverse),
        _ => None,
    }
}

fn int_double_cmp(x: i128, y: f64) -> Option<Ordering> {
    if y.is_nan() {
        return None;
    }
    if y >= 1.8e19 {
        return Some(Ordering::Less);
    }
    if y <= -1.8e19 {
        return Some(Ordering::Greater);
    }
    let floor = y.floor();
    match x.cmp(&(floor as i128)) {
        Ordering::Equal if y > floor => Some(Ordering::Less),
        o => Some(o),
    }
}

/// CEL ordering (`_<_` and the others).
pub fn compare(a: &Value, b: &Value) -> Result<Option<Ordering>, EvalError> {
    let ord = match (a, b) {
        (Value::Error(e), _) | (_, Value::Error(e)) => return Err(EvalError::msg(&**e)),
        (
            Value::Int(_) | Value::Uint(_) | Value::Double(_),
            Value::Int(_) | Value::Uint(_) | Value::Double(_),
        ) => num_cmp(a, b),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) => Some(x.cmp(y)),
        (Value::Timestamp(s1, n1), Value::Timestamp(s2, n2)) => Some((s1, n1).cmp(&(s2, n2))),
        _ => return Err(no_overload("compare")),
    };
    // `None`: unordered (NaN), every comparison is false.
    Ok(ord)
}
