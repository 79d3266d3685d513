//! The library macros the `cel` crate's parser leaves as calls (two-variable `all`/`exists`/
//! `existsOne`, `transformList`/`transformMap`/`transformMapEntry`, `optMap`/`optFlatMap`,
//! `sortBy`), rewritten into the comprehensions cel-go expands them to
//! (`ext/comprehensions.go`, `cel/library.go`, `ext/lists.go`), so that the estimator sees the
//! tree cel-go's estimator sees. Synthesized nodes get fresh ids and the types the expansion
//! implies.

use super::estimate::ACCUMULATOR;
use crate::cel::parse::{Comprehension, Expr, ExprKind, Literal};
use crate::cel::types::Type;
use std::collections::HashMap;

/// The expansion of `e`'s library macros; new nodes' types are added to `types`.
pub(super) fn expand(e: &Expr, types: &mut HashMap<u64, Type>) -> Expr {
    let mut next_id = max_id(e) + 1;
    desugar(e, types, &mut next_id)
}

fn max_id(e: &Expr) -> u64 {
    let mut max = e.id;
    for_each_child(e, &mut |c| max = max.max(max_id(c)));
    max
}

fn for_each_child<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    match &e.kind {
        ExprKind::Select { operand, .. } => f(operand),
        ExprKind::Call { target, args, .. } => {
            if let Some(t) = target {
                f(t);
            }
            args.iter().for_each(f);
        }
        ExprKind::List { elements, .. } => elements.iter().for_each(f),
        ExprKind::Map(entries) => {
            for (k, v, _) in entries {
                f(k);
                f(v);
            }
        }
        ExprKind::Comprehension(c) => {
            for x in [&c.range, &c.init, &c.cond, &c.step, &c.result] {
                f(x);
            }
        }
        ExprKind::Literal(_) | ExprKind::Ident(_) | ExprKind::Struct(_) => {}
    }
}

/// Builds synthesized nodes with fresh ids, recording their types.
struct Builder<'a> {
    types: &'a mut HashMap<u64, Type>,
    next_id: &'a mut u64,
}

impl Builder<'_> {
    fn node(&mut self, kind: ExprKind, ty: Type) -> Expr {
        let id = *self.next_id;
        *self.next_id += 1;
        self.types.insert(id, ty);
        Expr { id, kind }
    }
    fn ident(&mut self, name: &str, ty: Type) -> Expr {
        self.node(ExprKind::Ident(name.to_string()), ty)
    }
    fn lit(&mut self, l: Literal, ty: Type) -> Expr {
        self.node(ExprKind::Literal(l), ty)
    }
    fn call(&mut self, function: &str, target: Option<Expr>, args: Vec<Expr>, ty: Type) -> Expr {
        self.node(
            ExprKind::Call {
                function: function.to_string(),
                target: target.map(Box::new),
                args,
            },
            ty,
        )
    }
    fn list(&mut self, elements: Vec<Expr>, ty: Type) -> Expr {
        self.node(
            ExprKind::List {
                elements,
                optional: Vec::new(),
            },
            ty,
        )
    }
    fn comprehension(&mut self, c: Comprehension, ty: Type) -> Expr {
        self.node(ExprKind::Comprehension(Box::new(c)), ty)
    }
}

fn ident_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Ident(n) => Some(n),
        _ => None,
    }
}

