//! The static cost estimator over a checked rule: a port of cel-go's `checker/cost.go`
//! (`coster`), with the apiserver's size estimator (`compilation.go: sizeEstimator`, sizes
//! looked up along `self`, field names, `@items`, `@values`, `@keys` in the node's [`Decl`]).
//!
//! The structure follows Go's closely, quirks included, because the apiserver's verdict is
//! what the numbers must match: sizes are tracked by *path* (the variable, then field names and
//! `@items`/`@values`/`@keys`); an iteration variable over a literal list gets the path
//! `@items` alone, which the size estimator resolves to the root's size, as in Go.
//!
//! Macros the `cel` crate leaves as calls are first rewritten into the comprehensions cel-go
//! expands them to (`super::desugar`).

use super::library::{self, Overload};
use super::sizes::{Cost, Size};
use crate::cel::check::qualified_name;
use crate::cel::parse::{Comprehension, Expr, ExprKind, Literal};
use crate::cel::types::{Decl, Shape, Type};
use std::collections::HashMap;

/// `SelectAndIdentCost`.
const SELECT_AND_IDENT_COST: Cost = Cost::fixed(1);
/// `ListCreateBaseCost`.
pub(super) const LIST_CREATE_BASE_COST: u64 = 10;
/// `MapCreateBaseCost`.
const MAP_CREATE_BASE_COST: u64 = 30;
/// `StructCreateBaseCost`.
const STRUCT_CREATE_BASE_COST: u64 = 40;
/// `StringTraversalCostFactor`.
pub(super) const STRING_TRAVERSAL: f64 = 0.1;
/// `RegexStringLengthCostFactor`.
pub(super) const REGEX_STRING_LENGTH: f64 = 0.25;
/// The accumulator cel-go's macros use (`parser.AccumulatorName`).
pub(super) const ACCUMULATOR: &str = "@result";
/// The older accumulator name (`parser.HiddenAccumulatorName`).
const HIDDEN_ACCUMULATOR: &str = "__result__";

/// The container an entry size belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    List,
    Map,
}

/// `entrySizeEstimate`: sizes of a literal's (or a comprehension result's) keys and values.
#[derive(Debug, Clone, Copy)]
struct EntrySize {
    container: Container,
    key: Size,
    val: Size,
}

fn union_entries(a: Option<EntrySize>, b: Option<EntrySize>) -> Option<EntrySize> {
    let (a, b) = (a?, b?);
    Some(EntrySize {
        container: a.container,
        key: a.key.union(b.key),
        val: a.val.union(b.val),
    })
}

/// `localVar`.
#[derive(Debug, Clone)]
struct LocalVar {
    path: Vec<String>,
    size: Option<Size>,
    entry: Option<EntrySize>,
}

/// `AstNode`: what a call estimator sees of an argument or target.
#[derive(Debug, Clone)]
pub(super) struct Node<'e> {
    /// The field path (empty when unknown, or rooted at an accumulator).
    pub path: Vec<String>,
    /// The checked type.
    pub ty: Type,
    /// The expression (`None` for a list's element node).
    pub expr: Option<&'e Expr>,
    /// `ComputedSize`.
    pub computed: Option<Size>,
}

/// A call's estimate and the size of its result (`CallEstimate`).
pub(super) struct CallEstimate {
    pub cost: Cost,
    pub result_size: Option<Size>,
}

impl CallEstimate {
    pub(super) fn cost(cost: Cost) -> CallEstimate {
        CallEstimate {
            cost,
            result_size: None,
        }
    }
}

/// What the estimator asks about sizes the expression does not show (cel-go's
/// `CostEstimator.EstimateSize`): the apiserver answers from the node's declaration
/// ([`Decl`]'s implementation); cel-go's own tests answer from hints.
pub trait SizeEstimator {
    /// The size of the value at `path` (the variable, then field names, `@items`, `@values`,
    /// `@keys`) of type `ty`, if known.
    fn estimate_size(&self, path: &[String], ty: &Type) -> Option<Size>;
}

