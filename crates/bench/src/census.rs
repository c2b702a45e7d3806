//! A count of sleepers, so memory can be read at the moment they all sleep.
//!
//! Memory per sleeping task is only meaningful while the tasks exist: read it
//! before they start and they cost nothing, read it after and they are gone.
//! So each sleeper reports in just before it sleeps and just after it wakes,
//! and the last one to report in calls a probe (which reads the memory) while
//! every other one is still asleep. Threads report the same way.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts sleepers in and out; calls the probe when the last one goes to
/// sleep. Share it with an `Arc`: sleepers on other threads report too.
pub struct Census {
    total: usize,
    started: AtomicUsize,
    asleep: AtomicUsize,
    asleep_at_probe: AtomicUsize,
    probe: fn(),
}

impl Census {
    /// A census of `total` sleepers with nothing to do when all sleep: what
    /// the benchmarks use.
    pub fn new(total: usize) -> Census {
        Census::with_probe(total, || {})
    }

    /// A census that calls `probe` once, from the last sleeper to report in,
    /// before that sleeper sleeps. A plain `fn`, so it can run on any thread.
    pub fn with_probe(total: usize, probe: fn()) -> Census {
        Census {
            total,
            started: AtomicUsize::new(0),
            asleep: AtomicUsize::new(0),
            asleep_at_probe: AtomicUsize::new(0),
            probe,
        }
    }

    /// A sleeper is about to sleep.
    pub fn falls_asleep(&self) {
        let asleep = self.asleep.fetch_add(1, Ordering::SeqCst) + 1;
        if self.started.fetch_add(1, Ordering::SeqCst) + 1 == self.total {
            self.asleep_at_probe.store(asleep, Ordering::SeqCst);
            (self.probe)();
        }
    }

    /// A sleeper woke.
    pub fn wakes(&self) {
        self.asleep.fetch_sub(1, Ordering::SeqCst);
    }

    /// How many sleepers were asleep when the last one went to sleep (the
    /// moment the probe ran). For tasks it is every one of them; threads are
    /// slower to start, and on a slow machine the first may have woken again
    /// before the last has started.
    pub fn asleep_at_probe(&self) -> usize {
        self.asleep_at_probe.load(Ordering::SeqCst)
    }

    /// How many sleepers have reported in so far.
    pub fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }
}

impl fmt::Debug for Census {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Census")
            .field("total", &self.total)
            .field("started", &self.started())
            .field("asleep", &self.asleep.load(Ordering::SeqCst))
            .field("asleep_at_probe", &self.asleep_at_probe())
            .finish()
    }
}
