//! The cost of every rule of a CRD schema, as the apiserver totals it at CRD create/update
//! (`apiextensions/validation/validation.go`: `getExpressionCost`, `TotalCost`,
//! `getCostErrorMessage`; `cel_validation.go: CELSchemaContext` for the cardinality).
//!
//! A rule's cost is its estimate times the most times its node can occur: the product of the
//! `maxItems` / `maxProperties` of the lists and maps above it (1 per object), or, when one of
//! them has no bound, the number of smallest values of the node that fit in a request
//! ([`sizes::max_cardinality`]). A rule is refused above 10,000,000 (`StaticEstimatedCostLimit`,
//! ten times the runtime per-call limit); the whole schema above 100,000,000
//! (`StaticEstimatedCRDCostLimit`). A messageExpression counts without the cardinality, as in Go.
//!
//! Beyond what the apiserver prints, each rule over its limit gets a suggestion: the schema
//! node (an unbounded list, map or string above or below the rule) whose bound alone brings
//! the rule under, with the largest bound that does ([`Suggestion`]).

use super::sizes;
use crate::cel::program::{Program, ValidationRule};
use crate::cel::types::Decl;
use serde_json::Value as Json;

/// `StaticEstimatedCostLimit`: the most one rule may cost, cardinality included.
pub const RULE_COST_LIMIT: u64 = 10_000_000;
/// `StaticEstimatedCRDCostLimit`: the most all rules of one schema may cost together.
pub const CRD_COST_LIMIT: u64 = 100_000_000;
/// The apiserver's advice, the tail of every cost finding.
const ADVICE: &str = "(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)";

/// One step from a schema node to a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `properties[name]`.
    Property(String),
    /// `items`.
    Items,
    /// `additionalProperties`.
    AdditionalProperties,
}

/// Where a schema node is, from `openAPIV3Schema`.
pub type SchemaPath = [Step];

/// The apiserver's path of a schema node (`openAPIV3Schema.properties[spec].items`).
pub fn schema_path(path: &SchemaPath) -> String {
    let mut s = String::from("openAPIV3Schema");
    for step in path {
        match step {
            Step::Property(n) => {
                s.push_str(".properties[");
                s.push_str(n);
                s.push(']');
            }
            Step::Items => s.push_str(".items"),
            Step::AdditionalProperties => s.push_str(".additionalProperties"),
        }
    }
    s
}

/// The data path of a schema node (`spec.l[*].name`; `<root>` for the root).
pub fn field_path(path: &SchemaPath) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Property(n) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(n);
            }
            Step::Items | Step::AdditionalProperties => s.push_str("[*]"),
        }
    }
    if s.is_empty() {
        s.push_str("<root>");
    }
    s
}

/// How many times a node can occur in one object (`CELSchemaContext.MaxCardinality`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// Every list and map above has a bound: the product of the bounds.
    Bounded(u64),
    /// Some list or map above has none: the estimate from the request size.
    Unbounded(u64),
}

impl Cardinality {
    /// The multiplier of the rule's cost.
    pub fn multiplier(self) -> u64 {
        match self {
            Cardinality::Bounded(n) | Cardinality::Unbounded(n) => n,
        }
    }
}

/// Which bound a suggestion adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `maxItems` on a list.
    MaxItems,
    /// `maxProperties` on a map.
    MaxProperties,
    /// `maxLength` on a string.
    MaxLength,
}

impl Bound {
    /// The schema keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Bound::MaxItems => "maxItems",
            Bound::MaxProperties => "maxProperties",
            Bound::MaxLength => "maxLength",
        }
    }
}

/// A bound that alone brings a rule under its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The keyword to add.
    pub bound: Bound,
    /// The largest value that brings the rule under.
    pub value: u64,
    /// The node to add it to (`spec.l`).
    pub field_path: String,
    /// The node's schema path (`openAPIV3Schema.properties[spec].properties[l]`).
    pub schema_path: String,
}

impl std::fmt::Display for Suggestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "add {}: {} to {}",
            self.bound.keyword(),
            self.value,
            self.field_path
        )
    }
}

/// Which expression of an `x-kubernetes-validations` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expression {
    /// `rule`.
    Rule,
    /// `messageExpression`.
    MessageExpression,
}

