//! `vitistack-codegen validate`, run as the built binary: verdicts, line format, document
//! indexes, strictness, unknown kinds, exit codes, stdin, JSON output, directories, and hostile
//! input (alias bombs, deep nesting, garbage) that must end quickly without a crash.

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run vitistack-codegen")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vitistack-codegen");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    common::fixture("validate").join(name)
}

fn fx(name: &str) -> String {
    fixture(name).display().to_string()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// Exit code, with stdout and stderr in the assertion message.
#[track_caller]
fn assert_code(out: &Output, expected: i32) {
    assert_eq!(
        code(out),
        Some(expected),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn lines(out: &Output) -> Vec<String> {
    text(&out.stdout).lines().map(str::to_owned).collect()
}

fn nc(name: &str, vlan: u32) -> String {
    format!(
        "apiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata:\n  name: {name}\nspec:\n  networkId: net-a\n  vlan: {vlan}\n"
    )
}

#[test]
fn help_explains_everything() {
    let out = run(&["validate", "--help"]);
    assert_code(&out, 0);
    let help = text(&out.stdout);
    for needle in [
        "--strict",
        "--no-strict",
        "--output",
        "--ignore-unknown",
        "--json-schema",
        "FILE:DOC: Kind/name: field.path: message",
        "Exit codes",
        "stdin",
        "duplicate",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}:\n{help}");
    }
}

#[test]
fn every_example_is_valid() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    // The examples are part of the repository: missing ones are a failure, not a reason to
    // check something else.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&examples)
        .unwrap_or_else(|e| panic!("{}: {e}", examples.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        10,
        "one example per kind in {}",
        examples.display()
    );
    for file in &files {
        let f = file.display().to_string();
        for extra in [&[][..], &["--json-schema"], &["--no-strict"]] {
            let mut args = vec!["validate", f.as_str()];
            args.extend_from_slice(extra);
            let out = run(&args);
            assert_code(&out, 0);
            assert!(out.stdout.is_empty(), "{f}: {}", text(&out.stdout));
        }
    }
    // All at once, as a directory.
    let out = run(&["validate", examples.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(
        text(&out.stderr).contains("10 documents, 10 valid, 0 invalid"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn invalid_vlan_is_reported_in_apiserver_words() {
    let f = fx("invalid-vlan.yaml");
    let out = run(&["validate", &f]);
    assert_code(&out, 1);
    assert!(
        lines(&out).contains(&format!(
            "{f}:1: NetworkConfiguration/vlan-bad: spec.vlan: Invalid value: 5000: must be less than or equal to 4094"
        )),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("1 document, 0 valid, 1 invalid"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn multi_document_stream_names_the_bad_document() {
    let f = fx("multi.yaml");
    let out = run(&["validate", &f]);
    assert_code(&out, 1);
    let lines = lines(&out);
    assert!(
        lines.contains(&format!(
            "{f}:3: NetworkConfiguration/third: spec.vlan: Invalid value: 5000: must be less than or equal to 4094"
        )),
        "{lines:?}"
    );
    assert!(
        lines.iter().all(|l| l.starts_with(&format!("{f}:3: "))),
        "{lines:?}"
    );
    // Document 4 is empty: skipped, not counted.
    assert!(
        text(&out.stderr).contains("4 documents, 3 valid, 1 invalid"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn long_streams_keep_document_order_and_indexes() {
    // Long enough to be checked in parallel, across more than one window.
    let dir = common::temp_dir("validate-long");
    let bad = [7usize, 2049, 2500, 4100];
    let mut stream = String::new();
    for i in 1..=4200usize {
        if i > 1 {
            stream.push_str("---\n");
        }
        let vlan = if bad.contains(&i) { 5000 } else { 100 };
        stream.push_str(&nc(&format!("doc-{i}"), vlan));
    }
    let path = dir.join("long.yaml");
    std::fs::write(&path, stream).unwrap();
    let f = path.display().to_string();
    let out = run(&["validate", &f]);
    assert_code(&out, 1);
    let expected: Vec<String> = bad
        .iter()
        .map(|i| {
            format!("{f}:{i}: NetworkConfiguration/doc-{i}: spec.vlan: Invalid value: 5000: must be less than or equal to 4094")
        })
        .collect();
    assert_eq!(lines(&out), expected);
    assert!(text(&out.stderr).contains("4200 documents, 4196 valid, 4 invalid"));
}

/// A stream read as it is checked: documents of different lengths, with comments, `...` end
/// markers and blank lines, over several windows, through a file and through stdin. Every
/// format sees the documents in order, and SARIF's line of each invalid document is the line of
/// its first content line, counted here from the text itself.
#[test]
fn streamed_input_keeps_order_and_line_numbers() {
    let dir = common::temp_dir("validate-streamed");
    let bad = [1usize, 2, 2047, 2048, 2049, 4096, 5000];
    let mut stream = String::new();
    let mut expected = Vec::new();
    for i in 1..=5000usize {
        match i % 3 {
            0 => stream.push_str("---\n# a comment\n\n"),
            1 => stream.push_str("--- # marker comment\n"),
            _ => stream.push_str("---\n"),
        }
        let first_line = stream.matches('\n').count() + 1;
        let vlan = if bad.contains(&i) { 5000 } else { 100 };
        stream.push_str(&nc(&format!("doc-{i}"), vlan));
        // Longer documents now and then, so windows cut at different byte positions.
        for _ in 0..(i % 7) {
            stream.push_str("  # filler\n");
        }
        if i % 5 == 0 {
            stream.push_str("...\n");
        }
        if bad.contains(&i) {
            expected.push((i, first_line));
        }
    }
    let path = dir.join("streamed.yaml");
    std::fs::write(&path, &stream).unwrap();
    let f = path.display().to_string();
    for (name, out) in [
        ("file", run(&["validate", "-o", "sarif", &f])),
        (
            "stdin",
            run_stdin(&["validate", "-o", "sarif", "-"], stream.as_bytes()),
        ),
    ] {
        assert_code(&out, 1);
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        let seen: Vec<(String, u64)> = results
            .iter()
            .map(|r| {
                let location = &r["locations"][0]["physicalLocation"];
                let line = location["region"]["startLine"].as_u64().expect("line");
                (
                    r["message"]["text"].as_str().unwrap_or_default().to_owned(),
                    line,
                )
            })
            .collect();
        assert_eq!(seen.len(), expected.len(), "{name}: {seen:?}");
        for ((message, line), (i, first_line)) in seen.iter().zip(&expected) {
            assert!(
                message.contains(&format!("NetworkConfiguration/doc-{i}: spec.vlan")),
                "{name}: {message}"
            );
            assert_eq!(*line, *first_line as u64, "{name}: document {i}: {message}");
        }
        assert!(
            text(&out.stderr).contains("5000 documents, 4993 valid, 7 invalid"),
            "{name}: {}",
            text(&out.stderr)
        );
    }
    let text_out = run_stdin(&["validate", "-"], stream.as_bytes());
    let expected_text: Vec<String> = expected
        .iter()
        .map(|(i, _)| format!("-:{i}: NetworkConfiguration/doc-{i}: spec.vlan: Invalid value: 5000: must be less than or equal to 4094"))
        .collect();
    assert_eq!(lines(&text_out), expected_text);
}

#[test]
fn unknown_fields_depend_on_strictness() {
    let f = fx("unknown-field.yaml");
    let out = run(&["validate", &f]);
    assert_code(&out, 1);
    assert!(
        lines(&out)
            .iter()
            .any(|l| l.starts_with(&format!("{f}:1: NetworkConfiguration/extra: spec.colour: "))),
        "{}",
        text(&out.stdout)
    );
    assert_code(&run(&["validate", "--strict", &f]), 1);
    let out = run(&["validate", "--no-strict", &f]);
    assert_code(&out, 0);
    assert!(out.stdout.is_empty());
    // The last of --strict / --no-strict wins.
    assert_code(&run(&["validate", "--no-strict", "--strict", &f]), 1);
    assert_code(&run(&["validate", "--strict", "--no-strict", &f]), 0);
}

#[test]
fn duplicate_keys_depend_on_strictness() {
    let f = fx("duplicate-key.yaml");
    let out = run(&["validate", &f]);
    assert_code(&out, 1);
    let lines = lines(&out);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{f}:1: duplicate key \"vlan\" at line 8"))),
        "{lines:?}"
    );
    let out = run(&["validate", "--no-strict", &f]);
    assert_code(&out, 0);
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn unknown_kinds_are_errors_unless_ignored() {
    let f = fx("unknown-kind.yaml");
    let out = run(&["validate", &f]);
    assert_code(&out, 1);
    assert!(
        lines(&out)
            .iter()
            .any(|l| l.starts_with(&format!("{f}:1: ConfigMap/settings: unknown kind"))),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["validate", "--ignore-unknown", &f]);
    assert_code(&out, 0);
    assert!(
        text(&out.stderr).contains("2 documents, 1 valid, 0 invalid, 1 skipped"),
        "{}",
        text(&out.stderr)
    );
    // A typo inside vitistack.io is never skipped.
    let typo = "apiVersion: vitistack.io/v1alpha1\nkind: NetworkConfig\nmetadata:\n  name: x\n";
    let out = run_stdin(&["validate", "--ignore-unknown", "-"], typo.as_bytes());
    assert_code(&out, 1);
    assert!(
        text(&out.stdout).contains("-:1: NetworkConfig/x: unknown kind"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn missing_file_exits_2_and_other_files_are_still_checked() {
    let out = run(&["validate", "/no/such/file.yaml"]);
    assert_code(&out, 2);
    assert!(
        text(&out.stderr).contains("/no/such/file.yaml"),
        "{}",
        text(&out.stderr)
    );
    // Unreadable beats invalid, and the invalid file is still reported.
    let f = fx("invalid-vlan.yaml");
    let out = run(&["validate", "/no/such/file.yaml", &f]);
    assert_code(&out, 2);
    assert!(text(&out.stdout).contains("spec.vlan: Invalid value: 5000"));
    assert!(
        text(&out.stderr).contains("1 input error"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_code(&run(&["validate"]), 2);
    // A valid input file, so that exit 2 can only come from the flag under test.
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/networkconfiguration.yaml");
    let valid = valid.to_str().unwrap();
    let out = run(&["validate", valid]);
    assert_code(&out, 0);
    for (args, named) in [
        (&["validate", "--output", "xml", valid][..], "xml"),
        (&["validate", "--bogus", valid][..], "--bogus"),
    ] {
        let out = run(args);
        assert_code(&out, 2);
        assert!(
            text(&out.stderr).contains(named),
            "{args:?}: the message names {named}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
}

#[test]
fn stdin_is_read_with_dash() {
    let out = run_stdin(&["validate", "-"], nc("from-stdin", 5000).as_bytes());
    assert_code(&out, 1);
    assert_eq!(
        lines(&out),
        vec!["-:1: NetworkConfiguration/from-stdin: spec.vlan: Invalid value: 5000: must be less than or equal to 4094"]
    );
    let out = run_stdin(&["validate", "-"], nc("fine", 42).as_bytes());
    assert_code(&out, 0);
}

#[test]
fn json_output_is_an_array_of_findings() {
    let f = fx("multi.yaml");
    let out = run(&["validate", "--output", "json", &f, "/no/such/file.yaml"]);
    assert_code(&out, 2);
    let findings: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let findings = findings.as_array().expect("an array");
    let vlan = findings
        .iter()
        .find(|x| x["path"] == "spec.vlan")
        .expect("the vlan finding");
    assert_eq!(vlan["file"], f.as_str());
    assert_eq!(vlan["document"], 3);
    assert_eq!(vlan["kind"], "NetworkConfiguration");
    assert_eq!(vlan["name"], "third");
    assert_eq!(
        vlan["message"],
        "Invalid value: 5000: must be less than or equal to 4094"
    );
    assert_eq!(vlan["source"], "validator");
    let missing = findings
        .iter()
        .find(|x| x["source"] == "input")
        .expect("the missing file");
    assert_eq!(missing["file"], "/no/such/file.yaml");
    assert!(missing["document"].is_null());
    // Nothing to report: an empty array.
    let out = run(&["validate", "-o", "json", &fx("tree/a.yaml")]);
    assert_code(&out, 0);
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn json_schema_findings_are_marked_and_informational() {
    let f = fx("unknown-field.yaml");
    let out = run(&["validate", "--no-strict", "--json-schema", &f]);
    // The Rust validator (non-strict) accepts it; the JSON Schema (additionalProperties:
    // false) reports the field, which does not change the verdict.
    assert_code(&out, 0);
    assert!(
        lines(&out).contains(&format!(
            "{f}:1: NetworkConfiguration/extra: [json-schema] spec.colour: Additional properties are not allowed ('colour' was unexpected)"
        )),
        "{}",
        text(&out.stdout)
    );
    let out = run(&[
        "validate",
        "--json-schema",
        "-o",
        "json",
        &fx("invalid-vlan.yaml"),
    ]);
    assert_code(&out, 1);
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sources: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["path"] == "spec.vlan")
        .filter_map(|x| x["source"].as_str())
        .collect();
    assert_eq!(sources, vec!["validator", "json-schema"]);
}

#[test]
fn many_files_are_checked_in_parallel_and_reported_in_order() {
    // More files than one window of files checked at once; bad, unreadable and empty ones
    // spread over the windows, neighbours among them (checked on different threads).
    let dir = common::temp_dir("validate-many-files");
    let bad = [3usize, 4, 255, 256, 300, 599];
    for i in 0..600usize {
        let path = dir.join(format!("f-{i:04}.yaml"));
        let content = match i {
            10 => b"\xff\xfe not text".to_vec(),
            400 => Vec::new(),
            _ => nc(
                &format!("doc-{i}"),
                if bad.contains(&i) { 5000 } else { 100 },
            )
            .into_bytes(),
        };
        std::fs::write(&path, content).unwrap();
    }
    let out = run(&["validate", &dir.display().to_string()]);
    assert_code(&out, 2);
    let file = |i: usize| dir.join(format!("f-{i:04}.yaml")).display().to_string();
    let expected: Vec<String> = bad
        .iter()
        .map(|&i| {
            format!("{}:1: NetworkConfiguration/doc-{i}: spec.vlan: Invalid value: 5000: must be less than or equal to 4094", file(i))
        })
        .collect();
    assert_eq!(lines(&out), expected);
    let stderr = text(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(
        errors[0].starts_with(&format!("error: {}: not UTF-8 text", file(10))),
        "{stderr}"
    );
    assert_eq!(
        errors[1],
        format!("error: {}: contains no documents", file(400))
    );
    assert!(
        stderr.contains("598 documents, 592 valid, 6 invalid, 2 input errors"),
        "{stderr}"
    );
}

#[test]
fn directories_are_walked_recursively_in_order() {
    let tree = fixture("tree");
    let t = tree.display().to_string();
    let out = run(&["validate", &t]);
    assert_code(&out, 1);
    // a.yaml, sub/b.yml, sub/deeper/c.json; not notes.txt, not .hidden/.
    let c = tree
        .join("sub")
        .join("deeper")
        .join("c.json")
        .display()
        .to_string();
    assert_eq!(
        lines(&out),
        vec![format!(
            "{c}:1: NetworkConfiguration/tree-c: spec.vlan: Invalid value: 5000: must be less than or equal to 4094"
        )]
    );
    assert!(
        text(&out.stderr).contains("3 documents, 2 valid, 1 invalid"),
        "{}",
        text(&out.stderr)
    );
    // Files named explicitly are read whatever their extension.
    let out = run(&["validate", &tree.join("notes.txt").display().to_string()]);
    assert_code(&out, 2);
    assert!(
        text(&out.stdout).contains("invalid YAML"),
        "{}",
        text(&out.stdout)
    );
}

/// Runs with a deadline; the process must end by itself, without a signal.
fn run_hostile(name: &str, content: &[u8]) -> Output {
    let dir = common::temp_dir(&format!("validate-hostile-{name}"));
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    let start = Instant::now();
    let out = run(&["validate", path.to_str().unwrap()]);
    let took = start.elapsed();
    assert!(
        matches!(code(&out), Some(1 | 2)),
        "{name}: status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{name}: {}",
        text(&out.stderr)
    );
    assert!(
        !out.stdout.is_empty() || !out.stderr.is_empty(),
        "{name}: no message"
    );
    out
}

#[test]
fn billion_laughs_ends_quickly() {
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n");
    bomb.push_str(
        "  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..16u8 {
        let (c, p) = ((b'a' + i) as char, (b'a' + i - 1) as char);
        let refs = vec![format!("*{p}"); 9].join(",");
        bomb.push_str(&format!("  {c}: &{c} [{refs}]\n"));
    }
    let out = run_hostile("bomb.yaml", bomb.as_bytes());
    assert_code(&out, 2);
    assert!(text(&out.stdout).contains("alias"), "{}", text(&out.stdout));
}

#[test]
fn deep_nesting_ends_quickly() {
    let n = 20_000;
    let block: String = (0..n)
        .map(|i| format!("{}- \n", "  ".repeat(i % 2)))
        .collect::<String>();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "flow-seq.yaml",
            format!("spec: {}{}\n", "[".repeat(n), "]".repeat(n)).into_bytes(),
        ),
        (
            "flow-map.yaml",
            format!("{}1{}\n", "{a: ".repeat(n), "}".repeat(n)).into_bytes(),
        ),
        (
            "nested.json",
            format!("{}1{}\n", "{\"a\":".repeat(n), "}".repeat(n)).into_bytes(),
        ),
        ("block-seq.yaml", "- ".repeat(n).into_bytes()),
        (
            "block-map.yaml",
            (0..2_000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect::<String>()
                .into_bytes(),
        ),
        ("odd-block.yaml", block.into_bytes()),
    ];
    for (name, content) in cases {
        run_hostile(name, &content);
    }
}

#[test]
fn garbage_and_odd_values_give_messages_not_panics() {
    let mut garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    garbage.extend_from_slice(&[0xff, 0xfe, 0x00]);
    let out = run_hostile("garbage.bin", &garbage);
    assert_code(&out, 2);
    run_hostile("control.yaml", b"apiVersion: \x01\x02\n");
    run_hostile("tabs.yaml", b"a:\n\t- b\n");
    let head =
        "apiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata:\n  name: odd\n";
    for (name, spec) in [
        ("null-spec.yaml", "spec: null\n"),
        ("string-spec.yaml", "spec: hello\n"),
        (
            "number-for-string.yaml",
            "spec:\n  networkId: 12\n  vlan: 10\n",
        ),
        (
            "huge-int.yaml",
            "spec:\n  networkId: a\n  vlan: 99999999999999999999999999\n",
        ),
        (
            "u64.yaml",
            "spec:\n  networkId: a\n  vlan: 18446744073709551615\n",
        ),
        (
            "negative.yaml",
            "spec:\n  networkId: a\n  vlan: -99999999999999999999\n",
        ),
        ("nan.yaml", "spec:\n  networkId: a\n  vlan: .nan\n"),
        ("inf.yaml", "spec:\n  networkId: a\n  vlan: 1e400\n"),
        (
            "string-for-int.yaml",
            "spec:\n  networkId: a\n  vlan: \"10\"\n",
        ),
        ("list-spec.yaml", "spec: [1, 2]\n"),
        (
            "long-string.yaml",
            &format!("spec:\n  networkId: {}\n  vlan: 1\n", "x".repeat(100_000)),
        ),
    ] {
        let out = run_hostile(name, format!("{head}{spec}").as_bytes());
        assert_code(&out, 1);
        assert!(
            lines(&out).iter().all(|l| l.len() < 1_000),
            "{name}: messages are bounded"
        );
    }
    for (name, doc) in [
        ("scalar.yaml", "42\n"),
        ("list.yaml", "- a\n"),
        ("no-kind.yaml", "apiVersion: v1\n"),
        ("int-kind.yaml", "apiVersion: v1\nkind: 5\n"),
        (
            "metadata-list.yaml",
            "apiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata: []\n",
        ),
    ] {
        let out = run_hostile(name, doc.as_bytes());
        assert_code(&out, 1);
    }
    // Only comments, or nothing: an input error, with a message.
    let out = run_stdin(&["validate", "-"], b"# nothing here\n---\n");
    assert_code(&out, 2);
    assert!(
        text(&out.stderr).contains("error: -: contains no documents"),
        "{}",
        text(&out.stderr)
    );
}
