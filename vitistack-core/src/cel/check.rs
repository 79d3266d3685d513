//! The type checker: every rule is checked against the declared type of its node before it
//! runs, with cel-go's error texts (`undeclared reference to 'x' (in container '')`,
//! `undefined field 'f'`, `found no matching overload for '_>_' applied to '(string, int)'`).
//!
//! The `cel` crate has no checker: an unknown name fails there only when evaluated, and only on
//! the branch that runs (`false && self.nope` passes). The apiserver refuses such a rule when
//! the CRD is written, so a rule this engine accepts is one the apiserver accepts.

use super::libs::{self, Overload};
use super::parse::{Ast, Comprehension, Expr, ExprKind, Literal};
use super::types::Type;
use std::collections::HashMap;

/// The variables a rule sees.
pub struct Env {
    /// The type of `self`.
    pub self_type: Type,
    /// The type of `oldSelf` (`optional_type(T)` with `optionalOldSelf`).
    pub old_self_type: Type,
}

/// What checking found.
pub struct Checked {
    /// The rule's result type.
    pub result: Type,
    /// Whether the rule references `oldSelf`.
    pub uses_old_self: bool,
    /// The type of every checked node, by node id (what cel-go's `TypeMap` holds; the cost
    /// estimator reads it).
    pub types: HashMap<u64, Type>,
}

struct Checker<'a> {
    env: &'a Env,
    scopes: Vec<(String, Type)>,
    errors: Vec<(u64, String)>,
    uses_old_self: bool,
    types: HashMap<u64, Type>,
}

