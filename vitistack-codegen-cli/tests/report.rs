//! `vitistack-codegen validate --output junit|tap|sarif`, run as the built binary, each output
//! read back by a real parser: JUnit XML with roxmltree, TAP 13 with a strict parser of its
//! grammar (below) and YAML blocks by serde-saphyr, SARIF with the jsonschema crate against
//! the SARIF 2.1.0 JSON Schema (`tests/data/sarif-2.1.0-rtm.5.json`, see `tests/data/README.md`).
//! The findings each report must carry are the ones of `--output json` for the same input.

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A stream with, in order: a valid Machine (content from line 3), an invalid
/// NetworkConfiguration (line 12; vlan out of range, gateway outside the subnet), an empty
/// document, a ConfigMap (line 25, skipped with --ignore-unknown) and a Machine whose name holds
/// a control character and XML/TAP specials (line 30).
const STREAM: &str = "\
# leading comment
---
apiVersion: vitistack.io/v1alpha1
kind: Machine
metadata:
  name: web-01
spec:
  providerRef:
    name: proxmox-a
---
# the network
apiVersion: vitistack.io/v1alpha1
kind: NetworkConfiguration
metadata:
  name: prod
spec:
  networkId: prod
  vlan: 5000
  ipam:
    type: static
    subnet: 10.0.0.0/24
    gateway: 10.1.0.1
---
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
---
apiVersion: vitistack.io/v1alpha1
kind: Machine
metadata:
  name: \"a<&>\\\"#\\x01\"
spec:
  providerRef:
    name: p
";

/// Document index → first content line, as the stream above is laid out.
const LINES: &[(u64, u64)] = &[(1, 3), (2, 12), (4, 25), (5, 30)];

fn validate(dir: &Path, format: &str) -> Output {
    let file = dir.join("stream.yaml");
    std::fs::write(&file, STREAM).expect("write stream");
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(["validate", "--ignore-unknown", "--output", format])
        .arg(&file)
        .output()
        .expect("run vitistack-codegen")
}

/// The findings of `--output json`, grouped by document index.
fn json_findings(dir: &Path) -> Vec<Value> {
    let out = validate(dir, "json");
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("JSON output")
}

fn findings_of(findings: &[Value], document: u64) -> Vec<&Value> {
    findings
        .iter()
        .filter(|f| f["document"] == document)
        .collect()
}

fn line_of(document: u64) -> u64 {
    LINES
        .iter()
        .find(|(d, _)| *d == document)
        .map(|(_, l)| *l)
        .expect("known document")
}

#[test]
fn junit_has_a_testcase_per_document_and_failures_carry_every_finding() {
    let dir = common::temp_dir("report-junit");
    let findings = json_findings(&dir);
    let out = validate(&dir, "junit");
    assert_eq!(out.status.code(), Some(1), "same exit code as text");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("not XML: {e}\n{text}"));
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 4, "one testcase per non-empty document");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("2"));
    assert_eq!(root.attribute("skipped"), Some("1"));
    for (case, (document, line)) in cases.iter().zip(LINES) {
        assert_eq!(
            case.attribute("line"),
            Some(line.to_string().as_str()),
            "document {document}"
        );
        let expected = findings_of(&findings, *document);
        let failure = case.children().find(|n| n.has_tag_name("failure"));
        match failure {
            None => assert!(
                expected.is_empty(),
                "document {document} has findings but no failure"
            ),
            Some(failure) => {
                let body = failure.text().unwrap_or("");
                assert_eq!(body.lines().count(), expected.len(), "{body}");
                for finding in expected {
                    let path = finding["path"].as_str().unwrap_or("");
                    let message = finding["message"].as_str().unwrap_or("");
                    assert!(
                        body.contains(&format!("{path}: {message}")),
                        "{finding} not in {body}"
                    );
                }
            }
        }
    }
    assert!(cases[2].children().any(|n| n.has_tag_name("skipped")));
    // Valid and skipped documents are named after their objects too.
    assert!(cases[0]
        .attribute("name")
        .unwrap_or("")
        .ends_with(":1 Machine/web-01"));
    assert!(cases[2]
        .attribute("name")
        .unwrap_or("")
        .ends_with(":4 ConfigMap/other"));
    assert!(cases[1]
        .attribute("name")
        .unwrap_or("")
        .contains("NetworkConfiguration/prod"));
    // The control character became U+FFFD, the specials survived the round trip.
    let name = cases[3].attribute("name").unwrap_or("");
    assert!(name.ends_with("Machine/a<&>\"#\u{FFFD}"), "{name}");
}

