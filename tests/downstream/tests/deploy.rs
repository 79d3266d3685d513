//! `deploy/operator` on the real API server. The base is rendered by the real kustomize (built
//! from its Go module by `scripts/build-tools.sh`), placed in a test namespace by an overlay as
//! a user's overlay places it, and:
//!
//! * every object is server-side applied in a dry run, in a namespace labelled
//!   `pod-security.kubernetes.io/enforce: restricted`;
//! * the Deployment's Pod is dry-run created there too (Pod Security admission judges Pods, not
//!   Deployments), and so is a copy without its security context, which must be refused (so the
//!   namespace really enforces the profile);
//! * the ServiceAccount's rights are checked with SubjectAccessReviews: what
//!   `kubectl auth can-i VERB RESOURCE --as=system:serviceaccount:NS:vitistack-downstream` asks
//!   the server (kubectl sends the same review).
//!
//! And the image: the base names the tag that `packaging/operator.Containerfile`'s build command
//! gives, and a user's overlay replaces it as `deploy/README.md` says (`kustomize create`, then
//! `kustomize edit set image`). No image is built here (no container runtime).

mod support;

use k8s_openapi::api::authorization::v1::SubjectAccessReview;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::GroupVersionKind;
use kube::discovery::{self, Scope};
use kube::Client;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use support::*;

