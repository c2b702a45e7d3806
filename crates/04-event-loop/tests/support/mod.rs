//! Helpers shared by the test files.
#![allow(dead_code)] // each test file uses some of them

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::task::{Context, Poll};
use std::time::Duration;

use event_loop::hand::EventLoop;

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

// ANCHOR: virtual_loop
/// A loop on virtual time: its clock moves only when every task waits.
pub fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}
// ANCHOR_END: virtual_loop

/// Ready at once with 7; its destructor panics. Hand-written: an `async`
/// block would drop its locals inside its last poll, and that panic would
/// be one in `poll`.
pub struct ReadyThenPanicsInDrop;

impl Future for ReadyThenPanicsInDrop {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
        Poll::Ready(7)
    }
}

impl Drop for ReadyThenPanicsInDrop {
    fn drop(&mut self) {
        panic!("dropped after ready");
    }
}