/// What the estimate of one rule (or messageExpression) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostFinding {
    /// The apiserver's path of the expression, from `openAPIV3Schema`
    /// (`openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`).
    pub path: String,
    /// The rule's node, from `openAPIV3Schema`.
    pub node: Vec<Step>,
    /// The index of the entry in the node's `x-kubernetes-validations`.
    pub index: usize,
    /// The rule or its messageExpression.
    pub expression: Expression,
    /// The data path of the rule's node (`spec`).
    pub field_path: String,
    /// The estimate of one evaluation (`MaxCost`).
    pub max_cost: u64,
    /// The multiplier (1 for a messageExpression).
    pub cardinality: Cardinality,
    /// `max_cost × cardinality`, saturating: what the limit applies to.
    pub cost: u64,
    /// The apiserver's finding when the cost is over [`RULE_COST_LIMIT`]
    /// (`estimated rule cost exceeds budget by factor of 18.1x (try ...)`).
    pub over_limit: Option<String>,
    /// Over the limit: the bound that alone brings it under, if one does.
    pub suggestion: Option<Suggestion>,
}

impl CostFinding {
    /// Over the limit: the factor as the apiserver prints it (`18.1x`, `1.000405x`,
    /// `more than 100x`).
    pub fn factor(&self) -> Option<String> {
        self.over_limit
            .is_some()
            .then(|| factor(self.cost, RULE_COST_LIMIT))
    }
}

/// The cost of all rules of a schema.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchemaCost {
    /// One finding per compiled rule and messageExpression, in schema order.
    pub findings: Vec<CostFinding>,
    /// Their sum, saturating (`TotalCost.Total`).
    pub total: u64,
    /// Over [`CRD_COST_LIMIT`]: the apiserver's finding at `openAPIV3Schema`
    /// (`x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds
    /// budget by factor of ...`).
    pub total_over_limit: Option<String>,
    /// Over the total limit: the paths the apiserver names as contributing (at most 4, each at
    /// least 1 % of the limit, most expensive first; Go's order among equal costs is random).
    pub most_expensive: Vec<String>,
}

impl SchemaCost {
    /// The apiserver's `Forbidden` findings, `(path from openAPIV3Schema, detail)`, in its
    /// order: each expression over its limit, then (total over its limit) each contributing
    /// path and the total's finding at `openAPIV3Schema`.
    pub fn errors(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .findings
            .iter()
            .filter_map(|f| Some((f.path.clone(), f.over_limit.clone()?)))
            .collect();
        if let Some(total) = &self.total_over_limit {
            for path in &self.most_expensive {
                out.push((
                    path.clone(),
                    "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema".into(),
                ));
            }
            out.push(("openAPIV3Schema".into(), total.clone()));
        }
        out
    }
}

/// `TotalCost`: the sum of all expression costs and the (at most 4) most expensive of them
/// that each reach 1 % of the per-CRD limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TotalCost {
    /// The sum, saturating at `u64::MAX`.
    pub total: u64,
    /// `(path, cost)`, most expensive first.
    pub most_expensive: Vec<(String, u64)>,
}

impl TotalCost {
    /// `ObserveExpressionCost`.
    pub fn observe(&mut self, path: &str, cost: u64) {
        self.total = self.total.saturating_add(cost);
        if cost < CRD_COST_LIMIT / 100 {
            return;
        }
        self.most_expensive.push((path.to_string(), cost));
        self.most_expensive.sort_by_key(|e| std::cmp::Reverse(e.1));
        self.most_expensive.truncate(4);
    }
}

/// `getCostErrorMessage`.
pub fn cost_error_message(cost_name: &str, cost: u64, limit: u64) -> String {
    format!(
        "{cost_name} exceeds budget by factor of {} {ADVICE}",
        factor(cost, limit)
    )
}

/// The factor as Go prints it: `more than 100x`, `%fx` below 1.5, else `%.1fx`.
pub fn factor(cost: u64, limit: u64) -> String {
    let f = cost as f64 / limit as f64;
    if f > 100.0 {
        "more than 100x".into()
    } else if f < 1.5 {
        format!("{f:.6}x")
    } else {
        format!("{f:.1}x")
    }
}

/// The cost of every rule of a CRD version's `openAPIV3Schema`.
pub fn schema_cost(schema: &Json) -> SchemaCost {
    let mut out = SchemaCost::default();
    let mut path = Vec::new();
    walk(schema, schema, &mut path, Some(1), &mut out);
    let mut total = TotalCost::default();
    for f in &out.findings {
        total.observe(&f.path, f.cost);
    }
    out.total = total.total;
    if total.total > CRD_COST_LIMIT {
        out.total_over_limit = Some(cost_error_message(
            "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema",
            total.total,
            CRD_COST_LIMIT,
        ));
        out.most_expensive = total.most_expensive.into_iter().map(|(p, _)| p).collect();
    }
    out
}