/// Rewrites the library macros the parser left as calls into cel-go's expansions
/// (`ext/comprehensions.go`, `cel/library.go: optMap/optFlatMap`, `ext/lists.go: sortBy`).
fn desugar(e: &Expr, types: &mut HashMap<u64, Type>, next_id: &mut u64) -> Expr {
    let mut kind = e.kind.clone();
    match &mut kind {
        ExprKind::Select { operand, .. } => **operand = desugar(operand, types, next_id),
        ExprKind::Call { target, args, .. } => {
            if let Some(t) = target {
                **t = desugar(t, types, next_id);
            }
            for a in args.iter_mut() {
                *a = desugar(a, types, next_id);
            }
        }
        ExprKind::List { elements, .. } => {
            for x in elements.iter_mut() {
                *x = desugar(x, types, next_id);
            }
        }
        ExprKind::Map(entries) => {
            for (k, v, _) in entries.iter_mut() {
                *k = desugar(k, types, next_id);
                *v = desugar(v, types, next_id);
            }
        }
        ExprKind::Comprehension(c) => {
            for x in [
                &mut c.range,
                &mut c.init,
                &mut c.cond,
                &mut c.step,
                &mut c.result,
            ] {
                *x = desugar(x, types, next_id);
            }
        }
        ExprKind::Literal(_) | ExprKind::Ident(_) | ExprKind::Struct(_) => {}
    }
    let result_type = types.get(&e.id).cloned().unwrap_or(Type::Dyn);
    let mut b = Builder { types, next_id };
    if let ExprKind::Call {
        function,
        target: Some(target),
        args,
    } = &kind
    {
        if let Some(expanded) = expand_macro(&mut b, function, target, args, &result_type) {
            // The expansion takes the call's id: paths and sizes are keyed by it.
            return Expr {
                id: e.id,
                kind: expanded.kind,
            };
        }
    }
    Expr { id: e.id, kind }
}

