//! Tests ported from the Go tables: every expected number comes from the named Go test, never
//! from this code's output.

use crate::cel::program::{Program, ValidationRule};
use crate::cel::types::Decl;
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
