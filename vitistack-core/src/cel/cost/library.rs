//! Call costs of the libraries: which overload a call resolves to (the part of cel-go's
//! overload ids the estimator looks at), the `ext.Lists` v3 and `ext.Sets` overload estimators
//! (`ext/lists.go`, `ext/sets.go`), and the Kubernetes libraries' `EstimateCallCost`
//! (`k8s.io/apiserver/pkg/cel/library/cost.go`). cel-go's own defaults are in
//! [`super::estimate`].

use super::estimate::STRING_TRAVERSAL;
use super::estimate::{CallEstimate, Coster, Node, LIST_CREATE_BASE_COST, REGEX_STRING_LENGTH};
use super::sizes::{Cost, Size};
use crate::cel::parse::{ExprKind, Literal};
use crate::cel::types::{opaque, Type};

/// `MaxFormatSize`.
const MAX_FORMAT_SIZE: u64 = 64;
/// `MaxNameFormatRegexSize`.
const MAX_NAME_FORMAT_REGEX_SIZE: f64 = 128.0;

/// The overload a call resolves to, as far as an estimator distinguishes them.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Overload {
    /// `string_format`.
    ExtFormatString,
    /// `string_to_bytes`.
    StringToBytes,
    /// `bytes_to_string`.
    BytesToString,
    /// `strings_quote`.
    ExtQuoteString,
    /// `starts_with_string`, `ends_with_string`.
    StartsOrEndsWith,
    /// `in_list`.
    InList,
    /// `matches` (global).
    Matches,
    /// `matches_string` (member).
    MatchesString,
    /// `contains_string`.
    ContainsString,
    /// `logical_and`, `logical_or`.
    Logical,
    /// `conditional`.
    Conditional,
    /// `add_string`.
    AddString,
    /// `add_bytes`.
    AddBytes,
    /// `add_list`.
    AddList,
    /// `less_string` ... `greater_equals_bytes`.
    Compare,
    /// `equals`, `not_equals`.
    Equals,
    /// `index_list`.
    IndexList,
    /// `index_map`.
    IndexMap,
    /// `list_slice`.
    ListSlice,
    /// `list_flatten`, `list_flatten_int`.
    ListFlatten,
    /// `lists_range`.
    ListsRange,
    /// `list_reverse`.
    ListReverse,
    /// `list_distinct`.
    ListDistinct,
    /// `list_<T>_sort`; whether `T` is string or bytes.
    ListSort(bool),
    /// `list_<T>_sortByAssociatedKeys`; whether the key type is string or bytes.
    ListSortBy(bool),
    /// `list_sets_contains_list`, `..._intersects_list` (factor 1), `..._equivalent_list` (2).
    Sets(f64),
    /// `cidr_ip`.
    CidrIp,
    /// `cidr_contains_ip_string`, `cidr_contains_cidr_string`.
    CidrContainsString,
    /// Any other overload.
    Other,
}

fn is_string_or_bytes(t: &Type) -> bool {
    matches!(t, Type::String | Type::Bytes)
}