fn expand_macro(
    b: &mut Builder<'_>,
    function: &str,
    target: &Expr,
    args: &[Expr],
    result_type: &Type,
) -> Option<Expr> {
    let range_type = b.types.get(&target.id).cloned().unwrap_or(Type::Dyn);
    let two_var = |b: &mut Builder<'_>, init: Expr, cond: Expr, step: Expr, result: Expr| {
        Some(b.comprehension(
            Comprehension {
                range: target.clone(),
                var: ident_name(&args[0])?.to_string(),
                var2: Some(ident_name(&args[1])?.to_string()),
                accu: ACCUMULATOR.into(),
                init,
                cond,
                step,
                result,
            },
            result_type.clone(),
        ))
    };
    match (function, args.len()) {
        ("all", 3) | ("exists", 3) => {
            let all = function == "all";
            let init = b.lit(Literal::Bool(all), Type::Bool);
            let accu = b.ident(ACCUMULATOR, Type::Bool);
            let cond = if all {
                b.call("@not_strictly_false", None, vec![accu], Type::Bool)
            } else {
                let not = b.call("!_", None, vec![accu], Type::Bool);
                b.call("@not_strictly_false", None, vec![not], Type::Bool)
            };
            let accu = b.ident(ACCUMULATOR, Type::Bool);
            let op = if all { "_&&_" } else { "_||_" };
            let step = b.call(op, None, vec![accu, args[2].clone()], Type::Bool);
            let result = b.ident(ACCUMULATOR, Type::Bool);
            two_var(b, init, cond, step, result)
        }
        ("existsOne" | "exists_one", 3) => {
            let init = b.lit(Literal::Int(0), Type::Int);
            let cond = b.lit(Literal::Bool(true), Type::Bool);
            let accu = b.ident(ACCUMULATOR, Type::Int);
            let one = b.lit(Literal::Int(1), Type::Int);
            let plus = b.call("_+_", None, vec![accu, one], Type::Int);
            let accu = b.ident(ACCUMULATOR, Type::Int);
            let step = b.call("_?_:_", None, vec![args[2].clone(), plus, accu], Type::Int);
            let accu = b.ident(ACCUMULATOR, Type::Int);
            let one = b.lit(Literal::Int(1), Type::Int);
            let result = b.call("_==_", None, vec![accu, one], Type::Bool);
            two_var(b, init, cond, step, result)
        }
        ("transformList" | "transformMap" | "transformMapEntry", 3 | 4) => {
            let acc_type = result_type.clone();
            let (filter, transform) = match args.len() {
                4 => (Some(args[2].clone()), args[3].clone()),
                _ => (None, args[2].clone()),
            };
            let accu = b.ident(ACCUMULATOR, acc_type.clone());
            let mut step = match function {
                "transformList" => {
                    let t_type = b.types.get(&transform.id).cloned().unwrap_or(Type::Dyn);
                    let one = b.list(vec![transform], Type::List(Box::new(t_type)));
                    b.call("_+_", None, vec![accu, one], acc_type.clone())
                }
                "transformMap" => {
                    let key_type = match &range_type {
                        Type::List(_) => Type::Int,
                        Type::Map(k, _) => (**k).clone(),
                        _ => Type::Dyn,
                    };
                    let key = b.ident(ident_name(&args[0])?, key_type);
                    b.call(
                        "cel.@mapInsert",
                        None,
                        vec![accu, key, transform],
                        acc_type.clone(),
                    )
                }
                _ => b.call(
                    "cel.@mapInsert",
                    None,
                    vec![accu, transform],
                    acc_type.clone(),
                ),
            };
            if let Some(filter) = filter {
                let accu = b.ident(ACCUMULATOR, acc_type.clone());
                step = b.call("_?_:_", None, vec![filter, step, accu], acc_type.clone());
            }
            let init = if function == "transformList" {
                b.list(Vec::new(), acc_type.clone())
            } else {
                b.node(ExprKind::Map(Vec::new()), acc_type.clone())
            };
            let cond = b.lit(Literal::Bool(true), Type::Bool);
            let result = b.ident(ACCUMULATOR, acc_type);
            two_var(b, init, cond, step, result)
        }
        ("optMap" | "optFlatMap", 2) => {
            let inner = match &range_type {
                Type::Optional(t) => (**t).clone(),
                _ => Type::Dyn,
            };
            let var = ident_name(&args[0])?;
            let has = b.call("hasValue", Some(target.clone()), Vec::new(), Type::Bool);
            let value = b.call("value", Some(target.clone()), Vec::new(), inner.clone());
            let body_type = b.types.get(&args[1].id).cloned().unwrap_or(Type::Dyn);
            let bind = bind(b, var, value, inner, args[1].clone(), body_type.clone());
            let some = if function == "optMap" {
                b.call(
                    "optional.of",
                    None,
                    vec![bind],
                    Type::Optional(Box::new(body_type)),
                )
            } else {
                bind
            };
            let none = b.call("optional.none", None, Vec::new(), result_type.clone());
            Some(b.call("_?_:_", None, vec![has, some, none], result_type.clone()))
        }
        ("sortBy", 2) => {
            const INPUT: &str = "@__sortBy_input__";
            let var = ident_name(&args[0])?.to_string();
            let key_type = b.types.get(&args[1].id).cloned().unwrap_or(Type::Dyn);
            let keys_type = Type::List(Box::new(key_type.clone()));
            // `@__sortBy_input__.map(v, key)`
            let range = b.ident(INPUT, range_type.clone());
            let init = b.list(Vec::new(), keys_type.clone());
            let cond = b.lit(Literal::Bool(true), Type::Bool);
            let accu = b.ident(ACCUMULATOR, keys_type.clone());
            let one = b.list(vec![args[1].clone()], keys_type.clone());
            let step = b.call("_+_", None, vec![accu, one], keys_type.clone());
            let result = b.ident(ACCUMULATOR, keys_type.clone());
            let keys = b.comprehension(
                Comprehension {
                    range,
                    var,
                    var2: None,
                    accu: ACCUMULATOR.into(),
                    init,
                    cond,
                    step,
                    result,
                },
                keys_type,
            );
            let input = b.ident(INPUT, range_type.clone());
            let sorted = b.call(
                "@sortByAssociatedKeys",
                Some(input),
                vec![keys],
                range_type.clone(),
            );
            Some(bind(
                b,
                INPUT,
                target.clone(),
                range_type.clone(),
                sorted,
                range_type,
            ))
        }
        _ => None,
    }
}

/// `cel.bind(var, init, body)` as cel-go expands it: a comprehension over `[]` whose
/// accumulator is the variable.
fn bind(b: &mut Builder<'_>, var: &str, init: Expr, _: Type, body: Expr, ty: Type) -> Expr {
    let range = b.list(Vec::new(), Type::List(Box::new(Type::Dyn)));
    let cond = b.lit(Literal::Bool(false), Type::Bool);
    let step = b.ident(var, ty.clone());
    b.comprehension(
        Comprehension {
            range,
            var: "#unused".into(),
            var2: None,
            accu: var.to_string(),
            init,
            cond,
            step,
            result: body,
        },
        ty,
    )
}
