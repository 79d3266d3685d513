//! Issue #28: `deploy/webhook` and `deploy/webhook-cert-manager`, rendered by the project's
//! kustomize and applied to the real test server with a server-side dry run, in
//! `vitistack-system` labelled `pod-security.kubernetes.io/enforce: restricted`.
//!
//! PodSecurity admission enforces on Pods, not on Deployments, so the Deployment's Pod template
//! is also dry-run created as a Pod there (and a Pod that breaks the profile is refused, which
//! shows the namespace enforces). For the overlay, cert-manager's Issuer and Certificate CRDs
//! are installed from its Go module (`scripts/cert-manager-crds.sh`: module and version pinned
//! there), so every object of the overlay, the Issuer and Certificate included, is dry-run
//! applied; how they fit together (names, Secret, DNS names, issuer) is checked structurally.
//!
//! And the image: the base names the tag that `packaging/conversion-webhook.Containerfile`'s
//! build command gives, and a user's overlay replaces it as `deploy/README.md` says
//! (`kustomize create`, then `kustomize edit set image`). No image is built here (no container
//! runtime).

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::GroupVersionKind;
use kube::discovery::pinned_kind;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use vitistack_e2e::*;

const NAMESPACE: &str = "vitistack-system";
const NAME: &str = "vitistack-conversion-webhook";

/// Runs kustomize with `args` in `dir`; its standard output.
fn kustomize_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(project_tool("kustomize"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("kustomize runs");
    assert!(
        out.status.success(),
        "kustomize {args:?} in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The documents `kustomize build dir` renders.
fn render(dir: &Path) -> Vec<Value> {
    let text = kustomize_in(dir, &["build", "."]);
    serde_saphyr::from_multiple::<Value>(&text)
        .expect("kustomize's output is YAML")
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

fn find<'a>(documents: &'a [Value], kind: &str) -> &'a Value {
    documents
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} rendered"))
}

/// `vitistack-system`, labelled to enforce the restricted profile.
async fn restricted_namespace(client: &kube::Client) {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let namespace = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE,
        "labels": {"pod-security.kubernetes.io/enforce": "restricted",
                   "pod-security.kubernetes.io/enforce-version": "latest"}}});
    namespaces
        .patch(
            NAMESPACE,
            &PatchParams::apply("vitistack-e2e-deploy-webhook").force(),
            &Patch::Apply(&namespace),
        )
        .await
        .expect("namespace vitistack-system, restricted");
}

/// Server-side apply of `document` with `dryRun=All`; the server's error names the object.
async fn dry_run_apply(client: &kube::Client, document: &Value) -> Result<(), String> {
    let api_version = document["apiVersion"].as_str().unwrap_or_default();
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let kind = document["kind"].as_str().unwrap_or_default();
    let name = document["metadata"]["name"].as_str().unwrap_or_default();
    let gvk = GroupVersionKind::gvk(group, version, kind);
    let (resource, capabilities) = pinned_kind(client, &gvk)
        .await
        .map_err(|e| format!("{kind} {name}: discovery: {e}"))?;
    let api: Api<DynamicObject> = match capabilities.scope {
        kube::discovery::Scope::Namespaced => {
            let namespace = document["metadata"]["namespace"]
                .as_str()
                .unwrap_or("default");
            Api::namespaced_with(client.clone(), namespace, &resource)
        }
        kube::discovery::Scope::Cluster => Api::all_with(client.clone(), &resource),
    };
    let params = PatchParams::apply("vitistack-e2e-deploy-webhook").dry_run();
    api.patch(name, &params, &Patch::Apply(document))
        .await
        .map(|_| ())
        .map_err(|e| format!("{kind} {name}: {e}"))
}

/// The Deployment's Pod template as a Pod, dry-run created where PodSecurity enforces.
async fn dry_run_pod(client: &kube::Client, deployment: &Value, name: &str) -> Result<(), String> {
    let template = &deployment["spec"]["template"];
    let pod: Pod = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": template["metadata"]["labels"]},
        "spec": template["spec"]}))
    .expect("a Pod");
    let pods: Api<Pod> = Api::namespaced(client.clone(), NAMESPACE);
    pods.create(
        &PostParams {
            dry_run: true,
            ..Default::default()
        },
        &pod,
    )
    .await
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// What the base renders, checked against the reference: the Service CRD stanzas name, probes
/// on the health endpoints, requests and limits, the selectors that tie it together.
fn check_structure(documents: &[Value]) {
    let service = find(documents, "Service");
    assert_eq!(service["metadata"]["name"], NAME);
    assert_eq!(service["metadata"]["namespace"], NAMESPACE);
    assert_eq!(service["spec"]["ports"][0]["port"], 443);
    let deployment = find(documents, "Deployment");
    let pod = &deployment["spec"]["template"];
    for (key, value) in service["spec"]["selector"].as_object().expect("selector") {
        assert_eq!(
            &pod["metadata"]["labels"][key], value,
            "Service selector {key}"
        );
    }
    let pdb = find(documents, "PodDisruptionBudget");
    assert_eq!(
        pdb["spec"]["selector"]["matchLabels"],
        deployment["spec"]["selector"]["matchLabels"]
    );
    let container = &pod["spec"]["containers"][0];
    assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(container["livenessProbe"]["httpGet"]["path"], "/healthz");
    for part in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            assert!(
                container["resources"][part][resource].is_string(),
                "{part}.{resource}"
            );
        }
    }
    let args: Vec<&str> = container["args"]
        .as_array()
        .expect("args")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for flag in ["--listen", "--cert", "--key"] {
        assert!(args.contains(&flag), "{flag} in {args:?}");
    }
    assert_eq!(
        pod["spec"]["serviceAccountName"],
        find(documents, "ServiceAccount")["metadata"]["name"]
    );
}

