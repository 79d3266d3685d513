//! The operator: the Machine controller, run only while this replica holds the Lease.
//!
//! Fencing. A candidate takes the Lease `lease_duration` after it last saw the Lease change (by
//! its own clock), and it cannot have seen a renewal before the holder started it. So the holder
//! counts from the *start* of its last successful renew, `renewed`:
//!
//! * every Lease call is bounded by a timeout that ends at `renewed + renew_deadline` (kube's
//!   client has no read timeout of its own and retries throttled calls with long backoff, so a
//!   stalled call would otherwise keep this replica reconciling while another takes over);
//! * at the renew deadline it steps down: kube-runtime's graceful shutdown starts no new
//!   reconcile, the running ones get until [`LeaseConfig::stop_deadline`] (halfway from the renew
//!   deadline to the lease duration) and are aborted then, and the step-down awaits the
//!   controller's end;
//! * so reconciling has ended before `renewed + lease_duration`, the earliest moment a candidate
//!   may take the Lease. (An aborted reconcile stops at its next `.await`; a request it had
//!   already sent may still reach the server: Kubernetes has no fencing token to refuse it.)
//!
//! On shutdown the same stop runs, and only after the controller ended is the Lease released.
//! A controller that ends on its own (a reconcile panicked, or its stream ended) ends [`Operator::run`]
//! with an [`Error`] after releasing the Lease: the binary exits non-zero and the Pod restarts,
//! instead of a replica that keeps renewing the Lease and reconciles nothing.

use crate::backoff::Backoff;
use crate::controller::{self, Context, Reconciler};
use crate::health::Health;
use crate::lease::{LeaseConfig, LeaseElector};
use crate::metrics::Metrics;
use kube::api::Api;
use kube::runtime::events::Reporter;
use kube::runtime::watcher;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinError, JoinHandle};
use vitistack_types::client::VitiClient;

/// The name Events are reported under and the field manager of status writes.
pub const CONTROLLER_NAME: &str = "vitistack-downstream";

/// Where and how the operator runs.
#[derive(Clone, Debug)]
pub struct OperatorConfig {
    /// The namespace whose Machines it reconciles (and where its Lease lives).
    pub namespace: String,
    /// Leader election: Lease name, this replica's identity, timing.
    pub lease: LeaseConfig,
    /// Requeue delays after failed reconciles.
    pub backoff: Backoff,
    /// The Machine watch (e.g. a label selector).
    pub watcher: watcher::Config,
}

impl OperatorConfig {
    /// Defaults for one replica named `identity` in `namespace`: a 15 s Lease renewed every
    /// 2 s, requeues from 1 s doubling to 5 minutes.
    pub fn new(namespace: &str, identity: &str) -> Self {
        OperatorConfig {
            namespace: namespace.into(),
            lease: LeaseConfig {
                name: format!("{CONTROLLER_NAME}-leader"),
                identity: identity.into(),
                lease_duration: Duration::from_secs(15),
                retry_period: Duration::from_secs(2),
            },
            backoff: Backoff {
                first: Duration::from_secs(1),
                max: Duration::from_secs(300),
            },
            watcher: watcher::Config::default(),
        }
    }
}

/// Why [`Operator::run`] ended other than by its shutdown signal.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A reconcile panicked, which ends kube-runtime's controller.
    #[error("the controller panicked: {0}")]
    ControllerPanicked(String),
    /// The controller's stream ended although nobody stopped it.
    #[error("the controller stopped on its own")]
    ControllerEnded,
    /// The Lease could not be released (the next leader waits for it to expire).
    #[error("cannot release the Lease: {0}")]
    Release(String),
}

/// One replica of the operator.
pub struct Operator {
    client: kube::Client,
    config: OperatorConfig,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    leading: watch::Sender<bool>,
    reconciler: Reconciler,
}

/// What one round of the election found.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Round {
    /// We hold the Lease (renewed or acquired).
    Held,
    /// Someone else holds it.
    Lost,
    /// The server did not answer in time, or failed.
    Unknown,
}

/// What ended the wait between two rounds.
enum Woke {
    /// Time for the next round.
    Retry,
    /// The shutdown signal.
    Shutdown,
    /// The controller task ended, though nobody stopped it.
    ControllerEnded(Result<(), JoinError>),
}

/// The controller task while this replica leads; aborted when dropped (also when `run` is).
struct Running {
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Running {
    /// Asks the controller to stop gracefully, aborts it at `deadline`, and returns once it
    /// has ended.
    async fn stop(mut self, deadline: Instant) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let ended = tokio::time::timeout_at(deadline.into(), &mut self.task).await;
        if ended.is_err() {
            tracing::warn!("reconciles still running at the stop deadline: aborting them");
            self.task.abort();
            let _ = (&mut self.task).await;
        }
    }
}

impl Operator {
    /// A replica that talks to the API as `client`.
    pub fn new(client: kube::Client, config: OperatorConfig) -> Self {
        let metrics = Arc::new(Metrics::new(&config.backoff));
        let health = Arc::new(Health::new(config.lease.lease_duration * 2));
        Operator {
            client,
            config,
            metrics,
            health,
            leading: watch::Sender::new(false),
            reconciler: controller::default_reconciler(),
        }
    }

    /// The same replica reconciling with `reconciler` instead of [`controller::reconcile`]
    /// (which a wrapper may still call).
    pub fn with_reconciler(mut self, reconciler: Reconciler) -> Self {
        self.reconciler = reconciler;
        self
    }

