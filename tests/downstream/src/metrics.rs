//! The operator's Prometheus metrics (served at `/metrics` by [`crate::health`]), with the
//! `prometheus-client` crate: reconciles, failed reconciles, reconcile duration, reconciles in
//! flight, the depth of the work queue, requeue delays after failures, and whether this replica
//! leads. Every family has a fixed set of series (no per-object labels), so memory stays bounded
//! however many Machines come and go.
//!
//! `queue_depth` is the number of Machines that are due for a reconcile and have not started
//! one: triggered by a watch event of the Machine, by a change of its MachineProvider, or by a
//! requeue whose time has come. kube-runtime keeps its scheduler's queue private, so the
//! controller mirrors it in a [`Queue`] (see [`crate::queue`] for the rules), and the gauge is
//! computed from it whenever the metrics are encoded.

use crate::backoff::Backoff;
use crate::queue::Queue;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::{Duration, Instant};

/// The prefix of every metric name.
pub const PREFIX: &str = "vitistack_downstream";

/// The metric families of one replica, registered in their own [`Registry`].
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    reconciles: Counter,
    failures: Counter,
    duration: Histogram,
    in_flight: Gauge,
    queue: Queue,
    queue_depth: Gauge,
    requeue_delay: Histogram,
    leader: Gauge,
}

impl Metrics {
    /// Fresh metrics; the requeue-delay buckets are the delays `backoff` produces, so that each
    /// step of the backoff lands in a bucket of its own.
    pub fn new(backoff: &Backoff) -> Self {
        let mut registry = Registry::with_prefix(PREFIX);
        let reconciles = Counter::default();
        registry.register(
            "reconciles",
            "Reconciles run (successful or not)",
            reconciles.clone(),
        );
        let failures = Counter::default();
        registry.register(
            "reconcile_errors",
            "Reconciles that returned an error (each is requeued with backoff)",
            failures.clone(),
        );
        let duration = Histogram::new(exponential_buckets(0.005, 2.0, 14));
        registry.register(
            "reconcile_duration_seconds",
            "How long one reconcile took",
            duration.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "reconciles_in_flight",
            "Reconciles running now",
            in_flight.clone(),
        );
        let queue_depth = Gauge::default();
        registry.register(
            "queue_depth",
            "Machines due for a reconcile that has not started: triggered by a watch event of \
             the Machine or of its MachineProvider, or by a requeue whose time has come",
            queue_depth.clone(),
        );
        let requeue_delay = Histogram::new(backoff_buckets(backoff));
        registry.register(
            "requeue_delay_seconds",
            "The delay a failed reconcile was requeued with",
            requeue_delay.clone(),
        );
        let leader = Gauge::default();
        registry.register(
            "leader",
            "1 while this replica holds the Lease and reconciles, else 0",
            leader.clone(),
        );
        Metrics {
            registry,
            reconciles,
            failures,
            duration,
            in_flight,
            queue: Queue::default(),
            queue_depth,
            requeue_delay,
            leader,
        }
    }

    /// Marks the start of a reconcile; the returned guard records its end (also when the
    /// reconcile is cancelled).
    pub fn reconcile_started(&self) -> ReconcileTimer<'_> {
        self.reconciles.inc();
        self.in_flight.inc();
        ReconcileTimer {
            metrics: self,
            started: Instant::now(),
        }
    }

    /// Records a failed reconcile requeued after `delay`.
    pub fn requeued_after_failure(&self, delay: Duration) {
        self.failures.inc();
        self.requeue_delay.observe(delay.as_secs_f64());
    }

    /// Records whether this replica leads.
    pub fn set_leader(&self, leading: bool) {
        self.leader.set(i64::from(leading));
    }

    /// The controller's work queue, mirrored: the controller records its requests here, and
    /// `queue_depth` is computed from it.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// Reconciles run so far.
    pub fn reconciles(&self) -> u64 {
        self.reconciles.get()
    }

    /// The metrics in the Prometheus text format (what `/metrics` serves).
    pub fn encode(&self) -> String {
        let depth = self.queue.depth(Instant::now());
        self.queue_depth
            .set(i64::try_from(depth).unwrap_or(i64::MAX));
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

/// The end of a reconcile, recorded on drop.
pub struct ReconcileTimer<'a> {
    metrics: &'a Metrics,
    started: Instant,
}

impl Drop for ReconcileTimer<'_> {
    fn drop(&mut self) {
        self.metrics.in_flight.dec();
        self.metrics
            .duration
            .observe(self.started.elapsed().as_secs_f64());
    }
}

/// The distinct delays of `backoff`, in seconds, ascending.
fn backoff_buckets(backoff: &Backoff) -> Vec<f64> {
    let mut buckets: Vec<f64> = (1..=32)
        .map(|failures| backoff.delay(failures).as_secs_f64())
        .collect();
    buckets.dedup();
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requeue_buckets_are_the_backoff_steps() {
        let backoff = Backoff {
            first: Duration::from_millis(200),
            max: Duration::from_secs(2),
        };
        assert_eq!(backoff_buckets(&backoff), [0.2, 0.4, 0.8, 1.6, 2.0]);
    }

    #[test]
    fn the_text_format_names_every_family() {
        let metrics = Metrics::new(&Backoff {
            first: Duration::from_secs(1),
            max: Duration::from_secs(4),
        });
        drop(metrics.reconcile_started());
        metrics.set_leader(true);
        let waiting = kube::runtime::reflector::ObjectRef::new("m1").within("ns");
        metrics.queue().schedule(waiting, Instant::now());
        let text = metrics.encode();
        for line in [
            "vitistack_downstream_reconciles_total 1",
            "vitistack_downstream_reconcile_errors_total 0",
            "vitistack_downstream_reconciles_in_flight 0",
            "vitistack_downstream_queue_depth 1",
            "vitistack_downstream_reconcile_duration_seconds_count 1",
            "vitistack_downstream_leader 1",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
        }
    }
}
