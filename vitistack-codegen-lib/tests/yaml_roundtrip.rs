//! YAML output must read back as the same value, for strings YAML 1.1/1.2 readers
//! (kubectl's go-yaml included) would otherwise misread.

use serde_json::{json, Map, Value};
use vitistack_codegen_lib::yaml::{parse_documents, to_yaml, to_yaml_multi};

const TRICKY: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "Yes",
    "NO",
    "On",
    "OFF",
    "true",
    "False",
    "TRUE",
    "null",
    "Null",
    "NULL",
    "~",
    "",
    " ",
    "  ",
    "1",
    "1.0",
    "-1",
    "+1",
    "0",
    "-0",
    "007",
    "09",
    "0x1F",
    "0o17",
    "0b101",
    "1e3",
    "1E-3",
    "1_000",
    ".5",
    "1.",
    ".inf",
    "-.inf",
    ".NaN",
    "12:30",
    "1:2:3",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "*",
    "*a",
    "&a",
    "!",
    "!tag",
    "!!str",
    "%",
    "@",
    "`",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    "#",
    "# c",
    "a #b",
    "a# b",
    ":",
    ": x",
    "a:",
    "a: b",
    "a:b",
    "- x",
    "-",
    "--",
    "---",
    "...",
    "--- x",
    "? x",
    "?",
    "|",
    "|-",
    ">",
    ">-",
    "<<",
    "=",
    " leading",
    "trailing ",
    "a\tb",
    "\t",
    "line\nbreak",
    "trailing\n",
    "\n",
    "\n\nlead",
    "a\n\n",
    "  indented\nnext",
    "x\r\ny",
    "\u{85}",
    "x\u{2028}y",
    "bell\u{7}",
    "del\u{7f}",
    "nul\u{0}",
    "ü日本",
    "emoji 🦀",
    "\u{feff}bom",
    "back\\slash",
    "a'b",
    "a\"b",
    "^[a-z]([-a-z0-9]*[a-z0-9])?$",
    "self.x == oldSelf.x",
    "has(self.a) ? 1 : 0",
    "{a: 1}",
    "[1, 2]",
    "'quoted'",
    "\"dq\"",
];

fn long_strings() -> Vec<String> {
    let words: String = (0..40)
        .map(|i| format!("word{i}  double  spaced "))
        .collect();
    vec![
        words.clone(),
        format!(" {words}"),
        format!("{words} "),
        "x".repeat(300),
        format!("{words}\n  indented line\n\ttab\ntrailing   \n"),
        format!("{words}\n\n\n"),
        format!("- {words}"),
        format!("# {words}"),
    ]
}

fn tricky_value() -> Value {
    let mut all: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
    all.extend(long_strings());
    let mut as_keys = Map::new();
    let mut as_values = Map::new();
    for (i, s) in all.iter().enumerate() {
        as_keys.insert(s.clone(), json!(i));
        as_values.insert(format!("v{i:03}"), Value::String(s.clone()));
    }
    json!({
        "keys": as_keys,
        "values": as_values,
        "list": all,
        "numbers": [0, -1, 1.0, 0.5, -2.5e-7, 1e300, 4294967295u64, 18446744073709551615u64, -9223372036854775808i64],
        "empties": {"map": {}, "list": [], "nested": [[], [{}], [[1, 2], []]], "null": null},
        "bools": [true, false],
    })
}

#[test]
fn tricky_strings_round_trip() {
    let v = tricky_value();
    let text = to_yaml(&v).unwrap();
    let back = parse_documents(&text, "roundtrip").unwrap();
    assert_eq!(back.len(), 1);
    if back[0] != v {
        for (section, expected) in v.as_object().unwrap() {
            assert_eq!(
                &back[0][section], expected,
                "section {section} differs; YAML:\n{text}"
            );
        }
    }
    assert_eq!(back[0], v);
}

#[test]
fn yaml_1_1_spellings_are_quoted() {
    let text = to_yaml(
        &json!({"a": "yes", "b": "on", "c": "1.0", "d": "null", "e": "*", "f": "<<", "g": "y"}),
    )
    .unwrap();
    for line in text.lines() {
        let value = line.split_once(": ").unwrap().1;
        assert!(
            value.starts_with('"') || value.starts_with('\''),
            "unquoted: {line}"
        );
    }
}

#[test]
fn multi_document_round_trip() {
    let docs = vec![tricky_value(), json!({"b": "---"}), json!({"c": "..."})];
    let text = to_yaml_multi(&docs).unwrap();
    assert_eq!(parse_documents(&text, "multi").unwrap(), docs);
}

#[test]
fn output_is_stable() {
    let v = tricky_value();
    assert_eq!(to_yaml(&v).unwrap(), to_yaml(&v).unwrap());
    let text = to_yaml(&v).unwrap();
    let back = parse_documents(&text, "x").unwrap();
    assert_eq!(
        to_yaml(&back[0]).unwrap(),
        text,
        "emit(parse(emit(v))) == emit(v)"
    );
}
