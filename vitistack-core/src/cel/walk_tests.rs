//! The engine in the validation walk: rules of the schema model with no Rust fast path are
//! evaluated where the apiserver evaluates them, with its correlation, ratcheting and budget.

use crate::report::{ErrorKind, FieldError};
use crate::rules::{RawCel, Reason, Rule};
use crate::schema::{ListType, Node, Property, Type};
use crate::validate::{check_update, check_value, Options};
use serde_json::{json, Value};

fn cel(rule: &str, message: &str) -> RawCel {
    RawCel {
        rule: rule.into(),
        message: message.into(),
        ..Default::default()
    }
}

fn string() -> Node {
    Node::new(Type::String).with_rule(Rule::length(None, Some(64)))
}

fn int() -> Node {
    Node::new(Type::Integer(crate::schema::IntFormat::Int64))
}

fn object(props: Vec<(&str, Node)>) -> Node {
    Node::object(
        props
            .into_iter()
            .map(|(n, node)| Property::new(n, false, node))
            .collect(),
    )
}

fn texts(report: &[FieldError]) -> Vec<String> {
    report.iter().map(ToString::to_string).collect()
}

#[test]
fn a_false_rule_is_reported_at_its_field_path_with_its_reason() {
    let mut rule = cel("self.min <= self.max", "min must not exceed max");
    rule.field_path = Some(".min".into());
    rule.reason = Reason::Forbidden;
    let node = object(vec![(
        "spec",
        object(vec![("min", int()), ("max", int())]).with_rule(Rule::Cel(rule)),
    )]);
    let report = check_value(
        &node,
        &json!({"spec": {"min": 3, "max": 2}}),
        Options::default(),
    );
    assert_eq!(
        texts(&report),
        ["spec.min: Forbidden: min must not exceed max"]
    );
    assert!(check_value(
        &node,
        &json!({"spec": {"min": 1, "max": 2}}),
        Options::default()
    )
    .is_empty());
}

#[test]
fn without_a_message_the_detail_is_failed_rule_and_scalars_show_their_value() {
    let node = object(vec![(
        "n",
        int().with_rule(Rule::Cel(cel("self % 2 == 0", ""))),
    )]);
    let report = check_value(&node, &json!({"n": 3}), Options::default());
    assert_eq!(
        texts(&report),
        ["n: Invalid value: 3: failed rule: self % 2 == 0"]
    );
}

#[test]
fn message_expression_is_the_detail_and_a_failing_one_falls_back_to_the_message() {
    let mut good = cel("self.size() < 3", "too long");
    good.message_expression = Some("'has ' + string(self.size()) + ' items'".into());
    let mut bad = cel("self.size() < 3", "too long");
    bad.message_expression = Some("'item ' + string(self[9])".into());
    let list = |rule: RawCel| Node::array(int()).with_rule(Rule::Cel(rule));
    let node = object(vec![("a", list(good)), ("b", list(bad))]);
    let report = check_value(
        &node,
        &json!({"a": [1, 2, 3], "b": [1, 2, 3]}),
        Options::default(),
    );
    assert_eq!(
        texts(&report),
        [
            "a: Invalid value: has 3 items",
            "b: Invalid value: too long"
        ]
    );
}

