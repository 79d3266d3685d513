//! The operator: the Machine controller, run only while this replica holds the Lease.

use crate::backoff::Backoff;
use crate::controller::{self, Context, Metrics};
use crate::lease::{LeaseConfig, LeaseElector};
use kube::api::Api;
use kube::runtime::events::Reporter;
use kube::runtime::watcher;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;
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

/// One replica of the operator.
pub struct Operator {
    client: kube::Client,
    config: OperatorConfig,
    metrics: Arc<Metrics>,
    leading: watch::Sender<bool>,
}

/// Aborts the controller task when leadership ends, also when `run` itself is dropped.
struct Running(JoinHandle<()>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Operator {
    /// A replica that talks to the API as `client`.
    pub fn new(client: kube::Client, config: OperatorConfig) -> Self {
        Operator {
            client,
            config,
            metrics: Arc::default(),
            leading: watch::Sender::new(false),
        }
    }

    /// What the controller of this replica did.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Whether this replica leads (and so reconciles), as it changes.
    pub fn leadership(&self) -> watch::Receiver<bool> {
        self.leading.subscribe()
    }

    /// Campaigns for the Lease and runs the controller while holding it; steps down when the
    /// Lease is lost or cannot be renewed within the renew deadline. Returns after `shutdown`
    /// completes, having stopped the controller and released the Lease. Dropping this future
    /// instead is a crash: the Lease stays until it expires.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), kube::Error> {
        let namespace = &self.config.namespace;
        let leases = Api::namespaced(self.client.clone(), namespace);
        let mut elector = LeaseElector::new(leases, self.config.lease.clone());
        let reporter = Reporter {
            controller: CONTROLLER_NAME.into(),
            instance: Some(self.config.lease.identity.clone()),
        };
        let client = VitiClient::new(self.client.clone()).with_field_manager(CONTROLLER_NAME);
        let ctx = Arc::new(Context::new(
            client,
            reporter,
            self.config.backoff,
            self.metrics.clone(),
        ));
        let mut running: Option<Running> = None;
        let mut renewed = Instant::now();
        tokio::pin!(shutdown);
        loop {
            let held = elector.try_acquire_or_renew().await;
            let lost = match held {
                Ok(true) => {
                    renewed = Instant::now();
                    false
                }
                Ok(false) => true,
                Err(_) => renewed.elapsed() > self.config.lease.renew_deadline(),
            };
            if held.as_ref().is_ok_and(|h| *h) && running.is_none() {
                let task =
                    controller::run(ctx.clone(), namespace.clone(), self.config.watcher.clone());
                running = Some(Running(tokio::spawn(task)));
                self.leading.send_replace(true);
            } else if lost && running.is_some() {
                running = None; // aborts the controller
                self.leading.send_replace(false);
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(self.config.lease.retry_period) => {}
            }
        }
        if running.take().is_some() {
            self.leading.send_replace(false);
            elector.release().await?;
        }
        Ok(())
    }
}
