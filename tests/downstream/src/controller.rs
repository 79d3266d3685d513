//! The Machine controller: a kube-runtime `Controller` whose reconcile adds a finalizer, checks
//! that the referenced MachineProvider exists, and reports the outcome as `status.phase` plus a
//! `Ready` condition with `observedGeneration`, written through the status subresource by
//! `VitiClient::update_status` (which retries conflicts). Each transition is recorded once as a
//! Kubernetes Event; a reconcile that finds the status already right writes nothing, so a
//! re-list after `410 Gone` (which reconciles every object again) changes nothing. Failures
//! requeue with exponential backoff; on delete the finalizer is removed after cleanup. A change
//! of a MachineProvider enqueues the Machines that refer to it, so a Machine waiting for its
//! provider becomes Ready when the provider appears, not when its backoff runs out.
//!
//! Every request the controller hands kube-runtime's scheduler (a Machine's watch event, the
//! Machines a provider's event maps to, a requeue made with [`Context::requeue`]) and every
//! reconcile start is recorded in the metrics' [`Queue`](crate::queue::Queue), for the
//! `queue_depth` gauge. That is why the controller is built from its own watch stream
//! (`Controller::for_stream`, behind kube-runtime's `unstable-runtime-stream-control` feature)
//! instead of `Controller::new`, which builds the same stream out of reach.

use crate::backoff::Backoff;
use crate::metrics::Metrics;
use futures::{StreamExt, TryStreamExt};
use kube::api::Api;
use kube::runtime::controller::{self as runtime, Action, Controller};
use kube::runtime::events::{Event, EventType, Recorder, Reporter};
use kube::runtime::finalizer::{finalizer, Event as Finalizer};
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::{reflector, watcher, WatchStreamExt};
use kube::{Resource, ResourceExt};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vitistack_types::client::VitiClient;
use vitistack_types::kinds::common::{Condition, ConditionStatus};
use vitistack_types::kinds::machine::MachinePhase;
use vitistack_types::kinds::{Machine, MachineProvider};

/// The finalizer this controller puts on every Machine.
pub const FINALIZER: &str = "example.vitistack.io/cleanup";

/// How long a healthy Machine waits before it is looked at again without any change.
const RESYNC: Duration = Duration::from_secs(300);