/// `target/bin/kustomize`, built by the project's script if needed; panics when it cannot be.
fn kustomize() -> PathBuf {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/build-tools.sh"))
        .arg("kustomize")
        .output()
        .expect("run scripts/build-tools.sh");
    assert!(
        out.status.success(),
        "scripts/build-tools.sh kustomize failed (kustomize is built with Go):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    repo_root().join("target/bin/kustomize")
}

/// `kustomize build` of an overlay that puts `deploy/operator` into `namespace`.
fn render(namespace: &str) -> Vec<Value> {
    let overlay = repo_root().join("target/deploy-tests").join(namespace);
    std::fs::create_dir_all(&overlay).expect("overlay dir");
    std::fs::write(
        overlay.join("kustomization.yaml"),
        format!("resources:\n- ../../../deploy/operator\nnamespace: {namespace}\n"),
    )
    .expect("write the overlay");
    let text = kustomize_in(&overlay, &["build", "."]);
    serde_saphyr::from_multiple(&text).expect("kustomize's output is YAML")
}

/// Runs kustomize with `args` in `dir`; its standard output.
fn kustomize_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(kustomize())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run kustomize");
    assert!(
        out.status.success(),
        "kustomize {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The image of the first container of the Deployment in `objects`.
fn image(objects: &[Value]) -> String {
    let deployment = objects
        .iter()
        .find(|o| o["kind"] == "Deployment")
        .expect("the Deployment");
    let image = &deployment["spec"]["template"]["spec"]["containers"][0]["image"];
    image.as_str().expect("an image").to_string()
}

async fn restricted_namespace(admin: &Client, prefix: &str) -> String {
    let name = namespace(admin, prefix).await;
    let labels = json!({"metadata": {"labels": {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest"}}});
    Api::<Namespace>::all(admin.clone())
        .patch(&name, &PatchParams::default(), &Patch::Merge(&labels))
        .await
        .expect("label the namespace");
    name
}

/// Server-side applies `object` (in a dry run when `dry_run`).
async fn apply(admin: &Client, namespace: &str, object: &Value, dry_run: bool) {
    let (group, version) = match object["apiVersion"].as_str().unwrap_or_default() {
        v if v.contains('/') => v.split_once('/').expect("group/version"),
        v => ("", v),
    };
    let kind = object["kind"].as_str().unwrap_or_default();
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    let gvk = GroupVersionKind::gvk(group, version, kind);
    let (resource, capabilities) = discovery::pinned_kind(admin, &gvk)
        .await
        .unwrap_or_else(|e| panic!("the server does not serve {kind} {group}/{version}: {e}"));
    let api: Api<DynamicObject> = match capabilities.scope {
        Scope::Namespaced => Api::namespaced_with(admin.clone(), namespace, &resource),
        Scope::Cluster => Api::all_with(admin.clone(), &resource),
    };
    let mut params = PatchParams::apply("vitistack-deploy-test");
    params.dry_run = dry_run;
    api.patch(name, &params, &Patch::Apply(object))
        .await
        .unwrap_or_else(|e| panic!("the server refused {kind} {name} (dry run {dry_run}): {e}"));
}

/// A Pod of the Deployment's template, created in a dry run.
async fn dry_run_pod(admin: &Client, namespace: &str, template: &Value) -> Result<(), kube::Error> {
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": template["metadata"].clone(), "spec": template["spec"].clone()});
    pod["metadata"]["name"] = "template-check".into();
    let pod: Pod = serde_json::from_value(pod).expect("a Pod");
    let params = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    Api::<Pod>::namespaced(admin.clone(), namespace)
        .create(&params, &pod)
        .await
        .map(|_| ())
}

/// Whether the operator's ServiceAccount in `namespace` may `verb` the `resource` (optionally
/// `name`d) of `group` in `target` (a namespace).
async fn can_i(
    admin: &Client,
    namespace: &str,
    (verb, group, resource, name, target): (&str, &str, &str, &str, &str),
) -> bool {
    let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
    let review: SubjectAccessReview = serde_json::from_value(json!({"spec": {
        "user": format!("system:serviceaccount:{namespace}:{OPERATOR_ACCOUNT}"),
        "groups": ["system:serviceaccounts", format!("system:serviceaccounts:{namespace}"),
                   "system:authenticated"],
        "resourceAttributes": {"verb": verb, "group": group, "resource": resource,
            "subresource": subresource, "name": name, "namespace": target}}}))
    .expect("a SubjectAccessReview");
    Api::<SubjectAccessReview>::all(admin.clone())
        .create(&PostParams::default(), &review)
        .await
        .expect("the review")
        .status
        .is_some_and(|s| s.allowed)
}

#[tokio::test]
async fn the_operator_base_applies_under_the_restricted_profile_with_least_privilege() {
    let admin = client_for(shared_kubeconfig()).await;
    install_crds(&admin).await;
    let ns = restricted_namespace(&admin, "deploy").await;
    let objects = render(&ns);
    let kinds: Vec<&str> = objects.iter().filter_map(|o| o["kind"].as_str()).collect();
    for kind in [
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "Deployment",
        "PodDisruptionBudget",
    ] {
        assert!(
            kinds.contains(&kind),
            "no {kind} in deploy/operator: {kinds:?}"
        );
    }
    for object in &objects {
        apply(&admin, &ns, object, true).await;
    }

    // The rights, for real, then the Pod (its ServiceAccount must exist for admission).
    for object in objects.iter().filter(|o| {
        matches!(
            o["kind"].as_str(),
            Some("ServiceAccount" | "Role" | "RoleBinding")
        )
    }) {
        apply(&admin, &ns, object, false).await;
    }
    let deployment = objects
        .iter()
        .find(|o| o["kind"] == "Deployment")
        .expect("the Deployment");
    let template = &deployment["spec"]["template"];
    let container = &template["spec"]["containers"][0];
    assert_eq!(container["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/readyz");
    for key in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            assert!(
                container["resources"][key][resource].is_string(),
                "no {key}.{resource}"
            );
        }
    }
    // Beyond what the profile demands: nothing writes to the image's filesystem.
    assert_eq!(
        container["securityContext"]["readOnlyRootFilesystem"], true,
        "a writable root filesystem"
    );
    dry_run_pod(&admin, &ns, template)
        .await
        .unwrap_or_else(|e| panic!("the Pod of the Deployment is refused: {e}"));
    let mut lax = template.clone();
    lax["spec"]["containers"][0]["securityContext"] = json!({});
    let refused = dry_run_pod(&admin, &ns, &lax).await;
    assert!(
        matches!(&refused, Err(kube::Error::Api(s)) if s.code == 403 && s.message.contains("restricted")),
        "a Pod without the security context was not refused by the restricted profile: {refused:?}"
    );

    let lease = "vitistack-downstream-leader";
    let allowed = [
        ("get", "vitistack.io", "machines", "", ns.as_str()),
        ("list", "vitistack.io", "machines", "", &ns),
        ("watch", "vitistack.io", "machines", "", &ns),
        ("patch", "vitistack.io", "machines", "m", &ns),
        ("get", "vitistack.io", "machines/status", "m", &ns),
        ("update", "vitistack.io", "machines/status", "m", &ns),
        ("get", "vitistack.io", "machineproviders", "p", &ns),
        ("list", "vitistack.io", "machineproviders", "", &ns),
        ("watch", "vitistack.io", "machineproviders", "", &ns),
        ("create", "events.k8s.io", "events", "", &ns),
        ("patch", "events.k8s.io", "events", "e", &ns),
        ("create", "coordination.k8s.io", "leases", "", &ns),
        ("get", "coordination.k8s.io", "leases", lease, &ns),
        ("update", "coordination.k8s.io", "leases", lease, &ns),
    ];
    let denied = [
        ("create", "vitistack.io", "machines", "", ns.as_str()),
        ("update", "vitistack.io", "machines", "m", &ns),
        ("delete", "vitistack.io", "machines", "m", &ns),
        ("patch", "vitistack.io", "machines/status", "m", &ns),
        ("update", "vitistack.io", "machineproviders", "p", &ns),
        ("list", "vitistack.io", "machines", "", "default"),
        ("get", "coordination.k8s.io", "leases", "other", &ns),
        ("update", "coordination.k8s.io", "leases", "other", &ns),
        ("delete", "coordination.k8s.io", "leases", lease, &ns),
        ("list", "", "secrets", "", &ns),
        ("create", "", "pods", "", &ns),
        (
            "get",
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            "",
            "",
        ),
    ];
    // The authorizer learns of new RoleBindings through its informers: wait for the first.
    eventually(
        std::time::Duration::from_secs(10),
        "the RoleBindings reach the authorizer",
        || async { can_i(&admin, &ns, allowed[0]).await.then_some(()) },
    )
    .await;
    for check in allowed {
        assert!(can_i(&admin, &ns, check).await, "may not {check:?}");
    }
    for check in denied {
        assert!(!can_i(&admin, &ns, check).await, "may {check:?}");
    }
}

#[test]
fn the_image_is_the_one_the_containerfile_builds_and_an_overlay_sets_it() {
    let recipe = std::fs::read_to_string(repo_root().join("packaging/operator.Containerfile"))
        .expect("packaging/operator.Containerfile");
    let tag = recipe
        .lines()
        .find_map(|line| line.split_once(" -t ")?.1.split_whitespace().next())
        .expect("the build command's -t in the Containerfile's header");
    let base = kustomize_in(&repo_root(), &["build", "deploy/operator"]);
    let base: Vec<Value> = serde_saphyr::from_multiple(&base).expect("YAML");
    assert_eq!(
        image(&base),
        tag,
        "deploy/operator runs another image than the recipe builds"
    );

    // A user's overlay, made the way deploy/README.md says.
    let overlay = repo_root().join("target/deploy-tests/image-overlay");
    let _ = std::fs::remove_dir_all(&overlay);
    std::fs::create_dir_all(&overlay).expect("overlay dir");
    let mine = "registry.example.com/team/vitistack-downstream:1.2.3";
    kustomize_in(
        &overlay,
        &["create", "--resources", "../../../deploy/operator"],
    );
    kustomize_in(
        &overlay,
        &[
            "edit",
            "set",
            "image",
            &format!("vitistack-downstream={mine}"),
        ],
    );
    let rendered = kustomize_in(&overlay, &["build", "."]);
    let rendered: Vec<Value> = serde_saphyr::from_multiple(&rendered).expect("YAML");
    assert_eq!(image(&rendered), mine);
}
