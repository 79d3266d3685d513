//! Waits that hold up: one watch of the object (kube's `watcher`, which re-lists after
//! `410 Gone` and resumes after a dropped connection) with kube's default backoff between
//! failed attempts. Transient errors are waited through, as `kubectl wait` does; an error that
//! waiting cannot fix (`403`, an unknown resource) ends the wait at once, typed.

use super::error::watch_error_is_transient;
use super::{Error, VitiClient};
use futures::StreamExt;
use k8s_openapi::NamespaceResourceScope;
use kube::api::{Api, DynamicObject};
use kube::runtime::watcher::{self, watcher, Event};
use kube::runtime::WatchStreamExt;
use kube::Resource;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;
use std::time::Duration;

/// What a wait makes of the object's current state (`None`: it does not exist).
pub(crate) enum Verdict<T> {
    /// The wait is over.
    Done(T),
    /// Keep waiting.
    Pending,
    /// The wait cannot succeed any more.
    Fail(Error),
}

/// Watches the object `name` of `api` until `check` says [`Verdict::Done`] or
/// [`Verdict::Fail`], or `timeout` passes. `what` describes the wait for the timeout error.
pub(crate) async fn wait_until<K, T>(
    api: Api<K>,
    name: &str,
    timeout: Duration,
    what: &str,
    mut check: impl FnMut(Option<&K>) -> Verdict<T>,
) -> Result<T, Error>
where
    K: Resource + Clone + DeserializeOwned + Debug + Send + 'static,
{
    let config = watcher::Config::default().fields(&format!("metadata.name={name}"));
    let stream = watcher(api, config).default_backoff();
    let mut stream = std::pin::pin!(stream);
    let deadline = tokio::time::Instant::now() + timeout;
    let mut last_error: Option<String> = None;
    // Whether the object was in the current (re-)list; not in it means it does not exist.
    let mut listed = false;
    loop {
        let timed_out = || Error::Timeout {
            what: what.to_string(),
            waited: timeout,
            last_error: last_error.clone(),
        };
        let event = match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(event)) => event,
            Ok(None) | Err(_) => return Err(timed_out()),
        };
        let state: Option<Option<K>> = match event {
            Ok(Event::Init) => {
                listed = false;
                None
            }
            Ok(Event::InitApply(object)) => {
                listed = true;
                Some(Some(object))
            }
            Ok(Event::InitDone) => (!listed).then_some(None),
            Ok(Event::Apply(object)) => Some(Some(object)),
            Ok(Event::Delete(_)) => Some(None),
            Err(error) if watch_error_is_transient(&error) => {
                last_error = Some(error.to_string());
                None
            }
            Err(error) => return Err(Error::Watch(error)),
        };
        if let Some(object) = state {
            match check(object.as_ref()) {
                Verdict::Done(value) => return Ok(value),
                Verdict::Pending => {}
                Verdict::Fail(error) => return Err(error),
            }
        }
    }
}

/// Whether `object` (of any kind: a typed object or a [`DynamicObject`]) has condition
/// `condition_type` with `status` for its current spec, as `kubectl wait --for=condition=...`
/// decides: a condition (or a `status.observedGeneration`) older than `metadata.generation`
/// describes an earlier spec and does not count.
pub fn condition_met<K: Serialize>(object: &K, condition_type: &str, status: &str) -> bool {
    serde_json::to_value(object)
        .is_ok_and(|value| value_condition_met(&value, condition_type, status))
}

fn value_condition_met(object: &Value, condition_type: &str, status: &str) -> bool {
    let generation = object["metadata"]["generation"].as_i64();
    let stale = |observed: &Value| matches!((observed.as_i64(), generation), (Some(seen), Some(current)) if seen < current);
    if stale(&object["status"]["observedGeneration"]) {
        return false;
    }
    object["status"]["conditions"]
        .as_array()
        .is_some_and(|list| {
            list.iter().any(|c| {
                c["type"] == condition_type
                    && c["status"] == status
                    && !stale(&c["observedGeneration"])
            })
        })
}

