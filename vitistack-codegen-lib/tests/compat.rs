//! `compat`: each check fires on a minimal pair of CRDs and stays silent on the compatible
//! change next to it; severities by stability and by configuration; the output formats.

use serde_json::{json, Value};

use vitistack_codegen_lib::compat::{self, Config, Finding, Format, LoadedCrd, Severity};

/// A CRD `widgets.example.com` with the given versions: (name, served, storage, spec schema).
fn crd_with(versions: &[(&str, bool, bool, Value)]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|(name, served, storage, spec)| {
            json!({
                "name": name, "served": served, "storage": storage,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec}}}
            })
        })
        .collect();
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": versions,
        }
    })
}

/// A one-version CRD whose `spec` schema is `{type: object, properties: {x: field}}`.
fn crd_x(version: &str, field: Value) -> Value {
    crd_with(&[(
        version,
        true,
        true,
        json!({"type": "object", "properties": {"x": field}}),
    )])
}

fn loaded(crd: Value) -> Vec<LoadedCrd> {
    vec![LoadedCrd {
        name: "widgets.example.com".to_owned(),
        origin: "test".to_owned(),
        crd,
    }]
}

fn run(old: Value, new: Value, config: &Config) -> Vec<Finding> {
    compat::compare(&loaded(old), &loaded(new), config).findings
}

/// (check, path, message) of every finding from field `old` to field `new` in version v1.
fn field_change(old: Value, new: Value) -> Vec<(String, String, String)> {
    run(crd_x("v1", old), crd_x("v1", new), &Config::default())
        .into_iter()
        .map(|f| (f.check.to_owned(), f.path, f.message))
        .collect()
}

/// `base` with the keys of `extra` added.
fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

/// Each case: a field schema before and after, and the one finding expected.
#[test]
fn every_property_check_fires_on_a_minimal_pair() {
    let s = |extra: Value| with(json!({"type": "string"}), extra);
    let i = |extra: Value| with(json!({"type": "integer"}), extra);
    let a = |extra: Value| with(json!({"type": "array", "items": {"type": "string"}}), extra);
    let o = |extra: Value| {
        with(
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
            extra,
        )
    };
    let cases: Vec<(Value, Value, &str, &str)> = vec![
        (
            s(json!({})),
            i(json!({})),
            "type",
            "type changed: \"string\" -> \"integer\"",
        ),
        (
            s(json!({})),
            s(json!({"enum": ["a", "b"]})),
            "enum",
            "enum constraint added: [\"a\", \"b\"]",
        ),
        (
            s(json!({"enum": ["a", "b"]})),
            s(json!({"enum": ["a"]})),
            "enum",
            "allowed values removed: [\"b\"]",
        ),
        (
            s(json!({"enum": ["a"]})),
            s(json!({"enum": ["a", "b"]})),
            "enum",
            "allowed values added: [\"b\"]",
        ),
        (
            s(json!({})),
            s(json!({"default": "a"})),
            "default",
            "default added: \"a\"",
        ),
        (
            s(json!({"default": "a"})),
            s(json!({"default": "b"})),
            "default",
            "default changed: \"a\" -> \"b\"",
        ),
        (
            s(json!({"default": "a"})),
            s(json!({})),
            "default",
            "default removed: \"a\"",
        ),
        (
            i(json!({})),
            i(json!({"maximum": 10})),
            "maximum",
            "maximum added: 10",
        ),
        (
            i(json!({"maximum": 10})),
            i(json!({"maximum": 9})),
            "maximum",
            "maximum lowered: 10 -> 9",
        ),
        (
            s(json!({"maxLength": 10})),
            s(json!({"maxLength": 9})),
            "maxLength",
            "maxLength lowered: 10 -> 9",
        ),
        (
            s(json!({})),
            s(json!({"maxLength": 9})),
            "maxLength",
            "maxLength added: 9",
        ),
        (
            a(json!({"maxItems": 10})),
            a(json!({"maxItems": 9})),
            "maxItems",
            "maxItems lowered: 10 -> 9",
        ),
        (
            o(json!({"maxProperties": 10})),
            o(json!({"maxProperties": 9})),
            "maxProperties",
            "maxProperties lowered: 10 -> 9",
        ),
        // int64 bounds one apart, equal as f64: compared exactly.
        (
            i(json!({"maximum": 9_223_372_036_854_775_807_i64})),
            i(json!({"maximum": 9_223_372_036_854_775_806_i64})),
            "maximum",
            "maximum lowered: 9223372036854775807 -> 9223372036854775806",
        ),
        (
            i(json!({})),
            i(json!({"minimum": 1})),
            "minimum",
            "minimum added: 1",
        ),
        (
            i(json!({"minimum": 1})),
            i(json!({"minimum": 2})),
            "minimum",
            "minimum raised: 1 -> 2",
        ),
        (
            s(json!({"minLength": 1})),
            s(json!({"minLength": 2})),
            "minLength",
            "minLength raised: 1 -> 2",
        ),
        (
            a(json!({"minItems": 1})),
            a(json!({"minItems": 2})),
            "minItems",
            "minItems raised: 1 -> 2",
        ),
        (
            o(json!({})),
            o(json!({"minProperties": 1})),
            "minProperties",
            "minProperties added: 1",
        ),
        (
            s(json!({})),
            s(json!({"pattern": "^a$"})),
            "pattern",
            "pattern added: \"^a$\"",
        ),
        (
            s(json!({"pattern": "^a$"})),
            s(json!({"pattern": "^b$"})),
            "pattern",
            "pattern changed: \"^a$\" -> \"^b$\"",
        ),
        (
            s(json!({"pattern": "^a$"})),
            s(json!({})),
            "pattern",
            "pattern removed: \"^a$\"",
        ),
        (
            s(json!({})),
            s(json!({"nullable": true})),
            "nullable",
            "nullable added",
        ),
        (
            s(json!({"nullable": true})),
            s(json!({})),
            "nullable",
            "nullable removed",
        ),
        (
            s(json!({})),
            s(json!({"x-kubernetes-validations": [{"rule": "self != 'x'"}]})),
            "x-kubernetes-validations",
            "rule added: self != 'x'",
        ),
        (
            s(json!({"x-kubernetes-validations": [{"rule": "size(self) < 10"}]})),
            s(json!({"x-kubernetes-validations": [{"rule": "size(self) < 5"}]})),
            "x-kubernetes-validations",
            "rule added: size(self) < 5",
        ),
        (
            s(json!({})),
            s(json!({"x-kubernetes-validations": [{"rule": "self == oldSelf"}]})),
            "x-kubernetes-validations",
            "transition rule added (not ratcheted: checked on every update with an old value, changed field or not): self == oldSelf",
        ),
        (
            a(json!({})),
            a(json!({"x-kubernetes-list-type": "set"})),
            "listType",
            "list type changed: atomic -> set",
        ),
        (
            json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], "items": {"type": "object"}}),
            json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "port"], "items": {"type": "object"}}),
            "listMapKeys",
            "list map keys changed: [\"name\"] -> [\"name\", \"port\"]",
        ),
    ];
    for (old, new, check, message) in cases {
        let got = field_change(old.clone(), new.clone());
        assert_eq!(
            got,
            [(check.to_owned(), "spec.x".to_owned(), message.to_owned())],
            "{old} -> {new}"
        );
    }
}