/// The candidate overloads of a call (more than one where a `dyn` operand leaves it open, as
/// cel-go's reference then lists every overload that could match).
pub(super) fn overloads(function: &str, target: Option<&Type>, args: &[Type]) -> Vec<Overload> {
    use Overload::*;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Type::Dyn);
    // The type that decides an operator: the first operand that is not `dyn`.
    let decided = || args.iter().find(|t| !t.is_dyn()).cloned();
    let one = |o: Overload| vec![o];
    match function {
        "_&&_" | "_||_" => one(Logical),
        "_?_:_" => one(Conditional),
        "_==_" | "_!=_" => one(Equals),
        "_+_" => match decided() {
            Some(Type::String) => one(AddString),
            Some(Type::Bytes) => one(AddBytes),
            Some(Type::List(_)) => one(AddList),
            Some(_) => one(Other),
            None => vec![AddString, AddBytes, AddList, Other],
        },
        "_<_" | "_<=_" | "_>_" | "_>=_" => match decided() {
            Some(t) if is_string_or_bytes(&t) => one(Compare),
            Some(_) => one(Other),
            None => vec![Compare, Other],
        },
        "@in" => match arg(1) {
            Type::List(_) => one(InList),
            Type::Dyn => vec![InList, Other],
            _ => one(Other),
        },
        "_[_]" => match arg(0) {
            Type::List(_) => one(IndexList),
            Type::Map(..) => one(IndexMap),
            Type::Dyn => vec![IndexList, IndexMap],
            _ => one(Other),
        },
        "matches" if target.is_some() => one(MatchesString),
        "matches" => one(Matches),
        "contains" if target.is_some_and(|t| matches!(t, Type::String | Type::Dyn)) => {
            one(ContainsString)
        }
        "startsWith" | "endsWith" => one(StartsOrEndsWith),
        "format" if target.is_some() => one(ExtFormatString),
        "bytes" if target.is_none() && matches!(arg(0), Type::String) => one(StringToBytes),
        "string" if target.is_none() && matches!(arg(0), Type::Bytes) => one(BytesToString),
        "strings.quote" => one(ExtQuoteString),
        "ip" if target.is_some() => one(CidrIp),
        "containsIP" | "containsCIDR" if matches!(arg(0), Type::String) => one(CidrContainsString),
        "slice" if target.is_some_and(|t| matches!(t, Type::List(_))) => one(ListSlice),
        "flatten" if target.is_some() => one(ListFlatten),
        "lists.range" => one(ListsRange),
        "reverse" if target.is_some_and(|t| matches!(t, Type::List(_))) => one(ListReverse),
        "distinct" if target.is_some() => one(ListDistinct),
        "sort" => match target {
            Some(Type::List(e)) => one(ListSort(is_string_or_bytes(e))),
            _ => one(Other),
        },
        "@sortByAssociatedKeys" => match arg(0) {
            Type::List(k) => one(ListSortBy(is_string_or_bytes(&k))),
            _ => one(Other),
        },
        "sets.contains" | "sets.intersects" => one(Sets(1.0)),
        "sets.equivalent" => one(Sets(2.0)),
        _ => one(Other),
    }
}

/// The `ext.Lists` v3 and `ext.Sets` overload estimators (`cel.CostEstimatorOptions`), which
/// cel-go consults before anything else.
pub(super) fn overload_estimate(
    c: &Coster<'_>,
    ov: &Overload,
    target: Option<&Node<'_>>,
    args: &[Node<'_>],
) -> Option<CallEstimate> {
    let literal_uint = |n: &Node<'_>, default: u64| match n.expr.map(|e| &e.kind) {
        Some(ExprKind::Literal(Literal::Int(i))) => (*i).max(0) as u64,
        _ => default,
    };
    match ov {
        Overload::ListSlice => {
            let (t, [start, end]) = (target?, args) else {
                return None;
            };
            let sz = c.library_size(t);
            let (s, e) = (literal_uint(start, 0), literal_uint(end, sz.max));
            Some(allocating_list_call(1.0, Size::fixed(e.wrapping_sub(s))))
        }
        Overload::ListsRange => {
            let [n] = args else { return None };
            if target.is_some() {
                return None;
            }
            Some(allocating_list_call(
                1.0,
                Size::fixed(literal_uint(n, u64::MAX)),
            ))
        }
        Overload::ListReverse => {
            let t = target?;
            args.is_empty()
                .then(|| allocating_list_call(1.0, c.library_size(t)))
        }
        Overload::ListFlatten => {
            let t = target?;
            let depth = match args {
                [] => 1,
                [d] => literal_uint(d, u64::MAX),
                _ => return None,
            };
            Some(allocating_list_call(depth as f64, c.library_size(t)))
        }
        Overload::ListDistinct => {
            let t = target?;
            let sz = c.library_size(t);
            args.is_empty()
                .then(|| allocating_list_call(2.0, sz.multiply(sz)))
        }
        Overload::ListSort(strings) => {
            let t = target?;
            args.is_empty()
                .then(|| sort_cost(c.library_size(t), *strings))
        }
        Overload::ListSortBy(strings) => {
            let [keys] = args else { return None };
            target?;
            Some(sort_cost(c.library_size(keys), *strings))
        }
        Overload::Sets(factor) => {
            let [a, b] = args else { return None };
            let cost = c
                .library_size(a)
                .multiply(c.library_size(b))
                .by_factor(*factor)
                .plus(Cost::fixed(1));
            Some(CallEstimate::cost(cost))
        }
        _ => None,
    }
}

/// `estimateListSortCost` (`strings`: the elements are strings or bytes).
fn sort_cost(sz: Size, strings: bool) -> CallEstimate {
    let factor = if strings { 2.0 + STRING_TRAVERSAL } else { 2.0 };
    allocating_list_call(factor, sz.multiply(sz))
}