/// The estimator's state for one rule (`coster`).
pub(super) struct Coster<'d> {
    sizer: &'d dyn SizeEstimator,
    /// What `has()` costs itself (`PresenceTestHasCost`: 0 on the apiserver).
    presence_cost: Cost,
    types: HashMap<u64, Type>,
    paths: HashMap<u64, Vec<String>>,
    locals: HashMap<String, Vec<LocalVar>>,
    sizes: HashMap<u64, Size>,
    entries: HashMap<u64, EntrySize>,
}

/// Estimates the cost of a checked rule whose `self` is `root` (`types`: the checker's type of
/// each node), as the apiserver does (`has()` is free).
pub fn estimate(expr: &Expr, types: &HashMap<u64, Type>, root: &Decl) -> Cost {
    estimate_with(expr, types, root, Cost::fixed(0))
}

/// [`estimate`] with another size estimator and cost of `has()` (cel-go's default is 1).
pub fn estimate_with(
    expr: &Expr,
    types: &HashMap<u64, Type>,
    sizer: &dyn SizeEstimator,
    presence_cost: Cost,
) -> Cost {
    let mut types = types.clone();
    let expr = super::desugar::expand(expr, &mut types);
    let mut c = Coster {
        sizer,
        presence_cost,
        types,
        paths: HashMap::new(),
        locals: HashMap::new(),
        sizes: HashMap::new(),
        entries: HashMap::new(),
    };
    c.cost(&expr)
}

impl<'d> Coster<'d> {
    pub(super) fn type_of(&self, e: &Expr) -> Type {
        self.types.get(&e.id).cloned().unwrap_or(Type::Dyn)
    }

    fn peek(&self, name: &str) -> Option<&LocalVar> {
        self.locals.get(name).and_then(|s| s.last())
    }

    fn push(&mut self, name: &str, var: LocalVar) {
        self.locals.entry(name.to_string()).or_default().push(var);
    }

    fn pop(&mut self, name: &str) {
        if let Some(s) = self.locals.get_mut(name) {
            s.pop();
        }
    }

    fn path(&self, e: &Expr) -> Vec<String> {
        if let ExprKind::Ident(n) = &e.kind {
            if let Some(v) = self.peek(n) {
                return v.path.clone();
            }
        }
        self.paths.get(&e.id).cloned().unwrap_or_default()
    }

    fn cost(&mut self, e: &Expr) -> Cost {
        stacker::maybe_grow(
            crate::cel::parse::RED_ZONE,
            crate::cel::parse::NEW_STACK,
            || self.cost_node(e),
        )
    }

    fn cost_node(&mut self, e: &Expr) -> Cost {
        match &e.kind {
            ExprKind::Literal(_) => Cost::fixed(0),
            ExprKind::Ident(name) => {
                let path = match self.peek(name) {
                    Some(v) => v.path.clone(),
                    None => vec![name.clone()],
                };
                self.paths.insert(e.id, path);
                SELECT_AND_IDENT_COST
            }
            ExprKind::Select {
                operand,
                field,
                test,
            } => {
                if *test {
                    return self.presence_cost.plus(self.cost(operand));
                }
                // A qualified type name (`google.protobuf.Timestamp`): cel-go's checker makes it
                // one identifier, whose path is its name.
                if let (Type::TypeOf(_), Some(name)) = (self.type_of(e), qualified_name(e)) {
                    let root = name.split('.').next().unwrap_or_default();
                    if self.peek(root).is_none() && root != "self" && root != "oldSelf" {
                        self.paths.insert(e.id, vec![name]);
                        return SELECT_AND_IDENT_COST;
                    }
                }
                let mut sum = self.cost(operand);
                if matches!(self.type_of(operand), Type::Map(..) | Type::Object(_)) {
                    sum = sum.plus(SELECT_AND_IDENT_COST);
                }
                let mut path = self.path(operand);
                path.push(field.clone());
                self.paths.insert(e.id, path);
                sum
            }
            ExprKind::Call {
                function,
                target,
                args,
            } => self.cost_call(e, function, target.as_deref(), args),
            ExprKind::List { elements, .. } => {
                let mut sum = Cost::default();
                let mut item = Size {
                    min: if elements.is_empty() { 0 } else { u64::MAX },
                    max: 0,
                };
                for el in elements {
                    sum = sum.plus(self.cost(el));
                    item = item.union(self.size_or_unknown(el));
                }
                self.entries.insert(
                    e.id,
                    EntrySize {
                        container: Container::List,
                        key: Size::fixed(1),
                        val: item,
                    },
                );
                sum.plus(Cost::fixed(LIST_CREATE_BASE_COST))
            }
            ExprKind::Map(entries) => {
                let mut sum = Cost::default();
                let empty = if entries.is_empty() { 0 } else { u64::MAX };
                let mut key = Size { min: empty, max: 0 };
                let mut val = Size { min: empty, max: 0 };
                for (k, v, _) in entries {
                    sum = sum.plus(self.cost(k)).plus(self.cost(v));
                    key = key.union(self.size_or_unknown(k));
                    val = val.union(self.size_or_unknown(v));
                }
                self.entries.insert(
                    e.id,
                    EntrySize {
                        container: Container::Map,
                        key,
                        val,
                    },
                );
                sum.plus(Cost::fixed(MAP_CREATE_BASE_COST))
            }
            ExprKind::Struct(_) => Cost::fixed(STRUCT_CREATE_BASE_COST),
            ExprKind::Comprehension(c) => {
                if is_bind(c) {
                    self.cost_bind(e, c)
                } else {
                    self.cost_comprehension(e, c)
                }
            }
        }
    }