/// One TAP 13 test point.
#[derive(Debug)]
struct Point {
    ok: bool,
    number: usize,
    description: String,
    directive: Option<String>,
    yaml: Option<Value>,
}

/// A strict parser of the TAP 13 grammar for what a producer may write: the version line,
/// the plan, test lines `ok|not ok N - description [# directive]`, and YAML blocks indented by
/// two spaces between `---` and `...` right after a test line. Anything else is an error.
fn parse_tap(text: &str) -> Result<(usize, Vec<Point>), String> {
    let mut lines = text.lines().peekable();
    if lines.next() != Some("TAP version 13") {
        return Err("first line is not `TAP version 13`".into());
    }
    let plan = lines
        .next()
        .and_then(|l| l.strip_prefix("1.."))
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or("second line is not a plan 1..N")?;
    let mut points: Vec<Point> = Vec::new();
    while let Some(line) = lines.next() {
        if line == "  ---" {
            let point = points.last_mut().ok_or("YAML block before any test line")?;
            if point.yaml.is_some() {
                return Err("two YAML blocks for one test line".into());
            }
            let mut block = String::new();
            loop {
                let inner = lines.next().ok_or("unterminated YAML block")?;
                if inner == "  ..." {
                    break;
                }
                let inner = inner
                    .strip_prefix("  ")
                    .ok_or(format!("YAML line not indented: {inner:?}"))?;
                block.push_str(inner);
                block.push('\n');
            }
            let value: Value =
                serde_saphyr::from_str(&block).map_err(|e| format!("bad YAML block: {e}"))?;
            point.yaml = Some(value);
            continue;
        }
        let (ok, rest) = if let Some(rest) = line.strip_prefix("ok ") {
            (true, rest)
        } else if let Some(rest) = line.strip_prefix("not ok ") {
            (false, rest)
        } else {
            return Err(format!("not a TAP line: {line:?}"));
        };
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let number: usize = rest[..digits]
            .parse()
            .map_err(|_| format!("no test number: {line:?}"))?;
        let rest = rest[digits..]
            .strip_prefix(" - ")
            .ok_or(format!("no description: {line:?}"))?;
        // An unescaped `#` starts the directive.
        let mut description = String::new();
        let mut directive = None;
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => description.push(chars.next().ok_or("dangling backslash")?),
                '#' => {
                    directive = Some(chars.as_str().trim().to_owned());
                    break;
                }
                c => description.push(c),
            }
        }
        points.push(Point {
            ok,
            number,
            description: description.trim_end().to_owned(),
            directive,
            yaml: None,
        });
    }
    Ok((plan, points))
}