#[tokio::test]
async fn the_webhook_deploys_under_the_restricted_profile() {
    let client = client().await;
    restricted_namespace(&client).await;
    let documents = render(&repo_root().join("deploy/webhook"));
    check_structure(&documents);
    for document in &documents {
        dry_run_apply(&client, document)
            .await
            .unwrap_or_else(|e| panic!("server-side dry run: {e}"));
    }
    // Admission of a Pod looks its ServiceAccount up (the test server runs no controller that
    // makes one): this one object is created for real; it has no token and no rights.
    let accounts: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        NAMESPACE,
        &kube::api::ApiResource::erase::<k8s_openapi::api::core::v1::ServiceAccount>(&()),
    );
    accounts
        .patch(
            NAME,
            &PatchParams::apply("vitistack-e2e-deploy-webhook"),
            &Patch::Apply(find(&documents, "ServiceAccount")),
        )
        .await
        .expect("the ServiceAccount");
    let deployment = find(&documents, "Deployment");
    dry_run_pod(&client, deployment, "webhook-dry-run")
        .await
        .expect("the Pod template meets the restricted profile");
    // The namespace enforces: a Pod that may escalate privileges is refused.
    let mut unrestricted = deployment.clone();
    unrestricted["spec"]["template"]["spec"]["containers"][0]["securityContext"]
        ["allowPrivilegeEscalation"] = json!(true);
    let refused = dry_run_pod(&client, &unrestricted, "webhook-unrestricted")
        .await
        .expect_err("PodSecurity refuses");
    assert!(refused.contains("PodSecurity"), "{refused}");

    // The ServiceAccount has no rights (the webhook calls no API).
    let reviews: Api<SubjectAccessReview> = Api::all(client.clone());
    for (verb, resource) in [
        ("get", "secrets"),
        ("list", "customresourcedefinitions"),
        ("create", "pods"),
    ] {
        let review = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: Some(format!("system:serviceaccount:{NAMESPACE}:{NAME}")),
                groups: Some(vec![
                    "system:serviceaccounts".into(),
                    format!("system:serviceaccounts:{NAMESPACE}"),
                ]),
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(NAMESPACE.into()),
                    verb: Some(verb.into()),
                    resource: Some(resource.into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let answer = reviews
            .create(&PostParams::default(), &review)
            .await
            .expect("SubjectAccessReview");
        assert!(
            !answer.status.expect("status").allowed,
            "the webhook's ServiceAccount may {verb} {resource}"
        );
    }
}

/// The Issuer and Certificate CRDs of cert-manager's Go module, installed and served.
async fn install_cert_manager_crds(client: &kube::Client) {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/cert-manager-crds.sh"))
        .output()
        .expect("run scripts/cert-manager-crds.sh");
    assert!(
        out.status.success(),
        "scripts/cert-manager-crds.sh: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = std::path::PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let crds: Vec<Value> = [
        "cert-manager.io_issuers.yaml",
        "cert-manager.io_certificates.yaml",
    ]
    .iter()
    .flat_map(|file| {
        let text = std::fs::read_to_string(dir.join(file)).expect("a CRD file");
        serde_saphyr::from_multiple::<Value>(&text).expect("YAML")
    })
    .filter(|d| d["kind"] == "CustomResourceDefinition")
    .collect();
    assert_eq!(
        crds.len(),
        2,
        "Issuer and Certificate CRDs in {}",
        dir.display()
    );
    vitistack_types::client::VitiClient::new(client.clone())
        .with_field_manager("vitistack-e2e-deploy-webhook")
        .install_crds_from(crds, std::time::Duration::from_secs(60))
        .await
        .expect("cert-manager's CRDs installed");
}