    fn cost_bind(&mut self, e: &Expr, c: &Comprehension) -> Cost {
        let mut sum = self.cost(&c.range).plus(self.cost(&c.init));
        self.push_local(&c.accu, &c.init);
        sum = sum.plus(self.cost(&c.result));
        self.pop(&c.accu);
        if let Some(s) = self.compute_size(&c.result) {
            self.sizes.insert(e.id, s);
        }
        if let Some(s) = self.entry_size(&c.result) {
            self.entries.insert(e.id, s);
        }
        sum
    }

    fn push_local(&mut self, name: &str, e: &Expr) {
        let var = LocalVar {
            path: self.path(e),
            size: self.compute_size(e),
            entry: self.entry_size(e),
        };
        self.push(name, var);
    }

    fn container_of(&self, range: &Expr, entry: Option<EntrySize>) -> Option<Container> {
        match entry {
            Some(en) => Some(en.container),
            None => match self.type_of(range) {
                Type::List(_) => Some(Container::List),
                Type::Map(..) => Some(Container::Map),
                _ => None,
            },
        }
    }

    fn cost_comprehension(&mut self, e: &Expr, c: &Comprehension) -> Cost {
        let mut sum = self.cost(&c.range).plus(self.cost(&c.init));
        self.push_local(&c.accu, &c.init);
        let entry = self.entry_size(&c.range);
        let container = self.container_of(&c.range, entry);
        let is_list = container == Some(Container::List);
        let mut range_path = self.path(&c.range);
        let with = |sub: &str| {
            let mut p = range_path.clone();
            p.push(sub.to_string());
            p
        };
        match &c.var2 {
            Some(var2) => {
                // `pushIterKey`, `pushIterValue`.
                let key = LocalVar {
                    path: with(if is_list { "@indices" } else { "@keys" }),
                    size: entry.map(|en| en.key),
                    entry: None,
                };
                let value = LocalVar {
                    path: with(if is_list { "@items" } else { "@values" }),
                    size: entry.map(|en| en.val),
                    entry: None,
                };
                self.push(&c.var, key);
                self.push(var2, value);
            }
            None => {
                // `pushIterSingle`.
                let var = if is_list {
                    LocalVar {
                        path: with("@items"),
                        size: entry.map(|en| en.val),
                        entry: None,
                    }
                } else {
                    LocalVar {
                        path: with("@keys"),
                        size: entry.map(|en| en.key),
                        entry: None,
                    }
                };
                self.push(&c.var, var);
            }
        }
        range_path.clear();
        let loop_cost = self.cost(&c.cond);
        let step_cost = self.cost(&c.step);
        self.pop(&c.var);
        if let Some(v2) = &c.var2 {
            self.pop(v2);
        }
        sum = sum.plus(self.cost(&c.result));
        self.pop(&c.accu);
        let range_count = self.size_or_unknown(&c.range);
        sum = sum.plus(range_count.times_cost(step_cost.plus(loop_cost)));
        match &c.init.kind {
            ExprKind::Literal(_) => {
                if let Some(s) = self.compute_size(&c.init) {
                    self.sizes.insert(e.id, s);
                }
            }
            ExprKind::List { .. } | ExprKind::Map(_) => {
                self.sizes.insert(e.id, range_count);
                if let Some(s) = self.entry_size(&c.step) {
                    self.entries.insert(e.id, s);
                }
            }
            _ => {}
        }
        sum
    }

