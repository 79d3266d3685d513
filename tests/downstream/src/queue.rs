//! The depth of the controller's work queue, mirrored. kube-runtime's scheduler keeps its queue
//! private (kube-runtime 5 exposes no length), so the controller records every request it hands
//! the scheduler and every reconcile that starts, and [`Queue`] follows the scheduler's rules:
//!
//! * one entry per object: a request for an object already queued keeps the earlier of the two
//!   times (the scheduler deduplicates by object reference the same way);
//! * a request for an object whose reconcile is running stays queued until that reconcile ends
//!   and the next one starts (the scheduler holds it back the same way);
//! * an entry leaves when a reconcile of its object starts, or when the scheduler drops the
//!   request because the object is gone from the cache;
//! * the queue empties when the controller ends (its scheduler ends with it).
//!
//! The depth is the number of entries due now: Machines that wait for a reconcile (for a free
//! slot, for their running reconcile to end, or for the cache to be ready), not the ones requeued for later. So
//! it is what `workqueue_depth` is to a controller-runtime operator. Memory is one entry per
//! Machine the scheduler holds.

use kube::runtime::reflector::ObjectRef;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use vitistack_types::kinds::Machine;

/// The Machines the scheduler holds, each with the earliest time it is due.
#[derive(Debug, Default)]
pub struct Queue {
    due: Mutex<HashMap<ObjectRef<Machine>, Instant>>,
}

impl Queue {
    /// Records a request to reconcile `machine` at `at` (now, for a watch event).
    pub fn schedule(&self, machine: ObjectRef<Machine>, at: Instant) {
        self.lock()
            .entry(machine)
            .and_modify(|due| *due = (*due).min(at))
            .or_insert(at);
    }

    /// Records that a reconcile of `machine` started: the scheduler handed its request over.
    pub fn started(&self, machine: &ObjectRef<Machine>) {
        self.lock().remove(machine);
    }

    /// Records that the scheduler dropped the request for the Machine `name` in `namespace`
    /// because the Machine is no longer in the cache (it was deleted meanwhile).
    pub fn dropped(&self, name: &str, namespace: Option<&str>) {
        self.lock()
            .retain(|machine, _| machine.name != name || machine.namespace.as_deref() != namespace);
    }

    /// Forgets every request: the controller (and its scheduler) ended.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The Machines due for a reconcile at `now` that have not started.
    pub fn depth(&self, now: Instant) -> usize {
        self.lock().values().filter(|due| **due <= now).count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ObjectRef<Machine>, Instant>> {
        // Every update is a single map operation: a panic elsewhere cannot leave it half done.
        self.due
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn machine(name: &str, namespace: &str) -> ObjectRef<Machine> {
        ObjectRef::new(name).within(namespace)
    }

    #[test]
    fn one_entry_per_machine_due_at_its_earliest_request() {
        let queue = Queue::default();
        let now = Instant::now();
        let later = now + Duration::from_secs(300);
        queue.schedule(machine("m1", "ns"), later);
        assert_eq!(
            queue.depth(now),
            0,
            "a requeue for later is not waiting yet"
        );
        queue.schedule(machine("m1", "ns"), now);
        queue.schedule(machine("m1", "ns"), later);
        assert_eq!(queue.depth(now), 1, "the watch event made it due now, once");
        queue.schedule(machine("m2", "ns"), later);
        assert_eq!(queue.depth(later), 2, "the requeue is due at its time");
    }

    #[test]
    fn a_start_or_a_dropped_request_takes_the_machine_out() {
        let queue = Queue::default();
        let now = Instant::now();
        queue.schedule(machine("m1", "ns"), now);
        queue.schedule(machine("m1", "other"), now);
        queue.schedule(machine("m2", "ns"), now);
        queue.started(&machine("m2", "ns"));
        assert_eq!(queue.depth(now), 2);
        queue.dropped("m1", Some("ns"));
        assert_eq!(queue.depth(now), 1, "only m1 of ns was dropped");
        queue.clear();
        assert_eq!(queue.depth(now), 0);
    }
}
