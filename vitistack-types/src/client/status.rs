//! Status writes through the status subresource, with this client's field manager, two ways:
//!
//! - [`VitiClient::update_status`]: read fresh, change, replace; retried on `409 Conflict`
//!   (another writer came first) from a fresh read, with exponential backoff and jitter (so that
//!   writers that collided do not collide again in lockstep).
//! - [`VitiClient::apply_status`]: server-side apply of the status fields this client manages;
//!   no read and no resourceVersion, so no `409` from writers of other fields.
//!
//! **One layer of retries.** kube's client already retries `429`, `503` and `504` with
//! exponential backoff (its `RetryPolicy`, on by default: `Config::default_retry`), below every
//! request; this module adds only what kube cannot do, starting again from a fresh read after a
//! `409`. Other errors (`500`, `502`, a dropped connection) come back to the caller, who knows
//! whether to requeue; retrying them here too would multiply kube's attempts by ours.

use super::apply::{validate_partial, Endpoint};
use super::{Error, Kind, VitiClient};
use backon::BackoffBuilder;
use kube::api::PostParams;
use serde_json::{json, Value};
use std::time::Duration;

/// The first retry waits up to this long (plus jitter), each next one twice as long...
const FIRST_DELAY: Duration = Duration::from_millis(20);
/// ... up to this.
const MAX_DELAY: Duration = Duration::from_secs(2);

/// The delays between attempts: `retries` of them, doubling from [`FIRST_DELAY`] up to
/// [`MAX_DELAY`], each with a random part as large as itself at most.
pub(crate) fn retry_delays(retries: u32) -> impl Iterator<Item = Duration> {
    backon::ExponentialBuilder::default()
        .with_min_delay(FIRST_DELAY)
        .with_max_delay(MAX_DELAY)
        .with_factor(2.0)
        .with_jitter()
        .with_max_times(retries as usize)
        .build()
}

/// Whether a failed status write may succeed when tried again from a fresh read: only after a
/// `409 Conflict`. Throttling and unavailability (`429`, `503`, `504`) kube's client has
/// already retried (see the module docs).
fn retryable(error: &Error) -> bool {
    matches!(error, Error::Kube(_)) && error.is_conflict()
}

/// The paths outside `status` where `after` differs from `before` (`spec.qos.priority`).
pub(crate) fn changed_outside_status(before: &Value, after: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    let empty = serde_json::Map::new();
    let (b, a) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        if key != "status" {
            diff(b.get(key), a.get(key), key, &mut paths);
        }
    }
    paths
}

fn diff(before: Option<&Value>, after: Option<&Value>, path: &str, out: &mut Vec<String>) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
                diff(b.get(key), a.get(key), &format!("{path}.{key}"), out);
            }
        }
        (b, a) if b == a => {}
        _ => out.push(path.to_string()),
    }
}

impl VitiClient {
    /// Changes the status of an object through the status subresource: reads it fresh, applies
    /// `mutate`, and replaces the status with this client's field manager.
    ///
    /// On `409 Conflict` (another writer came first) it starts again from a fresh read, up to
    /// [`VitiClient::with_conflict_retries`] times, waiting with exponential backoff and jitter
    /// in between; `mutate` therefore runs once per attempt. `429`, `503` and `504` are retried
    /// by kube's client below (not again here); other errors are returned. If `mutate` changes anything
    /// outside `status` (which the status subresource would silently drop), nothing is written
    /// and [`Error::NotStatusOnly`] names the changed paths.
    pub async fn update_status<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        mut mutate: impl FnMut(&mut K),
    ) -> Result<K, Error> {
        let api = self.api::<K>(namespace);
        let params = PostParams {
            field_manager: Some(self.field_manager.clone()),
            ..PostParams::default()
        };
        let mut delays = retry_delays(self.conflict_retries);
        loop {
            let attempt = async {
                let mut object = api.get(name).await?;
                let before = serde_json::to_value(&object).unwrap_or_default();
                mutate(&mut object);
                let after = serde_json::to_value(&object).unwrap_or_default();
                let paths = changed_outside_status(&before, &after);
                if !paths.is_empty() {
                    return Err(Error::NotStatusOnly { paths });
                }
                Ok(api.replace_status(name, &params, &object).await?)
            };
            match attempt.await {
                Err(error) if retryable(&error) => match delays.next() {
                    Some(delay) => tokio::time::sleep(delay).await,
                    None => return Err(error),
                },
                result => return result,
            }
        }
    }
}

