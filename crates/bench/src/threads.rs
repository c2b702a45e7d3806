//! The sleep workload without async: one OS thread per sleeper, for the
//! "why async" comparison.
//!
//! A thread costs far more than a task. Each one gets its own stack (2 MiB
//! of address space by default in Rust, of which only the pages it touches
//! use memory), a kernel structure, and a trip through the kernel to start
//! and to stop; a task is one allocation holding its future. Starting ten
//! thousand threads can take longer than the sleep itself.

use std::io;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::Census;

// ANCHOR: threads
/// `sleepers` threads each sleep for `duration`; then every one is joined.
/// Returns how many finished.
///
/// A machine may refuse to start so many threads (a per-user limit, or
/// memory): then the threads started so far are joined and the error says
/// how far it got.
pub fn sleep_all(
    census: &Arc<Census>,
    sleepers: usize,
    duration: Duration,
) -> io::Result<usize> {
    let (handles, refused) = start(sleepers, || {
        let census = Arc::clone(census);
        move || {
            census.falls_asleep();
            thread::sleep(duration);
            census.wakes();
        }
    });
    let ended = join_all(handles);
    refused.map_or(Ok(ended), Err)
}
// ANCHOR_END: threads

/// As [`sleep_all`], but each thread first waits for every one to have
/// started (and reported to `census`), then all sleep for `duration`
/// together: what the memory of ten
/// thousand threads is measured on. Started one by one, the first threads
/// may end before the last one starts, and there is no moment when all
/// of them exist.
pub fn sleep_all_together(
    census: &Arc<Census>,
    sleepers: usize,
    duration: Duration,
) -> io::Result<usize> {
    let gate = Arc::new(Gate::new(sleepers));
    let (handles, refused) = start(sleepers, || {
        let (census, gate) = (Arc::clone(census), Arc::clone(&gate));
        move || {
            census.falls_asleep();
            gate.pass();
            thread::sleep(duration);
            census.wakes();
        }
    });
    if refused.is_some() {
        // The last thread will never come: let the others go.
        gate.open();
    }
    let ended = join_all(handles);
    refused.map_or(Ok(ended), Err)
}

/// Starts up to `count` threads, each running a job `job` makes. Stops at
/// the first thread the system refuses, and says which it was.
fn start<F>(
    count: usize,
    mut job: impl FnMut() -> F,
) -> (Vec<JoinHandle<()>>, Option<io::Error>)
where
    F: FnOnce() + Send + 'static,
{
    let mut handles = Vec::with_capacity(count);
    for number in 1..=count {
        match thread::Builder::new().spawn(job()) {
            Ok(handle) => handles.push(handle),
            Err(error) => {
                let message =
                    format!("could not start thread {number} of {count}: {error}");
                return (handles, Some(io::Error::new(error.kind(), message)));
            }
        }
    }
    (handles, None)
}

/// A gate that opens when the last of a given number of threads reaches
/// it, or when [`Gate::open`] is called: a barrier that can be lifted.
#[derive(Debug)]
struct Gate {
    expected: usize,
    /// How many threads arrived, and whether the gate is open.
    state: Mutex<(usize, bool)>,
    opened: Condvar,
}

impl Gate {
    fn new(expected: usize) -> Gate {
        Gate {
            expected,
            state: Mutex::new((0, false)),
            opened: Condvar::new(),
        }
    }

    /// Waits until every expected thread has arrived (or the gate opened).
    fn pass(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 += 1;
        if state.0 >= self.expected {
            state.1 = true;
            self.opened.notify_all();
        }
        let _open = self
            .opened
            .wait_while(state, |(_, open)| !*open)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Opens the gate whoever has arrived: for when a thread cannot start.
    fn open(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.opened.notify_all();
    }
}

/// Joins every thread; returns how many ended without a panic.
fn join_all(handles: Vec<JoinHandle<()>>) -> usize {
    handles
        .into_iter()
        .map(JoinHandle::join)
        .filter(Result::is_ok)
        .count()
}