/// `childContext`: a child occurs at most its parent's cardinality times the parent's bound
/// (`None`: unbounded; `multiplyWithOverflowGuard` saturates).
pub fn child_cardinality(parent_cardinality: Option<u64>, parent: &Json) -> Option<u64> {
    Some(parent_cardinality?.saturating_mul(max_children(parent)?))
}

/// `extractMaxElements`: how many children a node's value has at most (`None`: no bound).
fn max_children(schema: &Json) -> Option<u64> {
    match schema.get("type").and_then(Json::as_str) {
        Some("object") if schema.get("additionalProperties").is_some() => {
            sizes::max_properties(schema)
        }
        Some("array") => sizes::max_items(schema),
        _ => Some(1),
    }
}

fn children(schema: &Json) -> Vec<(Step, &Json)> {
    let mut out = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Json::as_object) {
        for (name, child) in props {
            out.push((Step::Property(name.clone()), child));
        }
    }
    if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
        out.push((Step::Items, items));
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        out.push((Step::AdditionalProperties, values));
    }
    out
}

fn walk(
    root: &Json,
    schema: &Json,
    path: &mut Vec<Step>,
    cardinality: Option<u64>,
    out: &mut SchemaCost,
) {
    for (_, finding) in node_findings(root, schema, path, cardinality, Suggest::Yes) {
        out.findings.push(finding);
    }
    for (step, child) in children(schema) {
        path.push(step);
        walk(
            root,
            child,
            path,
            child_cardinality(cardinality, schema),
            out,
        );
        path.pop();
    }
}

/// The node's declaration as its rules see it (the root and embedded resources see
/// `apiVersion`, `kind` and `metadata.name`/`generateName`).
fn decl_of(schema: &Json, path: &SchemaPath) -> Option<std::sync::Arc<Decl>> {
    let resource_root = path.is_empty()
        || schema
            .get("x-kubernetes-embedded-resource")
            .and_then(Json::as_bool)
            == Some(true);
    Decl::from_schema(schema, "self", resource_root)
}

/// Whether to search a bound for a rule over its limit (not while searching one).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Suggest {
    Yes,
    No,
}

/// The rules of one node: compiled, estimated, multiplied.
fn node_findings(
    root: &Json,
    schema: &Json,
    path: &SchemaPath,
    cardinality: Option<u64>,
    suggest_bound: Suggest,
) -> Vec<(usize, CostFinding)> {
    let Some(rules) = schema
        .get("x-kubernetes-validations")
        .and_then(Json::as_array)
    else {
        return Vec::new();
    };
    let Some(decl) = decl_of(schema, path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, entry) in rules.iter().enumerate() {
        let rule = ValidationRule::from_json(entry);
        if rule.rule.trim().is_empty() {
            continue;
        }
        let Ok(program) = Program::compile(&rule, &decl) else {
            continue;
        };
        let base = format!("{}.x-kubernetes-validations[{i}]", schema_path(path));
        let max_cost = program.estimated_cost().max;
        let card = match cardinality {
            Some(c) => Cardinality::Bounded(c),
            None => Cardinality::Unbounded(sizes::max_cardinality(decl.min_size)),
        };
        let cost = max_cost.saturating_mul(card.multiplier());
        let over = cost > RULE_COST_LIMIT;
        out.push((
            i,
            CostFinding {
                path: format!("{base}.rule"),
                node: path.to_vec(),
                index: i,
                expression: Expression::Rule,
                field_path: field_path(path),
                max_cost,
                cardinality: card,
                cost,
                over_limit: over
                    .then(|| cost_error_message("estimated rule cost", cost, RULE_COST_LIMIT)),
                suggestion: (over && suggest_bound == Suggest::Yes)
                    .then(|| suggest(root, path, i))
                    .flatten(),
            },
        ));
        if let Some(message) = super::estimate_message_expression(&program) {
            let cost = message.max;
            out.push((
                i,
                CostFinding {
                    path: format!("{base}.messageExpression"),
                    node: path.to_vec(),
                    index: i,
                    expression: Expression::MessageExpression,
                    field_path: field_path(path),
                    max_cost: cost,
                    cardinality: Cardinality::Bounded(1),
                    cost,
                    over_limit: (cost > RULE_COST_LIMIT).then(|| {
                        cost_error_message(
                            "estimated messageExpression cost",
                            cost,
                            RULE_COST_LIMIT,
                        )
                    }),
                    suggestion: None,
                },
            ));
        }
    }
    out
}

fn node_at<'a>(root: &'a Json, path: &SchemaPath) -> Option<&'a Json> {
    let mut node = root;
    for step in path {
        node = match step {
            Step::Property(n) => node.get("properties")?.get(n)?,
            Step::Items => node.get("items")?,
            Step::AdditionalProperties => node.get("additionalProperties")?,
        };
    }
    Some(node)
}

