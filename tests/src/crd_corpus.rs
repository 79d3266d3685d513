//! The any-CRD parity corpus, `tests/corpus/any-crd/`: third-party CRDs taken from Go modules
//! for their CEL use (one directory per project, its `SOURCE.md` naming module and version, its
//! licence beside them), the valid examples those projects ship (`<project>/examples/`), and the
//! cases written here: `cases.yaml` (creates) and `updates.yaml` (updates).
//!
//! A create case is an object (`object:`, or a copy of an earlier case's object, `from:`), then
//! `remove:` paths, then `set:` path -> value. An update case builds its old object the same way
//! (`before_remove:`, `before:` on top of `object:`/`from:`), stores it for real, then sends the
//! old object after `remove:` and `set:` as a dry-run update. `invalid` lists exactly the field
//! paths the apiserver names; absent means it accepts. The apiserver is the oracle: the test
//! checks those reviewed literals against it before anything else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{remove_path, repo_root, set_path};

/// The corpus directory.
pub fn dir() -> PathBuf {
    repo_root().join("tests/corpus/any-crd")
}

/// One CRD file of the corpus.
#[derive(Debug, Clone)]
pub struct CrdFile {
    /// Its path.
    pub path: PathBuf,
    /// The CRD.
    pub crd: Value,
}

/// What the apiserver serves for one group and kind: where to send objects.
#[derive(Debug, Clone)]
pub struct Served {
    /// The plural resource name.
    pub plural: String,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// The served versions.
    pub versions: Vec<String>,
}

/// The project directories, sorted.
pub fn projects() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/corpus/any-crd")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    vitistack_codegen_lib::yaml::parse_documents(&text, &path.display().to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every CRD of the corpus (the YAML files directly in each project directory).
pub fn crd_files() -> Vec<CrdFile> {
    projects()
        .iter()
        .flat_map(|p| yaml_files(p))
        .map(|path| {
            let mut docs = documents(&path);
            assert_eq!(docs.len(), 1, "{}: one CRD per file", path.display());
            CrdFile {
                path,
                crd: docs.remove(0),
            }
        })
        .collect()
}

/// What the corpus CRDs serve, by (group, kind).
pub fn served() -> BTreeMap<(String, String), Served> {
    let mut out = BTreeMap::new();
    for file in crd_files() {
        let spec = &file.crd["spec"];
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let versions = spec["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["served"] == true)
            .map(|v| text(&v["name"]))
            .collect();
        out.insert(
            (text(&spec["group"]), text(&spec["names"]["kind"])),
            Served {
                plural: text(&spec["names"]["plural"]),
                namespaced: spec["scope"] == "Namespaced",
                versions,
            },
        );
    }
    out
}

/// (group, version) of an apiVersion.
pub fn group_version(api_version: &str) -> (&str, &str) {
    api_version.split_once('/').unwrap_or(("", api_version))
}

/// The corpus CRD's resource for an object, if a corpus CRD serves its group and kind.
pub fn served_for<'a>(
    served: &'a BTreeMap<(String, String), Served>,
    object: &Value,
) -> Option<&'a Served> {
    let (group, _) = group_version(object["apiVersion"].as_str()?);
    served.get(&(group.to_owned(), object["kind"].as_str()?.to_owned()))
}

/// One create case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows.
    pub name: String,
    /// The object, when the case does not start from an earlier one.
    #[serde(default)]
    pub object: Option<Value>,
    /// The name of an earlier case whose object (before its own changes) this one starts from.
    #[serde(default)]
    pub from: Option<String>,
    /// Paths removed.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Path -> value, set after the removals.
    #[serde(default)]
    pub set: Map<String, Value>,
    /// The field paths the apiserver names; absent when it accepts.
    #[serde(default)]
    pub invalid: Option<Vec<String>>,
}