#[test]
fn compatible_changes_are_silent() {
    let cases: Vec<(Value, Value)> = vec![
        // Loosened bounds, or a bound removed.
        (
            json!({"type": "integer", "maximum": 9}),
            json!({"type": "integer", "maximum": 10}),
        ),
        (
            json!({"type": "integer", "maximum": 9}),
            json!({"type": "integer"}),
        ),
        (
            json!({"type": "integer", "minimum": 2}),
            json!({"type": "integer", "minimum": 1}),
        ),
        (
            json!({"type": "string", "maxLength": 9}),
            json!({"type": "string", "maxLength": 10}),
        ),
        (
            json!({"type": "string", "minLength": 2}),
            json!({"type": "string"}),
        ),
        // int64 bounds that differ below f64 precision are still compared exactly.
        (
            json!({"type": "integer", "maximum": 9_223_372_036_854_775_806_i64}),
            json!({"type": "integer", "maximum": 9_223_372_036_854_775_807_i64}),
        ),
        // Unchanged enum in another order, same default, rule removed, description changed.
        (
            json!({"type": "string", "enum": ["a", "b"]}),
            json!({"type": "string", "enum": ["b", "a"]}),
        ),
        (
            json!({"type": "string", "default": "a"}),
            json!({"type": "string", "default": "a", "description": "new"}),
        ),
        (
            json!({"type": "string", "x-kubernetes-validations": [{"rule": "self != ''"}]}),
            json!({"type": "string"}),
        ),
        (
            json!({"type": "string", "x-kubernetes-validations": [{"rule": "self != ''", "message": "a"}]}),
            json!({"type": "string", "x-kubernetes-validations": [{"rule": "self != ''", "message": "b"}]}),
        ),
        // Explicit atomic is the default; map keys in another order.
        (
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "x-kubernetes-list-type": "atomic", "items": {"type": "string"}}),
        ),
        (
            json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a", "b"], "items": {"type": "object"}}),
            json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["b", "a"], "items": {"type": "object"}}),
        ),
        // A new optional field, even an object with required fields of its own (crdify's
        // new-optional-with-required example): objects without it stay valid.
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "object", "required": ["c"], "properties": {"c": {"type": "string", "enum": ["x"], "minLength": 1}}}}}),
        ),
        // Required fields unchanged (in another order) next to a new optional one.
        (
            json!({"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
            json!({"type": "object", "required": ["b", "a"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}}}),
        ),
        // A required field made optional.
        (
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        ),
    ];
    for (old, new) in cases {
        assert_eq!(field_change(old.clone(), new.clone()), [], "{old} -> {new}");
    }
}

