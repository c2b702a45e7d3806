//! Chapter 2 on smol, async-std's successor. smol has no oneshot either:
//! `futures`' oneshot serves, as on async-std.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use futures::channel::oneshot::{self, Canceled};
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

/// Asks a worker that gives up: it drops the sender.
pub fn ask_worker_who_gives_up(after: Duration) -> oneshot::Receiver<u64> {
    let (sender, receiver) = oneshot::channel::<u64>();
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
        // `or` polls its first future first: the answer wins a tie.
        let next = smol::future::or(async { Some(answer.as_mut().await) }, async {
            smol::Timer::after(tick).await;
            None
        });
        match next.await {
            Some(answer) => break answer,
            None => {
                ticks += 1;
                info!("tick {ticks}");
            }
        }
    };
    let waited = Waited { answer, ticks };
    waited.report();
    waited
}

/// The scene on smol.
pub fn run(work: Duration, tick: Duration) -> Waited<Canceled> {
    smol::block_on(wait_for_answer(ask_worker(work), tick))
}
// ANCHOR_END: wait

/// The second scene: the worker gives up after `after`.
pub fn run_gives_up(after: Duration, tick: Duration) -> Waited<Canceled> {
    smol::block_on(wait_for_answer(ask_worker_who_gives_up(after), tick))
}
