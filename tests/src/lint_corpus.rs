//! The lint corpus, `tests/corpus/lint/cases.yaml`: base CRDs (ours and third-party ones from
//! released Go modules) and twists, each applied to the bases it names, as whole CRD objects
//! for the apiserver (a dry-run create) and for `lint`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::repo_root;

/// The corpus file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    bases: BTreeMap<String, String>,
    twists: Vec<Twist>,
}

/// One change, applied to each base of `to`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Twist {
    name: String,
    server: String,
    to: Vec<String>,
    #[serde(default)]
    first: bool,
    #[serde(default)]
    field: Option<Value>,
    #[serde(default)]
    patch: Vec<Patch>,
}

/// `path` (a JSON pointer; `*` stands for every version) set to `value`, or removed without
/// one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Patch {
    path: String,
    #[serde(default)]
    value: Option<Value>,
}

/// One CRD to create.
#[derive(Debug, Clone)]
pub struct LintCase {
    /// `twist on base` (`base on base` for a base unchanged).
    pub name: String,
    /// The twist's name (`base` for a base).
    pub twist: String,
    /// The fragment of the server's answer the corpus recorded (`accepted` when it takes it).
    pub server: String,
    /// The CRD.
    pub crd: Value,
}

/// Every case of the corpus: each base unchanged, then each twist on each of its bases.
pub fn cases() -> Vec<LintCase> {
    let path = repo_root().join("tests/corpus/lint/cases.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let corpus: Corpus =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bases: BTreeMap<&str, Value> = corpus
        .bases
        .iter()
        .map(|(name, file)| (name.as_str(), base(file)))
        .collect();
    let mut cases: Vec<LintCase> = bases
        .iter()
        .map(|(name, crd)| LintCase {
            name: format!("base on {name}"),
            twist: "base".to_owned(),
            server: "accepted".to_owned(),
            crd: crd.clone(),
        })
        .collect();
    for twist in &corpus.twists {
        for on in &twist.to {
            let crd = bases
                .get(on.as_str())
                .unwrap_or_else(|| panic!("{}: no base {on}", twist.name));
            cases.push(LintCase {
                name: format!("{} on {on}", twist.name),
                twist: twist.name.clone(),
                server: twist.server.clone(),
                crd: twisted(crd.clone(), twist),
            });
        }
    }
    cases
}

/// The CustomResourceDefinition of a base file (documents that are not CRDs are skipped).
fn base(file: &str) -> Value {
    let path = repo_root().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    vitistack_codegen_lib::yaml::parse_documents(&text, file)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .find(|d| d.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition"))
        .unwrap_or_else(|| panic!("{}: no CustomResourceDefinition", path.display()))
}

fn twisted(mut crd: Value, twist: &Twist) -> Value {
    let versions = crd
        .pointer_mut("/spec/versions")
        .and_then(Value::as_array_mut)
        .expect("spec.versions");
    for (i, version) in versions.iter_mut().enumerate() {
        let Some(field) = &twist.field else {
            break;
        };
        if twist.first && i > 0 {
            break;
        }
        let spec = version
            .pointer_mut("/schema/openAPIV3Schema/properties/spec")
            .and_then(Value::as_object_mut)
            .expect("a spec property");
        let props = spec
            .entry("properties")
            .or_insert_with(|| Value::Object(Default::default()));
        props
            .as_object_mut()
            .expect("spec.properties is an object")
            .insert("twist".to_owned(), field.clone());
    }
    for patch in &twist.patch {
        let member = patch
            .path
            .strip_prefix("/spec/versions/*")
            .unwrap_or_else(|| panic!("{}: patch paths start with /spec/versions/*/", twist.name));
        let (parent, key) = member.rsplit_once('/').expect("a JSON pointer");
        for version in versions.iter_mut() {
            let slot = version
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("{}: no object at {parent}", twist.name));
            match &patch.value {
                Some(value) => slot.insert(key.to_owned(), value.clone()),
                None => slot.remove(key),
            };
        }
    }
    crd
}