#[test]
fn required_is_reported_at_the_field() {
    let old = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let became =
        json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}});
    let added = json!({"type": "object", "required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}});
    let required = |c: &str, p: &str, m: &str| vec![(c.to_owned(), p.to_owned(), m.to_owned())];
    assert_eq!(
        field_change(old.clone(), became),
        required("required", "spec.x.a", "optional field became required")
    );
    assert_eq!(
        field_change(old, added),
        required("required", "spec.x.b", "new required field")
    );
}

#[test]
fn a_removed_field_is_reported_once_at_its_top() {
    // `gone2` and `gone-too` share the prefix `gone` but are not below it.
    let old = json!({"type": "object", "properties": {
        "keep": {"type": "string"},
        "gone2": {"type": "string"},
        "gone-too": {"type": "object", "properties": {"c": {"type": "string"}}},
        "gone": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"type": "string"}}}}
    }});
    let new = json!({"type": "object", "properties": {"keep": {"type": "string"}, "gone2": {"type": "string"}}});
    assert_eq!(
        field_change(old, new),
        [
            (
                "existingFieldRemoval".to_owned(),
                "spec.x.gone".to_owned(),
                "field removed (with 3 field(s) below it)".to_owned()
            ),
            (
                "existingFieldRemoval".to_owned(),
                "spec.x.gone-too".to_owned(),
                "field removed (with 1 field(s) below it)".to_owned()
            )
        ]
    );
}

#[test]
fn crd_wide_checks() {
    let spec = json!({"type": "object"});
    let base = crd_with(&[
        ("v1alpha1", true, false, spec.clone()),
        ("v1beta1", true, true, spec.clone()),
    ]);
    let checks = |new: Value| -> Vec<(String, String, String, Severity)> {
        run(base.clone(), new, &Config::default())
            .into_iter()
            .map(|f| (f.check.to_owned(), f.version, f.message, f.severity))
            .collect()
    };
    let mut cluster = base.clone();
    cluster["spec"]["scope"] = json!("Cluster");
    // The apiserver refuses a scope change of an established CRD.
    assert_eq!(
        checks(cluster),
        [(
            "scope".to_owned(),
            "*".to_owned(),
            "refused by the apiserver: spec.scope: Invalid value: \"Cluster\": field is immutable (was \"Namespaced\"); only deleting the CRD, and with it every object, changes it".to_owned(),
            Severity::Error
        )]
    );
    // v1alpha1 no longer served: a warning (alpha).
    let unserved = crd_with(&[
        ("v1alpha1", false, false, spec.clone()),
        ("v1beta1", true, true, spec.clone()),
    ]);
    assert_eq!(
        checks(unserved),
        [(
            "servedVersionRemoval".to_owned(),
            "v1alpha1".to_owned(),
            "version v1alpha1 no longer served".to_owned(),
            Severity::Warning
        )]
    );
    // The storage version v1beta1 removed (v1 takes over): stored and served removal, errors.
    let replaced = crd_with(&[
        ("v1alpha1", true, false, spec.clone()),
        ("v1", true, true, spec.clone()),
    ]);
    assert_eq!(
        checks(replaced),
        [
            (
                "servedVersionRemoval".to_owned(),
                "v1beta1".to_owned(),
                "served version v1beta1 removed".to_owned(),
                Severity::Error
            ),
            (
                "storedVersionRemoval".to_owned(),
                "v1beta1".to_owned(),
                "storage version v1beta1 removed: a cluster that stored objects in v1beta1 refuses this CRD while v1beta1 is in status.storedVersions; first ship a CRD that keeps v1beta1 (not as storage) and run `vitistack-codegen migrate` on every cluster".to_owned(),
                Severity::Warning
            ),
        ]
    );
    // status.storedVersions (a CRD read from a cluster) replaces the storage flag, and its
    // versions may not go: refused, an error even for an alpha version.
    let mut from_cluster = base.clone();
    from_cluster["status"] = json!({"storedVersions": ["v1alpha1", "v1beta1"]});
    let only_beta = crd_with(&[("v1beta1", true, true, spec.clone())]);
    let found = run(from_cluster, only_beta.clone(), &Config::default());
    assert_eq!(
        stored_version_removals(&found),
        [(
            "v1alpha1",
            Severity::Error,
            true,
            "refused by the apiserver: status.storedVersions[0]: Invalid value: \"v1alpha1\": missing from spec.versions; v1alpha1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1alpha1 and removes v1alpha1 from status.storedVersions"
        )]
    );
    // A new version added: compatible.
    let more = crd_with(&[
        ("v1alpha1", true, false, spec.clone()),
        ("v1beta1", true, true, spec.clone()),
        ("v1", true, false, spec.clone()),
    ]);
    assert_eq!(checks(more), []);
    // An unserved version removed, without a status: it may be an earlier storage version
    // still in a cluster's status.storedVersions (cluster-api's v1alpha3 in v1.6.0), which
    // refuses the update: a warning, never silent.
    let with_unserved = crd_with(&[
        ("v1alpha1", false, false, spec.clone()),
        ("v1beta1", true, true, spec.clone()),
    ]);
    let found = run(with_unserved.clone(), only_beta.clone(), &Config::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        stored_version_removals(&found),
        [(
            "v1alpha1",
            Severity::Warning,
            false,
            "version v1alpha1 removed: a cluster where v1alpha1 was ever the storage version refuses this CRD while v1alpha1 is in status.storedVersions; run `vitistack-codegen migrate` on every cluster first, or compare with the CRD read from the cluster (its status says)"
        )]
    );
    // With a status that does not list it, the removal is known to be fine: no finding.
    let mut listed = with_unserved;
    listed["status"] = json!({"storedVersions": ["v1beta1"]});
    assert_eq!(run(listed, only_beta, &Config::default()), []);
}