#[test]
fn tap_is_valid_tap13_with_findings_in_the_yaml_blocks() {
    let dir = common::temp_dir("report-tap");
    let findings = json_findings(&dir);
    let out = validate(&dir, "tap");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let (plan, points) = parse_tap(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(plan, 4);
    assert_eq!(points.len(), plan);
    let oks: Vec<bool> = points.iter().map(|p| p.ok).collect();
    assert_eq!(oks, [true, false, true, false]);
    for (i, point) in points.iter().enumerate() {
        assert_eq!(point.number, i + 1);
    }
    assert_eq!(
        points[2].directive.as_deref(),
        Some("SKIP not a vitistack.io kind")
    );
    assert!(
        points[3].description.ends_with("Machine/a<&>\"#\u{FFFD}"),
        "{:?}",
        points[3]
    );
    assert!(
        points[3].directive.is_none(),
        "the # in the name started a directive"
    );
    for (point, (document, line)) in points.iter().zip(LINES) {
        let expected = findings_of(&findings, *document);
        match &point.yaml {
            None => assert!(expected.is_empty() && point.ok),
            Some(yaml) => {
                assert_eq!(yaml["line"], *line);
                assert_eq!(yaml["document"], *document);
                let got = yaml["findings"].as_array().expect("findings");
                assert_eq!(got.len(), expected.len());
                for (g, e) in got.iter().zip(expected) {
                    assert_eq!(g["path"], e["path"]);
                    if !e["message"].as_str().unwrap_or("").contains('\u{1}') {
                        assert_eq!(g["message"], e["message"]);
                    }
                }
            }
        }
    }
}

fn sarif_schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    // The `language` pattern of the published schema (run.language, toolComponent.language,
    // which the reports never write) has a stray `]` that the meta-schema's "regex" format check
    // refuses; the SARIF errata's fix replaces it here, in memory, so every other format (uri,
    // date-time, ...) stays checked.
    let fixed = replace_strings(
        &mut schema,
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    assert_eq!(fixed, 2, "the two language patterns");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Replaces every string `from` inside `value` by `to`; returns how many.
fn replace_strings(value: &mut Value, from: &str, to: &str) -> usize {
    match value {
        Value::String(s) if s == from => {
            *s = to.to_owned();
            1
        }
        Value::Array(items) => items.iter_mut().map(|v| replace_strings(v, from, to)).sum(),
        Value::Object(map) => map.values_mut().map(|v| replace_strings(v, from, to)).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema_with_rule_file_and_line() {
    let dir = common::temp_dir("report-sarif");
    let findings = json_findings(&dir);
    let out = validate(&dir, "sarif");
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let schema = sarif_schema();
    let errors: Vec<String> = schema
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len(), "one result per finding");
    for (result, finding) in results.iter().zip(&findings) {
        let document = finding["document"].as_u64().expect("document");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["region"]["startLine"],
            line_of(document),
            "{result}"
        );
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or("")
            .ends_with("stream.yaml"));
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex names the rule"
        );
        assert_eq!(result["level"], "error");
    }
    let ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert!(ids.contains(&"invalid-value"), "{ids:?}");
}

#[test]
fn the_schema_check_catches_a_broken_sarif_log() {
    // The check above is only worth something if the schema refuses what is not SARIF.
    let schema = sarif_schema();
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"results": [{"message": {"text": "x"}}]}]});
    assert!(!schema.is_valid(&broken), "a run without a tool passed");
    let wrong_version = serde_json::json!({"version": "2.0.0", "runs": []});
    assert!(!schema.is_valid(&wrong_version));
}

#[test]
fn reports_of_a_valid_file_and_of_an_unreadable_one() {
    let dir = common::temp_dir("report-valid");
    let good = dir.join("good.yaml");
    std::fs::write(
        &good,
        STREAM.split("---\n# the network").next().unwrap_or(""),
    )
    .expect("write");
    let run = |format: &str, file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
            .args(["validate", "--output", format])
            .arg(file)
            .output()
            .expect("run")
    };
    let out = run("tap", &good);
    assert_eq!(out.status.code(), Some(0));
    let expected = format!(
        "TAP version 13\n1..1\nok 1 - {}:1 Machine/web-01\n",
        good.display()
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let missing = dir.join("missing.yaml");
    let out = run("junit", &missing);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let xml = roxmltree::Document::parse(&text).expect("XML");
    let error = xml
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an <error> testcase");
    assert!(error.text().unwrap_or("").contains("missing.yaml"));
}

#[test]
fn the_pre_commit_hook_entry_is_a_working_validate_command_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.pre-commit-hooks.yaml");
    let hooks: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(path).expect("read hooks")).expect("YAML");
    let hook = hooks
        .as_array()
        .and_then(|h| h.iter().find(|h| h["id"] == "vitistack-validate"))
        .expect("the vitistack-validate hook");
    let entry: Vec<&str> = hook["entry"]
        .as_str()
        .expect("entry")
        .split_whitespace()
        .collect();
    assert_eq!(entry[0], "vitistack-codegen");
    let dir = common::temp_dir("report-hook");
    let invalid = dir.join("stream.yaml");
    std::fs::write(&invalid, STREAM).expect("write");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/machine.yaml");
    let run = |file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
            .args(&entry[1..])
            .arg(file)
            .status()
            .expect("run")
            .code()
    };
    assert_eq!(run(&example), Some(0), "a valid manifest passes the hook");
    assert_eq!(run(&invalid), Some(1), "an invalid one fails it");
}
