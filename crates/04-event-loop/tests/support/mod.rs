//! Helpers shared by the test files.
#![allow(dead_code)] // each test file uses some of them

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Counts the guards it hands out that have been dropped.
#[derive(Debug, Default, Clone)]
pub struct DropCount(Arc<AtomicUsize>);

impl DropCount {
    pub fn guard(&self) -> Guard {
        Guard(Arc::clone(&self.0))
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Adds one to its count when dropped.
#[derive(Debug)]
pub struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Runs `work` on a thread of its own and returns its result, or `None` if it
/// has not finished within `limit`: a bug that hangs fails the test instead
/// of hanging the suite. The limit is generous: only a hang exceeds it.
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