/// (version, severity, refused, message) of each `storedVersionRemoval` finding.
fn stored_version_removals(found: &[Finding]) -> Vec<(&str, Severity, bool, &str)> {
    found
        .iter()
        .filter(|f| f.check == "storedVersionRemoval")
        .map(|f| {
            (
                f.version.as_str(),
                f.severity,
                f.refused,
                f.message.as_str(),
            )
        })
        .collect()
}

#[test]
fn served_versions_are_compared_unless_conversion_is_a_webhook() {
    let wide = json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}});
    let narrow = json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}});
    let old = crd_with(&[("v1alpha1", true, true, wide.clone())]);
    let new = crd_with(&[
        ("v1alpha1", true, true, wide.clone()),
        ("v1beta1", true, false, narrow.clone()),
    ]);
    let found = run(old.clone(), new.clone(), &Config::default());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (
            found[0].version.as_str(),
            found[0].path.as_str(),
            found[0].check,
            found[0].severity
        ),
        ("v1alpha1->v1beta1", "spec.n", "maximum", Severity::Error)
    );
    // With a conversion webhook the versions may differ freely.
    let mut webhook = new.clone();
    webhook["spec"]["conversion"] = json!({"strategy": "Webhook", "webhook": {
        "clientConfig": {"url": "https://convert.example.com/convert"},
        "conversionReviewVersions": ["v1"]}});
    assert_eq!(run(old, webhook.clone(), &Config::default()), []);
    let config = Config::parse("conversion: None\n", "c.yaml").unwrap();
    assert_eq!(
        run(
            crd_with(&[("v1alpha1", true, true, wide)]),
            webhook,
            &config
        )
        .len(),
        1
    );
    // A difference the old CRD already had between the same pair is not new.
    assert_eq!(run(new.clone(), new, &Config::default()), []);
}

#[test]
fn severity_follows_stability_and_configuration() {
    let old = json!({"type": "string"});
    let new = json!({"type": "integer"});
    let severity = |version: &str, config: &Config| -> Vec<Severity> {
        run(
            crd_x(version, old.clone()),
            crd_x(version, new.clone()),
            config,
        )
        .into_iter()
        .map(|f| f.severity)
        .collect()
    };
    let default = Config::default();
    assert_eq!(severity("v1alpha1", &default), [Severity::Warning]);
    assert_eq!(severity("v2alpha3", &default), [Severity::Warning]);
    assert_eq!(severity("v1beta1", &default), [Severity::Error]);
    assert_eq!(severity("v1", &default), [Severity::Error]);
    let config = |enforcement: &str| {
        Config::parse(
            &format!("validations:\n- name: type\n  enforcement: {enforcement}\n"),
            "c.yaml",
        )
        .unwrap()
    };
    assert_eq!(severity("v1", &config("Warn")), [Severity::Warning]);
    assert_eq!(severity("v1alpha1", &config("error")), [Severity::Error]);
    assert_eq!(severity("v1", &config("None")), []);
    // An override of another check leaves this one alone.
    let other = Config::parse(
        "validations:\n- name: enum\n  enforcement: none\n",
        "c.yaml",
    )
    .unwrap();
    assert_eq!(severity("v1", &other), [Severity::Error]);
}

