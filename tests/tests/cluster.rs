//! Issue #10: the test server is a full kube-apiserver. It serves the core and coordination APIs,
//! authorizes with RBAC, lets the admin impersonate, accepts ServiceAccount tokens from the
//! TokenRequest API, and its kubeconfig verifies the server's certificate.

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::api::core::v1::{Event, Namespace, ObjectReference, Secret};
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::api::{Api, ListParams, ObjectMeta, PostParams};
use std::collections::BTreeMap;
use vitistack_e2e::identity::{self, client_for, impersonating};
use vitistack_e2e::*;
use vitistack_types::client::VitiClient;
use vitistack_types::kinds::Machine;

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        ..Default::default()
    }
}

/// Who the server says the client is (SelfSubjectReview, what `kubectl auth whoami` asks).
async fn whoami(client: &kube::Client) -> (String, Vec<String>) {
    let review: SelfSubjectReview = Api::all(client.clone())
        .create(
            &PostParams::default(),
            &SelfSubjectReview {
                metadata: ObjectMeta::default(),
                status: None,
            },
        )
        .await
        .expect("SelfSubjectReview");
    let user = review
        .status
        .and_then(|s| s.user_info)
        .expect("SelfSubjectReview has userInfo");
    (
        user.username.unwrap_or_default(),
        user.groups.unwrap_or_default(),
    )
}

/// A Role in `namespace` that may list and get machines.vitistack.io, bound to `subject`.
async fn grant_machine_readers(admin: &kube::Client, namespace: &str, subject: Subject) {
    let role = Role {
        metadata: meta("machine-reader"),
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec!["vitistack.io".into()]),
            resources: Some(vec!["machines".into()]),
            verbs: vec!["get".into(), "list".into()],
            ..Default::default()
        }]),
    };
    match Api::<Role>::namespaced(admin.clone(), namespace)
        .create(&PostParams::default(), &role)
        .await
    {
        Ok(_) => {}
        Err(kube::Error::Api(s)) if s.code == 409 => {}
        Err(e) => panic!("create Role: {e}"),
    }
    let binding = RoleBinding {
        metadata: meta(&format!(
            "machine-reader-{}",
            subject.name.replace(':', "-")
        )),
        role_ref: RoleRef {
            api_group: Some("rbac.authorization.k8s.io".into()),
            kind: "Role".into(),
            name: "machine-reader".into(),
        },
        subjects: Some(vec![subject]),
    };
    Api::<RoleBinding>::namespaced(admin.clone(), namespace)
        .create(&PostParams::default(), &binding)
        .await
        .expect("create RoleBinding");
}