fn node_at_mut<'a>(root: &'a mut Json, path: &SchemaPath) -> Option<&'a mut Json> {
    let mut node = root;
    for step in path {
        node = match step {
            Step::Property(n) => node.get_mut("properties")?.get_mut(n)?,
            Step::Items => node.get_mut("items")?,
            Step::AdditionalProperties => node.get_mut("additionalProperties")?,
        };
    }
    Some(node)
}

/// The cost of rule `index` at `path` (cardinality included) in `root`.
fn rule_cost(root: &Json, path: &SchemaPath, index: usize) -> Option<u64> {
    let mut cardinality = Some(1u64);
    for depth in 0..path.len() {
        cardinality = child_cardinality(cardinality, node_at(root, &path[..depth])?);
    }
    let schema = node_at(root, path)?;
    node_findings(root, schema, path, cardinality, Suggest::No)
        .into_iter()
        .find(|(i, f)| *i == index && f.expression == Expression::Rule)
        .map(|(_, f)| f.cost)
}

/// The bound an unbounded node can take, and the largest value worth searching (what the
/// apiserver assumes today: a larger bound changes nothing).
fn open_bound(schema: &Json) -> Option<(Bound, u64)> {
    let bound = open_bound_kind(schema)?;
    let assumed = Decl::from_schema(schema, "self", false)?.max_elements;
    Some(match bound {
        // maxLength counts code points, the estimate 4 bytes each.
        Bound::MaxLength => (bound, assumed / 4),
        _ => (bound, assumed),
    })
}

fn open_bound_kind(schema: &Json) -> Option<Bound> {
    let ty = schema.get("type").and_then(Json::as_str);
    let int_or_string = schema
        .get("x-kubernetes-int-or-string")
        .and_then(Json::as_bool)
        == Some(true);
    match ty {
        Some("array") if sizes::max_items(schema).is_none() => Some(Bound::MaxItems),
        Some("object")
            if schema.get("additionalProperties").is_some()
                && sizes::max_properties(schema).is_none() =>
        {
            Some(Bound::MaxProperties)
        }
        _ if (ty == Some("string") || int_or_string)
            && sizes::max_length(schema).is_none()
            && schema.get("enum").is_none()
            && !matches!(
                schema.get("format").and_then(Json::as_str),
                Some("duration" | "date" | "date-time")
            ) =>
        {
            Some(Bound::MaxLength)
        }
        _ => None,
    }
}

/// Every node at or below `path`, and every node above it.
fn candidates(root: &Json, path: &SchemaPath) -> Vec<Vec<Step>> {
    let mut out: Vec<Vec<Step>> = (0..path.len()).map(|d| path[..d].to_vec()).collect();
    let mut stack = vec![path.to_vec()];
    while let Some(p) = stack.pop() {
        if let Some(node) = node_at(root, &p) {
            for (step, _) in children(node) {
                let mut child = p.clone();
                child.push(step);
                stack.push(child);
            }
        }
        out.push(p);
    }
    out
}

/// For a rule over its limit: among the unbounded lists, maps and strings above the rule's
/// node and below it, the one whose bound alone brings the rule under while cutting its
/// current (request-size) estimate the least, and the largest such bound (binary search; the
/// estimate grows with every bound).
fn suggest(root: &Json, path: &SchemaPath, index: usize) -> Option<Suggestion> {
    let mut best: Option<(f64, Suggestion)> = None;
    for candidate in candidates(root, path) {
        let Some((bound, upper)) = node_at(root, &candidate).and_then(open_bound) else {
            continue;
        };
        let cost_with = |value: u64| {
            let mut copy = root.clone();
            let node = node_at_mut(&mut copy, &candidate)?;
            node.as_object_mut()?
                .insert(bound.keyword().into(), Json::from(value));
            rule_cost(&copy, path, index)
        };
        if cost_with(0).is_none_or(|c| c > RULE_COST_LIMIT) {
            continue;
        }
        let (mut lo, mut hi) = (0u64, upper);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if cost_with(mid).is_some_and(|c| c <= RULE_COST_LIMIT) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let ratio = lo as f64 / upper.max(1) as f64;
        if best.as_ref().is_none_or(|(r, _)| ratio > *r) {
            best = Some((
                ratio,
                Suggestion {
                    bound,
                    value: lo,
                    field_path: field_path(&candidate),
                    schema_path: schema_path(&candidate),
                },
            ));
        }
    }
    best.map(|(_, s)| s)
}