#[test]
fn check_options_from_the_config() {
    let run_with = |old: Value, new: Value, text: &str| {
        run(
            crd_x("v1", old),
            crd_x("v1", new),
            &Config::parse(text, "c.yaml").unwrap(),
        )
        .len()
    };
    let enum_added = (
        json!({"type": "string", "enum": ["a"]}),
        json!({"type": "string", "enum": ["a", "b"]}),
    );
    let allow_enum = "validations:\n- name: enum\n  configuration:\n    additionPolicy: Allow\n";
    assert_eq!(
        run_with(enum_added.0.clone(), enum_added.1.clone(), allow_enum),
        0
    );
    // Removing a value is still flagged under additionPolicy: Allow.
    assert_eq!(run_with(enum_added.1, enum_added.0, allow_enum), 1);
    let pattern = (
        json!({"type": "string", "pattern": "^a$"}),
        json!({"type": "string"}),
    );
    let allow_removal =
        "validations:\n- name: pattern\n  configuration:\n    removalPolicy: Allow\n";
    assert_eq!(
        run_with(pattern.0.clone(), pattern.1.clone(), allow_removal),
        0
    );
    assert_eq!(run_with(pattern.1, pattern.0, allow_removal), 1);
    let nullable = (
        json!({"type": "string"}),
        json!({"type": "string", "nullable": true}),
    );
    let allow_null =
        "validations:\n- name: nullable\n  configuration:\n    additionPolicy: Allow\n";
    assert_eq!(
        run_with(nullable.0.clone(), nullable.1.clone(), allow_null),
        0
    );
    assert_eq!(run_with(nullable.1, nullable.0, allow_null), 1);
}

fn sample_findings() -> Vec<Finding> {
    let old = crd_x(
        "v1",
        json!({"type": "string", "x-kubernetes-validations": [{"rule": "self != 'a'"}]}),
    );
    let new = crd_x(
        "v1",
        json!({"type": "integer", "x-kubernetes-validations": [{"rule": "self == 1 || self == 2"}]}),
    );
    let mut findings = run(old, new, &Config::default());
    let alpha = run(
        crd_x("v1alpha1", json!({"type": "string"})),
        crd_x("v1alpha1", json!({"type": "string", "maxLength": 3})),
        &Config::default(),
    );
    findings.extend(alpha);
    findings
}

#[test]
fn text_output_is_one_line_per_finding() {
    let text = compat::render(&sample_findings(), Format::Text);
    assert_eq!(
        text,
        "error: widgets.example.com v1 spec.x: type: type changed: \"string\" -> \"integer\"\n\
         error: widgets.example.com v1 spec.x: x-kubernetes-validations: rule added: self == 1 || self == 2\n\
         warning: widgets.example.com v1alpha1 spec.x: maxLength: maxLength added: 3\n"
    );
    assert_eq!(compat::render(&[], Format::Text), "");
}

#[test]
fn json_output_has_the_seven_fields() {
    let text = compat::render(&sample_findings(), Format::Json);
    let parsed: Value = serde_json::from_str(&text).expect("valid JSON");
    let items = parsed.as_array().expect("an array");
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[2],
        json!({"crd": "widgets.example.com", "version": "v1alpha1", "path": "spec.x",
               "check": "maxLength", "severity": "warning", "message": "maxLength added: 3",
               "refused": false})
    );
    assert_eq!(items[0]["severity"], "error");
    let empty: Value = serde_json::from_str(&compat::render(&[], Format::Json)).unwrap();
    assert_eq!(empty, json!([]));
}

#[test]
fn markdown_output_is_a_table() {
    let text = compat::render(&sample_findings(), Format::Markdown);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "| Severity | CRD | Version | Field | Check | Change |"
    );
    assert_eq!(lines[1], "|---|---|---|---|---|---|");
    assert_eq!(lines.len(), 2 + 3);
    for row in &lines[2..] {
        // Six cells: seven unescaped pipes, even for the rule with `||` in it.
        let unescaped = row.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 7, "{row}");
    }
    assert!(
        lines[3].contains("self == 1 \\|\\| self == 2"),
        "{}",
        lines[3]
    );
    assert_eq!(
        compat::render(&[], Format::Markdown),
        "No incompatible changes.\n"
    );
}

/// (check, path, message) from field `old` to field `new`, for tables of cases.
type Expected<'a> = Vec<(&'a str, &'a str, &'a str)>;

