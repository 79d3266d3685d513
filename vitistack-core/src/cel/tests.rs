//! Engine tests. Tables marked "ported" come from
//! `k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/validation_test.go`
//! (`TestValidationExpressions`, at the repository's main branch): the schemas, objects, rules
//! and expected error fragments are copied from there; the harness mirrors its `objs`/`schemas`
//! helpers (each value `valN` under an object root).

use super::program::{Budget, Outcome, Program, ValidationRule};
use super::types::Decl;
use crate::report::Path;
use serde_json::{json, Value};

fn int() -> Value {
    json!({"type": "integer"})
}
fn string() -> Value {
    json!({"type": "string"})
}
fn list(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
fn list_set(items: Value) -> Value {
    json!({"type": "array", "items": items, "x-kubernetes-list-type": "set"})
}
fn list_map(keys: &[&str], items: Value) -> Value {
    json!({"type": "array", "items": items, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": keys})
}
fn map_of(values: Value) -> Value {
    json!({"type": "object", "additionalProperties": values})
}
fn object(props: Value) -> Value {
    json!({"type": "object", "properties": props})
}
fn nullable(mut s: Value) -> Value {
    s["nullable"] = json!(true);
    s
}

/// `objs(...)`: `{"val1": a, "val2": b, ...}`.
fn objs(values: &[Value]) -> Value {
    Value::Object(
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("val{}", i + 1), v.clone()))
            .collect(),
    )
}

/// `schemas(...)`: an object whose `valN` has the N-th schema.
fn schemas(types: &[Value]) -> Value {
    object(Value::Object(
        types
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("val{}", i + 1), v.clone()))
            .collect(),
    ))
}

/// Compiles `rule` at the root of `schema` and evaluates it on `obj` (and `old`).
fn run(schema: &Value, rule: &str, obj: &Value, old: Option<&Value>) -> Result<Outcome, String> {
    let decl = Decl::from_schema(schema, "self", false).expect("a typed schema");
    let rule = ValidationRule {
        rule: rule.to_string(),
        ..Default::default()
    };
    let program = Program::compile(&rule, &decl).map_err(|e| e.to_string())?;
    Ok(program.evaluate(
        obj,
        old,
        &mut Path::from_text("root"),
        &mut Budget::default(),
    ))
}

fn assert_valid(schema: &Value, obj: &Value, rules: &[&str]) {
    for rule in rules {
        match run(schema, rule, obj, None) {
            Ok(Outcome::Pass) => {}
            other => panic!("{rule}: expected a pass, got {other:?}"),
        }
    }
}

fn assert_errors(schema: &Value, obj: &Value, cases: &[(&str, &str)]) {
    for (rule, fragment) in cases {
        let text = match run(schema, rule, obj, None) {
            Err(compile) => compile,
            Ok(Outcome::Error(e) | Outcome::Violation(e) | Outcome::Halt(e)) => e.to_string(),
            Ok(other) => panic!("{rule}: expected an error, got {other:?}"),
        };
        assert!(
            text.contains(fragment),
            "{rule}: expected {fragment:?} in {text:?}"
        );
    }
}