/// One update case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCase {
    /// What the case shows.
    pub name: String,
    /// The old object's start, when the case does not start from a create case.
    #[serde(default)]
    pub object: Option<Value>,
    /// The name of a create case whose object the old object starts from.
    #[serde(default)]
    pub from: Option<String>,
    /// Paths removed from the old object.
    #[serde(default)]
    pub before_remove: Vec<String>,
    /// Path -> value set on the old object.
    #[serde(default)]
    pub before: Map<String, Value>,
    /// Paths removed for the update.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Path -> value set for the update.
    #[serde(default)]
    pub set: Map<String, Value>,
    /// The field paths the apiserver names; absent when it accepts the update.
    #[serde(default)]
    pub invalid: Option<Vec<String>>,
}

fn load<T: for<'de> Deserialize<'de>>(file: &str) -> Vec<T> {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The create cases, in file order.
pub fn cases() -> Vec<Case> {
    load("cases.yaml")
}

/// The update cases, in file order.
pub fn update_cases() -> Vec<UpdateCase> {
    load("updates.yaml")
}

fn apply(object: &mut Value, remove: &[String], set: &Map<String, Value>) {
    for path in remove {
        remove_path(object, path);
    }
    for (path, value) in set {
        set_path(object, path, value.clone());
    }
}

/// The base object of `from`/`object` among the create cases.
fn base(name: &str, object: &Option<Value>, from: &Option<String>, cases: &[Case]) -> Value {
    match (object, from) {
        (Some(object), None) => object.clone(),
        (None, Some(from)) => {
            let case = cases
                .iter()
                .find(|c| &c.name == from)
                .unwrap_or_else(|| panic!("{name}: no case {from:?} to start from"));
            base(&case.name, &case.object, &case.from, cases)
        }
        _ => panic!("{name}: give exactly one of object and from"),
    }
}

/// A create case's object.
pub fn build(case: &Case, cases: &[Case]) -> Value {
    let mut object = base(&case.name, &case.object, &case.from, cases);
    apply(&mut object, &case.remove, &case.set);
    object
}

/// An update case's old and new objects.
pub fn build_update(case: &UpdateCase, cases: &[Case]) -> (Value, Value) {
    let mut old = base(&case.name, &case.object, &case.from, cases);
    apply(&mut old, &case.before_remove, &case.before);
    let mut new = old.clone();
    apply(&mut new, &case.remove, &case.set);
    (old, new)
}

/// Every document of a corpus kind in the projects' shipped examples: (file/index, object).
pub fn examples() -> Vec<(String, Value)> {
    let served = served();
    let mut out = Vec::new();
    for project in projects() {
        let examples = project.join("examples");
        if !examples.is_dir() {
            continue;
        }
        for path in yaml_files(&examples) {
            for (i, doc) in documents(&path).into_iter().enumerate() {
                if served_for(&served, &doc).is_some() {
                    let name = path.strip_prefix(dir()).unwrap_or(&path).display();
                    out.push((format!("{name}#{}", i + 1), doc));
                }
            }
        }
    }
    out
}

/// The object as sent: in `namespace` when its kind is namespaced, else without one; `name`
/// replaces its name when given (update cases store objects for real).
pub fn placed(object: &Value, served: &Served, namespace: &str, name: Option<&str>) -> Value {
    let mut object = object.clone();
    if !object["metadata"].is_object() {
        object["metadata"] = Value::Object(Map::new());
    }
    let metadata = object["metadata"].as_object_mut().expect("metadata");
    if served.namespaced {
        metadata.insert("namespace".into(), Value::String(namespace.to_owned()));
    } else {
        metadata.remove("namespace");
    }
    if let Some(name) = name {
        metadata.insert("name".into(), Value::String(name.to_owned()));
    }
    object
}

/// The API path of an object's collection: `/apis/<group>/<version>[/namespaces/<ns>]/<plural>`.
pub fn collection(object: &Value, served: &Served) -> String {
    let api_version = object["apiVersion"].as_str().unwrap_or_default();
    let namespace = object["metadata"]["namespace"].as_str();
    match namespace {
        Some(ns) if served.namespaced => {
            format!("/apis/{api_version}/namespaces/{ns}/{}", served.plural)
        }
        _ => format!("/apis/{api_version}/{}", served.plural),
    }
}