impl VitiClient {
    /// Waits until the object `namespace/name` of kind `K` has condition `condition_type` with
    /// `status` (e.g. `Ready`, `True`) for its current spec, and returns it, typed. `K` is any
    /// namespaced kind with a static type: the vitistack kinds, your own kinds derived with
    /// `vitistack_types::CustomResource` or kube's derive, k8s-openapi's kinds.
    ///
    /// With `kubectl wait` semantics: a condition whose `observedGeneration` (or a
    /// `status.observedGeneration`) is older than `metadata.generation` is skipped, so a wait
    /// right after a spec change does not return the previous generation's `Ready`. Transient
    /// errors (`410 Gone`, dropped connections, `429`, `5xx`) are waited through with backoff;
    /// the timeout error names the last of them. Fails at once with [`Error::Deleted`] when the
    /// object is deleted (or does not exist), and with [`Error::Watch`] (its status code kept)
    /// when the watch is refused for good, e.g. `403`.
    pub async fn wait_for_condition<K>(
        &self,
        namespace: &str,
        name: &str,
        condition_type: &str,
        status: &str,
        timeout: Duration,
    ) -> Result<K, Error>
    where
        K: Resource<DynamicType = (), Scope = NamespaceResourceScope>
            + Clone
            + Debug
            + Serialize
            + DeserializeOwned
            + Send
            + 'static,
    {
        let api = Api::namespaced(self.client.clone(), namespace);
        let kind = K::kind(&()).to_string();
        wait_for(api, &kind, namespace, name, condition_type, status, timeout).await
    }

    /// [`VitiClient::wait_for_condition`] through any API of a static kind: `Api::all` for a
    /// cluster-scoped kind, or an API built with its own client.
    pub async fn wait_for_condition_with<K>(
        &self,
        api: Api<K>,
        name: &str,
        condition_type: &str,
        status: &str,
        timeout: Duration,
    ) -> Result<K, Error>
    where
        K: Resource<DynamicType = ()>
            + Clone
            + Debug
            + Serialize
            + DeserializeOwned
            + Send
            + 'static,
    {
        let namespace = api.namespace().unwrap_or("").to_string();
        let kind = K::kind(&()).to_string();
        wait_for(
            api,
            &kind,
            &namespace,
            name,
            condition_type,
            status,
            timeout,
        )
        .await
    }

    /// [`VitiClient::wait_for_condition`] of a vitistack kind named at run time (kind, plural,
    /// singular or short name), returned as a [`DynamicObject`]; a kind outside the registry is
    /// [`Error::UnknownKind`] (use the typed wait for those).
    pub async fn wait_for_condition_dynamic(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
        condition_type: &str,
        status: &str,
        timeout: Duration,
    ) -> Result<DynamicObject, Error> {
        let api = self.dynamic_api(kind, namespace)?;
        wait_for(api, kind, namespace, name, condition_type, status, timeout).await
    }
}

/// The wait behind every `wait_for_condition*`.
async fn wait_for<K>(
    api: Api<K>,
    kind: &str,
    namespace: &str,
    name: &str,
    condition_type: &str,
    status: &str,
    timeout: Duration,
) -> Result<K, Error>
where
    K: Resource + Clone + Debug + Serialize + DeserializeOwned + Send + 'static,
{
    let what = format!("{kind} {namespace}/{name}: condition {condition_type}={status}");
    wait_until(api, name, timeout, &what, |object| match object {
        None => Verdict::Fail(Error::Deleted {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }),
        Some(o) if condition_met(o, condition_type, status) => Verdict::Done(o.clone()),
        Some(_) => Verdict::Pending,
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(generation: i64, status: Value) -> DynamicObject {
        serde_json::from_value(json!({
            "apiVersion": "vitistack.io/v1alpha1", "kind": "Machine",
            "metadata": {"name": "m", "generation": generation}, "status": status,
        }))
        .unwrap()
    }

    #[test]
    fn stale_conditions_do_not_count() {
        let ready = |g: i64| json!({"conditions": [{"type": "Ready", "status": "True", "observedGeneration": g}]});
        assert!(condition_met(&object(2, ready(2)), "Ready", "True"));
        assert!(!condition_met(&object(3, ready(2)), "Ready", "True"));
        assert!(!condition_met(&object(2, ready(2)), "Ready", "False"));
        // Without observedGeneration the condition counts (kubectl does the same).
        let plain = json!({"conditions": [{"type": "Ready", "status": "True"}]});
        assert!(condition_met(&object(5, plain.clone()), "Ready", "True"));
        let mut stale_status = plain;
        stale_status["observedGeneration"] = json!(4);
        assert!(!condition_met(&object(5, stale_status), "Ready", "True"));
    }
}