/// Why a reconcile failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The MachineProvider the Machine refers to does not exist (yet).
    #[error("MachineProvider {0} not found")]
    ProviderMissing(String),
    /// The object came without a namespace (a Machine always has one).
    #[error("Machine {0} has no namespace")]
    NoNamespace(String),
    /// Reading or writing through `VitiClient` failed.
    #[error(transparent)]
    Client(#[from] vitistack_types::client::Error),
    /// A plain API call failed.
    #[error(transparent)]
    Kube(#[from] kube::Error),
    /// Adding or removing the finalizer failed, or the reconcile inside it did.
    #[error("finalizer: {0}")]
    Finalizer(#[source] Box<kube::runtime::finalizer::Error<Error>>),
}

/// What one reconcile returns.
pub type ReconcileFuture = Pin<Box<dyn Future<Output = Result<Action, Error>> + Send>>;

/// The reconcile function the controller runs: [`reconcile`] by default; an embedder (or a
/// test) may wrap it, e.g. to trace or to inject faults.
pub type Reconciler = Arc<dyn Fn(Arc<Machine>, Arc<Context>) -> ReconcileFuture + Send + Sync>;

/// [`reconcile`] as a [`Reconciler`].
pub fn default_reconciler() -> Reconciler {
    Arc::new(|machine, ctx| Box::pin(reconcile(machine, ctx)))
}

/// What reconcile and error_policy share.
pub struct Context {
    client: VitiClient,
    recorder: Recorder,
    backoff: Backoff,
    failures: Mutex<HashMap<String, u32>>,
    metrics: Arc<Metrics>,
}

impl Context {
    /// A context writing as `client`, recording Events as `reporter`.
    pub fn new(
        client: VitiClient,
        reporter: Reporter,
        backoff: Backoff,
        metrics: Arc<Metrics>,
    ) -> Self {
        let recorder = Recorder::new(client.kube_client().clone(), reporter);
        Context {
            client,
            recorder,
            backoff,
            failures: Mutex::default(),
            metrics,
        }
    }

    /// Asks for another reconcile of `machine` after `after`, counted in the `queue_depth`
    /// gauge from when it is due. A reconcile (or a wrapper of it) should build its requeues
    /// here: kube-runtime's `Action` does not reveal its delay, so a requeue built otherwise
    /// runs all the same but is not counted while it waits.
    pub fn requeue(&self, machine: &Machine, after: Duration) -> Action {
        self.metrics
            .queue()
            .schedule(ObjectRef::from_obj(machine), Instant::now() + after);
        Action::requeue(after)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere never leaves these maps inconsistent; keep going.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn key(machine: &Machine) -> String {
    format!(
        "{}/{}",
        machine.namespace().unwrap_or_default(),
        machine.name_any()
    )
}

/// Runs the controller over the Machines of `namespace` (and the MachineProviders they refer to)
/// until `stop` completes: then kube-runtime's graceful shutdown starts no new reconcile, lets
/// the running ones finish, and this returns. It does not return on its own (a panic in a
/// reconcile propagates out of it).
pub async fn run(
    ctx: Arc<Context>,
    namespace: String,
    config: watcher::Config,
    reconciler: Reconciler,
    stop: impl Future<Output = ()> + Send + Sync + 'static,
) {
    let client = ctx.client.kube_client().clone();
    let machines: Api<Machine> = Api::namespaced(client.clone(), &namespace);
    let providers: Api<MachineProvider> = Api::namespaced(client, &namespace);
    let metrics = ctx.metrics.clone();
    let _forget = ForgetQueue(metrics.clone());
    // What `Controller::new` builds, with each Machine event recorded as a request for now.
    let (reader, writer) = reflector::store();
    let recorded = metrics.clone();
    let machine_events = reflector(writer, watcher(machines, config))
        .applied_objects()
        .inspect_ok(move |machine| {
            recorded
                .queue()
                .schedule(ObjectRef::from_obj(machine), Instant::now())
        });
    let controller = Controller::for_stream(machine_events, reader);
    let store = controller.store();
    let recorded = metrics.clone();
    controller
        .watches(providers, watcher::Config::default(), move |provider| {
            let machines = dependents(&store, &provider);
            let now = Instant::now();
            for machine in &machines {
                recorded.queue().schedule(machine.clone(), now);
            }
            machines
        })
        .graceful_shutdown_on(stop)
        .run(
            move |machine, ctx| {
                // Called as the scheduler hands the request over, before the reconcile runs.
                metrics.queue().started(&ObjectRef::from_obj(&*machine));
                let metrics = metrics.clone();
                let reconcile = reconciler(machine, ctx);
                async move {
                    let _timer = metrics.reconcile_started();
                    reconcile.await
                }
            },
            error_policy,
            ctx.clone(),
        )
        .for_each(|result| {
            match result {
                Ok((machine, _)) => tracing::debug!(%machine, "reconciled"),
                Err(runtime::Error::ObjectNotFound(machine)) => {
                    // Deleted while its request waited: the scheduler dropped the request.
                    ctx.metrics
                        .queue()
                        .dropped(&machine.name, machine.namespace.as_deref());
                    tracing::debug!(%machine, "gone before its reconcile");
                }
                Err(error) => tracing::warn!(error = %error, "reconcile failed"),
            }
            futures::future::ready(())
        })
        .await;
}

/// Empties the mirrored queue when the controller ends, also when its task is aborted: the
/// scheduler it mirrors ends with it.
struct ForgetQueue(Arc<Metrics>);

impl Drop for ForgetQueue {
    fn drop(&mut self) {
        self.0.queue().clear();
    }
}

/// The Machines of the cache that refer to `provider`.
fn dependents(store: &Store<Machine>, provider: &MachineProvider) -> Vec<ObjectRef<Machine>> {
    let provider_namespace = provider.namespace().unwrap_or_default();
    store
        .state()
        .into_iter()
        .filter(|machine| {
            let reference = &machine.spec.provider_ref;
            let namespace = machine.namespace().unwrap_or_default();
            reference.name == provider.name_any()
                && reference.namespace.as_deref().unwrap_or(&namespace) == provider_namespace
        })
        .map(|machine| ObjectRef::from_obj(&*machine))
        .collect()
}

/// One reconcile of one Machine, inside the finalizer's bookkeeping.
pub async fn reconcile(machine: Arc<Machine>, ctx: Arc<Context>) -> Result<Action, Error> {
    let namespace = machine
        .namespace()
        .ok_or_else(|| Error::NoNamespace(machine.name_any()))?;
    let machines: Api<Machine> = Api::namespaced(ctx.client.kube_client().clone(), &namespace);
    finalizer(&machines, FINALIZER, machine, |event| async {
        match event {
            Finalizer::Apply(machine) => apply(&machine, &ctx).await,
            Finalizer::Cleanup(machine) => cleanup(&machine, &ctx).await,
        }
    })
    .await
    .map_err(|e| Error::Finalizer(Box::new(e)))
}

/// Requeues a failed Machine after a delay that doubles with each failure in a row.
pub fn error_policy(machine: Arc<Machine>, error: &Error, ctx: Arc<Context>) -> Action {
    let failures = {
        let mut failures = lock(&ctx.failures);
        let n = failures.entry(key(&machine)).or_default();
        *n += 1;
        *n
    };
    let delay = ctx.backoff.delay(failures);
    ctx.metrics.requeued_after_failure(delay);
    tracing::info!(machine = %key(&machine), %error, failures, ?delay, "requeued after failure");
    ctx.requeue(&machine, delay)
}

async fn apply(machine: &Machine, ctx: &Context) -> Result<Action, Error> {
    let namespace = machine.namespace().unwrap_or_default();
    let provider = &machine.spec.provider_ref;
    let providers: Api<MachineProvider> = Api::namespaced(
        ctx.client.kube_client().clone(),
        provider.namespace.as_deref().unwrap_or(&namespace),
    );
    let found = providers.get_opt(&provider.name).await?.is_some();
    let (phase, status, reason) = if found {
        (
            MachinePhase::Running,
            ConditionStatus::True,
            "ProviderFound",
        )
    } else {
        (
            MachinePhase::Pending,
            ConditionStatus::False,
            "ProviderNotFound",
        )
    };
    let generation = machine.metadata.generation.unwrap_or(0);
    if set_status(machine, ctx, phase, status, reason, generation).await? {
        tracing::info!(machine = %key(machine), generation, reason, "status changed");
        let event = Event {
            type_: if found {
                EventType::Normal
            } else {
                EventType::Warning
            },
            reason: reason.into(),
            note: Some(format!("generation {generation}: Ready={status:?}")),
            action: "Reconcile".into(),
            secondary: None,
        };
        ctx.recorder
            .publish(&event, &machine.object_ref(&()))
            .await?;
    }
    if !found {
        return Err(Error::ProviderMissing(provider.name.clone()));
    }
    lock(&ctx.failures).remove(&key(machine));
    Ok(ctx.requeue(machine, RESYNC))
}

async fn cleanup(machine: &Machine, ctx: &Context) -> Result<Action, Error> {
    let event = Event {
        type_: EventType::Normal,
        reason: "Deleting".into(),
        note: Some("finalizer removed".into()),
        action: "Cleanup".into(),
        secondary: None,
    };
    ctx.recorder
        .publish(&event, &machine.object_ref(&()))
        .await?;
    lock(&ctx.failures).remove(&key(machine));
    Ok(Action::await_change())
}

/// Sets phase and the Ready condition for `generation`; `true` if that was a transition
/// (something changed), `false` if the status already said so (then nothing is written).
async fn set_status(
    machine: &Machine,
    ctx: &Context,
    phase: MachinePhase,
    status: ConditionStatus,
    reason: &str,
    generation: i64,
) -> Result<bool, Error> {
    // The cached object is usually current: skip the write when it already says this.
    if !needs_update(machine, phase, status, generation) {
        return Ok(false);
    }
    let mut changed = false;
    let namespace = machine.namespace().unwrap_or_default();
    ctx.client
        .update_status::<Machine>(&namespace, &machine.name_any(), |fresh| {
            // Runs once per attempt, on a fresh read: decide again.
            changed = needs_update(fresh, phase, status, generation);
            if changed {
                write_ready(fresh, phase, status, reason, generation);
            }
        })
        .await?;
    Ok(changed)
}

fn ready_condition(machine: &Machine) -> Option<&Condition> {
    machine
        .status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.r#type == "Ready")
}

fn needs_update(
    machine: &Machine,
    phase: MachinePhase,
    status: ConditionStatus,
    generation: i64,
) -> bool {
    let phase_now = machine.status.as_ref().and_then(|s| s.phase);
    let ready = ready_condition(machine);
    phase_now != Some(phase)
        || ready.is_none_or(|c| c.status != status || c.observed_generation != Some(generation))
}

fn write_ready(
    machine: &mut Machine,
    phase: MachinePhase,
    status: ConditionStatus,
    reason: &str,
    generation: i64,
) {
    let now = format!("{:.0}", k8s_openapi::jiff::Timestamp::now());
    let machine_status = machine.status.get_or_insert_with(Default::default);
    machine_status.phase = Some(phase);
    let conditions = machine_status.conditions.get_or_insert_with(Vec::new);
    let previous = conditions.iter().position(|c| c.r#type == "Ready");
    // lastTransitionTime moves only when the status flips, as the Condition contract says.
    let transition = match previous.map(|i| &conditions[i]) {
        Some(c) if c.status == status => c.last_transition_time.clone(),
        _ => Some(now),
    };
    let condition = Condition {
        r#type: "Ready".into(),
        status,
        reason: Some(reason.into()),
        message: Some(format!("observed generation {generation}")),
        last_transition_time: transition,
        observed_generation: Some(generation),
    };
    match previous {
        Some(i) => conditions[i] = condition,
        None => conditions.push(condition),
    }
}