/// Ported: "integers".
#[test]
fn integers() {
    let obj = objs(&[json!(i64::MAX), json!(i64::MAX)]);
    let schema = schemas(&[int(), int()]);
    assert_valid(
        &schema,
        &obj,
        &[
            "self.val1 == self.val2",
            "self.val1 == 9223372036854775807",
            "type(self.val1) == int",
            "self.val1 == self.val2 && self.val2 == 9223372036854775807",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[
            ("self.val1 + 1 == 0", "integer overflow"),
            ("1 / 0 == 1 / 0", "division by zero"),
        ],
    );
}

/// Ported: "unicode strings".
#[test]
fn unicode_strings() {
    let obj = objs(&[json!("Rook takes 👑"), json!("Rook takes 👑")]);
    let schema = schemas(&[string(), string()]);
    assert_valid(&schema, &obj, &[
        "self.val1 == self.val2",
        "self.val1.startsWith('Rook')",
        "!self.val1.startsWith('knight')",
        "self.val1.contains('takes')",
        "!self.val1.contains('gives')",
        "self.val1.endsWith('👑')",
        "!self.val1.endsWith('pawn')",
        "self.val1.matches('^[^0-9]*$')",
        "!self.val1.matches('^[0-9]*$')",
        "type(self.val1) == string",
        "size(self.val1) == 12",
        "self.val1.charAt(3) == 'k'",
        "self.val1.indexOf('o') == 1",
        "self.val1.indexOf('o', 2) == 2",
        "self.val1.replace(' ', 'x') == 'Rookxtakesx👑'",
        "self.val1.replace(' ', 'x', 1) == 'Rookxtakes 👑'",
        "self.val1.split(' ') == ['Rook', 'takes', '👑']",
        "self.val1.split(' ', 2) == ['Rook', 'takes 👑']",
        "self.val1.substring(5) == 'takes 👑'",
        "self.val1.substring(0, 4) == 'Rook'",
        "self.val1.substring(4, 10).trim() == 'takes'",
        "self.val1.upperAscii() == 'ROOK TAKES 👑'",
        "self.val1.lowerAscii() == 'rook takes 👑'",
        "'%d %s %f %s %s'.format([1, 'abc', 1.0, duration('1m'), timestamp('2000-01-01T00:00:00.000Z')]) == '1 abc 1.000000 60s 2000-01-01T00:00:00Z'",
        "'%o %o %o'.format([7, 8, 9]) == '7 10 11'",
        "'%b %b %b'.format([7, 8, 9]) == '111 1000 1001'",
    ]);
    assert_errors(
        &schema,
        &obj,
        &[(
            "self.val1.matches(')')",
            "compilation failed: ERROR: <input>:1:19: invalid matches argument",
        )],
    );
}

/// Ported: "bytes", "booleans", "duration format".
#[test]
fn bytes_booleans_durations() {
    let bytes = json!({"type": "string", "format": "byte"});
    assert_valid(
        &schemas(&[bytes.clone(), bytes]),
        &objs(&[json!("QUI="), json!("QUI=")]),
        &[
            "self.val1 == self.val2",
            "self.val1 == b'AB'",
            "self.val1 == bytes('AB')",
            "self.val1 == b'\\x41\\x42'",
            "type(self.val1) == bytes",
            "size(self.val1) == 2",
        ],
    );
    let b = json!({"type": "boolean"});
    assert_valid(
        &schemas(&[b.clone(), b.clone(), b.clone(), b]),
        &objs(&[json!(true), json!(true), json!(false), json!(false)]),
        &[
            "self.val1 == self.val2",
            "self.val1 != self.val4",
            "type(self.val1) == bool",
        ],
    );
    let d = json!({"type": "string", "format": "duration"});
    let schema = schemas(&[d.clone(), d]);
    let obj = objs(&[json!("1h2m3s4ms"), json!("1h2m3s4ms")]);
    assert_valid(
        &schema,
        &obj,
        &[
            "self.val1 == self.val2",
            "self.val1 == duration('1h2m3s4ms')",
            "self.val1 == duration('1h2m') + duration('3s4ms')",
            "self.val1.getHours() == 1",
            "self.val1.getMinutes() == 62",
            "self.val1.getSeconds() == 3723",
            "self.val1.getMilliseconds() == 3723004",
            "type(self.val1) == google.protobuf.Duration",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[
            (
                "duration('1')",
                "compilation failed: ERROR: <input>:1:10: invalid duration argument",
            ),
            (
                "duration('1d')",
                "compilation failed: ERROR: <input>:1:10: invalid duration argument",
            ),
            (
                "duration('1us') < duration('1nns')",
                "compilation failed: ERROR: <input>:1:28: invalid duration argument",
            ),
        ],
    );
}

/// Ported: "lists", "ext lists version 3", "string lists".
#[test]
fn lists() {
    let schema = schemas(&[list(int()), list(int())]);
    let obj = objs(&[json!([1, 2, 3]), json!([1, 2, 3])]);
    assert_valid(&schema, &obj, &[
        "self.val1 == self.val2",
        "self.val1 == [1, 2, 3]",
        "1 in self.val1",
        "self.val2[0] in self.val1",
        "!(0 in self.val1)",
        "self.val1 + self.val2 == [1, 2, 3, 1, 2, 3]",
        "self.val1 + [4, 5] == [1, 2, 3, 4, 5]",
        "lists.range(4) == [0,1,2,3]",
        "lists.range(0) == []",
        "[5,1,2,3].reverse() == [3,2,1,5]",
        "[].reverse() == []",
        "['are', 'you', 'as', 'bored', 'as', 'I', 'am'].reverse() == ['am', 'I', 'as', 'bored', 'as', 'you', 'are']",
        "[1,2,3,4].slice(0, 4) == [1,2,3,4]",
        "[1,2,3,4].slice(1, 3) == [2, 3]",
        "dyn([]).flatten() == []",
        "dyn([1,2,3,4]).flatten() == [1,2,3,4]",
        "[4, 3, 2, 1].sort() == [1, 2, 3, 4]",
        r#"["d", "a", "b", "c"].sort() == ["a", "b", "c", "d"]"#,
        "[].sortBy(e, e) == []",
        "[-3, 1, -5, -2, 4].sortBy(e, -(e * e)) == [-5, 4, -3, -2, 1]",
        "[-3, 1, -5, -2, 4].map(e, e * 2).sortBy(e, -(e * e)) == [-10, 8, -6, -4, 2]",
        "lists.range(3).sortBy(e, -e) == [2, 1, 0]",
        r#"["a", "c", "b", "first"].sortBy(e, e == "first" ? "" : e) == ["first", "a", "b", "c"]"#,
        "[{'name': 'foo'}, {'name': 'bar'}, {'name': 'baz'}].sortBy(e, e.name) == [{'name': 'bar'}, {'name': 'baz'}, {'name': 'foo'}]",
        "[-2, 5, -2, 1, 1, 5, -2, 1].distinct() == [-2, 5, 1]",
        "[[1], [1], [2]].distinct() == [[1], [2]]",
        "[[1],[2],[3,4]].flatten() == [1,2,3,4]",
    ]);
    assert_errors(&schema, &obj, &[
        ("[1, 'a', false].filter(x, string(x) == 'a')", "compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'string'"),
        ("[1,2,3,4].slice(3, 0) != [1,2]", "cannot slice(3, 0), start index must be less than or equal to end index"),
        ("[1,2,3,4].slice(0, 10) != [1,2]", "cannot slice(0, 10), list is length 4"),
        ("[1,2,3,4].slice(-5, 10) != [1,2]", "cannot slice(-5, 10), negative indexes not supported"),
        ("[[1],[2],[3,4]].flatten(-1) == [1,2,3,4]", "level must be non-negative evaluating rule: [[1],[2],[3,4]].flatten(-1) == [1,2,3,4]"),
        (r#"["d", 3, 2, "c"].sort() == ["a", "b", "c", "d"]"#, "expected type 'string' but found 'int'"),
    ]);
    assert_valid(
        &schemas(&[list(string())]),
        &objs(&[json!(["a", "b", "c"])]),
        &[
            "self.val1.join('-') == 'a-b-c'",
            "['a', 'b', 'c'].join('-') == 'a-b-c'",
            "self.val1.join() == 'abc'",
        ],
    );
}

/// Ported: "listSets" (equality ignores order only with the set on the left) and "listMaps".
#[test]
fn list_sets_and_list_maps() {
    let schema = schemas(&[list_set(string()), list_set(string())]);
    let obj = objs(&[json!(["a", "b", "c"]), json!(["a", "c", "b"])]);
    assert_valid(
        &schema,
        &obj,
        &[
            "self.val1 == ['c', 'b', 'a']",
            "self.val1 == self.val2",
            "'a' in self.val1",
            "self.val2[0] in self.val1",
            "!('x' in self.val1)",
            "self.val1 + self.val2 == ['a', 'b', 'c']",
            "self.val1 + ['c', 'd'] == ['a', 'b', 'c', 'd']",
            "sets.contains(['a', 'b'], [])",
            "sets.contains(['a', 'b'], ['b'])",
            "!sets.contains(['a', 'b'], ['c'])",
            "sets.equivalent(['c', 'b', 'a'], ['b', 'c', 'a'])",
            "!sets.equivalent(['a', 'b'], ['b', 'c'])",
            "sets.intersects(['a', 'b'], ['b', 'c'])",
            "!sets.intersects([], [])",
            "sets.contains([{'a': 1}, {'b': 2}], [{'b': 2}])",
            "sets.contains([duration('1h'), duration('2h')], [duration('2h')])",
        ],
    );
    // Not from the Go table: a literal list on the left compares in order.
    assert_valid(&schema, &obj, &["['c', 'b', 'a'] != self.val1"]);
    let item = object(json!({"k": string(), "v": string()}));
    let schema = object(json!({"objs": list(list_map(&["k"], item))}));
    let obj = json!({"objs": [
        [{"k": "a", "v": "1"}, {"k": "b", "v": "2"}],
        [{"k": "b", "v": "2"}, {"k": "a", "v": "1"}],
        [{"k": "b", "v": "3"}, {"k": "a", "v": "1"}],
        [{"k": "c", "v": "4"}],
    ]});
    assert_valid(
        &schema,
        &obj,
        &[
            "self.objs[0] == self.objs[1]",
            "self.objs[0] + self.objs[2] == self.objs[2]",
            "self.objs[2] + self.objs[0] == self.objs[0]",
            "self.objs[0] == [self.objs[0][0], self.objs[0][1]]",
            "self.objs[0] == [self.objs[0][1], self.objs[0][0]]",
            "self.objs[2] + [self.objs[0][0], self.objs[0][1]] == self.objs[0]",
            "size(self.objs[0] + [self.objs[3][0]]) == 3",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[(
            "self.objs[0] == {'k': 'a', 'v': '1'}",
            "no matching overload for '_==_'",
        )],
    );
}

/// Ported: "maps", "object access", "map access", "list access".
#[test]
fn objects_and_maps() {
    let schema = schemas(&[map_of(string()), map_of(string())]);
    let obj = objs(&[json!({"k1": "a", "k2": "b"}), json!({"k2": "b", "k1": "a"})]);
    assert_valid(
        &schema,
        &obj,
        &[
            "self.val1 == self.val2",
            "'k1' in self.val1",
            "!('k3' in self.val1)",
            "self.val1 == {'k1': 'a', 'k2': 'b'}",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[(
            "{'k1': 'a', 'k2': 1, 'k2': false}",
            "expected type 'string' but found 'int'",
        )],
    );

    let schema = object(json!({
        "a": object(json!({"b": int(), "c": int(), "d": nullable(int())})),
        "a1": object(json!({"b1": object(json!({"c1": int()})), "d2": object(json!({"e2": int()}))})),
    }));
    let obj = json!({"a": {"b": 1, "d": null}, "a1": {"b1": {"c1": 4}}, "a3": {}});
    assert_valid(
        &schema,
        &obj,
        &[
            "has(self.a.b)",
            "!has(self.a.c)",
            "!has(self.a.d)",
            "has(self.a1.b1.c1)",
            "!(has(self.a1.d2) && has(self.a1.d2.e2))",
            "!has(self.a1.d2)",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[
            ("has(self.a.z)", "undefined field 'z'"),
            ("self.a['b'] == 1", "no matching overload for '_[_]'"),
            ("has(self.a1.d2.e2)", "no such key: d2"),
        ],
    );

    let schema = object(json!({"val": map_of(int())}));
    let obj = json!({"val": {"b": 1, "d": 2}});
    assert_valid(
        &schema,
        &obj,
        &[
            "!('a' in self.val)",
            "'b' in self.val",
            "!has(self.val.a)",
            "has(self.val.b)",
            "self.val.all(k, self.val[k] > 0)",
            "self.val.exists(k, self.val[k] > 1)",
            "self.val.exists_one(k, self.val[k] == 2)",
            "!self.val.exists(k, self.val[k] > 2)",
            "!self.val.exists_one(k, self.val[k] > 0)",
            "size(self.val) == 2",
            "self.val.map(k, self.val[k]).exists(v, v == 1)",
            "size(self.val.filter(k, self.val[k] > 1)) == 1",
            "self.val.all(k, v, v > 0)",
            "self.val.exists(k, v, v == 2)",
            "self.val.existsOne(k, v, v == 2)",
            "self.val.transformMap(k, v, v > 1, v + 1).size() == 1",
            "self.val.transformMap(k, v, v + 1).size() == 2",
            "self.val.transformMapEntry(k, v, v > 1, {k + '2': v + 1}).size() == 1",
            "self.val.transformMapEntry(k, v, {k + '2': v + 1}).size() == 2",
        ],
    );
    assert_errors(&schema, &obj, &[("self.val['c'] == 1", "no such key: c")]);

    let schema = object(json!({"array": list(int())}));
    let obj = json!({"array": [1, 1, 2, 2, 3, 3, 4, 5]});
    assert_valid(
        &schema,
        &obj,
        &[
            "2 in self.array",
            "self.array.all(e, e > 0)",
            "self.array.exists_one(e, e > 4)",
            "!self.array.exists_one(e, e == 2)",
            "size(self.array.filter(e, e%2 == 0)) == 3",
            "self.array.map(e, e * 20).filter(e, e > 50).exists(e, e == 60)",
            "self.array.all(i, e, e > 0)",
            "self.array.existsOne(i, e, e > 4)",
            "self.array.transformList(i, e, e > 2, e * 2).size() > 0",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[("self.array[100] == 0", "index out of bounds: 100")],
    );
}

/// Ported: "listMap access" (errors of predicates absorbed by `exists`, raised by `all`).
#[test]
fn list_map_access() {
    let item = object(json!({"k": string(), "v": string(), "v2": string()}));
    let schema = object(json!({"listMap": list_map(&["k"], item)}));
    let obj = json!({"listMap": [{"k": "a1", "v": "b1"}, {"k": "a2", "v": "b2"}, {"k": "a3", "v": "b3", "v2": "z"}]});
    assert_valid(
        &schema,
        &obj,
        &[
            "has(self.listMap[0].v)",
            "self.listMap.all(m, !has(m.v2) || m.v2 == 'z')",
            "self.listMap.exists_one(m, m.k == 'a3')",
            "self.listMap.map(m, has(m.v2) && m.v2 == 'z', m.v2).size() == 1",
            "self.listMap.exists(m, m.v2 == 'z')",
            "!self.listMap.all(m, m.v2 != 'z')",
            "self.listMap.existsOne(i, m, has(m.v2) && m.v2 == 'z')",
            "self.listMap.transformList(i, m, m.v).size() == 3",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[
            ("self.listMap.all(m, m.v2 == 'z')", "no such key: v2"),
            ("self.listMap.exists_one(m, m.v2 == 'z')", "no such key: v2"),
            (
                "self.listMap.filter(m, m.v2 == 'z').size() == 1",
                "no such key: v2",
            ),
            ("self.listMap.map(m, m.v2).size() == 1", "no such key: v2"),
        ],
    );
}

/// Ported: "field nullability" and "null values in container types".
#[test]
fn nulls() {
    let schema = object(json!({
        "unsetPlainStr": string(),
        "setPlainStr": string(),
        "setNullableStr": nullable(string()),
        "setToNullNullableStr": nullable(string()),
    }));
    let obj = json!({"setPlainStr": "v1", "setNullableStr": "v3", "setToNullNullableStr": null});
    assert_valid(
        &schema,
        &obj,
        &[
            "!has(self.unsetPlainStr)",
            "has(self.setPlainStr) && self.setPlainStr == 'v1'",
            "type(self.setNullableStr) != null_type",
            "!has(self.setToNullNullableStr)",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[
            (
                "self.unsetPlainStr == null",
                "no matching overload for '_==_' applied to '(string, null",
            ),
            (
                "self.setPlainStr != null",
                "no matching overload for '_!=_' applied to '(string, null",
            ),
        ],
    );
    let schema = object(json!({
        "m": map_of(nullable(string())),
        "l": list(nullable(string())),
        "s": list_set(nullable(string())),
    }));
    let obj =
        json!({"m": {"a": null, "b": "not-nil"}, "l": [null, "not-nil"], "s": [null, "not-nil"]});
    assert_valid(
        &schema,
        &obj,
        &[
            "self.m.size() == 2",
            "'a' in self.m",
            "type(self.m['a']) == null_type",
            "type(self.l[0]) == null_type",
            "type(self.s[0]) == null_type",
        ],
    );
}

/// Ported: "optionals".
#[test]
fn optionals() {
    let schema = object(json!({
        "presentObj": object(json!({"presentStr": string()})),
        "absentObj": object(json!({"absentStr": string()})),
        "m": map_of(string()),
        "l": list(string()),
    }));
    let obj = json!({"presentObj": {"presentStr": "value"}, "m": {"k": "v"}, "l": ["a"]});
    assert_valid(
        &schema,
        &obj,
        &[
            "self.?presentObj.?presentStr == optional.of('value')",
            "self.presentObj.?presentStr == optional.of('value')",
            "self.presentObj.?presentStr.or(optional.of('nope')) == optional.of('value')",
            "self.presentObj.?presentStr.orValue('') == 'value'",
            "self.presentObj.?presentStr.hasValue() == true",
            "self.presentObj.?presentStr.optMap(v, v == 'value').hasValue()",
            "self.?absentObj.?absentStr == optional.none()",
            "self.?absentObj.?absentStr.or(optional.of('nope')) == optional.of('nope')",
            "self.?absentObj.?absentStr.orValue('nope') == 'nope'",
            "self.?absentObj.?absentStr.hasValue() == false",
            "self.?absentObj.?absentStr.optMap(v, v == 'value').hasValue() == false",
            "self.m[?'k'] == optional.of('v')",
            "self.m[?'x'] == optional.none()",
            "self.l[?0] == optional.of('a')",
            "self.l[?1] == optional.none()",
            "self.l[?1].orValue('nope') == 'nope'",
            "optional.ofNonZeroValue(1).hasValue()",
            "optional.ofNonZeroValue('a').hasValue()",
            "optional.ofNonZeroValue(0) == optional.none()",
            "optional.ofNonZeroValue('') == optional.none()",
            "optional.ofNonZeroValue([]) == optional.none()",
            "optional.ofNonZeroValue(duration('0s')) == optional.none()",
            "{?'k': optional.none(), 'k2': 'v2'} == {'k2': 'v2'}",
            "{?'k': optional.of('v'), 'k2': 'v2'} == {'k': 'v', 'k2': 'v2'}",
            "['a', ?optional.none(), 'c'] == ['a', 'c']",
            "['a', ?optional.of('v'), 'c'] == ['a', 'v', 'c']",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[(
            "self.absentObj.?absentStr == optional.none()",
            "no such key: absentObj",
        )],
    );
}

/// Ported: "quantity", "IP and CIDR", "format".
#[test]
fn kubernetes_libraries() {
    let schema = schemas(&[string(), string()]);
    let obj = objs(&[json!("20"), json!("200M")]);
    assert_valid(
        &schema,
        &obj,
        &[
            "isQuantity(self.val1)",
            "isQuantity(self.val2)",
            r#"isQuantity("20Mi")"#,
            r#"quantity(self.val2) == quantity("0.2G") && quantity("0.2G") == quantity("200M")"#,
            r#"quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")"#,
            r#"quantity(self.val1).isLessThan(quantity("100M"))"#,
            r#"quantity(self.val2).isGreaterThan(quantity("50M"))"#,
            r#"quantity(self.val2).compareTo(quantity("0.2G")) == 0"#,
            r#"quantity("50k").add(quantity(self.val1)) == quantity("50.02k")"#,
            r#"quantity("50k").sub(quantity(self.val1)) == quantity("49980")"#,
            "quantity(self.val1).isInteger()",
            r#"isIP("192.168.0.1")"#,
            r#"ip.isCanonical("127.0.0.1")"#,
            r#"ip("192.168.0.1").family() > 0"#,
            r#"ip("0.0.0.0").isUnspecified()"#,
            r#"ip("127.0.0.1").isLoopback()"#,
            r#"ip("224.0.0.1").isLinkLocalMulticast()"#,
            r#"ip("192.168.0.1").isGlobalUnicast()"#,
            r#"type(ip("192.168.0.1")) == net.IP"#,
            r#"cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))"#,
            r#"cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")"#,
            r#"cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33"))"#,
            r#"type(cidr("2001:db8::/32").ip()) == net.IP"#,
            "cidr('192.168.0.0/24') == cidr('192.168.0.0/24').masked()",
            "cidr('192.168.0.0/16').prefixLength() == 16",
            "cidr('::1/128').ip().family() == 6",
            r#"format.dns1123Label().validate("my-label-name") == optional.none()"#,
            r#"format.dns1123Subdomain().validate("apiextensions.k8s.io") == optional.none()"#,
            r#"format.qualifiedName().validate("apiextensions.k8s.io/v1beta1") == optional.none()"#,
            r#"format.dns1123LabelPrefix().validate("my-label-prefix-") == optional.none()"#,
            r#"format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-") == optional.none()"#,
            r#"format.dns1035LabelPrefix().validate("my-label-prefix-") == optional.none()"#,
            r#"format.uri().validate("http://example.com") == optional.none()"#,
            r#"format.uuid().validate("123e4567-e89b-12d3-a456-426614174000") == optional.none()"#,
            r#"format.byte().validate("aGVsbG8=") == optional.none()"#,
            r#"format.date().validate("2021-01-01") == optional.none()"#,
            r#"format.datetime().validate("2021-01-01T00:00:00Z") == optional.none()"#,
            r#"format.named("dns1123Label").value().validate("my-name") == optional.none()"#,
            r#"format.dns1123Label().validate("contains a space").value()[0] == "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')""#,
            r#"!format.named("unknown").hasValue()"#,
        ],
    );
}

/// Ported: "cost for extended lib calculated correctly: …" (the `expectedCost` of each).
#[test]
fn runtime_costs_of_the_go_table() {
    let schema = schemas(&[string(), string()]);
    let obj = objs(&[json!("20"), json!("200M")]);
    for (rule, cost) in [
        ("[1,2,3,4].isSorted()", 4),
        ("url('https:://kubernetes.io/').getHostname() != 'test'", 4),
        ("size('abc 123 def 123'.split(' ')) > 0", 5),
        (
            "size(['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')) > 0",
            7,
        ),
    ] {
        let decl = Decl::from_schema(&schema, "self", false).expect("typed");
        let program = Program::compile(
            &ValidationRule {
                rule: rule.into(),
                ..Default::default()
            },
            &decl,
        )
        .expect(rule);
        let mut budget = Budget::default();
        assert_eq!(
            program.evaluate(&obj, None, &mut Path::root(), &mut budget),
            Outcome::Pass,
            "{rule}"
        );
        assert_eq!(
            super::program::PER_OBJECT_BUDGET - budget.remaining,
            cost,
            "{rule}"
        );
    }
}

fn compile(schema: &Value, rule: ValidationRule) -> Result<Program, String> {
    let decl = Decl::from_schema(schema, "self", false).expect("a typed schema");
    Program::compile(&rule, &decl).map_err(|e| e.to_string())
}

fn optional_rule(rule: &str) -> ValidationRule {
    ValidationRule {
        rule: rule.into(),
        optional_old_self: Some(true),
        ..Default::default()
    }
}

/// Ported from `compilation_test.go: TestCelCompilation` (the cases and their matchers:
/// `noError`, `transitionRule`, `invalidError(fragment)`, `messageExpressionError(fragment)`).
#[test]
fn compilation() {
    let int_schema = json!({"type": "integer"});
    // "optional primitive transition rule type checking"
    for rule in [
        "self >= oldSelf.value()",
        "self >= oldSelf.orValue(1)",
        "oldSelf.hasValue() ? self >= oldSelf.value() : true",
    ] {
        let p = compile(&int_schema, optional_rule(rule)).expect(rule);
        assert!(p.uses_old_self(), "{rule}");
    }
    for (rule, fragment) in [
        ("self >= oldSelf", "optional"),
        ("self >= oldSelf.orValue('')", "orValue"),
    ] {
        let e = compile(&int_schema, optional_rule(rule)).expect_err(rule);
        assert!(e.contains(fragment), "{rule}: {e}");
    }
    // "optional complex transition rule type checking"
    let scalars = json!({"i": int(), "b": {"type": "boolean"}, "s": string(), "a": list(int())});
    let mut inner = scalars.clone();
    inner["o"] = json!({"type": "object"});
    let mut props = scalars;
    props["o"] = object(inner);
    let complex = object(props);
    for rule in [
        "self.i >= oldSelf.i.value()",
        "self.s == oldSelf.s.value()",
        "self.b == oldSelf.b.value()",
        "self.o == oldSelf.o.value()",
        "self.o.i >= oldSelf.o.i.value()",
        "self.o.s == oldSelf.o.s.value()",
        "self.o.b == oldSelf.o.b.value()",
        "self.o.o == oldSelf.o.o.value()",
        "self.o.i >= oldSelf.o.i.orValue(1)",
        "oldSelf.hasValue() ? self.o.i >= oldSelf.o.i.value() : true",
    ] {
        assert!(
            compile(&complex, optional_rule(rule))
                .expect(rule)
                .uses_old_self(),
            "{rule}"
        );
    }
    for (rule, fragment) in [
        ("self.o.i >= oldSelf.o.i", "optional"),
        ("self.o.i >= oldSelf.o.s.orValue(0)", "orValue"),
    ] {
        let e = compile(&complex, optional_rule(rule)).expect_err(rule);
        assert!(e.contains(fragment), "{rule}: {e}");
    }
    let plain = |rule: &str| ValidationRule {
        rule: rule.into(),
        ..Default::default()
    };
    // "invalid checking for number", "compilation failure"
    for schema in [json!({"type": "number"}), int_schema.clone()] {
        let e = compile(&schema, plain("size(self) == 10")).expect_err("size of a number");
        assert!(e.contains("compilation failed"), "{e}");
    }
    // "invalid for escaping"
    let escaping = object(json!({"namespace": list(list(string())), "if": int(), "self": int()}));
    compile(&escaping, plain("size(self.namespace[0]) == 10")).expect("namespace");
    compile(&escaping, plain("self.if == 10")).expect("if");
    let e = compile(&escaping, plain("self == 10")).expect_err("self == 10");
    assert!(e.contains("found no matching overload"), "{e}");
    // "transition rule identified"
    assert!(!compile(&int_schema, plain("self > 0"))
        .expect("self > 0")
        .uses_old_self());
    assert!(compile(&int_schema, plain("self >= oldSelf"))
        .expect("self >= oldSelf")
        .uses_old_self());
    // "whitespace-only rule": no program, no error.
    let blank = compile(&json!({"type": "object"}), plain(" \t")).expect("a blank rule");
    assert_eq!(
        blank.evaluate(&json!({}), None, &mut Path::root(), &mut Budget::default()),
        Outcome::Pass
    );
    // "expression must evaluate to bool"
    let e = compile(&json!({"type": "object"}), plain("42")).expect_err("42");
    assert!(e.contains("must evaluate to a bool"), "{e}");
    // "messageExpression inclusion", "... must evaluate to a string", "... syntax error"
    let with_message = |rule: &str, message: &str| ValidationRule {
        rule: rule.into(),
        message_expression: Some(message.into()),
        ..Default::default()
    };
    compile(
        &string(),
        with_message(
            "self.startsWith('s')",
            r#""scoped field should start with 's'""#,
        ),
    )
    .expect("messageExpression");
    let e = compile(&int_schema, with_message("self == 5", "42")).expect_err("42");
    assert!(e.contains("must evaluate to a string"), "{e}");
    let e = compile(
        &json!({"type": "number"}),
        with_message("self < 32.0", r#""abc"#),
    )
    .expect_err("syntax");
    assert!(e.contains("messageExpression compilation failed"), "{e}");
    // "modified expressions may not use CEL environment features planned to be added in future
    // releases": `fakeFunction` is undeclared for a new rule.
    let e = compile(
        &json!({"type": "object"}),
        plain("fakeFunction('abc') == 'ABC'"),
    )
    .expect_err("fake");
    assert!(e.contains("undeclared reference to 'fakeFunction'"), "{e}");
}

enum Expect {
    /// The expression equals this CEL literal.
    Value(&'static str),
    /// Evaluating it fails with an error matching this regular expression (as Go's
    /// `regexp.MatchString` in the semver and quantity tests).
    Error(&'static str),
    /// Evaluating it fails with exactly this error (the ip and cidr tests compare the text).
    Exact(&'static str),
}

/// Ported from `k8s.io/apiserver/pkg/cel/library/{semver,quantity,ip,cidr}_test.go`: the cases
/// whose expected result is a bool, an int or a runtime error pattern, copied by a script
/// (cases with compile errors or opaque expected values are not included).
#[test]
fn kubernetes_library_tables() {
    let schema = json!({"type": "object"});
    for (expr, expect) in [
        (
            r#"semver("v1.0")"#,
            Expect::Error(r#"No Major.Minor.Patch elements found"#),
        ),
        (r#"isSemver("", true)"#, Expect::Value(r#"false"#)),
        (r#"isSemver(" 1.0.0", true)"#, Expect::Value(r#"false"#)),
        (r#"isSemver("1. 0.0", true)"#, Expect::Value(r#"false"#)),
        (r#"isSemver("1.0.0 ", true)"#, Expect::Value(r#"false"#)),
        (r#"isSemver("v1.0.0", true)"#, Expect::Value(r#"true"#)),
        (r#"isSemver("01.01.01", true)"#, Expect::Value(r#"true"#)),
        (r#"isSemver("1", true)"#, Expect::Value(r#"true"#)),
        (r#"isSemver("1.1", true)"#, Expect::Value(r#"true"#)),
        (
            r#"semver("v01.01", true) == semver("1.1.0")"#,
            Expect::Value(r#"true"#),
        ),
        (
            r#"quantity("10Mo")"#,
            Expect::Error(r#"quantities must match the regular expression.*"#),
        ),
        (
            r#"quantity("10Mm")"#,
            Expect::Error(r#"unable to parse quantity's suffix"#),
        ),
        (
            r#"quantity("9999999999999999999999999999999999999G").asInteger()"#,
            Expect::Error(r#"cannot convert value to integer"#),
        ),
        (
            r#"ip("192.168.0.1.0")"#,
            Expect::Exact(
                r#"IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long"#,
            ),
        ),
        (
            r#"ip.isCanonical("127.0.0.1.0")"#,
            Expect::Exact(
                r#"IP Address "127.0.0.1.0" parse error during conversion from string: ParseAddr("127.0.0.1.0"): IPv4 address too long"#,
            ),
        ),
        (
            r#"ip("2001:db8:::68")"#,
            Expect::Exact(
                r#"IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")"#,
            ),
        ),
        (
            r#"ip.isCanonical("2001:db8:::68")"#,
            Expect::Exact(
                r#"IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")"#,
            ),
        ),
        (
            r#"cidr("192.168.0.0/")"#,
            Expect::Exact(
                r#"network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: """#,
            ),
        ),
        (
            r#"cidr("2001:db8::/")"#,
            Expect::Exact(
                r#"network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("2001:db8::/"): bad bits after slash: """#,
            ),
        ),
    ] {
        match expect {
            Expect::Value(v) => {
                let rule = format!("({expr}) == {v}");
                assert_eq!(
                    run(&schema, &rule, &json!({}), None),
                    Ok(Outcome::Pass),
                    "{rule}"
                );
            }
            Expect::Exact(text) => {
                let rule = format!("dyn({expr}) == dyn({expr})");
                let Ok(Outcome::Error(e)) = run(&schema, &rule, &json!({}), None) else {
                    panic!("{expr}: expected an evaluation error");
                };
                assert_eq!(
                    e.detail,
                    format!("{text} evaluating rule: {rule}"),
                    "{expr}"
                );
            }
            Expect::Error(pattern) => {
                let rule = format!("dyn({expr}) == dyn({expr})");
                let Ok(Outcome::Error(e)) = run(&schema, &rule, &json!({}), None) else {
                    panic!("{expr}: expected an evaluation error");
                };
                let re = regex::Regex::new(pattern).expect("a Go pattern");
                assert!(
                    re.is_match(&e.detail),
                    "{expr}: {pattern:?} does not match {:?}",
                    e.detail
                );
            }
        }
    }
}

/// Ported from `validation_test.go: TestCELValidationLimit`: with no budget left the rule ends in
/// the budget finding (once); with a per-call limit of 0 in the call-cost finding.
#[test]
fn validation_limits() {
    let schema = schemas(&[int()]);
    let obj = objs(&[json!(i64::MAX)]);
    let decl = Decl::from_schema(&schema, "self", false).expect("typed");
    let rule = ValidationRule {
        rule: "self.val1 > 0".into(),
        ..Default::default()
    };
    let program = Program::compile(&rule, &decl).expect("compiles");
    let mut empty = Budget {
        remaining: 0,
        ..Budget::default()
    };
    let Outcome::Halt(e) = program.evaluate(&obj, None, &mut Path::from_text("root"), &mut empty)
    else {
        panic!("expected the budget finding");
    };
    assert!(e.to_string().contains("validation failed due to running out of cost budget, no further validation rules will be run"), "{e}");
    let mut no_calls = Budget {
        per_call_limit: 0,
        ..Budget::default()
    };
    let Outcome::Halt(e) =
        program.evaluate(&obj, None, &mut Path::from_text("root"), &mut no_calls)
    else {
        panic!("expected the call-cost finding");
    };
    assert!(
        e.to_string().contains(
            "no further validation rules will be run due to call cost exceeds limit for rule"
        ),
        "{e}"
    );
}

/// `quantity.go` declares `sign` with `cel.Overload("quantity_sign", ...)`: a global function,
/// `sign(<Quantity>)` (as the corpus's `sign(quantity(self.memory))`, which the apiserver
/// compiles), and no member overload.
#[test]
fn quantity_sign_is_a_global_function() {
    let schema = schemas(&[string()]);
    let obj = objs(&[json!("-3Gi")]);
    assert_valid(
        &schema,
        &obj,
        &[
            "sign(quantity(self.val1)) == -1",
            "sign(quantity('0')) == 0",
            "sign(quantity('2m')) == 1",
        ],
    );
    assert_errors(
        &schema,
        &obj,
        &[("quantity(self.val1).sign() == -1", "'sign'")],
    );
}

/// `format.qualifiedName()` is `validation.IsQualifiedName` = `content.IsLabelKey`
/// (apimachinery `pkg/api/validate/content/kube.go`): more than one '/' is
/// "a valid label key " + RegexError(...) + " with an optional DNS subdomain prefix and '/' ...".
#[test]
fn qualified_name_errors_in_the_words_of_is_label_key() {
    let schema = schemas(&[string()]);
    let obj = objs(&[json!("a/b/c")]);
    assert_valid(
        &schema,
        &obj,
        &[
            "format.qualifiedName().validate(self.val1).value()[0].startsWith(\"a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName'\")",
            "format.qualifiedName().validate(self.val1).value()[0].endsWith(\" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')\")",
        ],
    );
}

/// `ValidFieldPath` (apiextensions-apiserver `schema/cel/validation.go`): a `fieldPath` token
/// through a node with `additionalProperties` is `validFieldPath.Key(name)`, printed `[name]`;
/// through `properties` it is `Child(name)`, `.name` (the server reports `spec.config[mode]`).
#[test]
fn a_field_path_through_a_map_reads_as_a_key() {
    let schema = object(json!({
        "config": map_of(object(json!({"mode": string()}))),
        "name": string(),
    }));
    let obj = json!({"config": {"a.b": {"mode": "x"}}, "name": "n"});
    for (field_path, expected) in [
        (".config['a.b'].mode", "root.config[a.b].mode"),
        (".config.mode", "root.config[mode]"),
        (".name", "root.name"),
    ] {
        let decl = Decl::from_schema(&schema, "self", false).expect("a typed schema");
        let rule = ValidationRule {
            rule: "false".into(),
            field_path: Some(field_path.into()),
            ..Default::default()
        };
        let program = Program::compile(&rule, &decl).expect("compiles");
        match program.evaluate(
            &obj,
            None,
            &mut Path::from_text("root"),
            &mut Budget::default(),
        ) {
            Outcome::Violation(e) => assert_eq!(e.path, expected, "{field_path}"),
            other => panic!("{field_path}: expected a violation, got {other:?}"),
        }
    }
}