fn assert_cases(cases: Vec<(Value, Value, Expected)>) {
    for (old, new, expected) in cases {
        let want: Vec<(String, String, String)> = expected
            .iter()
            .map(|(c, p, m)| ((*c).to_owned(), (*p).to_owned(), (*m).to_owned()))
            .collect();
        assert_eq!(
            field_change(old.clone(), new.clone()),
            want,
            "{old} -> {new}"
        );
    }
}

/// Issue 27 item 1: `allOf` members add constraints to the field, `anyOf`/`oneOf`/`not` are
/// constraints of the field; none of them is a field.
#[test]
fn junctors_are_compared_as_constraints() {
    let ab = json!(["a", "b"]);
    let s = |extra: Value| with(json!({"type": "string"}), extra);
    assert_cases(vec![
        // controller-gen's doubled enum, then a plain one: the same values, no change.
        (
            s(json!({"allOf": [{"enum": ab}, {"enum": ab}]})),
            s(json!({"enum": ab})),
            vec![],
        ),
        (
            s(json!({"enum": ab})),
            s(json!({"allOf": [{"enum": ab}, {"enum": ["b", "a"]}]})),
            vec![],
        ),
        // The members intersect: a narrower member removes values.
        (
            s(json!({"allOf": [{"enum": ab}, {"enum": ab}]})),
            s(json!({"allOf": [{"enum": ab}, {"enum": ["a"]}]})),
            vec![("enum", "spec.x", "allowed values removed: [\"b\"]")],
        ),
        // Bounds take the tightest layer; a property constrained inside an allOf member.
        (
            s(json!({"maxLength": 10})),
            s(json!({"maxLength": 10, "allOf": [{"maxLength": 5}]})),
            vec![("maxLength", "spec.x", "maxLength lowered: 10 -> 5")],
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [{"properties": {"a": {"pattern": "^a"}}}]}),
            vec![("pattern", "spec.x.a", "pattern added: \"^a\"")],
        ),
        // anyOf: added, an alternative removed (tighter), an alternative added (looser),
        // reordered; oneOf changed; not added; removing any of them loosens.
        (
            s(json!({})),
            s(json!({"anyOf": [{"pattern": "^a"}, {"pattern": "^b"}]})),
            vec![(
                "anyOf",
                "spec.x",
                "anyOf constraint added: {\"pattern\":\"^a\"} | {\"pattern\":\"^b\"}",
            )],
        ),
        (
            s(json!({"anyOf": [{"pattern": "^a"}, {"pattern": "^b"}]})),
            s(json!({"anyOf": [{"pattern": "^a"}]})),
            vec![(
                "anyOf",
                "spec.x",
                "anyOf constraint changed: {\"pattern\":\"^a\"}",
            )],
        ),
        (
            s(json!({"anyOf": [{"pattern": "^a"}]})),
            s(json!({"anyOf": [{"pattern": "^b"}, {"pattern": "^a"}]})),
            vec![],
        ),
        (
            s(json!({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]})),
            s(json!({"oneOf": [{"required": ["b"]}, {"required": ["a"]}]})),
            vec![],
        ),
        (
            s(json!({"oneOf": [{"required": ["a"]}]})),
            s(json!({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]})),
            vec![(
                "oneOf",
                "spec.x",
                "oneOf constraint changed: {\"required\":[\"a\"]} | {\"required\":[\"b\"]}",
            )],
        ),
        (
            s(json!({})),
            s(json!({"not": {"enum": ["c"]}})),
            vec![("not", "spec.x", "not constraint added: {\"enum\":[\"c\"]}")],
        ),
        (
            s(
                json!({"not": {"enum": ["c"]}, "anyOf": [{"pattern": "^a"}], "allOf": [{"enum": ab}]}),
            ),
            s(json!({})),
            vec![],
        ),
        // Fields under an anyOf alternative are part of the constraint, never fields: no
        // existingFieldRemoval when the alternative goes.
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "anyOf": [{"properties": {"a": {"enum": ["x"]}}}]}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            vec![],
        ),
    ]);
}

