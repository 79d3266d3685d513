//! `vitistack-codegen compat` as a built binary: exit codes 0/1/2, messages naming the file,
//! the output formats, and `git:REF` against a temporary repository.

#[path = "../../vitistack-codegen-lib/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn compat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .arg("compat")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run vitistack-codegen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A CRD file for `widgets.example.com` in `version` with `spec.size` = `size` schema.
fn write_crd(path: &Path, version: &str, size: Value) {
    let mut crd = common::crd(
        "example.com",
        "Widget",
        "widgets",
        json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": size}}}}),
    );
    crd["spec"]["versions"][0]["name"] = json!(version);
    let yaml = vitistack_codegen_lib::yaml::to_yaml(&crd).expect("YAML");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, yaml).expect("write CRD");
}

fn pair(dir: &Path, version: &str) {
    write_crd(
        &dir.join("old/widgets.yaml"),
        version,
        json!({"type": "integer", "maximum": 10}),
    );
    write_crd(
        &dir.join("new/widgets.yaml"),
        version,
        json!({"type": "integer", "maximum": 5}),
    );
}

#[test]
fn exit_0_without_errors_even_with_warnings() {
    let dir = common::temp_dir("compat-exit0");
    pair(&dir, "v1alpha1");
    let out = compat(&dir, &["old", "new"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "warning: widgets.example.com v1alpha1 spec.size: maximum: maximum lowered: 10 -> 5\n"
    );
    assert!(text(&out.stderr).contains("1 CRD(s) compared: 0 error(s), 1 warning(s)"));
    // Identical sides: nothing printed on stdout.
    let same = compat(&dir, &["old", "old/widgets.yaml"]);
    assert_eq!(
        (same.status.code(), text(&same.stdout)),
        (Some(0), String::new())
    );
}

#[test]
fn exit_1_on_errors_and_the_config_can_lower_them() {
    let dir = common::temp_dir("compat-exit1");
    pair(&dir, "v1beta1");
    let out = compat(&dir, &["old", "new", "--output", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let findings: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(
        findings,
        json!([{"crd": "widgets.example.com", "version": "v1beta1", "path": "spec.size",
                "check": "maximum", "severity": "error", "message": "maximum lowered: 10 -> 5",
                "refused": false}])
    );
    std::fs::write(
        dir.join("warn.yaml"),
        "validations:\n- name: maximum\n  enforcement: warn\n",
    )
    .unwrap();
    let warned = compat(
        &dir,
        &["--config", "warn.yaml", "old", "new", "-o", "markdown"],
    );
    assert_eq!(warned.status.code(), Some(0), "{}", text(&warned.stderr));
    assert!(text(&warned.stdout)
        .contains("| warning | widgets.example.com | v1beta1 | spec.size | maximum |"));
}

#[test]
fn exit_2_on_input_errors_naming_the_file() {
    let dir = common::temp_dir("compat-exit2");
    pair(&dir, "v1");
    std::fs::write(dir.join("broken.yaml"), "a: [1\n").unwrap();
    std::fs::write(dir.join("notcrd.yaml"), "apiVersion: v1\nkind: ConfigMap\n").unwrap();
    std::fs::write(
        dir.join("bad-config.yaml"),
        "validations:\n- name: maximumm\n",
    )
    .unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["old", "missing"], "missing: "),
        (&["old", "broken.yaml"], "broken.yaml: invalid YAML"),
        (
            &["notcrd.yaml", "new"],
            "notcrd.yaml: no CustomResourceDefinition found",
        ),
        (
            &["--config", "bad-config.yaml", "old", "new"],
            "bad-config.yaml: validations[0]: name: unknown check \"maximumm\"",
        ),
        (&["--config", "nope.yaml", "old", "new"], "nope.yaml: "),
    ];
    for (args, message) in cases {
        let out = compat(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(message),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // The same CRD twice on one side is ambiguous.
    std::fs::copy(dir.join("new/widgets.yaml"), dir.join("new/again.yaml")).unwrap();
    let twice = compat(&dir, &["old", "new"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        text(&twice.stderr).contains("CRD widgets.example.com is also in"),
        "{}",
        text(&twice.stderr)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn git_ref_reads_crds_at_a_revision() {
    let dir = common::temp_dir("compat-git");
    git(&dir, &["init", "-q"]);
    write_crd(
        &dir.join("crds/widgets.yaml"),
        "v1",
        json!({"type": "integer", "maximum": 10}),
    );
    // Not a CRD: ignored, as a kustomization next to the CRDs would be.
    std::fs::write(
        dir.join("crds/kustomization.yaml"),
        "resources:\n- widgets.yaml\n",
    )
    .unwrap();
    // Outside crds/: not read by `git:REF` (it would be the same CRD twice).
    write_crd(
        &dir.join("docs/widgets.yaml"),
        "v1",
        json!({"type": "integer"}),
    );
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "one"]);
    git(&dir, &["tag", "v0.1.0"]);
    write_crd(
        &dir.join("crds/widgets.yaml"),
        "v1",
        json!({"type": "string"}),
    );

    let out = compat(&dir, &["git:v0.1.0", "crds"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "error: widgets.example.com v1 spec.size: type: type changed: \"integer\" -> \"string\"\n"
    );
    // From a subdirectory, and with an explicit directory.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    assert_eq!(
        compat(&dir.join("sub"), &["git:HEAD", "../crds"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        compat(&dir, &["git:HEAD:crds", "git:v0.1.0"]).status.code(),
        Some(0)
    );

    let unknown = compat(&dir, &["git:v9.9.9", "crds"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("git:v9.9.9: unknown git revision \"v9.9.9\""),
        "{}",
        text(&unknown.stderr)
    );
    let no_dir = compat(&dir, &["git:HEAD:nothing", "crds"]);
    assert_eq!(no_dir.status.code(), Some(2));
    assert!(
        text(&no_dir.stderr)
            .contains("git:HEAD:nothing: no *.yaml, *.yml or *.json files under nothing/"),
        "{}",
        text(&no_dir.stderr)
    );
}

#[test]
fn git_ref_outside_a_repository_is_an_input_error() {
    // The scratch dir lives inside the project's repository: GIT_CEILING_DIRECTORIES keeps
    // git from finding that repository above it.
    let dir = common::temp_dir("compat-nogit");
    let out = Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(["compat", "git:HEAD", "."])
        .current_dir(&*dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().expect("parent"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("git:HEAD: not inside a git repository"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn help_documents_the_config_format_and_exit_codes() {
    let out = compat(Path::new("."), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for needle in [
        "Usage: vitistack-codegen compat",
        "enforcement: warn       # error | warn | none",
        "additionPolicy: Allow",
        "conversion: Ignore",
        "Exit codes: 0 no errors",
        "v1alpha* warning, v1beta* and v1 error",
        "--objects <PATH>",
        "--objects-from-cluster",
        "--page-size <N>",
        "ratcheted (NEW rejects it, but an update leaving the failing fields unchanged goes",
    ] {
        assert!(help.contains(needle), "{needle:?} not in:\n{help}");
    }
}

/// The Machine CRD of `crds/`, and a copy of it without the maximum of `cores` (OLD): the
/// preview's pair on our own kind (issue 27 item 5).
fn machine_pair(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crds/vitistack.io_machines.yaml");
    let text = std::fs::read_to_string(&root).expect("the Machine CRD");
    let mut old: Value = serde_saphyr::from_str(&text).expect("YAML");
    let cores = "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/resources/\
                 properties/cpu/properties/cores";
    let cores = old
        .pointer_mut(cores)
        .and_then(Value::as_object_mut)
        .expect("cores");
    cores.remove("maximum").expect("a maximum");
    std::fs::create_dir_all(dir.join("machines-old")).expect("mkdir");
    std::fs::create_dir_all(dir.join("machines-new")).expect("mkdir");
    std::fs::write(
        dir.join("machines-old/machines.yaml"),
        vitistack_codegen_lib::yaml::to_yaml(&old).expect("YAML"),
    )
    .expect("write OLD");
    std::fs::write(dir.join("machines-new/machines.yaml"), text).expect("write NEW");
}

/// A Machine named `name` with `cores` CPU cores, as a YAML document.
fn machine(api_version: &str, name: &str, cores: u32) -> String {
    format!(
        "apiVersion: {api_version}\nkind: Machine\nmetadata:\n  name: {name}\n  namespace: default\n\
         spec:\n  providerRef:\n    apiVersion: vitistack.io/v1alpha1\n    kind: MachineProvider\n    \
         name: p\n  resources:\n    cpu:\n      cores: {cores}\n    memory:\n      size: 4Gi\n"
    )
}

#[test]
fn the_preview_of_stored_objects_in_every_output_format() {
    let dir = common::temp_dir("compat-preview");
    machine_pair(&dir);
    let objects = [
        machine("vitistack.io/v1alpha1", "over", 200),
        machine("vitistack.io/v1alpha1", "fits", 8),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n".to_owned(),
    ]
    .join("---\n");
    std::fs::write(dir.join("objects.yaml"), objects).expect("write objects");
    let args = ["machines-old", "machines-new", "--objects", "objects.yaml"];

    let out = compat(&dir, &args);
    // The finding is a warning (v1alpha1) and the object ratchets: exit 0.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "ratcheted: objects.yaml: document 1: Machine default/over: NEW rejects \
             spec.resources.cpu.cores: Invalid value: 200: "
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("fits"),
        "valid objects are not listed: {stdout}"
    );
    assert!(
        text(&out.stderr).contains(
            "2 stored object(s) previewed: 1 valid, 1 ratcheted, 0 blocked, 0 unchecked; \
             1 of other kinds skipped"
        ),
        "{}",
        text(&out.stderr)
    );

    let json_out = compat(&dir, &[&args[..], &["--output", "json"]].concat());
    let value: Value = serde_json::from_slice(&json_out.stdout).expect("JSON on stdout");
    let outcomes: Vec<(&str, &str)> = value["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(outcomes, [("over", "ratcheted"), ("fits", "valid")]);
    assert_eq!(value["findings"][0]["check"], "maximum");

    let markdown = text(&compat(&dir, &[&args[..], &["--output", "markdown"]].concat()).stdout);
    assert!(
        markdown.contains("| Machine default/over | objects.yaml: document 1 | ratcheted |"),
        "{markdown}"
    );
}

#[test]
fn the_preview_exits_1_on_an_object_it_cannot_check_and_2_on_bad_objects() {
    let dir = common::temp_dir("compat-preview-exit");
    machine_pair(&dir);
    // NEW serves no v1beta1: the object is unchecked, never passed.
    std::fs::write(
        dir.join("beta.yaml"),
        machine("vitistack.io/v1beta1", "beta", 8),
    )
    .unwrap();
    let out = compat(
        &dir,
        &["machines-old", "machines-new", "--objects", "beta.yaml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("unchecked: beta.yaml: document 1: Machine default/beta: not checked; NEW does not serve version v1beta1"),
        "{}",
        text(&out.stdout)
    );

    // A transition rule refuses even an unchanged update: blocked, exit 1 (a third-party CRD,
    // read by the CRD loader).
    write_crd(&dir.join("w-old/w.yaml"), "v1", json!({"type": "integer"}));
    write_crd(
        &dir.join("w-new/w.yaml"),
        "v1",
        json!({"type": "integer", "x-kubernetes-validations": [
            {"rule": "self <= 10 || self < oldSelf", "message": "a size above 10 may only decrease"}]}),
    );
    let widgets = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: big\n  namespace: default\n\
                   spec:\n  size: 20\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: small\n\
                   spec:\n  size: 5\n";
    std::fs::write(dir.join("widgets.yaml"), widgets).unwrap();
    let out = compat(&dir, &["w-old", "w-new", "--objects", "widgets.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).lines().filter(|l| !l.starts_with("error:")).collect::<Vec<_>>(),
        ["blocked: widgets.yaml: document 1: Widget default/big: an update that leaves the object \
          unchanged is refused: spec.size: Invalid value: 20: a size above 10 may only decrease"],
        "{}",
        text(&out.stdout)
    );

    // An object OLD would not have accepted either is previewed, with a note saying so.
    std::fs::write(
        dir.join("odd.yaml"),
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: odd\nspec:\n  size: ten\n",
    )
    .unwrap();
    let out = compat(&dir, &["w-old", "w-new", "--objects", "odd.yaml"]);
    for needle in [
        "ratcheted: odd.yaml: document 1: Widget odd: NEW rejects spec.size: Invalid value: \
         \"ten\": must be of type integer; ",
        "; OLD rejects it too (spec.size: Invalid value: \"ten\": must be of type integer): it \
         cannot have been created as it is\n",
    ] {
        assert!(
            text(&out.stdout).contains(needle),
            "{needle}: {}",
            text(&out.stdout)
        );
    }

    let fits = machine("vitistack.io/v1alpha1", "fits", 8);
    std::fs::write(
        dir.join("kindless.yaml"),
        format!("{fits}---\napiVersion: v1\n"),
    )
    .unwrap();
    std::fs::write(dir.join("broken.yaml"), format!("{fits}---\na: [1\n")).unwrap();
    for (file, message) in [
        (
            "kindless.yaml",
            "kindless.yaml: document 2: an object needs string apiVersion and kind",
        ),
        ("broken.yaml", "broken.yaml: document 2: invalid YAML"),
        ("missing.yaml", "missing.yaml: "),
    ] {
        let out = compat(&dir, &["machines-old", "machines-new", "--objects", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(
            text(&out.stderr).contains(message),
            "{file}: {}",
            text(&out.stderr)
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args([
            "compat",
            "machines-old",
            "machines-new",
            "--objects-from-cluster",
        ])
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .current_dir(&*dir)
        .output()
        .expect("run vitistack-codegen");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no cluster from $KUBECONFIG"),
        "{}",
        text(&out.stderr)
    );
}
