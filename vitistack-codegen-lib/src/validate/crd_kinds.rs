//! The kinds of `validate --crd`: CustomResourceDefinitions read from files
//! ([`vitistack_core::crd::read_crd`], every structural keyword into the schema model), by
//! group and kind, each served version with its schema tree. Every CEL rule is compiled when
//! the CRD is read ([`vitistack_core::cel::compile_all`]); a rule the engine cannot compile is
//! kept as [`Unsupported`], so each document it would check is reported as not fully checked
//! rather than passed.

use std::collections::BTreeMap;

use serde_json::Value;
use vitistack_core::crd::read_crd;
use vitistack_core::schema::{Node, Property, Type};

/// A CEL rule of a CRD the engine cannot compile: the documents it applies to are not fully
/// checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// Where the rule sits in the version's schema (`spec.items[]`; empty for the root).
    pub path: String,
    /// The rule's text.
    pub rule: String,
    /// Why the engine cannot compile it.
    pub error: String,
}

/// One version of a CRD.
#[derive(Debug)]
pub struct CrdVersion {
    /// The version's name (`v1beta2`).
    pub name: String,
    /// Whether the apiserver serves it.
    pub served: bool,
    /// The scale subresource's `specReplicasPath` (`.spec.replicas`), when it is on.
    pub spec_replicas_path: Option<String>,
    /// The version's schema, as the apiserver reads it for a custom resource: `apiVersion` and
    /// `kind` always declared, `metadata` the ObjectMeta of every object ([`resource_root`]).
    pub node: Node,
    /// Its rules the engine cannot compile.
    pub unsupported: Vec<Unsupported>,
}

/// One kind served by a CRD.
#[derive(Debug)]
pub struct CrdKind {
    /// The CRD's name (`<plural>.<group>`).
    pub crd: String,
    /// The file it was read from.
    pub file: String,
    /// Its versions, in the CRD's order.
    pub versions: Vec<CrdVersion>,
}

/// What the CRDs say about an apiVersion and kind.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// No CRD serves the group and kind.
    Unknown,
    /// A CRD defines the kind but does not serve the version.
    NotServed(&'a CrdKind),
    /// The kind's served version.
    Served(&'a CrdKind, &'a CrdVersion),
}

/// Every kind of the CRDs given to `--crd`, by (group, kind).
#[derive(Debug, Default)]
pub struct CrdKinds {
    kinds: BTreeMap<(String, String), CrdKind>,
}

impl CrdKinds {
    /// Adds every CustomResourceDefinition among the documents of a stream named `file`;
    /// returns how many. A document that is a CRD but cannot be read is an error naming the
    /// file, the CRD and each problem; so is a second CRD of the same group and kind.
    pub fn add_text(&mut self, file: &str, text: &str) -> Result<usize, String> {
        let documents = crate::yaml::parse_documents(text, file).map_err(|e| e.to_string())?;
        let mut added = 0;
        for (i, doc) in documents.iter().enumerate() {
            if doc.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition") {
                continue;
            }
            self.add(file, i + 1, doc)?;
            added += 1;
        }
        Ok(added)
    }

    fn add(&mut self, file: &str, index: usize, doc: &Value) -> Result<(), String> {
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("<no name>")
            .to_owned();
        let at = format!("{file}: document {index} (CRD {name})");
        let loaded = read_crd(doc).map_err(|errors| {
            let list: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.path, e.message))
                .collect();
            format!(
                "{at}: not a CRD this command can read:\n  {}",
                list.join("\n  ")
            )
        })?;
        let versions = loaded
            .versions
            .into_iter()
            .map(|v| {
                let node = resource_root(v.node);
                let unsupported = vitistack_core::cel::compile_all(&node)
                    .into_iter()
                    .map(|e| Unsupported {
                        path: e.path,
                        rule: e.rule,
                        error: e.error.to_string(),
                    })
                    .collect();
                CrdVersion {
                    name: v.name,
                    served: v.served,
                    spec_replicas_path: v
                        .subresources
                        .scale
                        .as_ref()
                        .and_then(|s| s.get("specReplicasPath"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    node,
                    unsupported,
                }
            })
            .collect();
        let key = (loaded.group, loaded.names.kind);
        if let Some(first) = self.kinds.get(&key) {
            return Err(format!(
                "{at}: a second CRD of {}/{} (the first: {} in {})",
                key.0, key.1, first.crd, first.file
            ));
        }
        self.kinds.insert(
            key,
            CrdKind {
                crd: name,
                file: file.to_owned(),
                versions,
            },
        );
        Ok(())
    }

    /// How many kinds.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// What the CRDs say about `api_version` (`group/version`) and `kind`.
    pub fn lookup(&self, api_version: &str, kind: &str) -> Lookup<'_> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let Some(crd) = self.kinds.get(&(group.to_owned(), kind.to_owned())) else {
            return Lookup::Unknown;
        };
        match crd.versions.iter().find(|v| v.name == version && v.served) {
            Some(v) => Lookup::Served(crd, v),
            None => Lookup::NotServed(crd),
        }
    }

    /// Whether a CRD serves some kind of `group`.
    pub fn has_group(&self, group: &str) -> bool {
        self.kinds.keys().any(|(g, _)| g == group)
    }
}

impl CrdKind {
    /// The versions the CRD serves.
    pub fn served(&self) -> Vec<&str> {
        self.versions
            .iter()
            .filter(|v| v.served)
            .map(|v| v.name.as_str())
            .collect()
    }
}

/// A CRD version's root schema as the apiserver applies it to a custom resource: `apiVersion`
/// and `kind` are strings whether or not the schema declares them. (`metadata` is already the
/// ObjectMeta of every object as the loader reads it: [`Type::Metadata`] with the `name` and
/// `generateName` schemas the CRD declares, which the walk checks.)
pub fn resource_root(mut root: Node) -> Node {
    if let Type::Object { properties } = &mut root.ty {
        for field in ["apiVersion", "kind"] {
            if !properties.iter().any(|p| p.name == field) {
                properties.push(Property::new(field, false, Node::new(Type::String)));
            }
        }
    }
    root
}
