//! Chapter 2 on async-std. Its maintainers have discontinued it and point to
//! smol. async-std has no oneshot: the `futures` crate's serves, and works on
//! any runtime. async-std's own channel shows the "sender dropped" case.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures::channel::oneshot::{self, Canceled};
use futures::future::{self, Either};
use tracing::info;

use crate::{Waited, worker};

// ANCHOR: ask
/// Asks a worker thread for the answer, through `futures`' oneshot.
pub fn ask_worker(work: Duration) -> oneshot::Receiver<u64> {
    let (sender, receiver) = oneshot::channel();
    worker::spawn(work, move |answer| {
        let _ = sender.send(answer);
    });
    receiver
}

/// Asks a worker that gives up, through async-std's channel with room for one
/// message: when its only sender is dropped, the channel is closed.
pub fn ask_worker_who_gives_up(after: Duration) -> async_std::channel::Receiver<u64> {
    let (sender, receiver) = async_std::channel::bounded(1);
    worker::spawn_quitter(after, sender);
    receiver
}
// ANCHOR_END: ask

// ANCHOR: wait
/// Waits for the answer, ticking every `tick` meanwhile, and says what came.
pub async fn wait_for_answer<E: std::fmt::Display>(
    answer: impl Future<Output = Result<u64, E>>,
    tick: Duration,
) -> Waited<E> {
    let mut answer = pin!(answer);
    let mut ticks = 0;
    let answer = loop {
        let next_tick = pin!(async_std::task::sleep(tick));
        // `select` polls its first future first: the answer wins a tie.
        match future::select(answer.as_mut(), next_tick).await {
            Either::Left((answer, _)) => break answer,
            Either::Right(((), _)) => {
                ticks += 1;
                info!("tick {ticks}");
            }
        }
    };
    let waited = Waited { answer, ticks };
    waited.report();
    waited
}

/// The scene on async-std.
pub fn run(work: Duration, tick: Duration) -> Waited<Canceled> {
    async_std::task::block_on(wait_for_answer(ask_worker(work), tick))
}
// ANCHOR_END: wait

// ANCHOR: gives_up
/// The second scene: the worker gives up after `after`. `recv` is a future
/// that resolves to the next message, or to an error once the channel is
/// closed and empty.
pub fn run_gives_up(
    after: Duration,
    tick: Duration,
) -> Waited<async_std::channel::RecvError> {
    let answers = ask_worker_who_gives_up(after);
    async_std::task::block_on(wait_for_answer(answers.recv(), tick))
}
// ANCHOR_END: gives_up
