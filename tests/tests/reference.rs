//! Issue #2's contract checks: every field of the reference (`docs/spec/crds-reference.md`) and of
//! decisions.md is in the generated CRDs with a description, and every printer column path exists.
//!
//! The expected field lists are read from the reference document itself, not from our code.

use serde_json::Value;
use std::path::PathBuf;
use vitistack_types::catalog;
use vitistack_types::crd::{missing_printer_column_paths, CustomResourceKind};
use vitistack_types::kinds::*;
use vitistack_types::schema::{openapi, Schema};

fn reference() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/spec/crds-reference.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The first ```yaml block after `heading`.
fn yaml_block<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("no section {heading}"));
    let rest = &doc[start..];
    let open = rest.find("```yaml").expect("yaml block") + "```yaml".len();
    let close = rest[open..].find("```").expect("closing fence");
    &rest[open..open + close]
}

/// Dotted field paths of a reference YAML sketch: `spec.infrastructure.providers[].type`.
fn field_paths(block: &str) -> Vec<String> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut paths = Vec::new();
    for raw in block.lines() {
        let line = raw.split(" #").next().unwrap_or("").trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut indent = line.len() - line.trim_start().len();
        let mut content = line.trim_start();
        let is_item = content.starts_with("- ");
        if is_item {
            // The list's key may sit at the same indent as its `- ` items.
            while stack.last().is_some_and(|(i, _)| *i > indent) {
                stack.pop();
            }
            if let Some((_, key)) = stack.last_mut() {
                if !key.ends_with("[]") {
                    key.push_str("[]");
                }
            }
            content = &content[2..];
            indent += 2;
        }
        let Some((key, _)) = content.split_once(':') else {
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, key.trim().to_string()));
        paths.push(
            stack
                .iter()
                .map(|(_, k)| k.as_str())
                .collect::<Vec<_>>()
                .join("."),
        );
    }
    paths
}

/// The schema node at a path like `spec.providers[].type` inside an OpenAPI schema.
fn schema_at<'a>(mut node: &'a Value, path: &str) -> Option<&'a Value> {
    for segment in path.split('.') {
        let (name, items) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        node = node.get("properties")?.get(name)?;
        if items {
            node = node.get("items")?;
        }
    }
    Some(node)
}

fn root_schema(kind: &str) -> Value {
    catalog::crds()
        .into_iter()
        .find(|crd| crd["spec"]["names"]["kind"] == kind)
        .map(|crd| crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone())
        .unwrap_or_else(|| panic!("no CRD for {kind}"))
}

fn assert_paths_described(schema: &Value, paths: &[String], what: &str) {
    let mut missing = Vec::new();
    for path in paths {
        match schema_at(schema, path) {
            None => missing.push(format!("{path}: not in the schema")),
            Some(node) if node["description"].as_str().is_none_or(str::is_empty) => {
                missing.push(format!("{path}: no description"))
            }
            Some(_) => {}
        }
    }
    assert!(missing.is_empty(), "{what}:\n{}", missing.join("\n"));
}

#[test]
fn every_reference_field_of_every_kind_is_in_its_crd_with_a_description() {
    let doc = reference();
    let sections = [
        ("### Vitistack Resource", "Vitistack"),
        ("### Machine Resource", "Machine"),
        ("### NetworkConfiguration Resource", "NetworkConfiguration"),
        ("### NetworkNamespace Resource", "NetworkNamespace"),
        ("### MachineProvider Resource", "MachineProvider"),
        ("### KubernetesProvider Resource", "KubernetesProvider"),
        ("### KubevirtConfig Resource", "KubevirtConfig"),
        ("### ProxmoxConfig Resource", "ProxmoxConfig"),
    ];
    for (heading, kind) in sections {
        let paths: Vec<String> = field_paths(yaml_block(&doc, heading))
            .into_iter()
            .filter(|p| p.starts_with("spec.") || p.starts_with("status."))
            // decisions.md §2: the reference's typo is spelled correctly on the wire.
            .map(|p| p.replace("activeConlusters", "activeClusters"))
            .collect();
        assert!(
            paths.len() > 5,
            "{kind}: the reference parser found only {paths:?}"
        );
        assert_paths_described(&root_schema(kind), &paths, kind);
    }
}

#[test]
fn the_reference_parser_reads_nesting_and_lists() {
    let paths = field_paths(
        "spec:\n  a:\n    b: int  # x\n  list:\n  - name: s\n    c:\n      d: s\n  e: s\n",
    );
    assert_eq!(
        paths,
        [
            "spec",
            "spec.a",
            "spec.a.b",
            "spec.list",
            "spec.list[].name",
            "spec.list[].c",
            "spec.list[].c.d",
            "spec.e"
        ]
    );
}

fn common_type_schema<T: Schema>() -> Value {
    openapi::render(&T::schema())
}

#[test]
fn every_field_of_the_reference_data_types_is_in_the_shared_types() {
    use vitistack_types::kinds::common::*;
    let doc = reference();
    let types = [
        (
            "#### ResourceRequirements",
            common_type_schema::<ResourceRequirements>(),
        ),
        ("#### Condition", common_type_schema::<Condition>()),
        (
            "#### SecretReference",
            common_type_schema::<SecretReference>(),
        ),
        (
            "#### ObjectReference",
            common_type_schema::<ObjectReference>(),
        ),
        (
            "#### IPAMConfiguration",
            common_type_schema::<IpamConfiguration>(),
        ),
        (
            "#### NetworkInterface",
            common_type_schema::<NetworkInterface>(),
        ),
    ];
    for (heading, schema) in types {
        // The sketches start with the field that holds the type (`resources:`, `- type:` under
        // `conditions:`); drop that first segment.
        let paths: Vec<String> = field_paths(yaml_block(&doc, heading))
            .into_iter()
            .filter_map(|p| p.split_once('.').map(|(_, rest)| rest.to_string()))
            .collect();
        assert!(!paths.is_empty(), "{heading}");
        assert_paths_described(&schema, &paths, heading);
    }
}