    fn cost_call(
        &mut self,
        e: &Expr,
        function: &str,
        target: Option<&Expr>,
        args: &[Expr],
    ) -> Cost {
        // `maybeUnwrapDynCall`.
        if function == "dyn" && target.is_none() && args.len() == 1 {
            let c = self.cost(&args[0]);
            if let Some(s) = self.compute_size(&args[0]) {
                self.sizes.insert(e.id, s);
            }
            if let Some(s) = self.entry_size(&args[0]) {
                self.entries.insert(e.id, s);
            }
            return Cost::fixed(1).plus(c);
        }
        // A namespaced global (`sets.contains`, `lists.range`): the namespace is no target.
        let (function, target) = match target.map(|t| &t.kind) {
            Some(ExprKind::Ident(ns))
                if crate::cel::libs::is_namespace(ns) && self.peek(ns).is_none() =>
            {
                (format!("{ns}.{function}"), None)
            }
            _ => (function.to_string(), target),
        };
        let mut arg_costs = Vec::with_capacity(args.len());
        for a in args {
            arg_costs.push(self.cost(a));
        }
        let arg_nodes: Vec<Node<'_>> = args.iter().map(|a| self.node(a)).collect();
        let mut sum = Cost::default();
        let target_node = match target {
            Some(t) => {
                sum = sum.plus(self.cost(t));
                Some(self.node(t))
            }
            None => None,
        };
        let overloads = library::overloads(
            &function,
            target_node.as_ref().map(|n| &n.ty),
            &arg_nodes.iter().map(|n| n.ty.clone()).collect::<Vec<_>>(),
        );
        let mut fn_cost = Cost {
            min: u64::MAX,
            max: 0,
        };
        let mut result_size: Option<Size> = None;
        for ov in &overloads {
            let est = self.function_cost(
                e,
                &function,
                ov,
                target_node.as_ref(),
                &arg_nodes,
                &arg_costs,
            );
            fn_cost = fn_cost.union(est.cost);
            if let Some(r) = est.result_size {
                result_size = Some(match result_size {
                    None => r,
                    Some(s) => s.union(r),
                });
            }
            match ov {
                Overload::IndexList | Overload::IndexMap if !args.is_empty() => {
                    result_size = self.entry_size(&args[0]).map(|en| en.val);
                    let mut p = self.path(&args[0]);
                    p.push(
                        if *ov == Overload::IndexList {
                            "@items"
                        } else {
                            "@values"
                        }
                        .into(),
                    );
                    self.paths.insert(e.id, p);
                }
                _ => {}
            }
            if result_size.is_none() {
                result_size = self.compute_size(e);
            }
        }
        if let Some(s) = result_size {
            self.sizes.insert(e.id, s);
        }
        sum.plus(fn_cost)
    }

