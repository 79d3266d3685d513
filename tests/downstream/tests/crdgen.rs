//! The five-line `crdgen` binary (`src/bin/crdgen.rs`) gives this crate's kind the commands of
//! `vitistack-codegen`: `generate` reproduces the committed `crds/` and `schemas/`, `verify`
//! finds a changed file, and `validate` checks manifests of the user's kind with every rule,
//! naming the field path, and knows no other kind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CRDGEN: &str = env!("CARGO_BIN_EXE_crdgen");
const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");
const CRD: &str = "crds/example.com_vlanattachments.yaml";
const SCHEMA: &str = "schemas/example.com/vlanattachment_v1.json";

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("crdgen-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn crdgen(args: &[&str], dir: &Path) -> Output {
    Command::new(CRDGEN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run crdgen")
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(relative, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A copy of the committed `crds/` and `schemas/` in a temp dir.
fn committed_copy(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    for file in [CRD, SCHEMA] {
        let target = dir.0.join(file);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(Path::new(CRATE_DIR).join(file), &target).expect("copy");
    }
    dir
}

#[test]
fn generate_reproduces_the_committed_crds_and_schemas() {
    let out = TempDir::new("generate");
    let run = crdgen(
        &["generate", "--out-dir", out.0.to_str().expect("utf-8")],
        &out.0,
    );
    assert!(run.status.success(), "{run:?}");
    let generated = files(&out.0);
    let names: Vec<&PathBuf> = generated.keys().collect();
    assert_eq!(names, [Path::new(CRD), Path::new(SCHEMA)]);
    for (name, bytes) in &generated {
        let committed = std::fs::read(Path::new(CRATE_DIR).join(name)).expect("committed file");
        assert!(
            committed == *bytes,
            "{} differs from the committed file: run `cargo run --bin crdgen -- generate` in \
             tests/downstream",
            name.display()
        );
    }
    let crd = String::from_utf8_lossy(&generated[Path::new(CRD)]).into_owned();
    assert!(crd.contains("kind: VlanAttachment"));
    assert!(crd.contains("x-kubernetes-int-or-string: true"));
}

#[test]
fn verify_passes_on_the_committed_files_and_finds_a_changed_one() {
    let clean = committed_copy("verify-clean");
    let run = crdgen(&["verify", "--dir", "."], &clean.0);
    assert_eq!(run.status.code(), Some(0), "{run:?}");

    let changed = committed_copy("verify-changed");
    let path = changed.0.join(CRD);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("maximum: 4094", "maximum: 4095", 1)).expect("write");
    let run = crdgen(&["verify", "--dir", "."], &changed.0);
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains(CRD), "the diff names the file: {stdout}");
    assert!(
        stdout.contains("maximum: 4095"),
        "the diff shows the change: {stdout}"
    );
}

fn manifest(spec: &str) -> String {
    format!(
        "apiVersion: example.com/v1\nkind: VlanAttachment\nmetadata:\n  name: uplink\n  \
         namespace: default\nspec:\n{spec}"
    )
}

const GOOD_SPEC: &str = "  vlan: 100\n  subnet: 10.0.0.0/24\n  gateway: 10.0.0.1\n  \
                         bandwidth: 10G\n  jumboFrames: true\n  mtuProfile: jumbo\n  \
                         burst: 2G\n";

fn validate(tag: &str, text: &str) -> (Option<i32>, String) {
    let dir = TempDir::new(tag);
    std::fs::write(dir.0.join("object.yaml"), text).expect("write manifest");
    let run = crdgen(&["validate", "object.yaml"], &dir.0);
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stdout).into_owned(),
    )
}

#[test]
fn validate_accepts_a_good_manifest_of_the_user_kind() {
    let (code, stdout) = validate("good", &manifest(GOOD_SPEC));
    assert_eq!(code, Some(0), "{stdout}");
}

#[test]
fn validate_names_the_field_of_each_broken_rule_and_exits_1() {
    let cases = [
        // An OpenAPI rule, a CEL-backed format, a cross-field CEL rule, an embedded Quantity.
        (
            "range",
            GOOD_SPEC.replace("vlan: 100", "vlan: 5000"),
            "spec.vlan: ",
        ),
        (
            "cidr",
            GOOD_SPEC.replace("10.0.0.0/24", "10.0.0.0/33"),
            "spec.subnet: ",
        ),
        (
            "rule",
            GOOD_SPEC.replace("mtuProfile: jumbo", "mtuProfile: standard"),
            "spec.mtuProfile: ",
        ),
        (
            "quantity",
            GOOD_SPEC.replace("burst: 2G", "burst: 2 gigs"),
            "spec.burst: ",
        ),
    ];
    for (name, spec, path) in cases {
        let (code, stdout) = validate(name, &manifest(&spec));
        assert_eq!(code, Some(1), "{name}: {stdout}");
        assert!(
            stdout.contains(&format!("VlanAttachment/uplink: {path}")),
            "{name}: {stdout}"
        );
    }
}

#[test]
fn validate_knows_only_the_registered_kinds() {
    let machine =
        "apiVersion: vitistack.io/v1alpha1\nkind: Machine\nmetadata:\n  name: m\nspec: {}\n";
    let (code, stdout) = validate("unknown", machine);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("unknown kind"), "{stdout}");
}