/// decisions.md gives these two kinds' shapes in prose; the lists are taken from it by hand.
#[test]
fn kubernetes_cluster_and_load_balancer_have_the_decided_shapes() {
    let cluster = [
        "spec.providerRef.name",
        "spec.providerRef.namespace",
        "spec.machineProviderRef.name",
        "spec.machineProviderRef.namespace",
        "spec.kubernetesVersion",
        "spec.controlPlane.replicas",
        "spec.controlPlane.machineTemplate",
        "spec.workers[].name",
        "spec.workers[].replicas",
        "spec.workers[].machineTemplate",
        "spec.workers[].labels",
        "spec.workers[].taints[].key",
        "spec.workers[].taints[].value",
        "spec.workers[].taints[].effect",
        "spec.networking.podCIDR",
        "spec.networking.serviceCIDR",
        "spec.networking.dnsDomain",
        "status.phase",
        "status.conditions",
        "status.endpoint",
        "status.kubernetesVersion",
        "status.controlPlane.replicas",
        "status.controlPlane.readyReplicas",
        "status.workers[].name",
        "status.workers[].replicas",
        "status.workers[].readyReplicas",
        "status.kubeconfigSecretRef.name",
    ];
    let load_balancer = [
        "spec.datacenterIdentifier",
        "spec.supervisorIdentifier",
        "spec.clusterIdentifier",
        "spec.provider",
        "spec.method",
        "spec.poolMembers",
        "status.conditions",
        "status.phase",
        "status.message",
        "status.created",
        "status.loadBalancerIps",
        "status.method",
        "status.poolMembers",
    ];
    let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_paths_described(
        &root_schema("KubernetesCluster"),
        &owned(&cluster),
        "KubernetesCluster",
    );
    assert_paths_described(
        &root_schema("LoadBalancer"),
        &owned(&load_balancer),
        "LoadBalancer",
    );
}

/// Walks every property of a schema and collects those without a description.
fn undocumented(node: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (name, child) in props {
            let child_path = format!("{path}.{name}");
            // The apiserver forbids anything but name rules on the root metadata schema.
            let exempt = child_path == ".metadata" || child_path == ".metadata.name";
            if !exempt && child["description"].as_str().is_none_or(str::is_empty) {
                out.push(child_path.clone());
            }
            undocumented(child, &child_path, out);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = node.get(key).filter(|c| c.is_object()) {
            undocumented(child, &format!("{path}[]"), out);
        }
    }
}

#[test]
fn every_crd_field_has_a_description() {
    for crd in catalog::crds() {
        let mut missing = Vec::new();
        undocumented(
            &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"],
            "",
            &mut missing,
        );
        assert!(
            missing.is_empty(),
            "{}: {missing:?}",
            crd["metadata"]["name"]
        );
    }
}

#[test]
fn every_printer_column_path_exists_in_its_schema() {
    fn check<K: CustomResourceKind>() {
        assert!(K::PRINTER_COLUMNS.len() >= 3, "{}", K::KIND);
        assert_eq!(
            missing_printer_column_paths::<K>(),
            Vec::<&str>::new(),
            "{}",
            K::KIND
        );
    }
    check::<Vitistack>();
    check::<Machine>();
    check::<MachineProvider>();
    check::<KubernetesCluster>();
    check::<KubernetesProvider>();
    check::<NetworkConfiguration>();
    check::<NetworkNamespace>();
    check::<LoadBalancer>();
    check::<KubevirtConfig>();
    check::<ProxmoxConfig>();
}

#[test]
fn the_names_scope_and_short_names_are_the_decided_ones() {
    let decided = [
        ("Vitistack", "vitistacks", "vs"),
        ("Machine", "machines", "m"),
        ("MachineProvider", "machineproviders", "mp"),
        ("KubernetesCluster", "kubernetesclusters", "kc"),
        ("KubernetesProvider", "kubernetesproviders", "kp"),
        ("NetworkConfiguration", "networkconfigurations", "nc"),
        ("NetworkNamespace", "networknamespaces", "nn"),
        ("LoadBalancer", "loadbalancers", "lb"),
        ("KubevirtConfig", "kubevirtconfigs", "kvc"),
        ("ProxmoxConfig", "proxmoxconfigs", "pxc"),
    ];
    let crds = catalog::crds();
    assert_eq!(crds.len(), decided.len());
    for (kind, plural, short) in decided {
        let crd = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == kind)
            .expect(kind);
        assert_eq!(crd["metadata"]["name"], format!("{plural}.vitistack.io"));
        assert_eq!(crd["spec"]["names"]["plural"], plural);
        assert_eq!(
            crd["spec"]["names"]["shortNames"],
            serde_json::json!([short])
        );
        assert_eq!(
            crd["spec"]["names"]["categories"],
            serde_json::json!(["viti"])
        );
        assert_eq!(crd["spec"]["scope"], "Namespaced");
        let version = &crd["spec"]["versions"][0];
        assert_eq!(
            (
                version["name"].as_str(),
                version["served"].as_bool(),
                version["storage"].as_bool()
            ),
            (Some("v1alpha1"), Some(true), Some(true))
        );
        assert_eq!(version["subresources"]["status"], serde_json::json!({}));
    }
}
