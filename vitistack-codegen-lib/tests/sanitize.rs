//! `sanitize_crd` / `sanitize_yaml_stream`: format rewrites, bounds, idempotence, passthrough.

mod common;

use serde_json::{json, Value};
use vitistack_codegen_lib::{lint_formats, sanitize_crd, sanitize_yaml_stream, yaml};

fn prop<'a>(crd: &'a Value, name: &str) -> &'a Value {
    &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
        [name]
}

fn sanitized_fixture() -> (String, Vec<Value>) {
    let path = common::fixture("schemars-crd.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = sanitize_yaml_stream(&text, "schemars-crd.yaml").unwrap();
    let docs = yaml::parse_documents(&out.output, "out").unwrap();
    (out.output, docs)
}

#[test]
fn integer_formats_become_int32_int64_with_bounds() {
    let (_, docs) = sanitized_fixture();
    let crd = &docs[1];
    let expect = |name: &str, v: Value| assert_eq!(prop(crd, name), &v, "property {name}");
    expect(
        "u8",
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255}),
    );
    expect(
        "u16",
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535}),
    );
    // Existing tighter bounds are kept (and written as integers).
    expect(
        "vlan",
        json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 4094}),
    );
    expect(
        "u32",
        json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295u64}),
    );
    expect(
        "u64",
        json!({"type": "integer", "format": "int64", "minimum": 0}),
    );
    expect(
        "i8",
        json!({"type": "integer", "format": "int32", "minimum": -128, "maximum": 127}),
    );
    expect(
        "i16",
        json!({"type": "integer", "format": "int32", "minimum": -100, "maximum": 32767}),
    );
    expect("i32", json!({"type": "integer", "format": "int32"}));
    // Known format: only the schemars float minimum is rewritten.
    expect(
        "i64",
        json!({"type": "integer", "format": "int64", "minimum": 0}),
    );
    expect("isize", json!({"type": "integer", "format": "int64"}));
    // nullable is left alone.
    expect(
        "usize",
        json!({"type": "integer", "format": "int64", "minimum": 0, "nullable": true}),
    );
    // Looser existing bounds are tightened to the source type's range.
    expect(
        "loose",
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255}),
    );
    expect("ratio", json!({"type": "number"}));
    expect("weight", json!({"type": "number", "format": "double"}));
    expect("address", json!({"type": "string"}));
    expect("link", json!({"type": "string"}));
    expect("created", json!({"type": "string", "format": "date-time"}));
    expect("pattern", json!({"type": "string"}));
    expect("flag", json!({"type": "boolean"}));
    expect(
        "ports",
        json!({"type": "array", "items": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535}}),
    );
    expect(
        "labels",
        json!({"type": "object", "additionalProperties": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295u64}}),
    );
    expect(
        "size",
        json!({"x-kubernetes-int-or-string": true, "anyOf": [
            {"type": "integer", "format": "int64", "minimum": 0},
            {"type": "string"},
        ]}),
    );
    // Integers print as integers in the YAML, not as 0.0.
    let (text, _) = sanitized_fixture();
    assert!(!text.contains("0.0"), "{text}");
}

