//! The user's CRD embeds a `PodTemplateSpec`, whose schema with Kubernetes' descriptions made
//! the CRD about 600 KB. Embedded Kubernetes types are now documented at their top only, so the
//! CRD stays below what a client-side `kubectl apply` can record in its last-applied annotation
//! (256 KB for all annotations of an object), and installs that way on the real server, while
//! the descriptions of the user's own fields are kept for `kubectl explain`. Measured on the
//! committed `crds/` file, which `tests/crdgen.rs` proves is what `crdgen generate` writes.

mod support;

use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams, PostParams};
use serde_json::Value;
use support::*;
use vitistack_downstream::crd::VlanAttachment;
use vitistack_types::crd::CustomResourceKind;

/// The annotation a client-side `kubectl apply` writes.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// The apiserver's limit on the total size of an object's annotations (keys and values):
/// `TotalAnnotationSizeLimitB` in apimachinery.
const ANNOTATIONS_LIMIT: usize = 256 * 1024;

/// What `kubectl apply` puts into the annotation: the object as compact JSON, with a newline.
fn last_applied(crd: &Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string(crd).expect("a CRD serializes")
    )
}

/// The CRD as `kubectl apply` (client-side) sends it: with the annotation holding itself.
fn as_applied(crd: &Value, annotation: String) -> Value {
    let mut applied = crd.clone();
    applied["metadata"]["annotations"] = serde_json::json!({ LAST_APPLIED: annotation });
    applied
}

fn description_at(crd: &Value, pointer: &str) -> Option<String> {
    let schema = "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties";
    crd.pointer(&format!("{schema}{pointer}/description"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The committed CRD file (`crdgen generate`), as `kubectl apply -f` reads it.
fn committed_crd() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crds/example.com_vlanattachments.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the committed CRD");
    let mut documents =
        vitistack_codegen_lib::yaml::parse_documents(&text, path).expect("the CRD file is YAML");
    assert_eq!(documents.len(), 1, "one CRD in {path}");
    documents.remove(0)
}

#[test]
fn the_crd_fits_a_client_side_apply_and_keeps_the_users_descriptions() {
    let crd = committed_crd();
    assert_eq!(crd, VlanAttachment::crd(), "the file is the kind's crd()");
    let size = LAST_APPLIED.len() + last_applied(&crd).len();
    assert!(
        size < ANNOTATIONS_LIMIT,
        "the CRD's last-applied annotation is {size} bytes, over the {ANNOTATIONS_LIMIT} a \
         client-side apply can store"
    );
    // The user's documentation, and the embedded type's top, which the field's doc replaces.
    assert_eq!(description_at(&crd, "/vlan").as_deref(), Some("VLAN ID."));
    assert_eq!(
        description_at(&crd, "/agentTemplate").as_deref(),
        Some("The pod that runs the uplink agent on each node.")
    );
    // Kubernetes' own text below it is left to the cluster (`kubectl explain pod.spec`).
    assert_eq!(
        description_at(&crd, "/agentTemplate/properties/spec/properties/containers"),
        None
    );
}

#[tokio::test]
async fn the_crd_installs_with_a_client_side_apply_annotation() {
    let admin = client_for(shared_kubeconfig()).await;
    let crds: Api<CustomResourceDefinition> = Api::all(admin);
    let crd = committed_crd();
    let name = crd["metadata"]["name"]
        .as_str()
        .expect("a CRD name")
        .to_owned();

    // The limit is the server's: the same CRD with an annotation one byte too big is refused.
    let too_big = "x".repeat(ANNOTATIONS_LIMIT - LAST_APPLIED.len() + 1);
    let refused: CustomResourceDefinition =
        serde_json::from_value(as_applied(&crd, too_big)).expect("a typed CRD");
    let dry_run = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    match crds.create(&dry_run, &refused).await {
        Err(kube::Error::Api(status)) if status.code == 422 => {
            assert!(status.message.contains("Too long"), "{status:?}");
        }
        other => panic!("an over-limit annotation must be refused: {other:?}"),
    }

    // What `kubectl apply` does: create, or patch the existing object, annotation included.
    let applied = as_applied(&crd, last_applied(&crd));
    let typed: CustomResourceDefinition =
        serde_json::from_value(applied.clone()).expect("a typed CRD");
    match crds.create(&PostParams::default(), &typed).await {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 409 => {
            crds.patch(&name, &PatchParams::default(), &Patch::Merge(&applied))
                .await
                .unwrap_or_else(|e| panic!("patching {name} as kubectl apply does: {e}"));
        }
        Err(e) => panic!("creating {name} as kubectl apply does: {e}"),
    }
    let installed = established(&crds, &name).await;
    let annotations = installed.metadata.annotations.unwrap_or_default();
    assert_eq!(annotations.get(LAST_APPLIED), Some(&last_applied(&crd)));
}

/// The CRD once the server reports it Established (bounded wait).
async fn established(crds: &Api<CustomResourceDefinition>, name: &str) -> CustomResourceDefinition {
    for _ in 0..120 {
        let crd = crds
            .get(name)
            .await
            .unwrap_or_else(|e| panic!("reading {name}: {e}"));
        let ready = crd
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|conditions| {
                conditions
                    .iter()
                    .any(|c| c.type_ == "Established" && c.status == "True")
            });
        if ready {
            return crd;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("{name} was not established within 60 s");
}
