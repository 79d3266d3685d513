//! The Helm chart `charts/vitistack-crds` installed with the real helm (built from its Go module
//! by `scripts/build-tools.sh`) into a real kube-apiserver: CRDs Established, the aggregated
//! ClusterRoles giving users bound to the built-in `view` and `edit` exactly what they should,
//! an upgrade with a changed value, and uninstall with `crds.keep` true and false.
//!
//! This binary always runs its own test server (one scenario, one test function), even when
//! `$VITISTACK_TEST_KUBECONFIG` names a real cluster: it deletes the cluster-scoped CRDs, and with
//! them every vitistack.io object, which would pull them from under tests sharing a server.
//!
//! Aggregation: the built-in `view`, `edit` and `admin` ClusterRoles get their rules from the
//! clusterrole-aggregation controller of kube-controller-manager, which the test server (an
//! apiserver only) does not run. [`aggregate`] does what that controller does, through the API:
//! for each of the three, the union of the rules of every ClusterRole its `aggregationRule`
//! selects. So the test shows that the chart's labels and rules make `view`/`edit` work, not
//! that some hand-made binding does.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, PolicyRule, RoleRef, Subject};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use serde_json::json;
use vitistack_e2e::identity::{self, client_for, impersonating};
use vitistack_e2e::{apiserver, client, example, repo_root, test_namespace};
use vitistack_types::kinds::Machine;

const RELEASE: &str = "vitistack-crds";
const CHART: &str = "charts/vitistack-crds";

fn crd_names() -> Vec<String> {
    vitistack_types::catalog::crds()
        .iter()
        .filter_map(|c| c["metadata"]["name"].as_str().map(str::to_owned))
        .collect()
}

struct Helm {
    binary: PathBuf,
    kubeconfig: PathBuf,
    home: PathBuf,
}