#[tokio::test]
async fn the_cert_manager_overlay_injects_the_ca_into_the_crds() {
    let client = client().await;
    restricted_namespace(&client).await;
    // A user's copy of the overlay with their CRD added to `resources`, as its comment says.
    let dir = std::env::temp_dir().join(format!("vitistack-e2e-deploy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["webhook", "webhook-cert-manager"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(repo_root().join("deploy").join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    // The example CRD in a group of its own: the dry run must not merge into a CRD of that name
    // another test left on the server.
    let mut crd = vitistack_codegen_lib::conversion::example::crd();
    crd["metadata"]["name"] = json!("widgets.deploy.e2e.example");
    crd["spec"]["group"] = json!("deploy.e2e.example");
    let crd = vitistack_conversion::stanza::with_webhook(
        crd,
        &vitistack_conversion::stanza::WebhookAddress::reference_service(),
        None,
    );
    let overlay = dir.join("webhook-cert-manager");
    std::fs::write(
        overlay.join("crd.yaml"),
        serde_json::to_string(&crd).unwrap(),
    )
    .unwrap();
    let kustomization = overlay.join("kustomization.yaml");
    let text = std::fs::read_to_string(&kustomization).unwrap();
    std::fs::write(
        &kustomization,
        text.replace(
            "  - certificate.yaml\n",
            "  - certificate.yaml\n  - crd.yaml\n",
        ),
    )
    .unwrap();
    let documents = render(&overlay);
    let _ = std::fs::remove_dir_all(&dir);
    check_structure(&documents);

    // cert-manager's objects, structurally: the Certificate is for the Service, issued by the
    // Issuer, written to the Secret the Deployment mounts; the CRD names that Certificate.
    let issuer = find(&documents, "Issuer");
    let certificate = find(&documents, "Certificate");
    assert_eq!(issuer["apiVersion"], "cert-manager.io/v1");
    assert_eq!(certificate["apiVersion"], "cert-manager.io/v1");
    assert!(issuer["spec"]["selfSigned"].is_object());
    assert_eq!(
        certificate["spec"]["issuerRef"]["name"],
        issuer["metadata"]["name"]
    );
    assert_eq!(certificate["spec"]["issuerRef"]["kind"], "Issuer");
    let dns: Vec<&str> = certificate["spec"]["dnsNames"]
        .as_array()
        .expect("dnsNames")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        dns.contains(&format!("{NAME}.{NAMESPACE}.svc").as_str()),
        "{dns:?}"
    );
    let deployment = find(&documents, "Deployment");
    assert_eq!(
        certificate["spec"]["secretName"],
        deployment["spec"]["template"]["spec"]["volumes"][0]["secret"]["secretName"]
    );
    let crd = find(&documents, "CustomResourceDefinition");
    let certificate_ref = format!(
        "{}/{}",
        certificate["metadata"]["namespace"].as_str().unwrap(),
        certificate["metadata"]["name"].as_str().unwrap()
    );
    assert_eq!(
        crd["metadata"]["annotations"]["cert-manager.io/inject-ca-from"],
        certificate_ref.as_str()
    );
    let client_config = &crd["spec"]["conversion"]["webhook"]["clientConfig"];
    assert!(client_config.get("caBundle").is_none(), "{client_config}");
    assert_eq!(client_config["service"]["name"], NAME);

    // cert-manager's CRDs for Issuer and Certificate, then every object dry-run applied (the
    // CRD too: its stanza and annotation are valid).
    install_cert_manager_crds(&client).await;
    for document in &documents {
        dry_run_apply(&client, document)
            .await
            .unwrap_or_else(|e| panic!("server-side dry run: {e}"));
    }
}

#[test]
fn the_image_is_the_one_the_containerfile_builds_and_an_overlay_sets_it() {
    let recipe =
        std::fs::read_to_string(repo_root().join("packaging/conversion-webhook.Containerfile"))
            .expect("packaging/conversion-webhook.Containerfile");
    let tag = recipe
        .lines()
        .find_map(|line| line.split_once(" -t ")?.1.split_whitespace().next())
        .expect("the build command's -t in the Containerfile's header");
    let image = |documents: &[Value]| {
        find(documents, "Deployment")["spec"]["template"]["spec"]["containers"][0]["image"]
            .as_str()
            .expect("an image")
            .to_string()
    };
    assert_eq!(
        image(&render(&repo_root().join("deploy/webhook"))),
        tag,
        "deploy/webhook runs another image than the recipe builds"
    );

    // A user's overlay, made the way deploy/README.md says.
    let overlay = repo_root().join("target/deploy-tests/webhook-image-overlay");
    let _ = std::fs::remove_dir_all(&overlay);
    std::fs::create_dir_all(&overlay).expect("overlay dir");
    let mine = "registry.example.com/team/conversion-webhook:1.2.3";
    kustomize_in(
        &overlay,
        &["create", "--resources", "../../../deploy/webhook"],
    );
    kustomize_in(
        &overlay,
        &[
            "edit",
            "set",
            "image",
            &format!("vitistack-conversion-webhook={mine}"),
        ],
    );
    assert_eq!(image(&render(&overlay)), mine);
}