    /// `newAstNode`.
    fn node<'e>(&mut self, e: &'e Expr) -> Node<'e> {
        let mut path = self.path(e);
        if path
            .first()
            .is_some_and(|p| p == ACCUMULATOR || p == HIDDEN_ACCUMULATOR)
        {
            path.clear();
        }
        Node {
            path,
            ty: self.type_of(e),
            expr: Some(e),
            computed: self.compute_size(e),
        }
    }

    /// `functionCost`: the libraries' estimators first, then cel-go's defaults.
    fn function_cost(
        &mut self,
        e: &Expr,
        function: &str,
        ov: &Overload,
        target: Option<&Node<'_>>,
        args: &[Node<'_>],
        arg_costs: &[Cost],
    ) -> CallEstimate {
        let arg_sum = arg_costs.iter().fold(Cost::default(), |s, c| s.plus(*c));
        if let Some(est) = library::overload_estimate(self, ov, target, args) {
            return CallEstimate {
                cost: est.cost.plus(arg_sum),
                result_size: est.result_size,
            };
        }
        if let Some(est) = library::call_estimate(self, function, ov, target, args) {
            return CallEstimate {
                cost: est.cost.plus(arg_sum),
                result_size: est.result_size,
            };
        }
        let with_args = |c: Cost| CallEstimate::cost(c.plus(arg_sum));
        match ov {
            Overload::ExtFormatString => {
                if let Some(t) = target {
                    return with_args(self.node_size(t).by_factor(STRING_TRAVERSAL));
                }
            }
            Overload::StringToBytes | Overload::BytesToString | Overload::ExtQuoteString
                if args.len() == 1 =>
            {
                let sz = self.node_size(&args[0]);
                let result = match ov {
                    Overload::StringToBytes => Size {
                        min: sz.min,
                        max: sz.max.saturating_mul(4),
                    },
                    Overload::BytesToString => Size {
                        min: sz.min / 4,
                        max: sz.max,
                    },
                    _ => Size {
                        min: sz.min.saturating_add(2),
                        max: sz.max.saturating_mul(2).saturating_add(2),
                    },
                };
                return CallEstimate {
                    cost: sz.by_factor(STRING_TRAVERSAL).plus(arg_sum),
                    result_size: Some(result),
                };
            }
            Overload::StartsOrEndsWith if args.len() == 1 => {
                return with_args(self.node_size(&args[0]).by_factor(STRING_TRAVERSAL));
            }
            Overload::InList if args.len() == 2 => {
                return with_args(self.node_size(&args[1]).by_factor(1.0));
            }
            Overload::Matches | Overload::MatchesString => {
                let pair = match (ov, target) {
                    (Overload::MatchesString, Some(t)) if args.len() == 1 => Some((t, &args[0])),
                    (Overload::Matches, None) if args.len() == 2 => Some((&args[0], &args[1])),
                    _ => None,
                };
                if let Some((s, re)) = pair {
                    let str_cost = self
                        .node_size(s)
                        .plus(Size::fixed(1))
                        .by_factor(STRING_TRAVERSAL);
                    let re_cost = self.node_size(re).by_factor(REGEX_STRING_LENGTH);
                    return with_args(str_cost.multiply(re_cost));
                }
            }
            Overload::ContainsString => {
                if let (Some(t), 1) = (target, args.len()) {
                    let s = self.node_size(t).by_factor(STRING_TRAVERSAL);
                    let sub = self.node_size(&args[0]).by_factor(STRING_TRAVERSAL);
                    return with_args(s.multiply(sub));
                }
            }
            Overload::Logical if arg_costs.len() == 2 => {
                let (lhs, rhs) = (arg_costs[0], arg_costs[1]);
                return CallEstimate::cost(Cost {
                    min: lhs.min,
                    max: lhs.plus(rhs).max,
                });
            }
            Overload::Conditional if args.len() == 3 => {
                let size = self.node_size(&args[1]).union(self.node_size(&args[2]));
                if let (Some(a), Some(b)) = (args[1].expr, args[2].expr) {
                    let entry = union_entries(self.entry_size(a), self.entry_size(b));
                    if let Some(en) = entry {
                        self.entries.insert(e.id, en);
                    }
                }
                return CallEstimate {
                    cost: arg_costs[0].plus(arg_costs[1].union(arg_costs[2])),
                    result_size: Some(size),
                };
            }
            Overload::AddString | Overload::AddBytes | Overload::AddList if args.len() == 2 => {
                let result = self.node_size(&args[0]).plus(self.node_size(&args[1]));
                if let (Some(a), Some(b)) = (args[0].expr, args[1].expr) {
                    if let Some(en) = union_entries(self.entry_size(a), self.entry_size(b)) {
                        self.entries.insert(e.id, en);
                    }
                }
                let cost = match ov {
                    // List concatenation is O(1); it is here to track the size.
                    Overload::AddList => Cost::fixed(1),
                    _ => result.by_factor(STRING_TRAVERSAL),
                };
                return CallEstimate {
                    cost: cost.plus(arg_sum),
                    result_size: Some(result),
                };
            }
            Overload::Compare | Overload::Equals if args.len() == 2 => {
                let lhs = self.node_size(&args[0]);
                let rhs = self.node_size(&args[1]);
                let smallest = lhs.max.min(rhs.max);
                let min = u64::from(smallest > 0);
                return with_args(Cost { min, max: smallest }.by_factor(STRING_TRAVERSAL));
            }
            _ => {}
        }
        with_args(Cost::fixed(1))
    }

    /// `sizeOrUnknown` of an expression.
    fn size_or_unknown(&mut self, e: &Expr) -> Size {
        self.compute_size(e).unwrap_or(Size::UNKNOWN)
    }

    /// `sizeOrUnknown` of a call's argument or target node.
    pub(super) fn node_size(&self, n: &Node<'_>) -> Size {
        n.computed.unwrap_or(Size::UNKNOWN)
    }

    /// The library estimators' `sizeEstimate`: the computed size, else the schema's, else
    /// unknown.
    pub(super) fn library_size(&self, n: &Node<'_>) -> Size {
        n.computed
            .or_else(|| self.sizer.estimate_size(&n.path, &n.ty))
            .unwrap_or(Size::UNKNOWN)
    }

    /// `computeSize`.
    fn compute_size(&mut self, e: &Expr) -> Option<Size> {
        if let Some(s) = self.sizes.get(&e.id) {
            return Some(*s);
        }
        if let Some(s) = expr_size(e) {
            return Some(s);
        }
        if let Some(s) = self.sizer.estimate_size(&self.path(e), &self.type_of(e)) {
            self.sizes.insert(e.id, s);
            return Some(s);
        }
        if is_scalar(&self.type_of(e)) {
            return Some(Size::fixed(1));
        }
        if let ExprKind::Ident(n) = &e.kind {
            if let Some(s) = self.peek(n).and_then(|v| v.size) {
                return Some(s);
            }
        }
        None
    }

    fn entry_size(&self, e: &Expr) -> Option<EntrySize> {
        if let Some(s) = self.entries.get(&e.id) {
            return Some(*s);
        }
        if let ExprKind::Ident(n) = &e.kind {
            return self.peek(n).and_then(|v| v.entry);
        }
        None
    }
}