#[test]
fn duplicate_reason_drops_the_detail() {
    let mut rule = cel("self != 'x'", "must not be x");
    rule.reason = Reason::Duplicate;
    let node = object(vec![("s", string().with_rule(Rule::Cel(rule)))]);
    let report = check_value(&node, &json!({"s": "x"}), Options::default());
    assert_eq!(texts(&report), [r#"s: Duplicate value: "x""#]);
}

#[test]
fn an_evaluation_error_is_worded_like_the_apiserver() {
    let node = object(vec![(
        "m",
        Node::new(Type::Map {
            values: Box::new(int()),
        })
        .with_rule(Rule::Cel(cel("self['x'] > 0", ""))),
    )]);
    let report = check_value(&node, &json!({"m": {"y": 1}}), Options::default());
    assert_eq!(
        texts(&report),
        [r#"m: Invalid value: "object": no such key: x evaluating rule: self['x'] > 0"#]
    );
}

#[test]
fn a_rule_that_does_not_compile_is_a_finding_never_a_pass() {
    let node = object(vec![(
        "s",
        string().with_rule(Rule::Cel(cel("self.nope == 1", ""))),
    )]);
    let report = check_value(&node, &json!({"s": "a"}), Options::default());
    assert_eq!(report.len(), 1);
    assert!(report[0].detail.starts_with("rule compile error: compilation failed: ERROR: <input>:1:5: type 'string' does not support field selection"), "{}", report[0]);
}

#[test]
fn transition_rules_run_only_where_the_old_value_correlates() {
    let immutable = || cel("self == oldSelf", "immutable");
    let item = object(vec![
        ("name", string()),
        ("size", int().with_rule(Rule::Cel(immutable()))),
    ]);
    let node = object(vec![
        (
            "map",
            Node::array(item.clone()).with_list_type(ListType::Map(vec!["name".into()])),
        ),
        ("atomic", Node::array(item)),
    ]);
    let old = json!({"map": [{"name": "a", "size": 1}], "atomic": [{"name": "a", "size": 1}]});
    let new = json!({"map": [{"name": "a", "size": 2}, {"name": "b", "size": 5}], "atomic": [{"name": "a", "size": 2}]});
    // The list-map item `a` correlates by key; `b` is new; atomic-list items never correlate.
    assert_eq!(
        texts(&check_update(&node, &new, &old, Options::default())),
        ["map[0].size: Invalid value: 2: immutable"]
    );
    // A create runs no transition rule.
    assert!(check_value(&node, &new, Options::default()).is_empty());
}

#[test]
fn optional_old_self_runs_on_a_create_with_none() {
    let mut rule = cel(
        "!oldSelf.hasValue() || self >= oldSelf.value()",
        "may only grow",
    );
    rule.optional_old_self = Some(true);
    let node = object(vec![("n", int().with_rule(Rule::Cel(rule)))]);
    assert!(check_value(&node, &json!({"n": 1}), Options::default()).is_empty());
    let report = check_update(
        &node,
        &json!({"n": 1}),
        &json!({"n": 2}),
        Options::default(),
    );
    assert_eq!(texts(&report), ["n: Invalid value: 1: may only grow"]);
}

#[test]
fn an_unchanged_value_is_ratcheted_but_a_changed_one_is_not() {
    let node = object(vec![
        ("a", int().with_rule(Rule::Cel(cel("self < 10", "too big")))),
        ("b", int().with_rule(Rule::Cel(cel("self < 10", "too big")))),
    ]);
    let old = json!({"a": 20, "b": 20});
    let report = check_update(&node, &json!({"a": 20, "b": 21}), &old, Options::default());
    assert_eq!(texts(&report), ["b: Invalid value: 21: too big"]);
}

#[test]
fn a_rule_whose_cost_explodes_ends_in_the_cost_finding_and_stops_validation() {
    // 1,000 items: three nested comprehensions would take 10^9 steps; the limit is 10^6.
    let hostile = cel("self.all(a, self.all(b, self.all(c, a + b + c >= 0)))", "");
    let node = object(vec![
        ("l", Node::array(int()).with_rule(Rule::Cel(hostile))),
        (
            "m",
            int().with_rule(Rule::Cel(cel("self < 0", "never reached"))),
        ),
    ]);
    let value = json!({"l": (0..1000).collect::<Vec<i64>>(), "m": 1});
    let report = check_value(&node, &value, Options::default());
    assert_eq!(
        texts(&report),
        [
            r#"l: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.all(a, self.all(b, self.all(c, a + b + c >= 0)))"#
        ]
    );
}

#[test]
fn the_object_budget_runs_out_across_rules() {
    // Each rule costs about 780,000 (13 per item: under the per-call limit); twelve fit in
    // 10,000,000, the thirteenth does not.
    let rule = || Rule::Cel(cel("self.map(x, x).size() >= 0", ""));
    let props: Vec<(String, Node)> = (0..13)
        .map(|i| (format!("l{i:02}"), Node::array(int()).with_rule(rule())))
        .collect();
    let node = Node::object(
        props
            .into_iter()
            .map(|(n, node)| Property::new(n, false, node))
            .collect(),
    );
    let list: Vec<i64> = (0..60_000).collect();
    let value = Value::Object((0..13).map(|i| (format!("l{i:02}"), json!(list))).collect());
    let report = check_value(&node, &value, Options::default());
    assert_eq!(report.len(), 1, "{report:?}");
    assert_eq!(report[0].kind, ErrorKind::Invalid);
    assert_eq!(
        report[0].detail,
        "validation failed due to running out of cost budget, no further validation rules will be run"
    );
}

/// The subtle cases of issue 23.
#[test]
fn subtle_cases() {
    let node = |rule: &str| object(vec![("v", string().with_rule(Rule::Cel(cel(rule, "no"))))]);
    let passes = |rule: &str, v: &str| {
        check_value(&node(rule), &json!({"v": v}), Options::default()).is_empty()
    };
    // `isSemver(v, true)` strips one `v`, leading zeros, and fills minor/patch.
    assert!(passes("isSemver(self, true)", "v1.2"));
    assert!(passes("isSemver(self, true)", "01.02.03"));
    assert!(!passes("isSemver(self)", "v1.2.3"));
    assert!(!passes("isSemver(self, true)", "1.2-rc.1"));
    assert!(passes("semver(self, true) == semver('1.0.0')", "v1"));
    // Quantities compare exactly across suffixes.
    assert!(passes("quantity(self) == quantity('1073741824')", "1Gi"));
    assert!(passes("quantity(self) == quantity('1')", "1000m"));
    assert!(passes(
        "quantity(self).isLessThan(quantity('10Gi'))",
        "9.5Gi"
    ));
    // IPv4-mapped IPv6 is refused by `isIP` and `ip()`.
    assert!(!passes("isIP(self)", "::ffff:1.2.3.4"));
    let report = check_value(
        &node("ip(self).family() == 6"),
        &json!({"v": "::ffff:1.2.3.4"}),
        Options::default(),
    );
    assert!(
        report[0].detail.starts_with(
            "IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed evaluating rule: no"
        ),
        "{report:?}"
    );
}

#[test]
fn maps_objects_escaping_and_the_resource_root() {
    // An object with escaped and reserved property names.
    let node = object(vec![(
        "spec",
        object(vec![("a-b", int()), ("namespace", string()), ("labels", Node::new(Type::Map { values: Box::new(string()) }))])
            .with_rule(Rule::Cel(cel("self.a__dash__b == 1 && self.namespace == 'x' && self.__namespace__ == 'x' && self.labels['k-1'] == 'v'", "no"))),
    )]);
    let value = json!({"spec": {"a-b": 1, "namespace": "x", "labels": {"k-1": "v"}}});
    let report = check_value(&node, &value, Options::default());
    assert!(report.is_empty(), "{report:?}");
    // A map is not an object: it has no fields to check, and `has()` on a key works.
    let map = object(vec![(
        "m",
        Node::new(Type::Map {
            values: Box::new(int()),
        })
        .with_rule(Rule::Cel(cel("has(self.a) && !has(self.b)", "no"))),
    )]);
    assert!(check_value(&map, &json!({"m": {"a": 1}}), Options::default()).is_empty());
    // At a resource root, `metadata` has only `name` and `generateName`.
    let root = Node::object(vec![
        Property::new("metadata", true, Node::metadata()),
        Property::new("spec", false, object(vec![("x", int())])),
    ])
    .with_rule(Rule::Cel(cel("self.metadata.labels.size() > 0", "")));
    let report = check_value(
        &root,
        &json!({"metadata": {"name": "a"}, "spec": {"x": 1}}),
        Options::default(),
    );
    assert!(
        report[0].detail.contains("undefined field 'labels'"),
        "{report:?}"
    );
}

#[test]
fn what_the_apiserver_does_not_offer_is_refused_with_its_words() {
    let node = |rule: &str| {
        object(vec![(
            "l",
            Node::array(int()).with_rule(Rule::Cel(cel(rule, ""))),
        )])
    };
    for (rule, text) in [
        (
            "cel.bind(n, 3, n > 2)",
            "undeclared reference to 'bind' (in container '')",
        ),
        (
            "math.abs(-1) == 1",
            "undeclared reference to 'abs' (in container '')",
        ),
        (
            "base64.encode(b'a') == 'YQ=='",
            "undeclared reference to 'base64' (in container '')",
        ),
        (
            "self.includes(1)",
            "undeclared reference to 'includes' (in container '')",
        ),
        (
            "'abc'.reverse() == 'cba'",
            "found no matching overload for 'reverse' applied to 'string.()'",
        ),
        (
            "self.size() > 'a'",
            "found no matching overload for '_>_' applied to '(int, string)'",
        ),
        ("x > 1", "undeclared reference to 'x' (in container '')"),
        ("self.size()", "cel expression must evaluate to a bool"),
    ] {
        let report = check_value(&node(rule), &json!({"l": [1]}), Options::default());
        assert!(
            report.len() == 1 && report[0].detail.contains(text),
            "{rule}: {report:?}"
        );
    }
}

#[test]
fn compile_all_names_the_node_and_rule_that_do_not_compile() {
    let node = object(vec![(
        "spec",
        object(vec![(
            "items",
            Node::array(int().with_rule(Rule::Cel(cel("self.nope > 0", "")))),
        )])
        .with_rule(Rule::Cel(cel("self.items.size() > 0", ""))),
    )]);
    let errors = crate::cel::compile_all(&node);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, "spec.items[]");
    assert_eq!(errors[0].rule, "self.nope > 0");
    assert!(errors[0]
        .error
        .to_string()
        .contains("type 'int' does not support field selection"));
}

/// Ported from `validation_test.go: TestReasonAndFldPath` ("multiple rules with custom reason
/// and field path", "Return error based on input fieldPath"): kinds and paths, in rule order.
#[test]
fn reason_and_field_path_of_the_go_table() {
    let rule = |r: &str, reason: Reason, fp: &str| {
        let mut c = cel(r, "");
        c.reason = reason;
        c.field_path = Some(fp.into());
        Rule::Cel(c)
    };
    let node = object(vec![
        ("field1", string()),
        ("field2", string()),
        ("field3", string()),
    ])
    .with_rules([
        rule(r#"self.field2 != "value2""#, Reason::Duplicate, ".field2"),
        rule(r#"self.field3 != "value3""#, Reason::Required, ".field3"),
        rule(r#"self.field1 != "value1""#, Reason::Forbidden, ".field1"),
    ]);
    let value = json!({"field1": "value1", "field2": "value2", "field3": "value3"});
    let found: Vec<(ErrorKind, String)> = check_value(&node, &value, Options::default())
        .into_iter()
        .map(|e| (e.kind, e.path))
        .collect();
    assert_eq!(
        found,
        [
            (ErrorKind::Duplicate, "field2".to_string()),
            (ErrorKind::Required, "field3".to_string()),
            (ErrorKind::Forbidden, "field1".to_string()),
        ]
    );
    let f = object(vec![("m", int())]).with_rule(rule("self.m == 2", Reason::Forbidden, ".m"));
    let node = object(vec![("f", f)]);
    let report = check_value(&node, &json!({"f": {"m": 1}}), Options::default());
    assert_eq!(
        (report[0].kind, report[0].path.as_str()),
        (ErrorKind::Forbidden, "f.m")
    );
}

/// The apiserver runs a node's rules before its children's (`validation.go: validate`).
#[test]
fn a_nodes_rules_are_reported_before_its_childrens() {
    let node = object(vec![(
        "spec",
        object(vec![(
            "n",
            int().with_rule(Rule::Cel(cel("self > 5", "child"))),
        )])
        .with_rule(Rule::Cel(cel("self.n > 5", "parent"))),
    )]);
    let report = check_value(&node, &json!({"spec": {"n": 1}}), Options::default());
    assert_eq!(
        texts(&report),
        [
            "spec: Invalid value: parent",
            "spec.n: Invalid value: 1: child"
        ]
    );
}
