//! Tests ported from the Go tables: every expected number comes from the named Go test, never
//! from this code's output.

use super::{estimate, schema_cost, sizes, total};
use crate::cel::program::{Program, ValidationRule};
use crate::cel::types::{Decl, Type};
use serde_json::{json, Value as Json};

/// The estimate of the one rule of `schema` (not a resource root, as `schemaChecker` builds
/// it: `model.SchemaDeclType(schema, false)`).
fn max_cost(schema: &Json) -> u64 {
    let decl = Decl::from_schema(schema, "self", false).expect("a CEL type");
    let rule = ValidationRule::from_json(&schema["x-kubernetes-validations"][0]);
    Program::compile(&rule, &decl)
        .unwrap_or_else(|e| panic!("{}: {e}", rule.rule))
        .estimated_cost()
        .max
}

type Gen = Box<dyn Fn(Option<i64>) -> Json>;

fn with_rule(mut s: Json, rule: &str) -> Json {
    s["x-kubernetes-validations"] = json!([{ "rule": rule }]);
    s
}

fn with(mut s: Json, key: &str, max: Option<i64>) -> Json {
    if let Some(m) = max {
        s[key] = json!(m);
    }
    s
}

/// `parseRuleType`.
fn rule_type(t: &str) -> Json {
    match t {
        "duration" | "date" | "date-time" => json!({"type": "string", "format": t}),
        "int-or-string" => json!({"x-kubernetes-int-or-string": true}),
        _ => json!({ "type": t }),
    }
}

fn array_with_rule(t: &'static str, rule: &'static str) -> Gen {
    Box::new(move |m| {
        with_rule(
            with(
                json!({"type": "array", "items": rule_type(t)}),
                "maxItems",
                m,
            ),
            rule,
        )
    })
}

fn array_of_arrays_with_rule(t: &'static str, rule: &'static str) -> Gen {
    Box::new(move |m| {
        let items = json!({"type": "array", "items": {"type": t}});
        with_rule(
            with(json!({"type": "array", "items": items}), "maxItems", m),
            rule,
        )
    })
}

fn object_for_map() -> Json {
    json!({"type": "object", "required": ["required"], "properties": {
        "required": {"type": "string"}, "optional": {"type": "string"}}})
}

fn map_for_map() -> Json {
    json!({"type": "object", "additionalProperties": {"type": "number"}})
}

fn array_for_map() -> Json {
    json!({"type": "array", "items": {"type": "number"}})
}

fn object_array_with_rule(rule: &'static str) -> Gen {
    Box::new(move |m| {
        with_rule(
            with(
                json!({"type": "array", "items": object_for_map()}),
                "maxItems",
                m,
            ),
            rule,
        )
    })
}

fn map_array_with_rule(t: &'static str, rule: &'static str) -> Gen {
    Box::new(move |m| {
        let items = json!({"type": "object", "additionalProperties": {"type": t}});
        with_rule(
            with(json!({"type": "array", "items": items}), "maxItems", m),
            rule,
        )
    })
}

fn map_with_rule(t: &'static str, rule: &'static str) -> Gen {
    Box::new(move |m| {
        with_rule(
            with(
                json!({"type": "object", "additionalProperties": rule_type(t)}),
                "maxProperties",
                m,
            ),
            rule,
        )
    })
}

fn map_with_custom_item_rule(item: Json, rule: &'static str) -> Gen {
    Box::new(move |m| {
        with_rule(
            with(
                json!({"type": "object", "additionalProperties": item.clone()}),
                "maxProperties",
                m,
            ),
            rule,
        )
    })
}

fn string_with_rule(rule: &'static str) -> Gen {
    Box::new(move |m| with_rule(with(json!({"type": "string"}), "maxLength", m), rule))
}

fn bytes_with_rule(rule: &'static str) -> Gen {
    Box::new(move |m| {
        with_rule(
            with(json!({"type": "string", "format": "byte"}), "maxLength", m),
            rule,
        )
    })
}