#[tokio::test]
async fn namespaces_events_leases_and_secrets_are_served() {
    let admin = client().await;
    let namespace = test_namespace("core").await;
    let got = Api::<Namespace>::all(admin.clone())
        .get(&namespace)
        .await
        .expect("the namespace exists");
    assert_eq!(
        got.status.and_then(|s| s.phase).as_deref(),
        Some("Active"),
        "a new namespace is Active"
    );
    // NamespaceLifecycle admission runs: no object in a namespace that does not exist.
    let missing = Api::<Secret>::namespaced(admin.clone(), "no-such-namespace")
        .create(
            &PostParams::default(),
            &Secret {
                metadata: meta("orphan"),
                ..Default::default()
            },
        )
        .await;
    assert!(
        matches!(&missing, Err(kube::Error::Api(s))
            if s.code == 404 && s.message.contains("namespaces \"no-such-namespace\" not found")),
        "a Secret in a missing namespace must be refused (404 naming it): {missing:?}"
    );

    let secrets = Api::<Secret>::namespaced(admin.clone(), &namespace);
    let secret = Secret {
        metadata: meta("release-state"),
        string_data: Some(BTreeMap::from([("key".to_string(), "value".to_string())])),
        ..Default::default()
    };
    secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect("create Secret");
    let stored = secrets.get("release-state").await.expect("get Secret");
    assert_eq!(
        stored.data.and_then(|d| d.get("key").map(|v| v.0.clone())),
        Some(b"value".to_vec()),
        "stringData is stored as data"
    );

    let leases = Api::<Lease>::namespaced(admin.clone(), &namespace);
    let lease = Lease {
        metadata: meta("leader"),
        spec: Some(LeaseSpec {
            holder_identity: Some("replica-a".into()),
            lease_duration_seconds: Some(15),
            ..Default::default()
        }),
    };
    leases
        .create(&PostParams::default(), &lease)
        .await
        .expect("create Lease");
    let held = leases.get("leader").await.expect("get Lease");
    assert_eq!(
        held.spec.and_then(|s| s.holder_identity).as_deref(),
        Some("replica-a")
    );

    let events = Api::<Event>::namespaced(admin.clone(), &namespace);
    let event = Event {
        metadata: meta("machine-ready.1"),
        involved_object: ObjectReference {
            api_version: Some("vitistack.io/v1alpha1".into()),
            kind: Some("Machine".into()),
            name: Some("web-01".into()),
            namespace: Some(namespace.clone()),
            ..Default::default()
        },
        reason: Some("Ready".into()),
        message: Some("machine is ready".into()),
        type_: Some("Normal".into()),
        first_timestamp: Some(Time(k8s_openapi::jiff::Timestamp::now())),
        ..Default::default()
    };
    events
        .create(&PostParams::default(), &event)
        .await
        .expect("create Event");
    let listed = events
        .list(&ListParams::default())
        .await
        .expect("list Events");
    assert_eq!(
        listed
            .items
            .iter()
            .map(|e| e.reason.as_deref())
            .collect::<Vec<_>>(),
        vec![Some("Ready")]
    );
}

#[tokio::test]
async fn a_user_without_bindings_is_forbidden_and_the_error_says_so() {
    let admin = client().await;
    ensure_crds(&admin).await;
    let namespace = test_namespace("forbidden").await;
    let nobody = client_for(impersonating("nobody", &[])).await;
    assert_eq!(whoami(&nobody).await.0, "nobody");

    let err = Api::<Machine>::namespaced(nobody.clone(), &namespace)
        .list(&ListParams::default())
        .await
        .expect_err("a user with no bindings may not list machines");
    let kube::Error::Api(status) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(status.code, 403, "{status:?}");
    assert_eq!(status.reason, "Forbidden");
    for part in [
        "User \"nobody\"",
        "cannot list resource \"machines\"",
        "API group \"vitistack.io\"",
        &format!("namespace \"{namespace}\""),
    ] {
        assert!(
            status.message.contains(part),
            "403 message lacks {part:?}: {}",
            status.message
        );
    }

    // The same through VitiClient: its error keeps the code and the server's words.
    let viti = VitiClient::new(nobody);
    let err = viti
        .get::<Machine>(&namespace, "web-01")
        .await
        .expect_err("get is forbidden too");
    assert!(err.is_forbidden(), "VitiClient error is not a 403: {err:?}");
    assert_eq!(err.code(), Some(403));
    let text = err.to_string();
    assert!(
        text.contains("cannot get resource \"machines\""),
        "VitiClient error lacks the verb and resource: {text}"
    );
}

