//! The chapter's picture, drawn from a recorded run (see `timeline::svg`):
//! the promise completed from a worker thread.
//!
//! The test draws the picture and compares it with the file the book shows,
//! `book/src/pictures/promise-from-a-thread.svg`; any difference fails it, so
//! the picture cannot drift from the code. After a change that is meant,
//! redraw it with `UPDATE_PICTURES=1 cargo test -p future-objects --test
//! pictures` and commit the file.
//!
//! The run uses real threads, so the picture's axis is the order of events,
//! never their times. The worker waits until the task has polled once and
//! returned `Pending`, so that the order is the same on every run (the
//! demo's worker computes for a second instead, which on a loaded machine
//! could, in principle, finish before the first poll).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Poll};
use std::thread;
use std::time::Instant;

use future_objects::hand::{Promise, block_on, promise};
use future_objects::{ANSWER, Waited};
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::{Event, Recording};
use tracing::info;

/// Where the book takes its pictures from.
fn picture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

/// The promise, telling the worker when it has returned `Pending` once.
struct TellWhenPending {
    promise: Promise<u64, String>,
    pending: Option<mpsc::Sender<()>>,
}

impl Future for TellWhenPending {
    type Output = <Promise<u64, String> as Future>::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let poll = Pin::new(&mut self.promise).poll(cx);
        if poll.is_pending() {
            if let Some(pending) = self.pending.take() {
                let _ = pending.send(());
            }
        }
        poll
    }
}

const TASK: &str = "task (main thread)";
const WORKER: &str = "worker thread";

/// What each recorded event means in the picture.
fn step(event: &Event) -> Option<Step> {
    let mut lane = if event.thread == "worker" {
        WORKER
    } else {
        TASK
    };
    let (mark, label) = match event.message.as_str() {
        "block_on: polling" => (Mark::Poll, "block_on polls the task"),
        "promise: not settled yet, pending" => {
            (Mark::Pending, "promise: not settled yet, so Pending")
        }
        "block_on: pending, parking the thread" => {
            (Mark::Sleep, "block_on parks the thread until a wake")
        }
        "completer: waking the waiting task" => {
            // Drawn in the lane it wakes, with an arrow from the worker's.
            lane = TASK;
            let from = WORKER.into();
            (Mark::Wake { from }, "the completer wakes the task: unpark")
        }
        "promise: settled, ready" => (Mark::Ready, "promise: settled, so Ready"),
        _ if event.level == tracing::Level::INFO => (Mark::Print, event.text.as_str()),
        _ => return None,
    };
    Some(Step::new(lane, mark, label))
}

#[test]
fn promise_completed_from_a_thread() {
    let recording = Recording::start_detailed(Instant::now);
    let (completer, answer) = promise::<u64, String>();
    let (pending, polled) = mpsc::channel();
    // The demo's `worker::spawn`, except that it waits for the first
    // `Pending` where the demo's worker computes for a while.
    info!("asking a worker for the answer");
    let worker = thread::Builder::new()
        .name("worker".into())
        .spawn(move || {
            polled.recv().expect("the task returns Pending once");
            info!("worker: the answer is {ANSWER}");
            let _ = completer.complete(ANSWER);
        })
        .expect("the system can start a thread for the worker");
    let answer = block_on(TellWhenPending {
        promise: answer,
        pending: Some(pending),
    });
    Waited { answer, ticks: 0 }.report();
    worker.join().expect("the worker does not panic");
    let timeline = recording.finish();

    let drawn = Picture::new(
        "A promise completed from a worker thread",
        "Recorded from the hand-rolled promise and block_on. Time runs down, one row \
         per recorded event, numbered on the left: the run uses real threads, so the \
         axis is the order of events, not their times. The task polls once and gets \
         Pending; the worker, on its own thread, completes the promise and wakes the \
         task, whose second poll is Ready.",
        Axis::Order,
    )
    .lane(TASK)
    .lane(WORKER)
    .steps(&timeline, step)
    .render();
    svg::check(&picture("promise-from-a-thread.svg"), &drawn).unwrap();
}
