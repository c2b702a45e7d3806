//! Helpers shared by the test files.
#![allow(dead_code)] // each test file uses some of them

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use event_loop::hand::EventLoop;

#[allow(unused_imports)] // each test file uses some of them
pub use timeline::testing::{DropCount, Guard, within};

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
