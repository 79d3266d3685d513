//! Leader election with a `coordination.k8s.io/v1` Lease, the way client-go's `leaderelection`
//! does it: the holder renews the Lease every retry period; a candidate takes it when it is free
//! (no holder) or expired, and expiry is judged by the candidate's own clock from when it last
//! saw the Lease change (never by comparing another machine's timestamps with ours, which
//! would make clock skew a split brain). Every write carries the resourceVersion it was read
//! at, so two candidates racing for the same Lease cannot both win.

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ObjectMeta, PostParams};
use std::time::{Duration, Instant};

/// Timing and names of an election.
#[derive(Clone, Debug)]
pub struct LeaseConfig {
    /// Name of the Lease object.
    pub name: String,
    /// Who we are (a pod name, unique per replica).
    pub identity: String,
    /// How long a Lease stays ours without renewal; a candidate waits this long after the
    /// Lease last changed before it takes it.
    pub lease_duration: Duration,
    /// How often the holder renews and a candidate retries.
    pub retry_period: Duration,
}

impl LeaseConfig {
    /// The holder steps down when it could not renew for this long: two thirds of the lease
    /// duration, so that it stops before any candidate may take over.
    pub fn renew_deadline(&self) -> Duration {
        self.lease_duration * 2 / 3
    }

    /// A holder that stepped down (or shuts down) lets its running reconciles finish until
    /// this long after its last successful renew began, and aborts them then: halfway between
    /// the renew deadline and the lease duration, so that they have ended before any candidate
    /// may take the Lease.
    pub fn stop_deadline(&self) -> Duration {
        (self.renew_deadline() + self.lease_duration) / 2
    }
}

/// What a candidate last saw of the Lease, and when (by its own clock).
#[derive(Debug)]
struct Observed {
    holder: Option<String>,
    renew_time: Option<MicroTime>,
    at: Instant,
}

/// One participant in an election over one Lease.
#[derive(Debug)]
pub struct LeaseElector {
    api: Api<Lease>,
    config: LeaseConfig,
    observed: Option<Observed>,
}

impl LeaseElector {
    /// An elector over the Lease `config.name` of `api`'s namespace.
    pub fn new(api: Api<Lease>, config: LeaseConfig) -> Self {
        LeaseElector {
            api,
            config,
            observed: None,
        }
    }

    /// The election's configuration.
    pub fn config(&self) -> &LeaseConfig {
        &self.config
    }

    /// One round: creates the Lease if there is none, renews it if it is ours, takes it if it
    /// is free or expired. `Ok(true)` when we hold it afterwards; `Ok(false)` when someone else
    /// does (or won a race for it); `Err` when the server could not be asked.
    pub async fn try_acquire_or_renew(&mut self) -> Result<bool, kube::Error> {
        let Some(lease) = self.api.get_opt(&self.config.name).await? else {
            return self.create().await;
        };
        let spec = lease.spec.clone().unwrap_or_default();
        self.observe(&spec);
        let ours = spec.holder_identity.as_deref() == Some(self.config.identity.as_str());
        if !ours && !self.free_or_expired(&spec) {
            return Ok(false);
        }
        let now = MicroTime(Timestamp::now());
        let mut next = spec.clone();
        next.holder_identity = Some(self.config.identity.clone());
        next.lease_duration_seconds = Some(seconds(self.config.lease_duration));
        next.renew_time = Some(now.clone());
        if !ours {
            next.acquire_time = Some(now);
            next.lease_transitions = Some(spec.lease_transitions.unwrap_or(0) + 1);
        }
        self.write(lease, next).await
    }

    /// Gives the Lease up if we hold it (no holder, duration one second), so that a candidate
    /// takes over at its next retry instead of waiting for expiry.
    pub async fn release(&mut self) -> Result<(), kube::Error> {
        let Some(lease) = self.api.get_opt(&self.config.name).await? else {
            return Ok(());
        };
        let spec = lease.spec.clone().unwrap_or_default();
        if spec.holder_identity.as_deref() != Some(self.config.identity.as_str()) {
            return Ok(());
        }
        let next = LeaseSpec {
            holder_identity: None,
            lease_duration_seconds: Some(1),
            renew_time: Some(MicroTime(Timestamp::now())),
            ..spec
        };
        self.write(lease, next).await.map(|_| ())
    }

    async fn create(&mut self) -> Result<bool, kube::Error> {
        let now = MicroTime(Timestamp::now());
        let lease = Lease {
            metadata: ObjectMeta {
                name: Some(self.config.name.clone()),
                ..ObjectMeta::default()
            },
            spec: Some(LeaseSpec {
                holder_identity: Some(self.config.identity.clone()),
                lease_duration_seconds: Some(seconds(self.config.lease_duration)),
                acquire_time: Some(now.clone()),
                renew_time: Some(now),
                lease_transitions: Some(0),
                ..LeaseSpec::default()
            }),
        };
        match self.api.create(&PostParams::default(), &lease).await {
            Ok(_) => Ok(true),
            Err(e) if is_conflict(&e) => Ok(false), // another candidate created it first
            Err(e) => Err(e),
        }
    }

    /// Replaces the Lease read as `lease` (its resourceVersion makes this a compare-and-swap).
    async fn write(&mut self, mut lease: Lease, spec: LeaseSpec) -> Result<bool, kube::Error> {
        lease.spec = Some(spec);
        match self
            .api
            .replace(&self.config.name, &PostParams::default(), &lease)
            .await
        {
            Ok(written) => {
                self.observe(&written.spec.unwrap_or_default());
                Ok(true)
            }
            Err(e) if is_conflict(&e) => Ok(false), // someone wrote it since we read it
            Err(e) => Err(e),
        }
    }

    /// Remembers the Lease's holder and renew time, restarting the expiry clock when they changed.
    fn observe(&mut self, spec: &LeaseSpec) {
        let changed = self
            .observed
            .as_ref()
            .is_none_or(|o| o.holder != spec.holder_identity || o.renew_time != spec.renew_time);
        if changed {
            self.observed = Some(Observed {
                holder: spec.holder_identity.clone(),
                renew_time: spec.renew_time.clone(),
                at: Instant::now(),
            });
        }
    }

    fn free_or_expired(&self, spec: &LeaseSpec) -> bool {
        if spec.holder_identity.as_deref().is_none_or(str::is_empty) {
            return true;
        }
        let duration = spec
            .lease_duration_seconds
            .map_or(self.config.lease_duration, |s| {
                Duration::from_secs(u64::try_from(s).unwrap_or(0))
            });
        self.observed
            .as_ref()
            .is_some_and(|o| o.at.elapsed() > duration)
    }
}

fn seconds(duration: Duration) -> i32 {
    i32::try_from(duration.as_secs().max(1)).unwrap_or(i32::MAX)
}

fn is_conflict(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.code == 409)
}