#[test]
fn sanitized_crd_has_no_format_findings() {
    let (_, docs) = sanitized_fixture();
    // (The fixture's int-or-string anyOf is not structural either way; formats are what
    // sanitize is about.)
    let findings: Vec<String> = lint_formats(&docs[1])
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn sanitize_is_idempotent_and_byte_stable() {
    let text = std::fs::read_to_string(common::fixture("schemars-crd.yaml")).unwrap();
    let once = sanitize_yaml_stream(&text, "a").unwrap();
    assert!(!once.changes.is_empty());
    let again = sanitize_yaml_stream(&text, "a").unwrap();
    assert_eq!(once.output, again.output, "same input, same bytes");
    let twice = sanitize_yaml_stream(&once.output, "a").unwrap();
    assert_eq!(
        twice.output, once.output,
        "sanitize(sanitize(x)) == sanitize(x)"
    );
    assert!(twice.changes.is_empty(), "{:?}", twice.changes);

    let mut value = yaml::parse_documents(&text, "a").unwrap().remove(1);
    let first = sanitize_crd(&mut value);
    assert!(!first.is_empty());
    let snapshot = value.clone();
    assert!(sanitize_crd(&mut value).is_empty());
    assert_eq!(value, snapshot);
}

#[test]
fn non_crd_documents_pass_through_untouched() {
    let text = std::fs::read_to_string(common::fixture("schemars-crd.yaml")).unwrap();
    let out = sanitize_yaml_stream(&text, "a").unwrap();
    // The ConfigMap document (with its comments) is copied byte-for-byte.
    let configmap_end = text.find("\n---\n").unwrap() + 1;
    assert_eq!(&out.output[..configmap_end], &text[..configmap_end]);
    assert!(out
        .output
        .contains("name: untouched   # this comment must survive\n"));
    assert!(out.changes.iter().all(|c| c.document == 2));
    assert!(out
        .changes
        .iter()
        .all(|c| c.name.as_deref() == Some("widgets.example.io")));

    let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"format": "uint8"}});
    let before = cm.clone();
    assert!(sanitize_crd(&mut cm).is_empty());
    assert_eq!(cm, before);
    let mut schema_lookalike = json!({"kind": "Thing", "spec": {"versions": [{"schema": {"openAPIV3Schema": {"type": "integer", "format": "uint8"}}}]}});
    let before = schema_lookalike.clone();
    assert!(sanitize_crd(&mut schema_lookalike).is_empty());
    assert_eq!(schema_lookalike, before);
}

#[test]
fn clean_crd_is_copied_byte_for_byte() {
    let text = std::fs::read_to_string(common::fixture("crd-with-comments.yaml")).unwrap();
    let out = sanitize_yaml_stream(&text, "c").unwrap();
    assert!(out.changes.is_empty());
    assert_eq!(out.output, text);
}

#[test]
fn changed_crd_keeps_leading_comments_and_markers() {
    let text = "# header\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: a.b.io}\nspec:\n  versions:\n  - schema:\n      openAPIV3Schema: {type: object, properties: {n: {type: integer, format: uint8}}}\n...\n--- {kind: Other}\n";
    let out = sanitize_yaml_stream(text, "s").unwrap();
    assert!(
        out.output
            .starts_with("# header\n---\napiVersion: apiextensions.k8s.io/v1\n"),
        "{}",
        out.output
    );
    assert!(
        out.output.ends_with("...\n--- {kind: Other}\n"),
        "{}",
        out.output
    );
    let docs = yaml::parse_documents(&out.output, "o").unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0]["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["n"],
        json!({"type": "integer", "format": "int32", "minimum": 0, "maximum": 255})
    );
}

#[test]
fn changes_name_path_and_action() {
    let mut crd = common::crd_with_spec(json!({
        "type": "object",
        "properties": {"vlan": {"type": "integer", "format": "uint16", "minimum": 1, "maximum": 4094}}
    }));
    let changes = sanitize_crd(&mut crd);
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].path,
        format!("{}.properties.spec.properties.vlan", common::ROOT)
    );
    assert_eq!(
        changes[0].description,
        "format \"uint16\" -> \"int32\"; kept minimum 1; kept maximum 4094"
    );
}

#[test]
fn crd_lists_are_sanitized() {
    let item = common::crd_with_spec(json!({"type": "integer", "format": "uint8"}));
    let mut list =
        json!({"apiVersion": "v1", "kind": "List", "items": [item, {"kind": "ConfigMap"}]});
    let changes = sanitize_crd(&mut list);
    assert_eq!(changes.len(), 1);
    assert!(
        changes[0].path.starts_with("items[0].spec.versions[0]"),
        "{}",
        changes[0].path
    );
}

#[test]
fn bad_yaml_is_an_error_naming_source_and_line() {
    let err = sanitize_yaml_stream("a: 1\n---\nb: [\n", "broken.yaml").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("broken.yaml"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
}