fn enum_with_rule(rule: &'static str, values: &'static [&'static str]) -> Gen {
    Box::new(move |m| {
        with_rule(
            with(json!({"type": "string", "enum": values}), "maxLength", m),
            rule,
        )
    })
}

fn nested_spec_with_rule(rule: &'static str) -> Gen {
    Box::new(move |m| {
        let values = with(json!({"type": "string"}), "maxLength", m);
        with_rule(
            with(
                json!({"type": "object", "additionalProperties": values}),
                "maxProperties",
                m,
            ),
            rule,
        )
    })
}

fn nested_with_root_rule(rule: &'static str, all_bounded: bool) -> Gen {
    Box::new(move |m| {
        let inner_max = if all_bounded { m } else { None };
        let inner = with(object_for_map(), "maxProperties", inner_max);
        let items = with(
            json!({"type": "object", "additionalProperties": inner}),
            "maxProperties",
            m,
        );
        with_rule(
            with(
                json!({"type": "array", "items": items}),
                "maxItems",
                inner_max,
            ),
            rule,
        )
    })
}

fn all_max_nested_with_root_rule(rule: &'static str) -> Gen {
    nested_with_root_rule(rule, true)
}

fn one_max_nested_with_root_rule(rule: &'static str) -> Gen {
    nested_with_root_rule(rule, false)
}

fn string_array_with_rule(rule: &'static str) -> Gen {
    Box::new(move |m| {
        let s = with(json!({"type": "string"}), "maxLength", m);
        let a = json!({"type": "array", "x-kubernetes-list-type": "atomic", "items": s});
        with_rule(with(a, "maxItems", m), rule)
    })
}

fn custom(f: fn(Option<i64>) -> Json) -> Gen {
    Box::new(f)
}

enum Expect {
    Exact(u64),
    AtLeast(u64),
    /// `schemaChecker` checks nothing for an expected 0.
    Unchecked,
}
use Expect::*;

struct Case {
    name: &'static str,
    schema: Gen,
    calc: Expect,
    set_max: i64,
    set: Expect,
}

fn case(name: &'static str, schema: Gen, calc: Expect, set_max: i64, set: Expect) -> Case {
    Case {
        name,
        schema,
        calc,
        set_max,
        set,
    }
}

fn check(name: &str, which: &str, got: u64, want: &Expect, failures: &mut Vec<String>) {
    let ok = match want {
        Exact(w) => got == *w,
        AtLeast(w) => got >= *w,
        Unchecked => true,
    };
    if !ok {
        failures.push(format!(
            "{name} ({which}): got {got}, want {}",
            match want {
                Exact(w) => format!("{w}"),
                AtLeast(w) => format!(">= {w}"),
                Unchecked => String::new(),
            }
        ));
    }
}

/// `compilation_test.go: TestCostEstimation` (k8s.io/apiextensions-apiserver v0.37.2), every
/// case: the cost without limits (sizes from the request size) and with the case's limit.
#[test]
fn cost_estimation_table_of_the_apiserver() {
    let cases = vec![
        case(
            "number array with all",
            array_with_rule("number", "self.all(x, true)"),
            Exact(4718591),
            10,
            Exact(32),
        ),
        case(
            "string array with all",
            array_with_rule("string", "self.all(x, true)"),
            Exact(3145727),
            20,
            Exact(62),
        ),
        case(
            "boolean array with all",
            array_with_rule("boolean", "self.all(x, true)"),
            Exact(1887437),
            5,
            Exact(17),
        ),
        case(
            "array of number arrays with all",
            array_of_arrays_with_rule("number", "self.all(x, true)"),
            Exact(3145727),
            100,
            Exact(302),
        ),
        case(
            "array of objects with all",
            object_array_with_rule("self.all(x, true)"),
            Exact(555128),
            50,
            Exact(152),
        ),
        case(
            "map of numbers with all",
            map_with_rule("number", "self.all(x, true)"),
            Exact(1348169),
            10,
            Exact(32),
        ),
        case(
            "map of numbers with has",
            map_with_rule("number", "has(self.x)"),
            Unchecked,
            100,
            Unchecked,
        ),
        case(
            "map of strings with all",
            map_with_rule("string", "self.all(x, true)"),
            Exact(1179647),
            3,
            Exact(11),
        ),
        case(
            "map of strings with has",
            map_with_rule("string", "has(self.x)"),
            Unchecked,
            550,
            Unchecked,
        ),
        case(
            "map of booleans with all",
            map_with_rule("boolean", "self.all(x, true)"),
            Exact(943718),
            100,
            Exact(302),
        ),
        case(
            "map of booleans with has",
            map_with_rule("boolean", "has(self.x)"),
            Unchecked,
            1024,
            Unchecked,
        ),
        case(
            "string with contains",
            string_with_rule("self.contains('test')"),
            Exact(314574),
            10,
            Exact(5),
        ),
        case(
            "string with startsWith",
            string_with_rule("self.startsWith('test')"),
            Exact(2),
            15,
            Exact(2),
        ),
        case(
            "string with endsWith",
            string_with_rule("self.endsWith('test')"),
            Exact(2),
            30,
            Exact(2),
        ),
        case(
            "concat string",
            string_with_rule(r#"size(self + "hello") > size("hello")"#),
            Exact(314578),
            4,
            Exact(7),
        ),
        case(
            "index of array with numbers",
            array_with_rule("number", "self[1] == 0.0"),
            Exact(2),
            5000,
            Exact(2),
        ),
        case(
            "index of array with strings",
            array_with_rule("string", "self[1] == self[1]"),
            Exact(314577),
            8,
            Exact(314577),
        ),
        case(
            "O(n^2) loop with numbers",
            array_with_rule("number", "self.all(x, self.all(y, true))"),
            AtLeast(100_000_000),
            10,
            Exact(352),
        ),
        case(
            "O(n^3) loop with numbers",
            array_with_rule("number", "self.all(x, self.all(y, self.all(z, true)))"),
            AtLeast(100_000_000),
            10,
            Exact(3552),
        ),
        case(
            "regex matches simple",
            string_with_rule(r#"self.matches("x")"#),
            Exact(314574),
            50,
            Exact(22),
        ),
        case(
            "regex matches empty string",
            string_with_rule(r#""".matches("(((((((((())))))))))[0-9]")"#),
            Exact(7),
            10,
            Exact(7),
        ),
        case(
            "regex matches empty regex",
            string_with_rule(r#"self.matches("")"#),
            Exact(1),
            100,
            Exact(1),
        ),
        case(
            "map of strings with value length",
            nested_spec_with_rule("self.all(x, x.contains(self[x]))"),
            Exact(2752507),
            10,
            Exact(72),
        ),
        case(
            "set array maxLength to zero",
            array_with_rule("number", "self[3] == 0.0"),
            Exact(2),
            0,
            Exact(2),
        ),
        case(
            "set map maxLength to zero",
            map_with_rule("number", r#"self["x"] == 0.0"#),
            Exact(2),
            0,
            Exact(2),
        ),
        case(
            "set string maxLength to zero",
            string_with_rule(r#"self == "x""#),
            Exact(2),
            0,
            Exact(1),
        ),
        case(
            "set bytes maxLength to zero",
            bytes_with_rule(r#"self == b"x""#),
            Exact(2),
            0,
            Exact(1),
        ),
        case(
            "set maxLength greater than estimated maxLength",
            array_with_rule("number", "self.all(x, x == 0.0)"),
            Exact(6291454),
            3 * 1024 * 2048,
            Exact(25165826),
        ),
        case(
            "nested types with root rule with all supporting maxLength",
            all_max_nested_with_root_rule(r#"self.all(x, x["y"].required == "z")"#),
            Exact(7340027),
            10,
            Exact(72),
        ),
        case(
            "nested types with root rule with one supporting maxLength",
            one_max_nested_with_root_rule(r#"self.all(x, x["y"].required == "z")"#),
            Exact(7340027),
            10,
            Exact(7340027),
        ),
        case(
            "int-or-string array with all",
            array_with_rule("int-or-string", "self.all(x, true)"),
            Exact(4718591),
            10,
            Exact(32),
        ),
        case(
            "index of array with int-or-strings",
            array_with_rule("int-or-string", "self[0] == 5"),
            Exact(3),
            10,
            Exact(3),
        ),
        case(
            "index of array with booleans",
            array_with_rule("boolean", "self[0] == false"),
            Exact(2),
            25,
            Exact(2),
        ),
        case(
            "index of array of objects",
            object_array_with_rule("self[0] == null"),
            Exact(2),
            422,
            Exact(2),
        ),
        case(
            "index of array of array of numnbers",
            array_of_arrays_with_rule("number", "self[0][0] == -1.0"),
            Exact(3),
            51,
            Exact(3),
        ),
        case(
            "array of number maps with all",
            map_array_with_rule("number", r#"self.all(x, x.y == 25.2)"#),
            Exact(6291452),
            12,
            Exact(74),
        ),
        case(
            "index of array of number maps",
            map_array_with_rule("number", r#"self[0].x > 2.0"#),
            Exact(4),
            3000,
            Exact(4),
        ),
        case(
            "duration array with all",
            array_with_rule("duration", "self.all(x, true)"),
            Exact(2359295),
            5,
            Exact(17),
        ),
        case(
            "index of duration array",
            array_with_rule("duration", "self[0].getHours() == 2"),
            Exact(4),
            525,
            Exact(4),
        ),
        case(
            "date array with all",
            array_with_rule("date", "self.all(x, true)"),
            Exact(725936),
            15,
            Exact(47),
        ),
        case(
            "index of date array",
            array_with_rule("date", "self[2].getDayOfMonth() == 13"),
            Exact(4),
            42,
            Exact(4),
        ),
        case(
            "date-time array with all",
            array_with_rule("date-time", "self.all(x, true)"),
            Exact(428963),
            25,
            Exact(77),
        ),
        case(
            "index of date-time array",
            array_with_rule("date-time", "self[2].getMinutes() == 45"),
            Exact(4),
            99,
            Exact(4),
        ),
        case(
            "map of int-or-strings with all",
            map_with_rule("int-or-string", "self.all(x, true)"),
            Exact(1348169),
            15,
            Exact(47),
        ),
        case(
            "map of int-or-strings with has",
            map_with_rule("int-or-string", "has(self.x)"),
            Unchecked,
            5000,
            Unchecked,
        ),
        case(
            "map of objects with all",
            map_with_custom_item_rule(object_for_map(), "self.all(x, true)"),
            Exact(428963),
            20,
            Exact(62),
        ),
        case(
            "map of objects with has",
            map_with_custom_item_rule(object_for_map(), "has(self.x)"),
            Unchecked,
            9001,
            Unchecked,
        ),
        case(
            "map of number maps with all",
            map_with_custom_item_rule(map_for_map(), "self.all(x, true)"),
            Exact(1179647),
            10,
            Exact(32),
        ),
        case(
            "map of number maps with has",
            map_with_custom_item_rule(map_for_map(), "has(self.x)"),
            Unchecked,
            101,
            Unchecked,
        ),
        case(
            "map of number arrays with all",
            map_with_custom_item_rule(array_for_map(), "self.all(x, true)"),
            Exact(1179647),
            25,
            Exact(77),
        ),
        case(
            "map of number arrays with has",
            map_with_custom_item_rule(array_for_map(), "has(self.x)"),
            Unchecked,
            40000,
            Unchecked,
        ),
        case(
            "map of durations with all",
            map_with_rule("duration", "self.all(x, true)"),
            Exact(1048577),
            5,
            Exact(17),
        ),
        case(
            "map of durations with has",
            map_with_rule("duration", "has(self.x)"),
            Unchecked,
            256,
            Unchecked,
        ),
        case(
            "map of dates with all",
            map_with_rule("date", "self.all(x, true)"),
            Exact(524288),
            10,
            Exact(32),
        ),
        case(
            "map of dates with has",
            map_with_rule("date", "has(self.x)"),
            Unchecked,
            65536,
            Unchecked,
        ),
        case(
            "map of date-times with all",
            map_with_rule("date-time", "self.all(x, true)"),
            Exact(349526),
            25,
            Exact(77),
        ),
        case(
            "map of date-times with has",
            map_with_rule("date-time", "has(self.x)"),
            Unchecked,
            490,
            Unchecked,
        ),
        case(
            "extended library regex find",
            string_with_rule("self.find('[0-9]+') == ''"),
            Exact(629147),
            10,
            Exact(11),
        ),
        case(
            "check cost of size call",
            map_with_rule("integer", "oldSelf.size() == self.size()"),
            Exact(5),
            10,
            Exact(5),
        ),
        case(
            "check cost of timestamp comparison",
            map_with_rule("date-time", r#"self["a"] == self["b"]"#),
            Exact(8),
            7,
            Exact(8),
        ),
        case(
            "check cost of duration comparison",
            map_with_rule("duration", r#"self["c"] == self["d"]"#),
            Exact(8),
            42,
            Exact(8),
        ),
        case(
            "enums with maxLength equals to the longest possible value",
            enum_with_rule("self.contains('A')", &["A", "B", "C", "LongValue"]),
            Exact(2),
            1000,
            Exact(401),
        ),
        case(
            "extended library join",
            string_array_with_rule("self.join(' ') == 'aa bb'"),
            Exact(329853068905),
            10,
            Exact(43),
        ),
        case(
            "extended library isSorted",
            string_array_with_rule("self.isSorted() == true"),
            Exact(329854432052),
            10,
            Exact(52),
        ),
        case(
            "extended library replace",
            custom(|m| {
                let s = with(json!({"type": "string"}), "maxLength", m);
                with_rule(
                    json!({"type": "object", "properties": {
                        "str": s,
                        "before": {"type": "string", "maxLength": 2},
                        "after": {"type": "string", "maxLength": 4}}}),
                    "self.str.replace(self.before, self.after) == 'does not matter'",
                )
            }),
            Exact(629154),
            4,
            Exact(12),
        ),
        case(
            "extended library split",
            custom(|m| {
                let s = with(json!({"type": "string"}), "maxLength", m);
                with_rule(
                    json!({"type": "object", "properties": {"str": s, "separator": s}}),
                    "self.str.split(self.separator) == []",
                )
            }),
            Exact(629160),
            10,
            Exact(22),
        ),
        case(
            "extended library lowerAscii",
            string_with_rule("self.lowerAscii() == 'lower!'"),
            Exact(314575),
            10,
            Exact(6),
        ),
        case(
            "IntOrString type with quantity rule",
            custom(|m| {
                with_rule(
                    with(json!({"x-kubernetes-int-or-string": true}), "maxLength", m),
                    "isQuantity(self)",
                )
            }),
            Exact(314574),
            20,
            Exact(9),
        ),
    ];
    let mut failures = Vec::new();
    for c in &cases {
        check(
            c.name,
            "calc",
            max_cost(&(c.schema)(None)),
            &c.calc,
            &mut failures,
        );
        let set = max_cost(&(c.schema)(Some(c.set_max)));
        check(c.name, "set", set, &c.set, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// cel-go's `testCostEstimator`: sizes from hints by joined path, bytes 12, else unknown.
struct Hints(Vec<(&'static str, u64)>);

impl estimate::SizeEstimator for Hints {
    fn estimate_size(&self, path: &[String], ty: &Type) -> Option<sizes::Size> {
        let joined = path.join(".");
        if let Some((_, l)) = self.0.iter().find(|(p, _)| *p == joined) {
            return Some(sizes::Size { min: 0, max: *l });
        }
        matches!(ty, Type::Bytes).then_some(sizes::Size { min: 0, max: 12 })
    }
}

/// `TestAllTypes` as far as the cases read it.
fn all_types() -> Type {
    let schema = json!({"type": "object", "properties": {"single_int32": {"type": "integer"}}});
    Decl::from_schema(&schema, "TestAllTypes", false)
        .expect("an object")
        .ty
        .clone()
}

fn list(t: Type) -> Type {
    Type::List(Box::new(t))
}

fn map(v: Type) -> Type {
    Type::Map(Box::new(Type::String), Box::new(v))
}

/// The estimate of `expr` with `self` of type `self_type`, sized by `hints`.
fn cel_go_cost(expr: &str, self_type: Type, hints: Hints, has_cost: bool) -> (u64, u64) {
    let ast = crate::cel::parse::parse(expr).expect("parses");
    let env = crate::cel::check::Env {
        self_type: self_type.clone(),
        old_self_type: self_type,
    };
    let checked = crate::cel::check::check(&ast, &env).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let presence = sizes::Cost::fixed(u64::from(has_cost));
    let c = estimate::estimate_with(&ast.expr, &checked.types, &hints, presence);
    (c.min, c.max)
}

/// Name, expression, type of `self`, size hints, whether `has()` costs 1, `(min, max)`.
type CelGoCase = (&'static str, &'static str, Type, Hints, bool, (u64, u64));

/// `checker/cost_test.go: TestCost` (github.com/google/cel-go v0.29.2): every case with at
/// most one variable (renamed from `input` to `self`, the only variable a rule has; hints
/// renamed alike). Left out: cases with several variables, a custom overload estimator, or
/// a message type literal.
#[test]
fn cost_table_of_cel_go() {
    let none = || Hints(Vec::new());
    let all = all_types;
    let nested_map = || map(map(all()));
    #[rustfmt::skip]
    let cases: Vec<CelGoCase> = vec![
        ("const", r#""Hello World!""#, Type::Int, none(), true, (0, 0)),
        ("identity", "self", list(Type::Int), none(), true, (1, 1)),
        ("select: map", "self['key']", map(Type::String), none(), true, (2, 2)),
        ("select: field", "self.single_int32", all(), none(), true, (2, 2)),
        ("select: field test only no has() cost", "has(self.single_int32)", all(), none(), false, (1, 1)),
        ("select: field test only", "has(self.single_int32)", all(), none(), true, (2, 2)),
        ("select: non-proto field test has() cost", "has(self.testAttr.nestedAttr)", nested_map(), none(), true, (3, 3)),
        ("select: non-proto field test no has() cost", "has(self.testAttr.nestedAttr)", nested_map(), none(), false, (2, 2)),
        ("create list", "[1, 2, 3]", Type::Int, none(), true, (10, 10)),
        ("create map", r#"{"a": 1, "b": 2, "c": 3}"#, Type::Int, none(), true, (30, 30)),
        ("all comprehension", "self.all(x, true)", list(all()), Hints(vec![("self", 100)]), true, (2, 302)),
        ("nested all comprehension", "self.all(x, x.all(y, true))", list(list(all())), Hints(vec![("self", 50), ("self.@items", 10)]), true, (2, 1752)),
        ("all comprehension on literal", "[1, 2, 3].all(x, true)", Type::Int, none(), true, (20, 20)),
        ("variable cost function", "self.matches('[0-9]')", Type::String, Hints(vec![("self", 500)]), true, (3, 103)),
        ("variable cost function with constant", "'123'.matches('[0-9]')", Type::Int, none(), true, (2, 2)),
        ("or", "true || false", Type::Int, none(), true, (0, 0)),
        ("and", "true && false", Type::Int, none(), true, (0, 0)),
        ("lt", "1 < 2", Type::Int, none(), true, (1, 1)),
        ("lte", "1 <= 2", Type::Int, none(), true, (1, 1)),
        ("eq", "1 == 2", Type::Int, none(), true, (1, 1)),
        ("gt", "2 > 1", Type::Int, none(), true, (1, 1)),
        ("gte", "2 >= 1", Type::Int, none(), true, (1, 1)),
        ("in", "2 in [1, 2, 3]", Type::Int, none(), true, (13, 13)),
        ("plus", "1 + 1", Type::Int, none(), true, (1, 1)),
        ("minus", "1 - 1", Type::Int, none(), true, (1, 1)),
        ("/", "1 / 1", Type::Int, none(), true, (1, 1)),
        ("*", "1 * 1", Type::Int, none(), true, (1, 1)),
        ("%", "1 % 1", Type::Int, none(), true, (1, 1)),
        ("ternary", "true ? 1 : 2", Type::Int, none(), true, (0, 0)),
        ("string size", r#"size("123")"#, Type::Int, none(), true, (1, 1)),
        ("bytes size", r#"size(b"123")"#, Type::Int, none(), true, (1, 1)),
        ("bytes to string conversion", "string(self)", Type::Bytes, Hints(vec![("self", 500)]), true, (1, 51)),
        ("bytes to string conversion equality", "string(self) == string(self)", Type::Bytes, Hints(vec![("self", 500)]), true, (3, 152)),
        ("string to bytes conversion", "bytes(self)", Type::String, Hints(vec![("self", 500)]), true, (1, 51)),
        ("string to bytes conversion equality", "bytes(self) == bytes(self)", Type::String, Hints(vec![("self", 500)]), true, (3, 302)),
        ("int to string conversion", "string(1)", Type::Int, none(), true, (1, 1)),
        ("matches", r#"self.matches('\\d+a\\d+b')"#, Type::String, Hints(vec![("self", 500)]), true, (3, 103)),
        ("matches global", r#"matches(self, '\\d+a\\d+b')"#, Type::String, Hints(vec![("self", 500)]), true, (3, 103)),
        ("size receiver", "self.size()", Type::String, none(), true, (2, 2)),
        ("size", "size(self)", Type::String, none(), true, (2, 2)),
        ("comprehension over map", "self.all(k, self[k].single_int32 > 3)", map(all()), Hints(vec![("self", 10)]), true, (2, 82)),
        ("comprehension over nested map of maps", "self.all(k, self[k].all(x, true))", nested_map(), Hints(vec![("self", 5), ("self.@values", 10)]), true, (2, 187)),
        ("string size of map keys", "self.all(k, k.contains(k))", nested_map(), Hints(vec![("self", 5), ("self.@keys", 10)]), true, (2, 32)),
        ("comprehension variable shadowing", "self.all(k, self[k].all(k, true) && k.contains(k))", nested_map(), Hints(vec![("self", 2), ("self.@values", 2), ("self.@keys", 5)]), true, (2, 34)),
        ("nested subexpression operators", "((5 != 6) == (1 == 2)) == ((3 <= 4) == (9 != 9))", Type::Int, none(), true, (7, 7)),
        (".filter list literal", "[1,2,3,4,5].filter(x, x % 2 == 0)", Type::Int, none(), true, (41, 101)),
        (".map list literal", "[1,2,3,4,5].map(x, x)", Type::Int, none(), true, (86, 86)),
        (".map.filter list literal", "[1,2,3,4,5].map(x, x).filter(x, x % 2 == 0)", Type::Int, none(), true, (117, 177)),
        (".map.exists list literal", "[1,2,3,4,5].map(x, x).exists(x, x == 5) == true", Type::Int, none(), true, (108, 118)),
        (".map.map list literal", "[1,2,3,4,5].map(x, x).map(x, x)", Type::Int, none(), true, (162, 162)),
        (".map list literal selection", "[1,2,3,4,5].map(x, x)[4]", Type::Int, none(), true, (87, 87)),
        ("nested array selection", "[[1,2],[1,2],[1,2],[1,2],[1,2]][4]", Type::Int, none(), true, (61, 61)),
        ("nested map selection", "{'a': [1,2], 'b': [1,2], 'c': [1,2], 'd': [1,2], 'e': [1,2]}.b", Type::Int, none(), true, (81, 81)),
        ("comprehension on nested list", "[[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]].all(y, y.all(y, y == 1))", Type::Int, none(), true, (76, 136)),
        ("comprehension on transformed nested list", "[1,2,3,4,5].map(x, [x, x]).all(y, y.all(y, y == 1))", Type::Int, none(), true, (157, 217)),
        ("comprehension on nested literal list", r#"["a", "ab", "abc", "abcd", "abcde"].map(x, [x, x]).all(y, y.all(y, y.startsWith('a')))"#, Type::Int, none(), true, (157, 217)),
        ("comprehension on nested variable list", "self.map(x, [x, x]).all(y, y.all(y, y.startsWith('a')))", list(Type::String), Hints(vec![("self", 5), ("self.@items", 10)]), true, (13, 208)),
        ("comprehension chaining with concat", "[1,2,3,4,5].map(x, x).map(x, x) + [1]", Type::Int, none(), true, (173, 173)),
        ("nested comprehension", "[1,2,3].all(i, i in [1,2,3].map(j, j + j))", Type::Int, none(), true, (20, 230)),
        ("nested dyn comprehension", "dyn([1,2,3]).all(i, i in dyn([1,2,3]).map(j, j + j))", Type::Int, none(), true, (21, 234)),
        ("literal map access", "{'hello': 'hi'}['hello'] != {'hello': 'bye'}['hello']", Type::Int, none(), true, (63, 63)),
        ("literal list access", "['hello', 'hi'][0] != ['hello', 'bye'][1]", Type::Int, none(), true, (23, 23)),
        ("type call", "type(1)", Type::Int, none(), true, (1, 1)),
        ("type call variable", "type(self.val1)", map(Type::Int), none(), true, (3, 3)),
        ("type call variable equality", "type(self.val1) == int", map(Type::Int), none(), true, (5, 1844674407370955268)),
        ("type literal equality cost", "type(1) == int", Type::Int, none(), true, (3, 1844674407370955266)),
        ("simple map variable equality", "self.val1 == 1.0", map(Type::Double), none(), true, (3, 3)),
        ("date-time math", "self.val1 == timestamp('2011-08-18T00:00:00.000+01:00') + duration('19h3m37s10ms')", map(Type::Timestamp), none(), true, (6, 6)),
        ("date-time math self-conversion", "timestamp(self.val1) == timestamp('2011-08-18T00:00:00.000+01:00') + duration('19h3m37s10ms')", map(Type::Timestamp), none(), true, (7, 7)),
        ("boolean vars equal", "self.val1 != self.val2", map(Type::Bool), none(), true, (5, 5)),
        ("boolean var equals literal", "self.val1 != true", map(Type::Bool), none(), true, (3, 3)),
        ("double var equals literal", "self.val1 == 1.0", map(Type::Double), none(), true, (3, 3)),
    ];
    let mut failures = Vec::new();
    for (name, expr, self_type, hints, has_cost, want) in cases {
        let got = cel_go_cost(expr, self_type, hints, has_cost);
        if got != want {
            failures.push(format!("{name}: {expr}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `validation_test.go: TestPerCRDEstimatedCost` (k8s.io/apiextensions-apiserver v0.37.2).
#[test]
fn per_crd_total_keeps_the_four_most_expensive() {
    let half = u64::MAX / 2;
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<u64>, Vec<u64>, u64)> = vec![
        ("no costs", vec![], vec![], 0),
        ("one cost", vec![1000000], vec![1000000], 1000000),
        ("one cost, ignored", vec![900000], vec![], 900000),
        ("2 costs", vec![5000000, 25000000], vec![25000000, 5000000], 30000000),
        ("3 costs, one ignored", vec![5000000, 25000000, 900000], vec![25000000, 5000000], 30900000),
        ("4 costs", vec![16000000, 50000000, 34000000, 50000000], vec![50000000, 50000000, 34000000, 16000000], 150000000),
        ("5 costs, one trimmed, one ignored", vec![16000000, 50000000, 900000, 34000000, 50000000, 50000001], vec![50000001, 50000000, 50000000, 34000000], 200900001),
        ("costs do not overflow", vec![half, half, 1, 10, 100, 1000], vec![half, half], u64::MAX),
    ];
    for (name, costs, expensive, total) in cases {
        let mut t = total::TotalCost::default();
        for c in costs {
            t.observe("p", c);
        }
        let got: Vec<u64> = t.most_expensive.iter().map(|(_, c)| *c).collect();
        assert_eq!(got, expensive, "{name}");
        assert_eq!(t.total, total, "{name}");
    }
}

/// A chain of schemas, each the only child of the one before, ending in a string leaf.
fn chain(schemas: &[Json]) -> Json {
    let mut node = json!({"type": "string"});
    for s in schemas.iter().rev() {
        let mut s = s.clone();
        if s.get("items").is_some() {
            s["items"] = node;
        } else if s.get("additionalProperties").is_some() {
            s["additionalProperties"] = node;
        } else {
            s["properties"] = json!({ "f": node });
        }
        node = s;
    }
    node
}

/// `validation_test.go: TestCostInfo`: the cardinality of the leaf below a chain.
#[test]
fn cardinality_multiplies_the_bounds_above() {
    let object = || json!({"type": "object"});
    let array = |max: Option<u64>| {
        let mut a = json!({"type": "array", "items": {}});
        if let Some(m) = max {
            a["maxItems"] = json!(m);
        }
        a
    };
    let map = |max: Option<u64>| {
        let mut a = json!({"type": "object", "additionalProperties": {}});
        if let Some(m) = max {
            a["maxProperties"] = json!(m);
        }
        a
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<Json>, Option<u64>)> = vec![
        ("object", vec![object()], Some(1)),
        ("array", vec![array(Some(5))], Some(5)),
        ("unbounded array", vec![array(None)], None),
        ("map", vec![map(Some(10))], Some(10)),
        ("unbounded map", vec![map(None)], None),
        ("array inside map", vec![map(Some(5)), array(Some(5))], Some(25)),
        ("unbounded array inside bounded map", vec![map(Some(5)), array(None)], None),
        ("object inside array", vec![array(Some(3)), object()], Some(3)),
        ("map inside object inside array", vec![array(Some(2)), object(), map(Some(4))], Some(8)),
        ("integer overflow bounds check", vec![array(Some(i64::MAX as u64)), array(Some(100))], Some(u64::MAX)),
    ];
    for (name, schemas, want) in cases {
        let root = chain(&schemas);
        let mut node = &root;
        let mut card = Some(1);
        while let Some(child) = node
            .get("items")
            .or_else(|| node.get("additionalProperties"))
            .or_else(|| node.pointer("/properties/f"))
        {
            card = total::child_cardinality(card, node);
            node = child;
        }
        assert_eq!(card, want, "{name}");
    }
}

/// The apiserver's `Forbidden` paths of a CRD schema, sorted.
fn forbidden_paths(schema: &Json) -> Vec<String> {
    let mut paths: Vec<String> = schema_cost(schema)
        .errors()
        .into_iter()
        .map(|(p, _)| format!("spec.validation.{p}"))
        .collect();
    paths.sort();
    paths
}

fn double_nested(value: Json) -> Json {
    json!({"type": "object", "properties": {"value": value}})
}

/// `validation_test.go: TestValidateCustomResourceDefinitionValidation`, the cost cases
/// ("forbid double-nested rule with no limit set" through "forbid validation rules where cost
/// total exceeds total limit"): which paths the apiserver forbids.
#[test]
fn crd_cost_verdicts_of_the_apiserver() {
    let rule = json!([{"rule": "self.all(x, x.all(y, x[y].key == x[y].key))"}]);
    let entry =
        |key: Json| json!({"type": "object", "required": ["key"], "properties": {"key": key}});
    let rule_path =
        "spec.validation.openAPIV3Schema.properties[value].x-kubernetes-validations[0].rule";
    let root = "spec.validation.openAPIV3Schema";

    let no_limit = double_nested(json!({"type": "array", "x-kubernetes-validations": rule,
        "items": {"type": "object", "additionalProperties": entry(json!({"type": "string"}))}}));
    assert_eq!(
        forbidden_paths(&no_limit),
        [root, rule_path, rule_path],
        "no limit set"
    );

    let one_limit = double_nested(json!({"type": "array", "x-kubernetes-validations": rule,
        "items": {"type": "object", "additionalProperties":
            entry(json!({"type": "string", "maxLength": 10}))}}));
    assert_eq!(
        forbidden_paths(&one_limit),
        [root, rule_path, rule_path],
        "one limit set"
    );

    let three_limits = double_nested(json!({"type": "array", "maxItems": 10,
        "x-kubernetes-validations": rule,
        "items": {"type": "object", "maxProperties": 10, "additionalProperties":
            entry(json!({"type": "string", "maxLength": 10}))}}));
    assert!(
        forbidden_paths(&three_limits).is_empty(),
        "three limits set"
    );

    let outermost = double_nested(json!({"type": "array", "maxItems": 4,
        "x-kubernetes-validations": rule,
        "items": {"type": "object", "additionalProperties": entry(json!({"type": "number"}))}}));
    assert!(
        forbidden_paths(&outermost).is_empty(),
        "one limit on the outermost array"
    );

    let scalar = json!({"type": "object", "properties": {"value": {"type": "integer",
        "x-kubernetes-validations": [{"rule": "self < 1024"}]}}});
    assert!(
        forbidden_paths(&scalar).is_empty(),
        "cardinality of 1 under root object"
    );

    let contains = json!([{"rule": "self.contains('keyword')"}]);
    let total = json!({"type": "object", "properties": {
        "list": {"type": "array", "maxItems": 100000, "items":
            {"type": "string", "maxLength": 5000, "x-kubernetes-validations": contains}},
        "map": {"type": "object", "maxProperties": 1000, "additionalProperties":
            {"type": "string", "maxLength": 5000, "x-kubernetes-validations": contains}},
        "field": {"type": "integer", "x-kubernetes-validations": [{"rule": "self > 50 && self < 100"}]}}});
    let list =
        "spec.validation.openAPIV3Schema.properties[list].items.x-kubernetes-validations[0].rule";
    let map = "spec.validation.openAPIV3Schema.properties[map].additionalProperties.x-kubernetes-validations[0].rule";
    assert_eq!(
        forbidden_paths(&total),
        [root, list, list, map],
        "cost total exceeds total limit"
    );
}

/// `getCostErrorMessage`'s three forms (Go's `%fx`, `%.1fx`, `more than 100x`; Go and Rust
/// both round the exact binary value half to even: 2.25 prints 2.2).
#[test]
fn factor_is_printed_as_go_prints_it() {
    let limit = total::RULE_COST_LIMIT;
    assert_eq!(total::factor(12_000_000, limit), "1.200000x");
    assert_eq!(total::factor(181_000_000, limit), "18.1x");
    assert_eq!(total::factor(22_500_000, limit), "2.2x");
    assert_eq!(total::factor(1_000_000_001, limit), "more than 100x");
    assert_eq!(
        total::cost_error_message("estimated rule cost", 181_000_000, limit),
        "estimated rule cost exceeds budget by factor of 18.1x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
    );
}

/// A CRD root with `spec.l`: an unbounded list of integers carrying `rule`.
fn list_crd(rule: &str) -> Json {
    json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "l": {"type": "array", "items": {"type": "integer"},
              "x-kubernetes-validations": [{"rule": rule}]}}}}})
}

/// The suggestion for an O(n²) rule on an unbounded list: the largest `maxItems` that fits.
/// By cel-go's formulas (`checker/cost.go`), with `x == y` costing 2 (the items' size is 0, so
/// the comparison itself is free, as in TestCostEstimation's "set maxLength greater than
/// estimated maxLength"): inner `all` 2 + 5n, outer 2 + n(5 + 5n) = 5n² + 5n + 2, which is
/// 9,989,912 at n = 1413 and 10,004,052 at n = 1414.
#[test]
fn suggestion_is_the_largest_bound_that_fits() {
    let crd = list_crd("self.all(x, self.all(y, x == y))");
    let cost = schema_cost(&crd);
    let finding = &cost.findings[0];
    assert_eq!(
        finding.path,
        "openAPIV3Schema.properties[spec].properties[l].x-kubernetes-validations[0].rule"
    );
    assert_eq!(finding.factor().as_deref(), Some("more than 100x"));
    let suggestion = finding.suggestion.clone().expect("a bound");
    assert_eq!(suggestion.to_string(), "add maxItems: 1413 to spec.l");
    // Applying it brings the rule under; one more item does not.
    let with = |n: u64| {
        let mut c = crd.clone();
        c["properties"]["spec"]["properties"]["l"]["maxItems"] = json!(n);
        schema_cost(&c).findings[0].cost
    };
    assert_eq!(with(1413), 9_989_912);
    assert_eq!(with(1414), 10_004_052);
}

/// The schema model's bounds reach the estimate: `Rule::items` is the list's maxItems (the
/// same O(n²) rule as [`suggestion_is_the_largest_bound_that_fits`]: 1,413 items fit, 1,414
/// do not).
#[test]
fn crd_total_reads_the_bounds_of_the_schema_model() {
    use crate::rules::{RawCel, Rule};
    use crate::schema::{IntFormat, ListType, Node, Property, Type as Shape};
    let list = |max: Option<u64>| {
        let rule = RawCel {
            rule: "self.all(x, self.all(y, x == y))".into(),
            ..Default::default()
        };
        let mut l = Node::new(Shape::Array {
            items: Box::new(Node::new(Shape::Integer(IntFormat::Int64))),
            list: ListType::Atomic,
        })
        .with_rule(Rule::Cel(rule));
        if max.is_some() {
            l = l.with_rule(Rule::items(None, max));
        }
        Node::object(vec![Property::new(
            "spec",
            false,
            Node::object(vec![Property::new("l", false, l)]),
        )])
    };
    let over = |max| {
        super::crd_total(&list(max))
            .findings
            .iter()
            .any(|f| f.over_limit.is_some())
    };
    assert!(over(None));
    assert!(!over(Some(1413)));
    assert!(over(Some(1414)));
}

/// `celcoststability_test.go: TestCelEstimatedCostStability` (k8s.io/apiextensions-apiserver
/// v0.37.2), every rule of every case: the table is in `testdata/` (see its SOURCE.md).
#[test]
fn estimated_cost_stability_of_the_apiserver() {
    let cases: Json =
        serde_json::from_str(include_str!("testdata/estimated_cost_stability.json")).expect("JSON");
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases.as_array().expect("a list") {
        let name = case["case"].as_str().unwrap_or_default();
        for (rule, want) in case["rules"].as_object().expect("rules") {
            let schema = with_rule(case["schema"].clone(), rule);
            let decl = Decl::from_schema(&schema, "self", false).expect("a CEL type");
            let rule_entry = ValidationRule::from_json(&schema["x-kubernetes-validations"][0]);
            let got = match Program::compile(&rule_entry, &decl) {
                Ok(p) => p.estimated_cost().max,
                Err(e) => {
                    failures.push(format!("{name}: {rule}: does not compile: {e}"));
                    continue;
                }
            };
            checked += 1;
            if Some(got) != want.as_u64() {
                failures.push(format!("{name}: {rule}: got {got}, want {want}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, 301);
}

/// The size estimator of `library/cost_test.go`: every string or bytes node is up to 12 long.
struct TwelveCharStrings;

impl estimate::SizeEstimator for TwelveCharStrings {
    fn estimate_size(&self, _: &[String], ty: &Type) -> Option<sizes::Size> {
        matches!(ty, Type::String | Type::Bytes).then_some(sizes::Size { min: 0, max: 12 })
    }
}

/// `k8s.io/apiserver/pkg/cel/library/cost_test.go` (v0.37.2): the estimated cost of every
/// expression its `testCost` checks (the table is in `testdata/`, see its SOURCE.md). The Go
/// tests' environment differs from a CRD rule's in three ways, and exactly the expressions
/// they concern must fail to compile here: Kubernetes lists v1 (`includes`), which
/// compatibility 1.36 does not offer new rules; no `HomogeneousAggregateLiterals`
/// (`sets.contains([1], [1.0, 1])` mixes types in a literal); `jsonpatch` (mutating admission
/// only).
#[test]
fn library_cost_of_the_apiserver() {
    let cases: Json =
        serde_json::from_str(include_str!("testdata/library_cost.json")).expect("JSON");
    let env = crate::cel::check::Env {
        self_type: Type::Int,
        old_self_type: Type::Int,
    };
    let mut failures = Vec::new();
    let mut not_compiled = Vec::new();
    let mut checked = 0;
    for case in cases.as_array().expect("a list") {
        let (test, expr) = (case["test"].as_str(), case["expr"].as_str());
        let (Some(test), Some(expr)) = (test, expr) else {
            panic!("a case without test or expr: {case}");
        };
        let want = (case["min"].as_u64(), case["max"].as_u64());
        let ast = crate::cel::parse::parse(expr).expect("parses");
        let Ok(checked_ast) = crate::cel::check::check(&ast, &env) else {
            not_compiled.push(format!("{test}: {expr}"));
            continue;
        };
        let c = estimate::estimate_with(
            &ast.expr,
            &checked_ast.types,
            &TwelveCharStrings,
            sizes::Cost::fixed(0),
        );
        checked += 1;
        if (Some(c.min), Some(c.max)) != want {
            failures.push(format!(
                "{test}: {expr}: got {:?}, want {want:?}",
                (c.min, c.max)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let expected = |c: &String| {
        c.contains("includes(") || c.starts_with("TestSetsCost: ") || c.contains("jsonpatch.")
    };
    assert!(
        not_compiled.iter().all(expected) && not_compiled.len() == 28,
        "not compiled:\n{}",
        not_compiled.join("\n")
    );
    assert_eq!(checked, 214 - 28);
}
