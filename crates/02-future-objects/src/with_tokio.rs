//! Chapter 2 on tokio: `tokio::sync::oneshot` is the promise pair; its
//! `Sender` is the completer, its `Receiver` the future.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use tokio::sync::oneshot::{self, error::RecvError};
use tracing::info;

use crate::{Waited, worker};

// ANCHOR: ask
/// Asks a worker thread for the answer. `send` takes the sender by value, so
/// it too can send only once; it hands the value back if nobody waits.
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
        tokio::select! {
            // Poll in the order written, the answer first, as our
            // `WhileTicking` does (`select!` starts at random otherwise).
            biased;
            answer = answer.as_mut() => break answer,
            () = tokio::time::sleep(tick) => {
                ticks += 1;
                info!("tick {ticks}");
            }
        }
    };
    let waited = Waited { answer, ticks };
    waited.report();
    waited
}
// ANCHOR_END: wait

// ANCHOR: run
/// The scene on tokio's (multi-threaded) runtime.
#[tokio::main]
pub async fn run(work: Duration, tick: Duration) -> Waited<RecvError> {
    wait_for_answer(ask_worker(work), tick).await
}
// ANCHOR_END: run

/// The second scene: the worker gives up after `after`.
#[tokio::main]
pub async fn run_gives_up(after: Duration, tick: Duration) -> Waited<RecvError> {
    wait_for_answer(ask_worker_who_gives_up(after), tick).await
}