/// Checks a parsed rule; `Err` holds cel-go's error text (sorted by position).
pub fn check(ast: &Ast, env: &Env) -> Result<Checked, String> {
    let mut c = Checker {
        env,
        scopes: Vec::new(),
        errors: Vec::new(),
        uses_old_self: false,
        types: HashMap::new(),
    };
    let result = c.expr(&ast.expr);
    if c.errors.is_empty() {
        return Ok(Checked {
            result,
            uses_old_self: c.uses_old_self,
            types: c.types,
        });
    }
    let mut errors: Vec<((usize, usize), String)> = c
        .errors
        .into_iter()
        .map(|(id, msg)| (ast.position(id), msg))
        .collect();
    errors.sort_by_key(|(pos, _)| *pos);
    errors.dedup();
    Err(errors
        .into_iter()
        .take(100)
        .map(|((line, col), msg)| {
            super::parse::display_error(&ast.source, (line as isize, col as isize), &msg)
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// `a.b.c` for a chain of selections on an identifier.
pub(crate) fn qualified_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Ident(n) => Some(n.clone()),
        ExprKind::Select {
            operand,
            field,
            test: false,
        } => Some(format!("{}.{field}", qualified_name(operand)?)),
        _ => None,
    }
}

/// The types with qualified names a rule can write.
fn qualified_type(name: &str) -> Option<Type> {
    use super::types::opaque;
    Some(match name {
        "google.protobuf.Duration" => Type::Duration,
        "google.protobuf.Timestamp" => Type::Timestamp,
        "net.IP" => Type::Opaque(opaque::IP),
        "net.CIDR" => Type::Opaque(opaque::CIDR),
        "kubernetes.Quantity" => Type::Opaque(opaque::QUANTITY),
        "kubernetes.URL" => Type::Opaque(opaque::URL),
        "kubernetes.Semver" => Type::Opaque(opaque::SEMVER),
        _ => return None,
    })
}

fn type_list(args: &[Type]) -> String {
    args.iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A type name and its type.
type TypeName = (&'static str, fn() -> Type);

const TYPE_NAMES: [TypeName; 11] = [
    ("bool", || Type::Bool),
    ("int", || Type::Int),
    ("uint", || Type::Uint),
    ("double", || Type::Double),
    ("string", || Type::String),
    ("bytes", || Type::Bytes),
    ("list", || Type::List(Box::new(Type::Dyn))),
    ("map", || {
        Type::Map(Box::new(Type::Dyn), Box::new(Type::Dyn))
    }),
    ("null_type", || Type::Null),
    ("type", || Type::TypeOf(Box::new(Type::Dyn))),
    ("dyn", || Type::Dyn),
];

impl Checker<'_> {
    fn error(&mut self, id: u64, msg: impl Into<String>) -> Type {
        self.errors.push((id, msg.into()));
        Type::Dyn
    }

    fn lookup(&mut self, name: &str) -> Option<Type> {
        if let Some((_, t)) = self.scopes.iter().rev().find(|(n, _)| n == name) {
            return Some(t.clone());
        }
        match name {
            "self" => Some(self.env.self_type.clone()),
            "oldSelf" => {
                self.uses_old_self = true;
                Some(self.env.old_self_type.clone())
            }
            _ => TYPE_NAMES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| Type::TypeOf(Box::new(t()))),
        }
    }

    fn in_scope(&self, name: &str) -> bool {
        self.scopes.iter().any(|(n, _)| n == name) || name == "self" || name == "oldSelf"
    }

    fn with<T>(&mut self, vars: &[(&str, Type)], f: impl FnOnce(&mut Self) -> T) -> T {
        for (n, t) in vars {
            self.scopes.push((n.to_string(), t.clone()));
        }
        let r = f(self);
        for _ in vars {
            self.scopes.pop();
        }
        r
    }

    fn expr(&mut self, e: &Expr) -> Type {
        let t = stacker::maybe_grow(super::parse::RED_ZONE, super::parse::NEW_STACK, || {
            self.expr_node(e)
        });
        self.types.insert(e.id, t.clone());
        t
    }

    fn expr_node(&mut self, e: &Expr) -> Type {
        match &e.kind {
            ExprKind::Literal(l) => match l {
                Literal::Null => Type::Null,
                Literal::Bool(_) => Type::Bool,
                Literal::Int(_) => Type::Int,
                Literal::Uint(_) => Type::Uint,
                Literal::Double(_) => Type::Double,
                Literal::String(_) => Type::String,
                Literal::Bytes(_) => Type::Bytes,
            },
            ExprKind::Ident(name) => match self.lookup(name) {
                Some(t) => t,
                None => self.error(
                    e.id,
                    format!("undeclared reference to '{name}' (in container '')"),
                ),
            },
            ExprKind::Select {
                operand,
                field,
                test,
            } => {
                // A qualified type name (`google.protobuf.Duration`, `net.IP`).
                if let Some(name) = qualified_name(e) {
                    let root = name.split('.').next().unwrap_or("");
                    if !self.in_scope(root) {
                        if let Some(t) = qualified_type(&name) {
                            return Type::TypeOf(Box::new(t));
                        }
                    }
                }
                let t = self.expr(operand);
                let field_type = self.select(e.id, &t, field);
                if *test {
                    Type::Bool
                } else {
                    field_type
                }
            }
            ExprKind::Call {
                function,
                target,
                args,
            } => self.call(e, function, target.as_deref(), args),
            ExprKind::List { elements, optional } => {
                let mut elem: Option<Type> = None;
                for (i, el) in elements.iter().enumerate() {
                    let mut t = self.expr(el);
                    if optional.contains(&i) {
                        t = match t {
                            Type::Optional(inner) => *inner,
                            Type::Dyn => Type::Dyn,
                            other => {
                                self.error(el.id, format!("found no matching overload for 'optional list element' applied to '({other})'"));
                                Type::Dyn
                            }
                        };
                    }
                    elem = Some(self.homogeneous(el.id, elem, t));
                }
                Type::List(Box::new(elem.unwrap_or(Type::Dyn)))
            }
            ExprKind::Map(entries) => {
                let (mut kt, mut vt): (Option<Type>, Option<Type>) = (None, None);
                for (k, v, optional) in entries {
                    let key = self.expr(k);
                    let mut value = self.expr(v);
                    if *optional {
                        value = match value {
                            Type::Optional(inner) => *inner,
                            _ => Type::Dyn,
                        };
                    }
                    if !matches!(
                        key,
                        Type::String | Type::Int | Type::Uint | Type::Bool | Type::Dyn
                    ) {
                        self.error(k.id, format!("unsupported map key type: {key}"));
                    }
                    kt = Some(self.homogeneous(k.id, kt, key));
                    vt = Some(self.homogeneous(v.id, vt, value));
                }
                Type::Map(
                    Box::new(kt.unwrap_or(Type::Dyn)),
                    Box::new(vt.unwrap_or(Type::Dyn)),
                )
            }
            ExprKind::Struct(name) => self.error(
                e.id,
                format!("undeclared reference to '{name}' (in container '')"),
            ),
            ExprKind::Comprehension(c) => self.comprehension(c),
        }
    }

    /// `HomogeneousAggregateLiterals`: every element of a literal has one type.
    fn homogeneous(&mut self, id: u64, so_far: Option<Type>, t: Type) -> Type {
        match so_far {
            None => t,
            Some(prev) => {
                if t.fits(&prev) && prev.fits(&t) {
                    if prev.is_dyn() {
                        t
                    } else {
                        prev
                    }
                } else {
                    self.error(id, format!("expected type '{prev}' but found '{t}'"));
                    prev
                }
            }
        }
    }

    fn select(&mut self, id: u64, t: &Type, field: &str) -> Type {
        match t {
            Type::Object(o) => {
                // `SetRecognizeKeywordAsFieldName`: `self.namespace` is the field `__namespace__`.
                let escaped = format!("__{field}__");
                match o.field(field).or_else(|| {
                    super::escape::RESERVED
                        .contains(&field)
                        .then(|| o.field(&escaped))
                        .flatten()
                }) {
                    Some(f) => f.decl.ty.clone(),
                    None => self.error(id, format!("undefined field '{field}'")),
                }
            }
            Type::Map(k, v) if k.fits(&Type::String) => (**v).clone(),
            Type::Dyn => Type::Dyn,
            Type::Optional(inner) => match self.select(id, inner, field) {
                Type::Optional(t) => Type::Optional(t),
                t => Type::Optional(Box::new(t)),
            },
            other => self.error(
                id,
                format!("type '{other}' does not support field selection"),
            ),
        }
    }

    fn comprehension(&mut self, c: &Comprehension) -> Type {
        let range = self.expr(&c.range);
        let (v1, v2) = match (&range, &c.var2) {
            (Type::List(e), None) => ((**e).clone(), None),
            (Type::List(e), Some(_)) => (Type::Int, Some((**e).clone())),
            (Type::Map(k, _), None) => ((**k).clone(), None),
            (Type::Map(k, v), Some(_)) => ((**k).clone(), Some((**v).clone())),
            (Type::Object(_), None) => (Type::String, None),
            (Type::Dyn, _) => (Type::Dyn, c.var2.as_ref().map(|_| Type::Dyn)),
            (other, _) => {
                let other = other.clone();
                self.error(c.range.id, format!("expression of type '{other}' cannot be range of a comprehension (must be list, map, or dynamic)"));
                (Type::Dyn, c.var2.as_ref().map(|_| Type::Dyn))
            }
        };
        let init = self.expr(&c.init);
        let mut vars: Vec<(&str, Type)> = vec![(c.var.as_str(), v1)];
        if let (Some(n), Some(t)) = (&c.var2, v2) {
            vars.push((n.as_str(), t));
        }
        let accu = init.clone();
        let step = self.with(&[(c.accu.as_str(), accu.clone())], |ch| {
            ch.with(&vars, |ch| {
                ch.expr(&c.cond);
                ch.expr(&c.step)
            })
        });
        // `map`/`filter` start from `[]` (list(dyn)): the step says what the list holds.
        let accu = match (&accu, &step) {
            (Type::List(e), Type::List(_)) if e.is_dyn() => step,
            _ => accu,
        };
        self.with(&[(c.accu.as_str(), accu)], |ch| ch.expr(&c.result))
    }

    fn call(&mut self, e: &Expr, function: &str, target: Option<&Expr>, args: &[Expr]) -> Type {
        match function {
            "_&&_" | "_||_" => {
                let types: Vec<Type> = args.iter().map(|a| self.expr(a)).collect();
                if !types.iter().all(|t| t.fits(&Type::Bool)) {
                    return self.error(
                        e.id,
                        format!(
                            "found no matching overload for '{function}' applied to '({})'",
                            type_list(&types)
                        ),
                    );
                }
                return Type::Bool;
            }
            "_?_:_" => {
                let types: Vec<Type> = args.iter().map(|a| self.expr(a)).collect();
                if types.len() == 3
                    && types[0].fits(&Type::Bool)
                    && types[1].fits(&types[2])
                    && types[2].fits(&types[1])
                {
                    return if types[1].is_dyn() {
                        types[2].clone()
                    } else {
                        types[1].clone()
                    };
                }
                return self.error(
                    e.id,
                    format!(
                        "found no matching overload for '_?_:_' applied to '({})'",
                        type_list(&types)
                    ),
                );
            }
            "@not_strictly_false" => {
                self.expr(&args[0]);
                return Type::Bool;
            }
            "_?._" => {
                let operand = self.expr(&args[0]);
                let Some(ExprKind::Literal(Literal::String(field))) = args.get(1).map(|a| &a.kind)
                else {
                    return self.error(e.id, "unsupported optional field selection");
                };
                return match self.select(e.id, &operand, field) {
                    Type::Optional(t) => Type::Optional(t),
                    t => Type::Optional(Box::new(t)),
                };
            }
            // ext.Strings `format` takes a list of mixed types: the homogeneous-literal check
            // exempts its argument.
            "format"
                if matches!(args.first().map(|a| &a.kind), Some(ExprKind::List { .. }))
                    && target.is_some() =>
            {
                let target_type = target.map(|t| self.expr(t));
                if let Some(ExprKind::List { elements, .. }) = args.first().map(|a| &a.kind) {
                    for el in elements {
                        self.expr(el);
                    }
                }
                return match libs::check(
                    function,
                    target_type.as_ref(),
                    &[Type::List(Box::new(Type::Dyn))],
                ) {
                    Overload::Result(t) => t,
                    _ => self.error(e.id, "found no matching overload for 'format'"),
                };
            }
            _ => {}
        }
        if let Some(t) = self.macro_call(e, function, target, args) {
            return t;
        }
        let arg_types: Vec<Type> = args.iter().map(|a| self.expr(a)).collect();
        // `sets.contains(...)`: a namespaced global function, unless the name is a variable.
        if let Some(Expr {
            kind: ExprKind::Ident(ns),
            id,
        }) = target
        {
            if !self.in_scope(ns) {
                let qualified = format!("{ns}.{function}");
                match libs::check(&qualified, None, &arg_types) {
                    Overload::Result(t) => {
                        self.literal_checks(e, &qualified, args);
                        return t;
                    }
                    Overload::NoMatch => {
                        return self.error(
                            e.id,
                            format!(
                                "found no matching overload for '{qualified}' applied to '({})'",
                                type_list(&arg_types)
                            ),
                        );
                    }
                    Overload::Unknown if libs::is_namespace(ns) || self.lookup(ns).is_none() => {
                        // cel-go: the target is checked, then the function name.
                        self.error(
                            *id,
                            format!("undeclared reference to '{ns}' (in container '')"),
                        );
                        return self.error(
                            e.id,
                            format!("undeclared reference to '{function}' (in container '')"),
                        );
                    }
                    Overload::Unknown => {}
                }
            }
        }
        let target_type = target.map(|t| self.expr(t));
        match libs::check(function, target_type.as_ref(), &arg_types) {
            Overload::Result(t) => {
                self.literal_checks(e, function, args);
                t
            }
            Overload::NoMatch => {
                let applied = match &target_type {
                    Some(t) => format!("{t}.({})", type_list(&arg_types)),
                    None => format!("({})", type_list(&arg_types)),
                };
                self.error(
                    e.id,
                    format!("found no matching overload for '{function}' applied to '{applied}'"),
                )
            }
            Overload::Unknown => self.error(
                e.id,
                format!("undeclared reference to '{function}' (in container '')"),
            ),
        }
    }

    /// cel-go's AST validators (compatibility ≥ 1.29): literal arguments of `duration`,
    /// `timestamp` and `matches` must be valid.
    fn literal_checks(&mut self, e: &Expr, function: &str, args: &[Expr]) {
        let literal = |i: usize| match args.get(i).map(|a| &a.kind) {
            Some(ExprKind::Literal(Literal::String(s))) => Some(s.clone()),
            _ => None,
        };
        let arg_id = |i: usize| args.get(i).map_or(e.id, |a| a.id);
        match function {
            "duration" => {
                if let Some(s) = literal(0) {
                    if let Err(err) = crate::formats::parse_duration(&s) {
                        self.error(arg_id(0), format!("invalid duration argument: {err}"));
                    }
                }
            }
            "timestamp" => {
                if let Some(s) = literal(0) {
                    if libs::time::parse_rfc3339(&s)
                        .and_then(|(s, n)| libs::time::checked(s, n))
                        .is_none()
                    {
                        self.error(arg_id(0), format!("invalid timestamp argument: parsing time {s:?} as \"2006-01-02T15:04:05Z07:00\""));
                    }
                }
            }
            "matches" => {
                let i = args.len() - 1;
                if let Some(s) = literal(i) {
                    if let Err(err) = libs::regex::compile(&s) {
                        self.error(arg_id(i), format!("invalid matches argument: {err}"));
                    }
                }
            }
            _ => {}
        }
    }

    /// The library macros the parser leaves as calls.
    fn macro_call(
        &mut self,
        e: &Expr,
        function: &str,
        target: Option<&Expr>,
        args: &[Expr],
    ) -> Option<Type> {
        let target = target?;
        let name = |x: &Expr| match &x.kind {
            ExprKind::Ident(n) => Some(n.clone()),
            _ => None,
        };
        let shape = matches!(
            (function, args.len()),
            ("all" | "exists" | "existsOne" | "exists_one", 3)
                | (
                    "transformList" | "transformMap" | "transformMapEntry",
                    3 | 4
                )
                | ("sortBy" | "optMap" | "optFlatMap", 2)
        );
        if !shape {
            return None;
        }
        let range = self.expr(target);
        let Some(first) = name(&args[0]) else {
            return Some(self.error(args[0].id, "argument must be a simple name"));
        };
        if function == "sortBy" || function == "optMap" || function == "optFlatMap" {
            let elem = match (function, &range) {
                ("sortBy", Type::List(e)) => (**e).clone(),
                ("sortBy", Type::Dyn) => Type::Dyn,
                (_, Type::Optional(t)) if function != "sortBy" => (**t).clone(),
                (_, Type::Dyn) => Type::Dyn,
                _ => {
                    return Some(self.error(
                        e.id,
                        format!(
                        "found no matching overload for '{function}' applied to '{range}.(dyn)'"
                    ),
                    ))
                }
            };
            let body = self.with(&[(first.as_str(), elem)], |ch| ch.expr(&args[1]));
            return Some(match function {
                "sortBy" => range,
                "optMap" => Type::Optional(Box::new(body)),
                _ => body,
            });
        }
        let Some(second) = name(&args[1]) else {
            return Some(self.error(args[1].id, "argument must be a simple name"));
        };
        let (k, v) = match &range {
            Type::List(el) => (Type::Int, (**el).clone()),
            Type::Map(k, v) => ((**k).clone(), (**v).clone()),
            Type::Dyn => (Type::Dyn, Type::Dyn),
            other => {
                let other = other.clone();
                return Some(self.error(target.id, format!("expression of type '{other}' cannot be range of a comprehension (must be list, map, or dynamic)")));
            }
        };
        let vars = [(first.as_str(), k.clone()), (second.as_str(), v)];
        let types: Vec<Type> =
            self.with(&vars, |ch| args[2..].iter().map(|a| ch.expr(a)).collect());
        Some(match function {
            "transformList" => Type::List(Box::new(types.last().cloned().unwrap_or(Type::Dyn))),
            "transformMap" => Type::Map(
                Box::new(k),
                Box::new(types.last().cloned().unwrap_or(Type::Dyn)),
            ),
            "transformMapEntry" => match types.last() {
                Some(Type::Map(k, v)) => Type::Map(k.clone(), v.clone()),
                _ => Type::Map(Box::new(Type::Dyn), Box::new(Type::Dyn)),
            },
            _ => Type::Bool,
        })
    }
}