/// Issue 27 item 7: what crdify checks and the checks here lacked, and the catch-all.
#[test]
fn format_exclusive_bounds_unique_items_and_unhandled_changes() {
    let s = |extra: Value| with(json!({"type": "string"}), extra);
    let i = |extra: Value| with(json!({"type": "integer"}), extra);
    assert_cases(vec![
        (
            s(json!({})),
            s(json!({"format": "uuid"})),
            vec![("format", "spec.x", "format added: \"uuid\"")],
        ),
        (
            s(json!({"format": "uuid"})),
            s(json!({"format": "date-time"})),
            vec![("format", "spec.x", "format changed: \"uuid\" -> \"date-time\"")],
        ),
        (s(json!({"format": "uuid"})), s(json!({})), vec![]),
        (
            i(json!({"maximum": 10})),
            i(json!({"maximum": 10, "exclusiveMaximum": true})),
            vec![(
                "exclusiveMaximum",
                "spec.x",
                "maximum 10 made exclusive: the value itself is no longer allowed",
            )],
        ),
        (
            i(json!({"minimum": 1})),
            i(json!({"minimum": 1, "exclusiveMinimum": true})),
            vec![(
                "exclusiveMinimum",
                "spec.x",
                "minimum 1 made exclusive: the value itself is no longer allowed",
            )],
        ),
        (
            i(json!({"maximum": 10, "exclusiveMaximum": true})),
            i(json!({"maximum": 10})),
            vec![],
        ),
        (
            json!({"type": "array", "items": {"type": "string"}}),
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
            // The apiserver refuses uniqueItems outright, so the new CRD is refused too.
            vec![
                ("schema", "^", "refused by the apiserver: spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.x: uniqueItems: true is rejected by the apiserver (use x-kubernetes-list-type: set)"),
                ("uniqueItems", "spec.x", "uniqueItems added"),
            ],
        ),
        (
            i(json!({})),
            i(json!({"multipleOf": 2})),
            vec![("unhandled", "spec.x", "multipleOf changed: (none) -> 2")],
        ),
        (
            json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
            json!({"type": "object"}),
            vec![(
                "unhandled",
                "spec.x",
                "x-kubernetes-preserve-unknown-fields changed: true -> (none)",
            )],
        ),
        // Documentation changes nothing.
        (
            s(json!({"description": "a", "title": "t", "example": "e"})),
            s(json!({"description": "b", "title": "u", "example": "f"})),
            vec![],
        ),
    ]);
}

/// Issue 27 item 3: a field removed and one with an equal schema added next to it.
#[test]
fn a_rename_is_one_finding() {
    let obj = |props: Value, required: Value| json!({"type": "object", "required": required, "properties": props});
    let int = json!({"type": "integer", "maximum": 9, "description": "the old name"});
    let renamed = json!({"type": "integer", "maximum": 9, "description": "the new name"});
    assert_cases(vec![
        (
            obj(json!({"vlanId": int}), json!([])),
            obj(json!({"vlan": renamed}), json!([])),
            vec![(
                "rename",
                "spec.x.vlanId",
                "field renamed: spec.x.vlanId -> spec.x.vlan (removed, and added with an equal schema: objects keep the old name until rewritten, clients lose it)",
            )],
        ),
        // Required before and after: still one finding.
        (
            obj(json!({"vlanId": int}), json!(["vlanId"])),
            obj(json!({"vlan": renamed}), json!(["vlan"])),
            vec![(
                "rename",
                "spec.x.vlanId",
                "field renamed: spec.x.vlanId -> spec.x.vlan (removed, and added with an equal schema: objects keep the old name until rewritten, clients lose it)",
            )],
        ),
        // A different schema: a removal and a new field, unrelated.
        (
            obj(json!({"vlanId": int}), json!([])),
            obj(json!({"vlan": {"type": "integer", "maximum": 10}}), json!(["vlan"])),
            vec![
                ("required", "spec.x.vlan", "new required field"),
                ("existingFieldRemoval", "spec.x.vlanId", "field removed"),
            ],
        ),
        // Two equal candidates: ambiguous, no rename.
        (
            obj(json!({"vlanId": int}), json!([])),
            obj(json!({"vlan": renamed, "vlan2": renamed}), json!([])),
            vec![("existingFieldRemoval", "spec.x.vlanId", "field removed")],
        ),
    ]);
    // Severity by the version's stability, as for every check.
    let severities: Vec<Severity> = ["v1alpha1", "v1beta1", "v1"]
        .iter()
        .flat_map(|version| {
            run(
                crd_x(version, obj(json!({"vlanId": int}), json!([]))),
                crd_x(version, obj(json!({"vlan": renamed}), json!([]))),
                &Config::default(),
            )
        })
        .map(|f| f.severity)
        .collect();
    assert_eq!(
        severities,
        [Severity::Warning, Severity::Error, Severity::Error]
    );
}

