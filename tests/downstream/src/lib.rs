//! A Machine operator built on vitistack-types, as a user of the published crates writes it:
//! the reference for people who embed vitistack-rs in their own operator.
//!
//! * [`controller`]: the kube-runtime `Controller` (finalizer, status with conflict retry,
//!   Events, requeue with backoff);
//! * [`lease`]: leader election over a `coordination.k8s.io` Lease;
//! * [`operator`]: both together, so that of several replicas only the leader reconciles, with
//!   fencing by timeouts and an exit when the controller dies;
//! * [`metrics`], [`health`], [`telemetry`], [`settings`]: what the binary needs in a cluster
//!   (Prometheus metrics, probes, logs, its namespace), and [`binary`], its main; [`queue`]
//!   mirrors kube-runtime's work queue for the `queue_depth` metric;
//! * [`crd`]: a CRD of the user's own, written with vitistack's derive.

pub mod backoff;
pub mod binary;
pub mod controller;
pub mod crd;
pub mod health;
pub mod lease;
pub mod metrics;
pub mod operator;
pub mod queue;
pub mod settings;
pub mod telemetry;