impl Helm {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(&self.binary)
            .args(args)
            .args(["--kubeconfig", &self.kubeconfig.display().to_string()])
            .args(["--namespace", "default"])
            .env("HELM_CACHE_HOME", self.home.join("cache"))
            .env("HELM_CONFIG_HOME", self.home.join("config"))
            .env("HELM_DATA_HOME", self.home.join("data"))
            .current_dir(repo_root())
            .output()
            .expect("run helm")
    }

    /// Runs helm and panics with its output unless it succeeds.
    fn ok(&self, args: &[&str]) {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "helm {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Waits (at most 60 s) until every CRD of the catalog is Established.
async fn wait_established(crds: &Api<CustomResourceDefinition>) {
    for name in crd_names() {
        let mut established = false;
        for _ in 0..600 {
            let crd = crds.get(&name).await.expect("the CRD exists");
            established = crd
                .status
                .and_then(|s| s.conditions)
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Established" && c.status == "True");
            if established {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(established, "{name} not Established after 60 s");
    }
}

/// Waits (at most 60 s) until every CRD of the catalog is gone.
async fn wait_gone(crds: &Api<CustomResourceDefinition>) {
    for name in crd_names() {
        let mut gone = false;
        for _ in 0..600 {
            gone = crds.get_opt(&name).await.expect("get CRD").is_none();
            if gone {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(gone, "{name} still there 60 s after helm uninstall");
    }
}

/// Stands in for the clusterrole-aggregation controller (see the module docs): sets the rules of
/// `view`, `edit` and `admin` (in that order, as `view` aggregates into `edit` and `edit` into
/// `admin`) to the union of the rules of the ClusterRoles their aggregationRule selects.
async fn aggregate(admin: &kube::Client) {
    let roles = Api::<ClusterRole>::all(admin.clone());
    for name in ["view", "edit", "admin"] {
        let mut role = roles.get(name).await.expect("built-in ClusterRole");
        let selectors = role
            .aggregation_rule
            .as_ref()
            .and_then(|a| a.cluster_role_selectors.clone())
            .unwrap_or_default();
        assert!(!selectors.is_empty(), "{name} has no aggregationRule");
        let mut rules: Vec<PolicyRule> = Vec::new();
        for selector in selectors {
            assert!(
                selector.match_expressions.is_none(),
                "matchExpressions are not handled here"
            );
            let labels: Vec<String> = selector
                .match_labels
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let mut matching = roles
                .list(&ListParams::default().labels(&labels.join(",")))
                .await
                .expect("list ClusterRoles")
                .items;
            matching.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
            for other in matching {
                if other.metadata.name.as_deref() == Some(name) {
                    continue;
                }
                for rule in other.rules.unwrap_or_default() {
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                }
            }
        }
        role.rules = Some(rules);
        roles
            .replace(name, &PostParams::default(), &role)
            .await
            .expect("update the aggregated rules");
    }
}

async fn bind(admin: &kube::Client, user: &str, cluster_role: &str) {
    let binding = ClusterRoleBinding {
        metadata: ObjectMeta {
            name: Some(format!("{user}-{cluster_role}")),
            ..Default::default()
        },
        role_ref: RoleRef {
            api_group: Some("rbac.authorization.k8s.io".into()),
            kind: "ClusterRole".into(),
            name: cluster_role.into(),
        },
        subjects: Some(vec![Subject {
            kind: "User".into(),
            api_group: Some("rbac.authorization.k8s.io".into()),
            name: user.into(),
            namespace: None,
        }]),
    };
    Api::<ClusterRoleBinding>::all(admin.clone())
        .create(&PostParams::default(), &binding)
        .await
        .expect("create ClusterRoleBinding");
}

fn is_forbidden<T: std::fmt::Debug>(result: Result<T, kube::Error>) -> bool {
    matches!(result, Err(kube::Error::Api(ref s)) if s.code == 403)
}

fn machine(namespace: &str, name: &str) -> Machine {
    let mut value = example("machine");
    value["metadata"] = json!({"name": name, "namespace": namespace});
    serde_json::from_value(value).expect("the example is a Machine")
}

#[tokio::test(flavor = "multi_thread")]
async fn helm_installs_upgrades_and_uninstalls_the_chart_and_its_roles_work() {
    // Our own server, not the one `make test` shares nor a real cluster (see the module docs).
    // Safe: this is the only test of this binary, and nothing else runs yet.
    std::env::remove_var(apiserver::APISERVER_DIR_ENV);
    std::env::remove_var(apiserver::KUBECONFIG_ENV);
    let helm = Helm {
        binary: vitistack_e2e::project_tool("helm"),
        kubeconfig: apiserver::kubeconfig_path(),
        home: Path::new(env!("CARGO_TARGET_TMPDIR")).join("helm-e2e-home"),
    };
    let admin = client().await;
    let crds = Api::<CustomResourceDefinition>::all(admin.clone());

    helm.ok(&["lint", "--strict", CHART]);
    helm.ok(&["install", RELEASE, CHART]);
    wait_established(&crds).await;
    for name in crd_names() {
        let crd = crds.get(&name).await.expect("CRD");
        let annotations = crd.metadata.annotations.unwrap_or_default();
        assert_eq!(
            annotations
                .get("helm.sh/resource-policy")
                .map(String::as_str),
            Some("keep")
        );
    }

    // Discovery, what `kubectl get viti` expands: every kind in category `viti`, and
    // `vitistack` free to be the singular name of the Vitistack kind.
    let discovery: k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList = admin
        .request(
            http::Request::get("/apis/vitistack.io/v1alpha1")
                .body(Vec::new())
                .expect("request"),
        )
        .await
        .expect("discovery of vitistack.io/v1alpha1");
    let kinds: Vec<_> = discovery
        .resources
        .iter()
        .filter(|r| !r.name.contains('/'))
        .collect();
    assert_eq!(kinds.len(), 10);
    for resource in kinds {
        assert_eq!(
            resource.categories.as_deref(),
            Some(&["viti".to_owned()][..]),
            "{}",
            resource.name
        );
    }

    let namespace = test_namespace("helm").await;
    let as_admin = Api::<Machine>::namespaced(admin.clone(), &namespace);
    as_admin
        .create(&PostParams::default(), &machine(&namespace, "by-admin"))
        .await
        .expect("admin creates a machine");

    // view and edit users, bound to the built-in roles. Before aggregation, `view` has no rule
    // on this server (it is what the issue measured on a real cluster for vitistack.io).
    bind(&admin, "viewer", "view").await;
    bind(&admin, "editor", "edit").await;
    let viewer =
        Api::<Machine>::namespaced(client_for(impersonating("viewer", &[])).await, &namespace);
    let editor_client = client_for(impersonating("editor", &[])).await;
    let editor = Api::<Machine>::namespaced(editor_client.clone(), &namespace);
    assert!(is_forbidden(viewer.list(&ListParams::default()).await));
    aggregate(&admin).await;

    assert_eq!(identity::list_once_allowed(&viewer).await, 1);
    viewer.get("by-admin").await.expect("viewer gets a machine");
    viewer
        .get_status("by-admin")
        .await
        .expect("viewer reads its status");
    let denied = viewer
        .create(&PostParams::default(), &machine(&namespace, "by-viewer"))
        .await;
    assert!(is_forbidden(denied), "viewer created a machine");

    identity::list_once_allowed(&editor).await;
    editor
        .create(&PostParams::default(), &machine(&namespace, "by-editor"))
        .await
        .expect("editor creates a machine");
    editor
        .patch(
            "by-editor",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"tier": "web"}}})),
        )
        .await
        .expect("editor patches a machine");
    let status = json!({"status": {"phase": "Running"}});
    let denied = editor
        .patch_status("by-editor", &PatchParams::default(), &Patch::Merge(&status))
        .await;
    assert!(is_forbidden(denied), "editor patched a status");
    let editor_crds = Api::<CustomResourceDefinition>::all(editor_client);
    let label = json!({"metadata": {"labels": {"touched": "yes"}}});
    let name = "machines.vitistack.io";
    assert!(is_forbidden(
        editor_crds
            .patch(name, &PatchParams::default(), &Patch::Merge(&label))
            .await
    ));
    assert!(is_forbidden(
        editor_crds.delete(name, &DeleteParams::default()).await
    ));
    assert!(is_forbidden(editor_crds.get(name).await));

    // Upgrade with a changed value: the label shows on every CRD.
    helm.ok(&["upgrade", RELEASE, CHART, "--set", "labels.tier=gold"]);
    for name in crd_names() {
        let labels = crds
            .get(&name)
            .await
            .expect("CRD")
            .metadata
            .labels
            .unwrap_or_default();
        assert_eq!(
            labels.get("tier").map(String::as_str),
            Some("gold"),
            "{name}"
        );
    }

    // Uninstall with crds.keep (the default): the CRDs and the objects stay.
    helm.ok(&["uninstall", RELEASE, "--wait"]);
    wait_established(&crds).await;
    for name in crd_names() {
        let crd = crds.get(&name).await.expect("kept CRD");
        assert!(
            crd.metadata.deletion_timestamp.is_none(),
            "{name} is being deleted"
        );
    }
    let kept = as_admin
        .list(&ListParams::default())
        .await
        .expect("list machines");
    assert_eq!(kept.items.len(), 2);
    let roles = Api::<ClusterRole>::all(admin.clone());
    assert!(
        roles
            .get_opt("vitistack-view")
            .await
            .expect("get")
            .is_none(),
        "roles are not kept"
    );

    // Install again over the kept CRDs (helm adopts them: they still carry the release's
    // ownership metadata), then switch keep off. It takes an upgrade: helm's three-way merge
    // removes only what the release's previous manifest set, so `install --set
    // crds.keep=false` over kept CRDs would leave their keep annotation in place.
    helm.ok(&["install", RELEASE, CHART]);
    helm.ok(&["upgrade", RELEASE, CHART, "--set", "crds.keep=false"]);
    let crd = crds.get(name).await.expect("CRD");
    let annotations = crd.metadata.annotations.unwrap_or_default();
    assert!(
        !annotations.contains_key("helm.sh/resource-policy"),
        "{annotations:?}"
    );
    helm.ok(&["uninstall", RELEASE, "--wait"]);
    wait_gone(&crds).await;
}
