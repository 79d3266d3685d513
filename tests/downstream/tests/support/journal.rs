//! A record of reconciles: which replica reconciled which Machine, from when to when (by this
//! process's clock, which every replica of a test shares). A [`Journal::reconciler`] wraps the
//! operator's own reconcile and records its interval, also when the reconcile is cancelled.

use kube::runtime::controller::Action;
use kube::ResourceExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vitistack_downstream::controller::{self, Context, Error, Reconciler};
use vitistack_types::kinds::Machine;

/// One reconcile; `end` is `None` while it runs.
#[derive(Clone, Debug)]
pub struct Entry {
    pub replica: &'static str,
    pub machine: String,
    pub start: Instant,
    pub end: Option<Instant>,
}

/// What the reconcile does besides the operator's own.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fault {
    /// Work that takes this long after the real reconcile (a slow reconcile).
    pub work: Duration,
    /// Panics when reconciling the Machine of this name.
    pub panic_on: Option<&'static str>,
}

#[derive(Clone, Debug, Default)]
pub struct Journal(Arc<Mutex<Vec<Entry>>>);

/// Sets the end of its entry when dropped: when the reconcile returned or was cancelled.
struct Open {
    journal: Journal,
    index: usize,
}

impl Drop for Open {
    fn drop(&mut self) {
        let mut entries = self.journal.0.lock().unwrap_or_else(|p| p.into_inner());
        entries[self.index].end = Some(Instant::now());
    }
}

impl Journal {
    /// The operator's reconcile as `replica`, recorded here, with `fault`.
    pub fn reconciler(&self, replica: &'static str, fault: Fault) -> Reconciler {
        let journal = self.clone();
        Arc::new(move |machine: Arc<Machine>, ctx: Arc<Context>| {
            let journal = journal.clone();
            Box::pin(async move {
                let _open = journal.open(replica, machine.name_any());
                if fault.panic_on == Some(machine.name_any().as_str()) {
                    panic!("injected panic reconciling {}", machine.name_any());
                }
                let result: Result<Action, Error> = controller::reconcile(machine, ctx).await;
                tokio::time::sleep(fault.work).await;
                result
            })
        })
    }

    fn open(&self, replica: &'static str, machine: String) -> Open {
        let mut entries = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entries.push(Entry {
            replica,
            machine,
            start: Instant::now(),
            end: None,
        });
        Open {
            journal: self.clone(),
            index: entries.len() - 1,
        }
    }

    pub fn entries(&self) -> Vec<Entry> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The reconciles of `replica`.
    pub fn of(&self, replica: &str) -> Vec<Entry> {
        self.entries()
            .into_iter()
            .filter(|e| e.replica == replica)
            .collect()
    }

    /// How often `replica` reconciled `machine`.
    pub fn count(&self, replica: &str, machine: &str) -> usize {
        self.of(replica)
            .iter()
            .filter(|e| e.machine == machine)
            .count()
    }

    /// Reconciles of `replica` running now.
    pub fn running(&self, replica: &str) -> usize {
        self.of(replica).iter().filter(|e| e.end.is_none()).count()
    }

    /// Panics when a reconcile of `a` and one of `b` ran at the same time (one still running
    /// counts as running until now).
    pub fn assert_no_overlap(&self, a: &str, b: &str) {
        let now = Instant::now();
        let (of_a, of_b) = (self.of(a), self.of(b));
        for x in &of_a {
            for y in &of_b {
                let (x_end, y_end) = (x.end.unwrap_or(now), y.end.unwrap_or(now));
                assert!(
                    x_end <= y.start || y_end <= x.start,
                    "{a} reconciled {} while {b} reconciled {}: {a} ran {:?}..{:?}, {b} ran \
                     {:?}..{:?} (relative to {a}'s start)",
                    x.machine,
                    y.machine,
                    Duration::ZERO,
                    x_end - x.start,
                    y.start.saturating_duration_since(x.start),
                    y_end.saturating_duration_since(x.start),
                );
            }
        }
    }
}
