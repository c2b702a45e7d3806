//! The chapter's pictures, drawn from recorded runs (see `timeline::svg`):
//! the lost update, and the same tasks under our `Mutex`, on our loop with
//! virtual time, so every run records the same events at the same times.
//!
//! Each test draws its picture and compares it with the file the book shows,
//! under `book/src/pictures/`; any difference fails it. After a change that
//! is meant, redraw them with `UPDATE_PICTURES=1 cargo test -p locks --test
//! pictures` and commit the files.
//!
//! Each task is wrapped in a [`traced`] future, which reports its polls,
//! what they returned and its wakes; the counter reports each read and
//! write. A wake that comes while a task is being polled (a guard dropped at
//! the end of its poll) is drawn from that task's lane; one that comes
//! between polls, from the loop's timers.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use event_loop::hand::{EventLoop, spawn};
use locks::Counter;
use locks::hand::{self, Mutex};
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::trace::traced;
use timeline::{Event, Recording, Timeline};
use tracing::info;

const TASKS: [&str; 3] = ["task 1", "task 2", "task 3"];
const TIMER: &str = "timers";
const MAIN: &str = "main";
const IO: Duration = Duration::from_millis(100);

fn picture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

/// Who is being polled, and whether each task has read (so a `Pending`
/// after the read is the I/O, one before it the lock).
#[derive(Default)]
struct Reading {
    current: Option<&'static str>,
    has_read: [bool; 3],
}

fn lane(name: &str) -> Option<(usize, &'static str)> {
    TASKS
        .iter()
        .position(|t| *t == name)
        .map(|at| (at, TASKS[at]))
}

fn step(event: &Event, reading: &mut Reading) -> Option<Step> {
    if let Some(task) = event.field("task") {
        let (at, name) = lane(&format!("task {task}"))?;
        reading.has_read[at] = event.message.contains("reads");
        return Some(Step::new(name, Mark::Print, &event.message));
    }
    let Some(future) = event.field("future") else {
        let print = event.level == tracing::Level::INFO;
        return print.then(|| Step::new(MAIN, Mark::Print, &event.text));
    };
    let (at, name) = lane(future)?;
    let (mark, label) = match event.message.as_str() {
        "polled" => {
            reading.current = Some(name);
            (Mark::Poll, "polled".to_string())
        }
        "pending" => {
            reading.current = None;
            if reading.has_read[at] {
                (
                    Mark::Sleep,
                    format!("Pending: awaits the I/O ({} ms)", IO.as_millis()),
                )
            } else {
                (
                    Mark::Pending,
                    "Pending: waits in line for the lock".to_string(),
                )
            }
        }
        "ready" => {
            reading.current = None;
            (Mark::Ready, format!("{name} done"))
        }
        "woken" => {
            let by = reading.current.unwrap_or(TIMER);
            let why = if by == TIMER {
                "its timer is due"
            } else {
                "handed the lock"
            };
            let label = format!("woken by {by}: {why}");
            (
                Mark::Wake {
                    from: by.to_string(),
                },
                label,
            )
        }
        _ => return None,
    };
    Some(Step::new(name, mark, &label))
}

fn draw(title: &str, caption: &str, timeline: &Timeline) -> String {
    let mut reading = Reading::default();
    let picture = Picture::new(title, caption, Axis::Time).lane(MAIN);
    let picture = TASKS
        .iter()
        .fold(picture, |picture, task| picture.lane(task));
    picture
        .lane(TIMER)
        .steps(timeline, |event| step(event, &mut reading))
        .render()
}

/// Runs `tasks` on a virtual-time loop, recording from inside it so the
/// recorded times are the loop's.
fn record(scene: impl AsyncFnOnce()) -> Timeline {
    let event_loop = EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller");
    event_loop.block_on(async {
        let recording = Recording::start_detailed(event_loop::hand::now);
        scene().await;
        recording.finish()
    })
}

#[test]
fn three_tasks_lose_two_updates() {
    let counter = Arc::new(Counter::default());
    let timeline = record(async || {
        let handles: Vec<_> = TASKS
            .iter()
            .enumerate()
            .map(|(at, name)| {
                let task = hand::increment(at + 1, Arc::clone(&counter), IO);
                spawn(traced(name, TIMER, task))
            })
            .collect();
        for handle in handles {
            handle.await.expect("no panic");
        }
        info!("the counter is {}: 3 increments, 2 lost", counter.value());
    });
    assert_eq!(counter.value(), 1);
    let drawn = draw(
        "Three tasks update a counter without a lock",
        "Recorded from hand::increment, three tasks on our loop with virtual time \
         (the axis gives its time wherever it moves on). Each task reads the \
         counter, awaits a simulated I/O of 100 ms, and writes back what it read \
         plus one. Every task reads 0 before any task writes, so each writes 1: \
         two of the three updates are lost.",
        &timeline,
    );
    svg::check(&picture_file("ch08-lost-update.svg"), &drawn).unwrap();
}

#[test]
fn under_the_lock_the_three_take_turns() {
    let counter = Arc::new(Mutex::new(Counter::default()));
    let timeline = record(async || {
        let handles: Vec<_> = TASKS
            .iter()
            .enumerate()
            .map(|(at, name)| {
                let task = hand::increment_locked(at + 1, Arc::clone(&counter), IO);
                spawn(traced(name, TIMER, task))
            })
            .collect();
        for handle in handles {
            handle.await.expect("no panic");
        }
        let value = counter.lock().await.value();
        info!("the counter is {value}: none lost");
    });
    assert_eq!(counter.try_lock().expect("free").value(), 3);
    let drawn = draw(
        "The same three tasks under our Mutex",
        "Recorded from hand::increment_locked on our loop with virtual time. Task 1 \
         takes the lock; tasks 2 and 3 wait in line. When task 1 has written, its \
         guard is dropped at the end of its poll and hands the lock to task 2, \
         waking it; task 2 hands it to task 3 in turn. Each reads what the one \
         before wrote: 300 ms in all instead of 100, and no update lost.",
        &timeline,
    );
    svg::check(&picture_file("ch08-under-the-lock.svg"), &drawn).unwrap();
}

fn tokio_now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

/// The same three tasks on tokio's current-thread runtime with a paused
/// clock: tokio's `Mutex` hands the lock over in the same order.
#[tokio::test(start_paused = true)]
async fn under_tokios_lock_the_three_take_turns_too() {
    let recording = Recording::start_detailed(tokio_now);
    let counter = Arc::new(tokio::sync::Mutex::new(Counter::default()));
    let handles: Vec<_> = TASKS
        .iter()
        .enumerate()
        .map(|(at, name)| {
            let task =
                locks::with_tokio::increment_locked(at + 1, Arc::clone(&counter), IO);
            tokio::spawn(traced(name, TIMER, task))
        })
        .collect();
    for handle in handles {
        handle.await.expect("no panic");
    }
    let value = counter.lock().await.value();
    info!("the counter is {value}: none lost");
    let timeline = recording.finish();
    assert_eq!(value, 3);
    let drawn = draw(
        "The same three tasks under tokio's Mutex",
        "Recorded from with_tokio::increment_locked on tokio's current-thread \
         runtime with a paused clock. As under ours: task 1 takes the lock, tasks 2 \
         and 3 wait in line, and each guard dropped at the end of a poll hands the \
         lock to the next in line and wakes it.",
        &timeline,
    );
    svg::check(&picture_file("ch08-under-the-lock-tokio.svg"), &drawn).unwrap();
}
