//! Deletes as controllers use them: idempotent (a missing object is already deleted), with
//! `DeleteParams` (propagation policy, uid/resourceVersion preconditions), and a wait that ends
//! when this object (not a new one of the same name) is gone, naming the finalizers that block
//! it when time runs out.

use super::wait::{wait_until, Verdict};
use super::{Error, Kind, VitiClient};
use kube::api::DeleteParams;
use std::time::Duration;

/// Whether the object the delete was sent for is gone, given what the watch sees under its
/// name. Without a known uid only absence counts: any object under the name may be it.
pub(crate) fn is_gone(deleted_uid: Option<&str>, current_uid: Option<Option<&str>>) -> bool {
    match (current_uid, deleted_uid) {
        (None, _) => true,
        (Some(current), Some(deleted)) => current != Some(deleted),
        (Some(_), None) => false,
    }
}

impl VitiClient {
    /// Deletes an object with default options; with `wait`, until it is gone.
    /// See [`VitiClient::delete_with`].
    pub async fn delete<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        wait: Option<Duration>,
    ) -> Result<(), Error> {
        self.delete_with::<K>(namespace, name, &DeleteParams::default(), wait)
            .await
    }

    /// Deletes an object with `params` (e.g. `DeleteParams::foreground()`, or
    /// `preconditions` on uid/resourceVersion so that only the object you read is deleted).
    ///
    /// Idempotent: an object that does not exist (`404`) counts as deleted. With `wait`, waits
    /// until the object is gone (a new object created under the same name does not count); if
    /// time runs out while finalizers keep it, [`Error::DeleteBlocked`] names them.
    pub async fn delete_with<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        params: &DeleteParams,
        wait: Option<Duration>,
    ) -> Result<(), Error> {
        let api = self.api::<K>(namespace);
        let reply_uid = match api.delete(name, params).await {
            Err(kube::Error::Api(status)) if status.code == 404 => return Ok(()),
            Err(error) => return Err(error.into()),
            Ok(either::Either::Left(object)) => object.meta().uid.clone(),
            Ok(either::Either::Right(status)) => {
                status.details.map(|d| d.uid).filter(|u| !u.is_empty())
            }
        };
        let Some(timeout) = wait else { return Ok(()) };
        let uid = reply_uid.or_else(|| params.preconditions.as_ref().and_then(|p| p.uid.clone()));
        let what = format!("{} {namespace}/{name} still exists", K::KIND);
        let gone = wait_until(api.clone(), name, timeout, &what, |object: Option<&K>| {
            let current = object.map(|o| o.meta().uid.as_deref());
            if is_gone(uid.as_deref(), current) {
                Verdict::Done(())
            } else {
                Verdict::Pending
            }
        })
        .await;
        match gone {
            Err(Error::Timeout { waited, .. }) => {
                let finalizers = match api.get_opt(name).await? {
                    Some(object) => object.meta().finalizers.clone().unwrap_or_default(),
                    None => return Ok(()),
                };
                if finalizers.is_empty() {
                    return gone;
                }
                Err(Error::DeleteBlocked {
                    kind: K::KIND.to_string(),
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                    finalizers,
                    waited,
                })
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_gone;

    #[test]
    fn only_absence_or_another_uid_counts_as_gone() {
        assert!(is_gone(Some("a"), None));
        assert!(is_gone(None, None));
        assert!(is_gone(Some("a"), Some(Some("b"))));
        assert!(!is_gone(Some("a"), Some(Some("a"))));
        // A reply without uid: an object under the name may still be the one deleted.
        assert!(!is_gone(None, Some(Some("a"))));
        assert!(!is_gone(None, Some(None)));
    }
}