impl VitiClient {
    /// Writes the status fields this client manages by server-side apply through the status
    /// subresource: `status` is a partial status of `K` as JSON (e.g. `{"conditions": [...]}`),
    /// checked against `K`'s schema as far as a partial object can be (after `validate()`
    /// unless turned off). Not forced: a field another manager owns with another value is
    /// [`Error::ApplyConflict`], naming it. Fields this manager applied before and leaves out
    /// now are removed. Without a read or a resourceVersion it never conflicts with writers of
    /// other fields, so it has no retry loop: the choice for a controller that owns part of a
    /// status (one condition type, say); [`VitiClient::update_status`] for read-modify-write.
    pub async fn apply_status<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        status: &Value,
    ) -> Result<K, Error> {
        self.send_status_apply::<K>(namespace, name, status, false)
            .await
    }

    /// [`VitiClient::apply_status`], forcing: takes the fields over from other managers.
    pub async fn apply_status_forced<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        status: &Value,
    ) -> Result<K, Error> {
        self.send_status_apply::<K>(namespace, name, status, true)
            .await
    }

    async fn send_status_apply<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        status: &Value,
        force: bool,
    ) -> Result<K, Error> {
        let body = json!({
            "apiVersion": K::API_VERSION,
            "kind": K::KIND,
            "metadata": {"name": name, "namespace": namespace},
            "status": status,
        });
        if self.validate {
            validate_partial::<K>(&body).map_err(Error::Invalid)?;
        }
        self.send_apply_to(namespace, name, &body, force, Endpoint::Status)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_outside_status_are_found() {
        let before =
            json!({"metadata": {"name": "a"}, "spec": {"x": 1, "y": {"z": 2}}, "status": {"s": 1}});
        let mut after = before.clone();
        after["status"]["s"] = json!(2);
        assert!(changed_outside_status(&before, &after).is_empty());
        after["spec"]["y"]["z"] = json!(3);
        after["metadata"]["labels"] = json!({"l": "v"});
        assert_eq!(
            changed_outside_status(&before, &after),
            vec!["metadata.labels".to_string(), "spec.y.z".to_string()]
        );
    }

    fn api_error(code: u16) -> Error {
        Error::Kube(kube::Error::Api(Box::new(
            kube::core::Status::failure("x", "y").with_code(code),
        )))
    }

    #[test]
    fn only_conflicts_are_retried_here_kube_retries_throttling_and_unavailability() {
        assert!(retryable(&api_error(409)));
        for code in [429, 500, 502, 503, 504] {
            assert!(
                !retryable(&api_error(code)),
                "{code} is kube's or the caller's"
            );
        }
    }

    #[test]
    fn delays_grow_exponentially_with_jitter_and_stop() {
        let delays: Vec<Duration> = retry_delays(6).collect();
        assert_eq!(delays.len(), 6);
        for (i, d) in delays.iter().enumerate() {
            let base = (FIRST_DELAY * 2u32.pow(i as u32)).min(MAX_DELAY);
            assert!(
                *d >= base && *d <= base * 2,
                "delay {i}: {d:?} outside [{base:?}, 2×]"
            );
        }
        // Jitter: two schedules are not the same.
        let again: Vec<Duration> = retry_delays(6).collect();
        assert_ne!(delays, again);
    }
}
