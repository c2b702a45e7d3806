//! Chapter 7 on async-std (discontinued by its maintainers in favour of
//! smol): `task::spawn_blocking`.
//!
//! async-std's `spawn_blocking` is one line in its source: it spawns a task
//! that awaits `async_global_executor::spawn_blocking`, which is
//! `blocking::unblock`, smol's pool (see [`crate::with_smol`]). Its threads
//! are named `blocking-N`.

use std::time::{Duration, Instant};

use async_std::task;
use tracing::info;

use crate::{BLOCK, Blocking, TICK, TICKS, Ticks, blocking_call};

// ANCHOR: blocker
/// The ticker on async-std's timer.
pub async fn ticker(start: Instant, tick: Duration, ticks: u32) -> Vec<Duration> {
    let mut late = Vec::new();
    for n in 1..=ticks {
        let due = start + tick * n;
        task::sleep(due.saturating_duration_since(Instant::now())).await;
        let lateness = Instant::now().saturating_duration_since(due);
        info!("tick {n}: {} ms late", lateness.as_millis());
        late.push(lateness);
    }
    late
}

/// The blocker: inline, or through `task::spawn_blocking`.
pub async fn blocker(blocking: Blocking, block: Duration) {
    task::sleep(TICK / 2).await;
    info!(
        "blocker: the blocking call starts ({})",
        blocking.describe()
    );
    match blocking {
        Blocking::Inline => blocking_call(block),
        Blocking::Offloaded => task::spawn_blocking(move || blocking_call(block)).await,
    }
    info!("blocker: the blocking call is over");
}
// ANCHOR_END: blocker

/// Both tasks on async-std's global executor (one thread per core): an
/// inline blocking call blocks one of its threads, not all of them.
pub fn run(blocking: Blocking) -> Ticks {
    let late = task::block_on(async move {
        let ticker = task::spawn(ticker(Instant::now(), TICK, TICKS));
        let blocker = task::spawn(blocker(blocking, BLOCK));
        blocker.await;
        ticker.await
    });
    Ticks { blocking, late }
}
