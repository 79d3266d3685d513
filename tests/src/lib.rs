//! Test support for the end-to-end suite: a real kube-apiserver shared by the tests of one run
//! ([`apiserver`]), kube clients for it and for other identities ([`identity`]), the example
//! manifests, and field-path patching.

pub mod agreement;
pub mod apiserver;
pub mod cel_corpus;
pub mod cel_kinds;
pub mod compat_crds;
pub mod corpus;
pub mod crd_corpus;
pub mod identity;
pub mod lint_corpus;
pub mod requests;
pub mod server;
pub mod update_corpus;

use serde_json::Value;
use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `target/bin/<tool>` (`helm` or `kustomize`), built from its Go module by
/// `scripts/build-tools.sh` if needed; panics with the script's message when it cannot be built.
pub fn project_tool(tool: &str) -> PathBuf {
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/build-tools.sh"))
        .arg(tool)
        .output()
        .expect("run scripts/build-tools.sh");
    assert!(
        out.status.success(),
        "scripts/build-tools.sh {tool} failed ({tool} is built with Go):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    repo_root().join("target/bin").join(tool)
}

/// A kube client for the test server (or `$VITISTACK_TEST_KUBECONFIG`). Panics with the reason
/// when there is no server: the end-to-end tests must fail loudly, never skip.
pub async fn client() -> kube::Client {
    let path = apiserver::kubeconfig_path();
    let kubeconfig = kube::config::Kubeconfig::read_from(&path)
        .unwrap_or_else(|e| panic!("cannot read kubeconfig {}: {e}", path.display()));
    let config = kube::Config::from_custom_kubeconfig(
        kubeconfig,
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("bad kubeconfig {}: {e}", path.display()));
    kube::Client::try_from(config).unwrap_or_else(|e| panic!("cannot build a client: {e}"))
}

/// Installs the CRDs once per test binary: the files users apply ([`crd_files`], read from
/// `crds/` on disk, not the in-memory catalog), server-side applied, then waits until each is
/// Established.
pub async fn ensure_crds(client: &kube::Client) {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async { apply_crd_files(client).await })
        .await;
}

async fn apply_crd_files(client: &kube::Client) {
    for (path, crd) in crd_files() {
        apply_crd(client, &crd)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// Server-side applies one CRD (forcing ownership) and waits until it is Established. The
/// update corpus uses it to swap a CRD for a laxer one and back.
pub async fn apply_crd(client: &kube::Client, crd: &Value) -> Result<(), String> {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    use kube::api::{Api, Patch, PatchParams};
    use kube::runtime::wait::{await_condition, conditions};
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let params = PatchParams::apply(vitistack_types::client::DEFAULT_FIELD_MANAGER).force();
    let name = crd["metadata"]["name"]
        .as_str()
        .ok_or("no metadata.name")?
        .to_string();
    api.patch(&name, &params, &Patch::Apply(crd))
        .await
        .map_err(|e| format!("applying {name} failed: {e}"))?;
    let established = await_condition(api.clone(), &name, conditions::is_crd_established());
    tokio::time::timeout(std::time::Duration::from_secs(60), established)
        .await
        .map_err(|_| format!("{name} not Established after 60 s"))?
        .map_err(|e| format!("waiting for {name}: {e}"))?;
    Ok(())
}

/// The CRD files users apply, `crds/vitistack.io_*.yaml`, sorted, each parsed from disk.
pub fn crd_files() -> Vec<(PathBuf, Value)> {
    let dir = repo_root().join("crds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("vitistack.io_") && n.ends_with(".yaml"))
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths.len(),
        10,
        "expected one CRD file per kind in {}",
        dir.display()
    );
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let crd =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, crd)
        })
        .collect()
}

/// The JSON Schemas editors and kubeconform use, compiled from `schemas/vitistack.io/*.json`
/// on disk (not from the in-memory catalog).
pub fn schemas_from_disk() -> vitistack_codegen_lib::json_schema::SchemaSet {
    let dir = repo_root().join("schemas/vitistack.io");
    let mut schemas = Vec::new();
    for entry in
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
    {
        let path = entry.expect("directory entry").path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let schema: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let kind = schema["properties"]["kind"]["enum"][0]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no kind enum", path.display()))
            .to_string();
        schemas.push(vitistack_types::catalog::KindSchema {
            kind,
            group: "vitistack.io".into(),
            version: "v1alpha1".into(),
            schema,
        });
    }
    assert_eq!(
        schemas.len(),
        10,
        "expected one schema per kind in {}",
        dir.display()
    );
    vitistack_codegen_lib::json_schema::SchemaSet::from_schemas(schemas)
        .unwrap_or_else(|e| panic!("schemas in {}: {e}", dir.display()))
}

