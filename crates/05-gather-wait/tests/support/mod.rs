//! Helpers shared by the test files.
#![allow(dead_code)] // each test file uses some of them

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
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

/// A counter that futures bump, shared across threads.
#[derive(Debug, Default, Clone)]
pub struct Count(Arc<AtomicUsize>);

impl Count {
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs `work` on a thread of its own and returns its result, or panics if
/// it has not finished within a generous limit: a bug that hangs fails the
/// test instead of hanging the suite.
pub fn within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("finished within 30 s (or panicked: see its message above)")
}

/// A loop on virtual time: its clock moves only when every task waits.
pub fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

/// Returns `Pending` `n` times (waking itself each time), then `Ready`:
/// work that takes `n` turns on any runtime.
pub async fn turns(n: usize) {
    for _ in 0..n {
        futures_lite::future::yield_now().await;
    }
}

/// Runs `future` on our loop, on a current-thread tokio runtime and under
/// `smol::block_on`, and returns the three outputs: for the combinators
/// that need no runtime.
pub fn on_every_runtime<F, Fut>(make: F) -> [Fut::Output; 3]
where
    F: Fn() -> Fut,
    Fut: std::future::Future,
{
    let ours = EventLoop::new().block_on(make());
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(make());
    let smol = smol::block_on(make());
    [ours, tokio, smol]
}