#[tokio::test]
async fn the_admin_impersonates_users_and_groups_and_rbac_applies_to_them() {
    let admin = client().await;
    ensure_crds(&admin).await;
    assert!(
        whoami(&admin)
            .await
            .1
            .contains(&"system:masters".to_string()),
        "the kubeconfig's user is a cluster admin"
    );
    let namespace = test_namespace("impersonate").await;
    grant_machine_readers(
        &admin,
        &namespace,
        Subject {
            kind: "Group".into(),
            api_group: Some("rbac.authorization.k8s.io".into()),
            name: "machine-readers".into(),
            namespace: None,
        },
    )
    .await;

    let member = client_for(impersonating("alice", &["machine-readers"])).await;
    let (user, groups) = whoami(&member).await;
    assert_eq!(user, "alice");
    assert!(
        groups.contains(&"machine-readers".to_string()),
        "{groups:?}"
    );
    assert_eq!(
        identity::list_once_allowed(&Api::<Machine>::namespaced(member.clone(), &namespace)).await,
        0
    );

    // The binding is for the group only: alice without it, and in another namespace, get 403.
    let outsider = client_for(impersonating("alice", &[])).await;
    let err = Api::<Machine>::namespaced(outsider, &namespace)
        .list(&ListParams::default())
        .await
        .expect_err("alice outside the group is forbidden");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403),
        "{err:?}"
    );
    let other = test_namespace("impersonate-other").await;
    let err = Api::<Machine>::namespaced(member, &other)
        .list(&ListParams::default())
        .await
        .expect_err("the Role binds in its namespace only");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_service_account_token_from_token_request_authenticates() {
    let admin = client().await;
    ensure_crds(&admin).await;
    let namespace = test_namespace("serviceaccount").await;
    let robot = client_for(identity::service_account(&admin, &namespace, "robot").await).await;
    let (user, groups) = whoami(&robot).await;
    assert_eq!(user, format!("system:serviceaccount:{namespace}:robot"));
    assert!(
        groups.contains(&"system:serviceaccounts".to_string()),
        "{groups:?}"
    );
    let err = Api::<Machine>::namespaced(robot.clone(), &namespace)
        .list(&ListParams::default())
        .await
        .expect_err("an unbound ServiceAccount may not list machines");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403),
        "{err:?}"
    );

    grant_machine_readers(
        &admin,
        &namespace,
        Subject {
            kind: "ServiceAccount".into(),
            api_group: None,
            name: "robot".into(),
            namespace: Some(namespace.clone()),
        },
    )
    .await;
    assert_eq!(
        identity::list_once_allowed(&Api::<Machine>::namespaced(robot.clone(), &namespace)).await,
        0
    );
}

#[test]
fn the_kubeconfig_carries_the_ca_and_a_client_certificate_and_never_skips_verification() {
    let kubeconfig = identity::admin_kubeconfig();
    let cluster = kubeconfig.clusters[0]
        .cluster
        .as_ref()
        .expect("a cluster entry");
    assert!(cluster
        .server
        .as_deref()
        .is_some_and(|s| s.starts_with("https://127.0.0.1:")));
    assert!(
        cluster.certificate_authority_data.is_some(),
        "the CA is in the kubeconfig"
    );
    assert_ne!(cluster.insecure_skip_tls_verify, Some(true));
    let user = kubeconfig.auth_infos[0]
        .auth_info
        .as_ref()
        .expect("a user entry");
    assert!(
        user.client_certificate_data.is_some() && user.client_key_data.is_some(),
        "the admin authenticates with a client certificate (mutual TLS)"
    );
    assert!(user.token.is_none(), "no bearer token for the admin");
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused_by_tls() {
    let mut kubeconfig = identity::admin_kubeconfig();
    for cluster in &mut kubeconfig.clusters {
        if let Some(c) = cluster.cluster.as_mut() {
            c.certificate_authority_data = None; // fall back to the system roots
        }
    }
    let stranger = client_for(kubeconfig).await;
    let err = stranger
        .apiserver_version()
        .await
        .expect_err("the test CA is not a system root");
    // The handshake fails on the certificate (rustls: not signed by a trusted issuer), not on
    // anything else a connection can fail on.
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    assert!(
        chain
            .iter()
            .any(|cause| cause == "invalid peer certificate: UnknownIssuer"),
        "must fail verifying the server's certificate: {chain:?}"
    );
}

#[tokio::test]
async fn the_server_is_kubernetes_1_37() {
    let version = client().await.apiserver_version().await.expect("/version");
    assert_eq!(version.git_version, "v1.37.2");
}