impl SizeEstimator for Decl {
    /// The apiserver's `sizeEstimator.EstimateSize`: the path's first element (the variable)
    /// is skipped, the rest walks the node's declaration.
    fn estimate_size(&self, path: &[String], _: &Type) -> Option<Size> {
        if path.is_empty() {
            return None;
        }
        let mut max = self.max_elements;
        let mut node = Some(self);
        for step in &path[1..] {
            let decl = node?;
            match step.as_str() {
                "@items" | "@values" => {
                    let next = match &decl.shape {
                        Shape::List { items, .. } => items.as_ref(),
                        Shape::Map { values } => values.as_ref(),
                        _ => return None,
                    };
                    max = next.max_elements;
                    node = Some(next);
                }
                "@keys" => {
                    // The key type is the global `StringType`, whose MaxElements is 0.
                    if !matches!(decl.shape, Shape::Map { .. }) {
                        return None;
                    }
                    max = 0;
                    node = None;
                }
                name => {
                    let Shape::Object(o) = &decl.shape else {
                        return None;
                    };
                    let f = o.field(name)?;
                    max = f.decl.max_elements;
                    node = Some(f.decl.as_ref());
                }
            }
        }
        Some(Size { min: 0, max })
    }
}

fn is_bind(c: &Comprehension) -> bool {
    matches!(&c.range.kind, ExprKind::List { elements, .. } if elements.is_empty())
        && matches!(c.cond.kind, ExprKind::Literal(Literal::Bool(false)))
        && c.accu != ACCUMULATOR
}

/// `computeExprSize`: literals and literal lists and maps.
fn expr_size(e: &Expr) -> Option<Size> {
    let n = match &e.kind {
        ExprKind::Literal(Literal::String(s)) => s.chars().count() as u64,
        ExprKind::Literal(Literal::Bytes(b)) => b.len() as u64,
        ExprKind::Literal(_) => 1,
        ExprKind::List { elements, .. } => elements.len() as u64,
        ExprKind::Map(entries) => entries.len() as u64,
        _ => return None,
    };
    Some(Size::fixed(n))
}

/// `isScalar`: types of a constant size.
fn is_scalar(t: &Type) -> bool {
    match t {
        Type::Bool | Type::Double | Type::Duration | Type::Int | Type::Timestamp | Type::Uint => {
            true
        }
        Type::Optional(inner) => is_scalar(inner),
        _ => false,
    }
}
