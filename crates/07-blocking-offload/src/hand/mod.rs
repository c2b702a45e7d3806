//! Chapter 7 built by hand: a thread pool and `spawn_blocking` on chapter 4's
//! loop.
//!
//! - [`pool`]: the [`ThreadPool`]: grows to a cap, parks idle threads, lets
//!   them go after a keep-alive, shuts down.
//! - [`spawn_blocking`](mod@spawn_blocking): the job's future
//!   ([`BlockingHandle`]) on chapter 2's promise, the panic carried back in
//!   [`JobError`], the clock hold, and asyncio's shapes: [`to_thread`] and
//!   [`run_in_executor`].

pub mod pool;
pub mod spawn_blocking;

pub use pool::{
    Builder, ShutDown, Stopped, TOKIO_KEEP_ALIVE, TOKIO_MAX_BLOCKING_THREADS,
    ThreadPool,
};
pub use spawn_blocking::{
    BlockingHandle, JobError, default_pool, run_in_executor, spawn_blocking,
};

use std::time::{Duration, Instant};

use event_loop::hand::{EventLoop, now, sleep, sleep_until, spawn};
use tracing::info;

use crate::{BLOCK, Blocking, TICK, TICKS, Ticks, blocking_call};

// ANCHOR: to_thread
/// asyncio's `asyncio.to_thread(func)`: [`spawn_blocking`] under its asyncio
/// name (asyncio's copies the context variables too; Rust has none to copy).
pub fn to_thread<F, T>(job: F) -> BlockingHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    spawn_blocking(job)
}
// ANCHOR_END: to_thread

// ANCHOR: ticker
/// Ticks `ticks` times, one `tick` apart from `start`, and notes how late
/// each tick fired.
pub async fn ticker(start: Instant, tick: Duration, ticks: u32) -> Vec<Duration> {
    let mut late = Vec::new();
    for n in 1..=ticks {
        let due = start + tick * n;
        sleep_until(due).await;
        // The loop's clock: the real one, or a virtual one in tests.
        let lateness = now().saturating_duration_since(due);
        info!("tick {n}: {} ms late", lateness.as_millis());
        late.push(lateness);
    }
    late
}
// ANCHOR_END: ticker

// ANCHOR: blocker
/// Waits half a tick, then makes the blocking call, inline or offloaded.
pub async fn blocker(blocking: Blocking, block: Duration) {
    sleep(TICK / 2).await;
    info!(
        "blocker: the blocking call starts ({})",
        blocking.describe()
    );
    match blocking {
        Blocking::Inline => blocking_call(block), // the bug
        Blocking::Offloaded => spawn_blocking(move || blocking_call(block))
            .await
            .expect("a sleep does not panic"), // the fix
    }
    info!("blocker: the blocking call is over");
}
// ANCHOR_END: blocker

// ANCHOR: scene
/// The scene on our loop: the ticker beside the blocker; how late each tick
/// fired.
pub fn run(blocking: Blocking) -> Ticks {
    let event_loop = EventLoop::new();
    let late = event_loop.run_until_complete(async move {
        let start = now();
        let ticker = spawn(ticker(start, TICK, TICKS));
        let blocker = spawn(blocker(blocking, BLOCK));
        blocker.await.expect("the blocker does not panic");
        ticker.await.expect("the ticker does not panic")
    });
    Ticks { blocking, late }
}
// ANCHOR_END: scene