/// Issue 27 item 2: what the apiserver refuses on an established CRD is an error at every
/// stability, whatever the configuration, and says why (the e2e test
/// `tests/tests/compat_refused.rs` proves each row on a real apiserver).
#[test]
fn refused_changes_are_errors_whatever_the_stability_and_config() {
    let spec = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let base = crd_with(&[("v1alpha1", true, true, spec.clone())]);
    let quiet = Config::parse(
        "validations:\n- name: scope\n  enforcement: none\n- name: names\n  enforcement: none\n",
        "c.yaml",
    )
    .unwrap();
    let refused = |new: Value| -> Vec<(&'static str, String)> {
        run(base.clone(), new, &quiet)
            .into_iter()
            .filter(|f| f.refused)
            .inspect(|f| assert_eq!(f.severity, Severity::Error, "{f:?}"))
            .map(|f| (f.check, f.message))
            .collect()
    };
    let edit = |pointer: &str, value: Value| {
        let mut crd = base.clone();
        if let Some(slot) = crd.pointer_mut(pointer) {
            *slot = value;
        }
        crd
    };
    assert_eq!(
        refused(edit("/spec/names/kind", json!("Gadget"))),
        [("names", "refused by the apiserver: spec.names.kind: Invalid value: \"Gadget\": field is immutable (was \"Widget\"); only deleting the CRD, and with it every object, changes it".to_owned())]
    );
    assert_eq!(refused(edit("/spec/scope", json!("Cluster")))[0].0, "scope");
    let mut webhook = base.clone();
    webhook["spec"]["conversion"] = json!({"strategy": "Webhook"});
    assert_eq!(
        refused(webhook),
        [
            ("conversion", "refused by the apiserver: spec.conversion.conversionReviewVersions: Required value: must include at least one of v1, v1beta1 (apiextensions.k8s.io/v1: spec.conversion.webhook.conversionReviewVersions)".to_owned()),
            ("conversion", "refused by the apiserver: spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook (apiextensions.k8s.io/v1: spec.conversion.webhook.clientConfig)".to_owned()),
        ]
    );
    let untyped = edit(
        "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/a",
        json!({"description": "no type"}),
    );
    let found = refused(untyped);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "schema");
    assert!(found[0].1.contains("properties.a"), "{found:?}");
    // The listKind, singular and shortNames may change: no finding at all.
    let mut names = base.clone();
    names["spec"]["names"]["singular"] = json!("widgetto");
    names["spec"]["names"]["shortNames"] = json!(["wd"]);
    assert_eq!(refused(names), []);
}

/// Issue 27 item 4: rules are compared as parsed CEL.
#[test]
fn rules_are_compared_parsed() {
    let rules = |texts: &[Value]| json!({"type": "string", "x-kubernetes-validations": texts});
    let rule = |text: &str| json!({"rule": text});
    assert_cases(vec![
        // Reformatted: spaces, a line break, redundant parentheses. No change.
        (
            rules(&[rule("self.startsWith('a') && size(self) < 10")]),
            rules(&[rule("(self.startsWith( 'a' )\n  && (size(self) < 10))")]),
            vec![],
        ),
        // A message or a reason changed: what a refusal says, not what is refused.
        (
            rules(&[json!({"rule": "self != ''", "message": "a", "reason": "FieldValueInvalid"})]),
            rules(&[json!({"rule": "self != ''", "message": "b", "messageExpression": "'c'"})]),
            vec![],
        ),
        // A rule removed loosens; one added next to an unchanged one tightens.
        (
            rules(&[rule("self != ''"), rule("size(self) < 10")]),
            rules(&[rule("self != ''")]),
            vec![],
        ),
        (
            rules(&[rule("self != ''")]),
            rules(&[rule("self  !=  ''"), rule("size(self) < 10")]),
            vec![(
                "x-kubernetes-validations",
                "spec.x",
                "rule added: size(self) < 10",
            )],
        ),
        // The same text with another meaning is another rule; a rule that does not parse is
        // compared by its text.
        (
            rules(&[rule("self == 'a' || self == 'b' && self != ''")]),
            rules(&[rule("(self == 'a' || self == 'b') && self != ''")]),
            vec![(
                "x-kubernetes-validations",
                "spec.x",
                "rule added: (self == 'a' || self == 'b') && self != ''",
            )],
        ),
        (
            rules(&[]),
            rules(&[rule("self ==")]),
            vec![(
                "x-kubernetes-validations",
                "spec.x",
                "rule added: self == (does not parse: ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER})",
            )],
        ),
        // A transition rule, apart: oldSelf in the tree, not in a string.
        (
            rules(&[]),
            rules(&[rule("self.size() >= oldSelf.size()"), rule("self != 'oldSelf'")]),
            vec![
                (
                    "x-kubernetes-validations",
                    "spec.x",
                    "rule added: self != 'oldSelf'",
                ),
                (
                    "x-kubernetes-validations",
                    "spec.x",
                    "transition rule added (not ratcheted: checked on every update with an old value, changed field or not): self.size() >= oldSelf.size()",
                ),
            ],
        ),
    ]);
}
