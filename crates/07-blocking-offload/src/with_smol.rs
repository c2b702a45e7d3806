//! Chapter 7 on smol: `unblock`, from the `blocking` crate.
//!
//! `blocking` keeps one pool per process. Read in its source (1.7): at most
//! 500 threads (`BLOCKING_MAX_THREADS` changes it), named `blocking-N`; a
//! new thread starts when the queue holds more than five jobs per idle
//! thread; an idle thread waits 500 ms at a time, but ends only if the pool
//! has more threads than its limit, so below the limit idle threads stay.

use std::time::{Duration, Instant};

use smol::{LocalExecutor, Timer, unblock};
use tracing::info;

use crate::{BLOCK, Blocking, TICK, TICKS, Ticks, blocking_call};

// ANCHOR: blocker
/// The ticker on smol's timer.
pub async fn ticker(start: Instant, tick: Duration, ticks: u32) -> Vec<Duration> {
    let mut late = Vec::new();
    for n in 1..=ticks {
        let due = start + tick * n;
        Timer::at(due).await;
        let lateness = Instant::now().saturating_duration_since(due);
        info!("tick {n}: {} ms late", lateness.as_millis());
        late.push(lateness);
    }
    late
}

/// The blocker: inline, or through `unblock`.
pub async fn blocker(blocking: Blocking, block: Duration) {
    Timer::after(TICK / 2).await;
    info!(
        "blocker: the blocking call starts ({})",
        blocking.describe()
    );
    match blocking {
        Blocking::Inline => blocking_call(block),
        Blocking::Offloaded => unblock(move || blocking_call(block)).await,
    }
    info!("blocker: the blocking call is over");
}
// ANCHOR_END: blocker

/// Both tasks on a `LocalExecutor` under `block_on`: one thread, as asyncio.
pub fn run(blocking: Blocking) -> Ticks {
    let executor = LocalExecutor::new();
    let late = smol::block_on(executor.run(async {
        let ticker = executor.spawn(ticker(Instant::now(), TICK, TICKS));
        let blocker = executor.spawn(blocker(blocking, BLOCK));
        blocker.await;
        ticker.await
    }));
    Ticks { blocking, late }
}
