//! What every chapter's tests need and no runtime provides: a count of the
//! destructors that ran, and waits that give up, so that a bug that hangs
//! fails its test instead of hanging the suite.
//!
//! ```
//! use std::time::Duration;
//! use timeline::testing::{DropCount, finishes_within};
//!
//! let drops = DropCount::default();
//! let guard = drops.guard();
//! assert_eq!(drops.get(), 0);
//! drop(guard);
//! assert_eq!(drops.get(), 1);
//!
//! let answer = finishes_within(Duration::from_secs(10), || 6 * 7);
//! assert_eq!(answer, Some(42));
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How long [`within`] waits: far past anything that works on a loaded
/// machine, so only a hang reaches it.
pub const GENEROUS: Duration = Duration::from_secs(30);

/// Counts the [`Guard`]s it hands out that have been dropped: give a task a
/// guard, and the count says whether its destructors ran.
#[derive(Debug, Default, Clone)]
pub struct DropCount(Arc<AtomicUsize>);

impl DropCount {
    /// A guard whose drop this count sees.
    pub fn guard(&self) -> Guard {
        Guard(Arc::clone(&self.0))
    }

    /// How many guards have been dropped so far.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Adds one to its [`DropCount`] when dropped.
#[derive(Debug)]
pub struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Runs `work` on a thread of its own and returns its result, or `None` if
/// it has not finished within `limit` (the thread is then left behind).
/// Choose a generous limit: only a hang should exceed it.
pub fn finishes_within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver.recv_timeout(limit).ok()
}

/// Runs `work` on a thread of its own and returns its result; panics if it
/// has not finished within [`GENEROUS`]. A panic in `work` (a failed
/// assertion, say) goes on here, with its message. Whatever `work` makes, an
/// executor say, is made on that thread, so it need not be `Send`.
///
/// # Panics
///
/// If `work` hangs or panics.
pub fn within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let worker = std::thread::spawn(work);
    let (sender, receiver) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = sender.send(worker.join());
    });
    match receiver.recv_timeout(GENEROUS) {
        Ok(Ok(value)) => {
            let _ = waiter.join();
            value
        }
        Ok(Err(payload)) => std::panic::resume_unwind(payload),
        Err(_) => panic!("still running after {GENEROUS:?}: a hang"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_sees_each_guard_dropped_once() {
        let drops = DropCount::default();
        let guards: Vec<_> = (0..3).map(|_| drops.guard()).collect();
        let shared = drops.clone();
        drop(guards);
        assert_eq!(shared.get(), 3);
    }

    #[test]
    fn work_that_hangs_gives_none_not_a_hang() {
        let (_keep, hang) = mpsc::channel::<()>();
        let result = finishes_within(Duration::from_millis(20), move || hang.recv());
        assert!(result.is_none());
    }

    #[test]
    fn within_gives_the_result_and_passes_a_panic_on() {
        assert_eq!(within(|| 2 + 2), 4);
        let panicked = std::panic::catch_unwind(|| within(|| panic!("boom")));
        let payload = panicked.expect_err("the panic comes through");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
    }
}
