//! Chapter 7 on tokio: `spawn_blocking`, `block_in_place`, and the blocking
//! pool's settings.
//!
//! Every tokio runtime has a blocking pool beside its workers: threads
//! started on demand, up to `max_blocking_threads` (512 by default), each
//! let go after `thread_keep_alive` idle (10 s). `spawn_blocking` hands a
//! closure to it and returns a `JoinHandle`. `block_in_place` instead turns
//! the current worker thread into a blocking one, handing its other tasks to
//! a new worker; there is no other worker to hand them to on a
//! current-thread runtime, so there it panics.

use std::io;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use tokio::time::{Instant, sleep, sleep_until};
use tracing::info;

use crate::{BLOCK, Blocking, TICK, TICKS, Ticks, blocking_call};

// ANCHOR: ticker
/// The ticker on tokio's timer.
pub async fn ticker(start: Instant, tick: Duration, ticks: u32) -> Vec<Duration> {
    let mut late = Vec::new();
    for n in 1..=ticks {
        let due = start + tick * n;
        sleep_until(due).await;
        let lateness = Instant::now().saturating_duration_since(due);
        info!("tick {n}: {} ms late", lateness.as_millis());
        late.push(lateness);
    }
    late
}

/// The blocker: inline, or through `spawn_blocking`.
pub async fn blocker(blocking: Blocking, block: Duration) {
    sleep(TICK / 2).await;
    info!(
        "blocker: the blocking call starts ({})",
        blocking.describe()
    );
    match blocking {
        Blocking::Inline => blocking_call(block),
        Blocking::Offloaded => {
            tokio::task::spawn_blocking(move || blocking_call(block))
                .await
                .expect("a sleep does not panic")
        }
    }
    info!("blocker: the blocking call is over");
}
// ANCHOR_END: ticker

/// Both tasks on `runtime`; how late each tick fired.
pub fn run_on(runtime: &Runtime, blocking: Blocking) -> Ticks {
    let late = runtime.block_on(async move {
        let ticker = tokio::spawn(ticker(Instant::now(), TICK, TICKS));
        let blocker = tokio::spawn(blocker(blocking, BLOCK));
        blocker.await.expect("the blocker does not panic");
        ticker.await.expect("the ticker does not panic")
    });
    Ticks { blocking, late }
}

/// A current-thread runtime, the asyncio model: one thread runs every task.
pub fn current_thread() -> io::Result<Runtime> {
    Builder::new_current_thread().enable_all().build()
}

/// A multi-thread runtime with two workers.
pub fn multi_thread() -> io::Result<Runtime> {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

// ANCHOR: settings
/// A runtime whose blocking pool is set by hand: at most `max` threads, each
/// let go after `keep_alive` idle. tokio names its threads as its workers
/// (`tokio-runtime-worker`) unless told; here they are `name`.
pub fn with_blocking_pool(
    max: usize,
    keep_alive: Duration,
    name: &str,
) -> io::Result<Runtime> {
    Builder::new_current_thread()
        .max_blocking_threads(max)
        .thread_keep_alive(keep_alive)
        .thread_name(name)
        .enable_all()
        .build()
}
// ANCHOR_END: settings

// ANCHOR: block_in_place
/// `block_in_place`: runs `job` right here, on this worker, after moving the
/// worker's other tasks to a new worker thread. Multi-thread runtimes only.
pub async fn in_place(job: impl FnOnce() -> u64) -> u64 {
    tokio::task::block_in_place(job)
}
// ANCHOR_END: block_in_place