/// A namespace name unique to this process and call (not created: see [`test_namespace`]).
pub fn unique_namespace(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates a Namespace of its own for a test and returns its name. The test server is a full
/// kube-apiserver: NamespaceLifecycle admission refuses objects in a namespace that does not
/// exist, so every test that needs one makes its own and leaves the others alone (no controller
/// runs, so namespaces are never deleted; each server run starts from an empty etcd).
pub async fn test_namespace(prefix: &str) -> String {
    let name = unique_namespace(prefix);
    identity::create_namespace(&client().await, &name).await;
    name
}

/// The kinds with an example manifest, as `(kind, file stem)`.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("Vitistack", "vitistack"),
    ("Machine", "machine"),
    ("MachineProvider", "machineprovider"),
    ("KubernetesCluster", "kubernetescluster"),
    ("KubernetesProvider", "kubernetesprovider"),
    ("NetworkConfiguration", "networkconfiguration"),
    ("NetworkNamespace", "networknamespace"),
    ("LoadBalancer", "loadbalancer"),
    ("KubevirtConfig", "kubevirtconfig"),
    ("ProxmoxConfig", "proxmoxconfig"),
];

/// The example manifest of a kind (`examples/<stem>.yaml`) as JSON.
pub fn example(stem: &str) -> Value {
    let path = repo_root().join("examples").join(format!("{stem}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Splits `a.b[0].c` into segments: `Key("a")`, `Key("b")`, `Index(0)`, `Key("c")`.
fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            out.push(Segment::Key(name.to_string()));
        }
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let index = index.trim_end_matches(']');
            out.push(Segment::Index(
                index
                    .parse()
                    .unwrap_or_else(|_| panic!("bad index in {path}")),
            ));
        }
    }
    out
}

enum Segment {
    Key(String),
    Index(usize),
}

/// Sets the value at a field path, creating objects on the way.
pub fn set_path(root: &mut Value, path: &str, value: Value) {
    let segments = segments(path);
    let mut node = root;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        node = match segment {
            Segment::Key(key) => {
                if !node.is_object() {
                    *node = Value::Object(Default::default());
                }
                let map = node.as_object_mut().expect("object");
                if last {
                    map.insert(key.clone(), value);
                    return;
                }
                map.entry(key.clone()).or_insert(Value::Null)
            }
            Segment::Index(index) => {
                let list = node
                    .as_array_mut()
                    .unwrap_or_else(|| panic!("{path}: not a list"));
                while list.len() <= *index {
                    list.push(Value::Null);
                }
                if last {
                    list[*index] = value;
                    return;
                }
                &mut list[*index]
            }
        };
    }
}

/// Removes the value at a field path (no-op when absent).
pub fn remove_path(root: &mut Value, path: &str) {
    let segments = segments(path);
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    let mut node = root;
    for segment in parents {
        let next = match segment {
            Segment::Key(key) => node.get_mut(key.as_str()),
            Segment::Index(index) => node.get_mut(*index),
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    match last {
        Segment::Key(key) => {
            if let Some(map) = node.as_object_mut() {
                map.remove(key);
            }
        }
        Segment::Index(index) => {
            if let Some(list) = node.as_array_mut() {
                if *index < list.len() {
                    list.remove(*index);
                }
            }
        }
    }
}

/// The value at a field path.
pub fn get_path<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = root;
    for segment in segments(path) {
        node = match segment {
            Segment::Key(key) => node.get(key.as_str())?,
            Segment::Index(index) => node.get(index)?,
        };
    }
    Some(node)
}

/// The paths where `actual` lost or changed something `expected` has: everything set in
/// `expected` must be in `actual` with the same value (`actual` may have more, e.g. defaults).
pub fn missing_from(expected: &Value, actual: &Value, path: &str) -> Vec<String> {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => want
            .iter()
            .flat_map(|(key, value)| {
                // Map keys may contain dots (label keys); show those in brackets.
                let child = if key.contains('.') {
                    format!("{path}[{key}]")
                } else {
                    format!("{path}.{key}")
                };
                match have.get(key) {
                    Some(found) => missing_from(value, found, &child),
                    None => vec![child],
                }
            })
            .collect(),
        (Value::Array(want), Value::Array(have)) if want.len() == have.len() => want
            .iter()
            .zip(have)
            .enumerate()
            .flat_map(|(i, (w, h))| missing_from(w, h, &format!("{path}[{i}]")))
            .collect(),
        (want, have) if want == have => Vec::new(),
        _ => vec![path.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_set_get_and_remove() {
        let mut v = json!({"spec": {"list": [{"a": 1}]}});
        set_path(&mut v, "spec.list[0].b.c", json!(2));
        set_path(&mut v, "spec.x", json!("y"));
        assert_eq!(
            v,
            json!({"spec": {"list": [{"a": 1, "b": {"c": 2}}], "x": "y"}})
        );
        assert_eq!(get_path(&v, "spec.list[0].b.c"), Some(&json!(2)));
        remove_path(&mut v, "spec.list[0].a");
        assert_eq!(get_path(&v, "spec.list[0].a"), None);
    }

    #[test]
    fn missing_from_finds_pruned_and_changed_fields_only() {
        let expected = json!({"a": {"b": 1, "l": [1, 2]}, "labels": {"x.io/y": "z"}});
        let actual = json!({"a": {"b": 1, "l": [1, 3], "extra": true}, "labels": {}});
        assert_eq!(
            missing_from(&expected, &actual, "spec"),
            vec!["spec.a.l[1]".to_string(), "spec.labels[x.io/y]".to_string()]
        );
        assert!(missing_from(&expected, &expected, "spec").is_empty());
    }
}
