//! Identities for the end-to-end tests besides the admin of the test kubeconfig: ServiceAccounts
//! with a token from the TokenRequest API, impersonated users and groups, and the namespaces
//! tests create for themselves.
//!
//! The test server authorizes with RBAC, so a new identity may do nothing until a test binds it
//! to a role (`kube::Api<RoleBinding>` or `ClusterRoleBinding`, as a cluster admin would).

use k8s_openapi::api::authentication::v1::TokenRequest;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::api::{ObjectMeta, PostParams};
use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};
use std::path::Path;

/// How long a ServiceAccount token from [`service_account`] is valid (the apiserver's minimum
/// is 10 minutes; a test run is shorter than this).
const TOKEN_SECONDS: i64 = 3600;

/// Creates the Namespace `name` (an existing one is fine). Panics with the reason otherwise.
pub async fn create_namespace(client: &Client, name: &str) {
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    match Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &namespace)
        .await
    {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 409 => {}
        Err(e) => panic!("cannot create namespace {name}: {e}"),
    }
}

/// The admin kubeconfig of the test server, as read from disk.
pub fn admin_kubeconfig() -> Kubeconfig {
    let path = crate::apiserver::kubeconfig_path();
    Kubeconfig::read_from(&path)
        .unwrap_or_else(|e| panic!("cannot read kubeconfig {}: {e}", path.display()))
}

/// Creates the ServiceAccount `namespace/name` (an existing one is reused), asks the TokenRequest
/// API for a token of it and returns a kubeconfig that authenticates with that token: the same
/// server and CA as the admin's, no client certificate.
pub async fn service_account(admin: &Client, namespace: &str, name: &str) -> Kubeconfig {
    let accounts = Api::<ServiceAccount>::namespaced(admin.clone(), namespace);
    let account = ServiceAccount {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    match accounts.create(&PostParams::default(), &account).await {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 409 => {}
        Err(e) => panic!("cannot create ServiceAccount {namespace}/{name}: {e}"),
    }
    // Built from JSON: the Rust shape of TokenRequest differs between Kubernetes versions.
    let request: TokenRequest =
        serde_json::from_value(serde_json::json!({"spec": {"expirationSeconds": TOKEN_SECONDS}}))
            .expect("a TokenRequest");
    let response = accounts
        .create_token_request(name, &PostParams::default(), &request)
        .await
        .unwrap_or_else(|e| panic!("TokenRequest for {namespace}/{name} failed: {e}"));
    let token = serde_json::to_value(&response).expect("TokenRequest serialises")["status"]
        ["token"]
        .as_str()
        .unwrap_or_else(|| panic!("TokenRequest for {namespace}/{name} returned no token"))
        .to_string();
    with_auth(
        admin_kubeconfig(),
        AuthInfo {
            token: Some(token.into()),
            ..Default::default()
        },
    )
}

/// The admin kubeconfig impersonating `user` in `groups` (what `kubectl --as USER --as-group G`
/// sends): requests are authorized as that user, never as the admin.
pub fn impersonating(user: &str, groups: &[&str]) -> Kubeconfig {
    let mut kubeconfig = admin_kubeconfig();
    for named in &mut kubeconfig.auth_infos {
        if let Some(auth) = named.auth_info.as_mut() {
            auth.impersonate = Some(user.to_string());
            auth.impersonate_groups =
                (!groups.is_empty()).then(|| groups.iter().map(|g| g.to_string()).collect());
        }
    }
    kubeconfig
}

/// Lists `api` once the caller may, retrying `403 Forbidden` for up to 5 s: the RBAC authorizer
/// learns of new bindings (and of rules aggregated into a role) through an informer, a moment
/// after the write returned. Panics with the last 403 message if it stays forbidden.
pub async fn list_once_allowed<K>(api: &Api<K>) -> usize
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let mut last = None;
    for _ in 0..50 {
        match api.list(&kube::api::ListParams::default()).await {
            Ok(list) => return list.items.len(),
            Err(kube::Error::Api(s)) if s.code == 403 => last = Some(s.message),
            Err(e) => panic!("list: {e}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("still forbidden 5 s after the grant: {last:?}");
}

/// A client for a kubeconfig from this module.
pub async fn client_for(kubeconfig: Kubeconfig) -> Client {
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap_or_else(|e| panic!("bad kubeconfig: {e}"));
    Client::try_from(config).unwrap_or_else(|e| panic!("cannot build a client: {e}"))
}

/// Writes a kubeconfig to `path` (JSON, which every kubeconfig reader takes), for tools run as
/// processes (kubectl, helm).
pub fn write_kubeconfig(kubeconfig: &Kubeconfig, path: &Path) {
    let text = serde_json::to_string_pretty(kubeconfig).expect("a kubeconfig serialises");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// `kubeconfig` with every user replaced by `auth`.
fn with_auth(mut kubeconfig: Kubeconfig, auth: AuthInfo) -> Kubeconfig {
    for named in &mut kubeconfig.auth_infos {
        named.auth_info = Some(auth.clone());
    }
    kubeconfig
}