    /// This replica's metrics.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// This replica's liveness and readiness.
    pub fn health(&self) -> Arc<Health> {
        self.health.clone()
    }

    /// Whether this replica leads (and so reconciles), as it changes.
    pub fn leadership(&self) -> watch::Receiver<bool> {
        self.leading.subscribe()
    }

    /// Campaigns for the Lease and runs the controller while holding it; steps down when the
    /// Lease is lost or cannot be renewed within the renew deadline (see the module docs).
    /// Returns `Ok` after `shutdown` completed, having stopped the controller and then released
    /// the Lease; returns an [`Error`] when the controller ended on its own. Dropping this future
    /// instead is a crash: the Lease stays until it expires.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        let lease = self.config.lease.clone();
        let leases = Api::namespaced(self.client.clone(), &self.config.namespace);
        let mut elector = LeaseElector::new(leases, lease.clone());
        let ctx = self.context();
        let mut running: Option<Running> = None;
        let mut renewed = Instant::now();
        tokio::pin!(shutdown);
        loop {
            let started = Instant::now();
            // While leading, no call may outlast the renew deadline; a candidate is bounded too.
            let budget = match running {
                Some(_) => (renewed + lease.renew_deadline()).saturating_duration_since(started),
                None => lease.renew_deadline(),
            };
            let round = round(&mut elector, budget).await;
            self.health.round_done(round != Round::Unknown);
            if round == Round::Held {
                renewed = started;
            }
            let expired = renewed.elapsed() >= lease.renew_deadline();
            running = match running.take() {
                None if round == Round::Held => {
                    tracing::info!(identity = %lease.identity, "leading: starting the controller");
                    self.set_leading(true);
                    Some(self.start(&ctx))
                }
                Some(controller) if round == Round::Lost || expired => {
                    tracing::warn!(identity = %lease.identity, ?round, "stepping down");
                    controller.stop(renewed + lease.stop_deadline()).await;
                    self.set_leading(false);
                    None
                }
                unchanged => unchanged,
            };
            let mut wake = Instant::now() + lease.retry_period;
            if running.is_some() {
                wake = wake.min(renewed + lease.renew_deadline());
            }
            let woke = {
                let ended = async {
                    match running.as_mut() {
                        Some(controller) => (&mut controller.task).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = &mut shutdown => Woke::Shutdown,
                    ended = ended => Woke::ControllerEnded(ended),
                    () = tokio::time::sleep_until(wake.into()) => Woke::Retry,
                }
            };
            match woke {
                Woke::Retry => {}
                Woke::Shutdown => break,
                Woke::ControllerEnded(ended) => {
                    self.set_leading(false);
                    let error = controller_error(ended);
                    tracing::error!(%error, "the controller ended: releasing the Lease and exiting");
                    // The first error is the one to report; a failed release only delays the
                    // next leader until the Lease expires.
                    let _ = release(&mut elector, lease.renew_deadline()).await;
                    return Err(error);
                }
            }
        }
        if let Some(controller) = running.take() {
            tracing::info!("shutting down: stopping the controller, then releasing the Lease");
            controller.stop(renewed + lease.stop_deadline()).await;
            self.set_leading(false);
            release(&mut elector, lease.renew_deadline()).await?;
        }
        Ok(())
    }

    fn context(&self) -> Arc<Context> {
        let reporter = Reporter {
            controller: CONTROLLER_NAME.into(),
            instance: Some(self.config.lease.identity.clone()),
        };
        let client = VitiClient::new(self.client.clone()).with_field_manager(CONTROLLER_NAME);
        Arc::new(Context::new(
            client,
            reporter,
            self.config.backoff,
            self.metrics.clone(),
        ))
    }

    fn start(&self, ctx: &Arc<Context>) -> Running {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = controller::run(
            ctx.clone(),
            self.config.namespace.clone(),
            self.config.watcher.clone(),
            self.reconciler.clone(),
            async move {
                let _ = stopped.await;
            },
        );
        Running {
            stop: Some(stop),
            task: tokio::spawn(task),
        }
    }

    fn set_leading(&self, leading: bool) {
        self.metrics.set_leader(leading);
        self.leading.send_replace(leading);
    }
}

/// One election round, given up after `budget`.
async fn round(elector: &mut LeaseElector, budget: Duration) -> Round {
    match tokio::time::timeout(budget, elector.try_acquire_or_renew()).await {
        Ok(Ok(true)) => Round::Held,
        Ok(Ok(false)) => Round::Lost,
        Ok(Err(error)) => {
            tracing::warn!(%error, "the Lease could not be read or written");
            Round::Unknown
        }
        Err(_) => {
            tracing::warn!(?budget, "the Lease call timed out");
            Round::Unknown
        }
    }
}

/// Releases the Lease, given up after `budget`.
async fn release(elector: &mut LeaseElector, budget: Duration) -> Result<(), Error> {
    let released = tokio::time::timeout(budget, elector.release()).await;
    let error = match released {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(error)) => error.to_string(),
        Err(_) => format!("no answer within {budget:?}"),
    };
    tracing::warn!(%error, "the Lease was not released: the next leader waits for it to expire");
    Err(Error::Release(error))
}

fn controller_error(ended: Result<(), JoinError>) -> Error {
    match ended {
        Ok(()) => Error::ControllerEnded,
        Err(error) if error.is_panic() => {
            let panic = error.into_panic();
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            Error::ControllerPanicked(message)
        }
        // Only `Running`'s drop aborts the task, and then nobody awaits it.
        Err(_) => Error::ControllerEnded,
    }
}
