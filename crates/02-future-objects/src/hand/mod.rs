//! Chapter 2 built by hand, on `std` only, with chapter 1's `block_on` and
//! `sleep`.
//!
//! - [`promise`](mod@promise): the promise pair, a [`Completer`] and a [`Promise`].
//! - [`contract`]: the `Future` contract, and a future that breaks it.
//! - [`wakers`]: a counting waker built twice, from a raw vtable and with
//!   `std::task::Wake`.
//! - [`ticking`]: a future that waits for another and ticks meanwhile.

pub mod contract;
pub mod promise;
pub mod ticking;
pub mod wakers;

pub use coroutines::hand::{Sleep, block_on, sleep};
pub use promise::{Completer, Outcome, Promise, PromiseError, promise};
pub use ticking::{WhileTicking, while_ticking};

use std::time::Duration;

use crate::{Waited, worker};

// ANCHOR: scene
/// Asks a worker thread for the answer; the promise resolves when it is done.
pub fn ask_worker(work: Duration) -> Promise<u64, String> {
    let (completer, promise) = promise();
    worker::spawn(work, move |answer| {
        // `Err` would hand the answer back: nobody waits for it any more.
        let _ = completer.complete(answer);
    });
    promise
}

/// Asks a worker that gives up: it drops the completer.
pub fn ask_worker_who_gives_up(after: Duration) -> Promise<u64, String> {
    let (completer, promise) = promise();
    worker::spawn_quitter(after, completer);
    promise
}

/// Waits for the answer, ticking meanwhile, and says what came.
pub async fn wait_for_answer(
    answer: Promise<u64, String>,
    tick: Duration,
) -> Waited<PromiseError<String>> {
    let (answer, ticks) = while_ticking(answer, tick).await;
    let waited = Waited { answer, ticks };
    waited.report();
    waited
}

/// The scene: a worker computes for `work`; we tick every `tick` meanwhile.
pub fn run(work: Duration, tick: Duration) -> Waited<PromiseError<String>> {
    block_on(wait_for_answer(ask_worker(work), tick))
}
// ANCHOR_END: scene

/// The second scene: the worker gives up after `after`.
pub fn run_gives_up(after: Duration, tick: Duration) -> Waited<PromiseError<String>> {
    block_on(wait_for_answer(ask_worker_who_gives_up(after), tick))
}