/// `estimateAllocatingListCall`.
fn allocating_list_call(factor: f64, list: Size) -> CallEstimate {
    CallEstimate {
        cost: list
            .by_factor(factor)
            .plus(Cost::fixed(1))
            .plus(Cost::fixed(LIST_CREATE_BASE_COST)),
        result_size: Some(list),
    }
}

/// The Kubernetes libraries' `CostEstimator.EstimateCallCost`, by function name.
pub(super) fn call_estimate(
    c: &Coster<'_>,
    function: &str,
    ov: &Overload,
    target: Option<&Node<'_>>,
    args: &[Node<'_>],
) -> Option<CallEstimate> {
    let fixed = |n: u64| Some(CallEstimate::cost(Cost::fixed(n)));
    let traverse = |n: &Node<'_>, factor: f64| c.library_size(n).by_factor(factor);
    match function {
        "check" => fixed(350_000),
        "serviceAccount" | "path" | "group" | "resource" | "subresource" | "namespace" | "name"
        | "allowed" | "reason" | "error" | "errored" => fixed(1),
        "isSorted" | "sum" | "max" | "min" | "indexOf" | "lastIndexOf" | "includes" => {
            let t = target?;
            match element_node(t) {
                Some(el) => {
                    let mut el_cost = Cost::fixed(1);
                    if is_string_or_bytes(&el.ty) {
                        el_cost = el_cost.plus(traverse(&el, STRING_TRAVERSAL));
                    }
                    Some(CallEstimate::cost(c.library_size(t).times_cost(el_cost)))
                }
                None if function == "includes" => Some(CallEstimate::cost(
                    c.library_size(t).times_cost(Cost::fixed(1)),
                )),
                None => Some(CallEstimate::cost(traverse(t, STRING_TRAVERSAL))),
            }
        }
        "url" | "jsonpatch.escapeKey" => {
            let [a] = args else { return None };
            let sz = c.library_size(a);
            Some(CallEstimate {
                cost: sz.by_factor(STRING_TRAVERSAL),
                result_size: Some(sz),
            })
        }
        "lowerAscii" | "upperAscii" | "substring" | "trim" => {
            let sz = c.library_size(target?);
            Some(CallEstimate {
                cost: sz.by_factor(STRING_TRAVERSAL),
                result_size: Some(sz),
            })
        }
        "replace" if args.len() >= 2 => {
            let t = target?;
            let sz = c.library_size(t);
            let to_replace = c.library_size(&args[0]);
            let with = c.library_size(&args[1]);
            Some(CallEstimate {
                cost: sz.by_factor(2.0 * STRING_TRAVERSAL),
                result_size: Some(replace_size(sz, to_replace, with)),
            })
        }
        "split" => {
            let sz = c.library_size(target?);
            let max = match args.get(1).and_then(|a| a.expr).map(|e| &e.kind) {
                Some(ExprKind::Literal(Literal::Int(i))) => *i as u64,
                _ => sz.max,
            };
            Some(CallEstimate {
                cost: sz.by_factor(2.0 * STRING_TRAVERSAL),
                result_size: Some(Size { min: 0, max }),
            })
        }
        "join" => {
            let t = target?;
            let list = c.library_size(t);
            let mut sz = match element_node(t) {
                Some(el) => list.multiply(c.library_size(&el)),
                None => Size::fixed(0),
            };
            if let Some(sep) = args.first() {
                let separators = Size {
                    min: list.min.saturating_sub(1),
                    max: list.max.saturating_sub(1),
                };
                sz = sz.plus(c.library_size(sep).multiply(separators));
            }
            Some(CallEstimate {
                cost: sz.by_factor(STRING_TRAVERSAL),
                result_size: Some(sz),
            })
        }
        "find" | "findAll" if !args.is_empty() => {
            let sz = c.library_size(target?);
            let str_cost = sz.plus(Size::fixed(1)).by_factor(STRING_TRAVERSAL);
            let re_cost = traverse(&args[0], REGEX_STRING_LENGTH);
            Some(CallEstimate {
                cost: str_cost.multiply(re_cost),
                result_size: Some(Size {
                    min: 0,
                    max: sz.max,
                }),
            })
        }
        "cidr" | "isIP" | "isCIDR" | "quantity" | "isQuantity" | "semver" | "isSemver"
            if !args.is_empty() =>
        {
            Some(CallEstimate::cost(traverse(&args[0], STRING_TRAVERSAL)))
        }
        "ip" if *ov == Overload::CidrIp => fixed(1),
        "ip" if !args.is_empty() => Some(CallEstimate::cost(traverse(&args[0], STRING_TRAVERSAL))),
        "ip.isCanonical" if !args.is_empty() => Some(CallEstimate::cost(traverse(
            &args[0],
            2.0 * STRING_TRAVERSAL,
        ))),
        "masked"
        | "prefixLength"
        | "family"
        | "isUnspecified"
        | "isLoopback"
        | "isLinkLocalMulticast"
        | "isLinkLocalUnicast"
        | "isGlobalUnicast" => fixed(1),
        "containsIP" | "containsCIDR" if !args.is_empty() => {
            let ip = Size { min: 4, max: 16 };
            let mut cost = ip.plus(ip).by_factor(STRING_TRAVERSAL);
            if function == "containsCIDR" {
                cost = cost
                    .plus(ip.by_factor(STRING_TRAVERSAL))
                    .plus(Cost::fixed(1));
            }
            if *ov == Overload::CidrContainsString {
                cost = cost.plus(traverse(&args[0], STRING_TRAVERSAL));
            }
            Some(CallEstimate::cost(cost))
        }
        "validate" if !args.is_empty() => Some(CallEstimate::cost(
            traverse(&args[0], STRING_TRAVERSAL)
                .by_factor(MAX_NAME_FORMAT_REGEX_SIZE * REGEX_STRING_LENGTH),
        )),
        "format.named" => fixed(1),
        "sign" | "asInteger" | "isInteger" | "asApproximateFloat" | "isGreaterThan"
        | "isLessThan" | "compareTo" | "add" | "sub" | "major" | "minor" | "patch" => fixed(1),
        "getScheme" | "getHostname" | "getHost" | "getPort" | "getEscapedPath" | "getQuery" => {
            fixed(1)
        }
        "_==_" => equality(args),
        _ => None,
    }
}

/// `_==_` on the Kubernetes types.
fn equality(args: &[Node<'_>]) -> Option<CallEstimate> {
    let [lhs, rhs] = args else { return None };
    let (Type::Opaque(l), Type::Opaque(r)) = (&lhs.ty, &rhs.ty) else {
        return None;
    };
    if l != r {
        return None;
    }
    let cost = match *l {
        opaque::IP | opaque::CIDR | opaque::QUANTITY | opaque::SEMVER => Cost::fixed(1),
        opaque::FORMAT => Cost {
            min: 1,
            max: MAX_FORMAT_SIZE,
        }
        .by_factor(STRING_TRAVERSAL),
        opaque::URL => {
            // Go reads the right-hand side's size twice (`lhSize := rhs.ComputedSize()`).
            let max = rhs.computed.map_or(1, |s| s.union(s).max);
            Cost { min: 1, max }.by_factor(STRING_TRAVERSAL)
        }
        _ => return None,
    };
    Some(CallEstimate::cost(cost))
}

/// `listElementNode`: the element of a list node, at its path's `@items`.
fn element_node<'e>(list: &Node<'e>) -> Option<Node<'e>> {
    let Type::List(elem) = &list.ty else {
        return None;
    };
    let mut path = list.path.clone();
    if !path.is_empty() {
        path.push("@items".into());
    }
    Some(Node {
        path,
        ty: (**elem).clone(),
        expr: None,
        computed: None,
    })
}

/// The result size of `replace` (`cost.go`, case "replace"): the longest result replaces the
/// shortest possible substrings with the longest replacement, the shortest result the reverse.
fn replace_size(sz: Size, to_replace: Size, with: Size) -> Size {
    let (max_count, max_kept) = replace_bound(sz.max, to_replace.min, with.max <= to_replace.min);
    let (min_count, min_kept) = replace_bound(sz.min, to_replace.max, to_replace.max <= with.min);
    let count = Size {
        min: min_count,
        max: max_count,
    };
    let kept = Size {
        min: min_kept,
        max: max_kept,
    };
    count.multiply(with).plus(kept)
}

/// One bound of `replace`: how many replacements of a `part`-long substring in `len`
/// characters, and how many characters are kept. An empty `part` surrounds every character;
/// `same_length`: the replacement does not change the length (the input length is kept).
fn replace_bound(len: u64, part: u64, same_length: bool) -> (u64, u64) {
    if part == 0 {
        (if len < u64::MAX { len + 1 } else { len }, len)
    } else if same_length {
        (0, len)
    } else {
        ((len as f64 / part as f64).ceil() as u64, 0)
    }
}
