//! The chapter's pictures, drawn from recorded runs (see `timeline::svg`): a
//! ticker beside a blocking call made inline, and the same call offloaded.
//!
//! Each test draws its picture and compares it with the file the book shows,
//! under `book/src/pictures/`; any difference fails it. After a change that
//! is meant, redraw them with `UPDATE_PICTURES=1 cargo test -p
//! blocking-offload --test pictures`.
//!
//! Why not virtual time: on a virtual clock a blocking `std::thread::sleep`
//! takes no time at all (the clock moves only when every task waits), so
//! the ticks would come out on time and the picture would lie; and chapter
//! 4's loop has no way for a task to move its clock on by hand. So these
//! runs are on the real clock, and the picture's axis is the order of
//! events, which is the same on every machine: inline, the ticks cannot run
//! before the call returns; offloaded, the job's end is tied to the third
//! tick (it waits at a gate the ticker opens). How late the ticks are, in
//! milliseconds, is measured by `--bin measure` into `results/lateness.md`.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use blocking_offload::hand::spawn_blocking;
use blocking_offload::{BLOCK, TICK, blocking_call};
use event_loop::hand::{EventLoop, now, sleep, sleep_until, spawn};
use support::Gate;
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::{Event, Recording, Timeline};
use tracing::info;

const TICKER: &str = "ticker task";
const BLOCKER: &str = "blocker task";
const POOL: &str = "pool thread";

fn picture_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

/// Three ticks; after the third, `then` runs (it opens the gate, offloaded).
async fn ticker(then: impl FnOnce()) {
    let start = now();
    for n in 1..=3 {
        sleep_until(start + TICK * n).await;
        info!(tick = n, "tick");
    }
    then();
}

/// What each recorded event means in the picture.
fn step(event: &Event) -> Option<Step> {
    let (lane, mark, label) = match event.message.as_str() {
        "tick" => {
            let n = event.field("tick")?;
            let due = n.parse::<u32>().ok()? * 100;
            (TICKER, Mark::Print, format!("tick {n} (due at {due} ms)"))
        }
        "inline: starts" => (
            BLOCKER,
            Mark::Sleep,
            "std::thread::sleep(320 ms) in the task: the loop's thread is held".into(),
        ),
        "inline: returns" => (BLOCKER, Mark::Print, "the call returns".into()),
        "offloaded: handed over" => (
            POOL,
            Mark::Sleep,
            "spawn_blocking: the call runs here; the task waits".into(),
        ),
        "offloaded: job returns" => (POOL, Mark::Print, "the call returns".into()),
        "promise: not settled yet, pending" => (
            BLOCKER,
            Mark::Pending,
            "awaits the handle (chapter 2's promise): Pending".into(),
        ),
        "completer: waking the waiting task" => (
            BLOCKER,
            Mark::Wake { from: POOL.into() },
            "the job settles the promise: the task is woken".into(),
        ),
        "promise: settled, ready" => (
            BLOCKER,
            Mark::Ready,
            "polled again: the result is there".into(),
        ),
        "offloaded: woken" => (BLOCKER, Mark::Print, "the blocker goes on".into()),
        _ => return None,
    };
    Some(Step::new(lane, mark, &label))
}

fn draw(title: &str, caption: &str, timeline: &Timeline, offloaded: bool) -> String {
    let picture = Picture::new(title, caption, Axis::Order)
        .lane(TICKER)
        .lane(BLOCKER);
    let picture = if offloaded {
        picture.lane(POOL)
    } else {
        picture
    };
    picture.steps(timeline, step).render()
}

#[test]
fn a_blocking_call_inline_holds_the_ticks_back() {
    let recording = Recording::start_detailed(Instant::now);
    let event_loop = EventLoop::new();
    event_loop.run_until_complete(async {
        let ticker = spawn(ticker(|| ()));
        let blocker = spawn(async {
            sleep(TICK / 2).await;
            info!("inline: starts");
            blocking_call(BLOCK);
            info!("inline: returns");
        });
        blocker.await.unwrap();
        ticker.await.unwrap();
    });
    let timeline = recording.finish();
    let order: Vec<&str> = timeline
        .events()
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(
        order,
        ["inline: starts", "inline: returns", "tick", "tick", "tick"]
    );
    let drawn = draw(
        "A blocking call inside a task (our loop)",
        "Recorded on our loop, real clock; one row per event, in order. Half a tick \
         in, the blocker calls std::thread::sleep(320 ms). Ticks 1 to 3 fall due \
         while it runs, but the loop's one thread is inside the call: they all fire \
         after it returns, at once.",
        &timeline,
        false,
    );
    svg::check(&picture_file("ch07-inline.svg"), &drawn).unwrap();
}

#[test]
fn a_blocking_call_offloaded_lets_the_ticks_run() {
    let recording = Recording::start_detailed(Instant::now);
    let event_loop = EventLoop::new();
    let gate = Arc::new(Gate::default());
    event_loop.run_until_complete(async {
        let opener = Arc::clone(&gate);
        let ticker = spawn(ticker(move || opener.open()));
        let blocker = spawn(async move {
            sleep(TICK / 2).await;
            info!("offloaded: handed over");
            spawn_blocking(move || {
                gate.wait(); // the blocking call, ended by the third tick
                info!("offloaded: job returns");
            })
            .await
            .unwrap();
            info!("offloaded: woken");
        });
        blocker.await.unwrap();
        ticker.await.unwrap();
    });
    let timeline = recording.finish();
    let order: Vec<&str> = timeline
        .events()
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(
        order,
        [
            "offloaded: handed over",
            "promise: not settled yet, pending",
            "tick",
            "tick",
            "tick",
            "offloaded: job returns",
            "completer: waking the waiting task",
            "promise: settled, ready",
            "offloaded: woken"
        ]
    );
    let drawn = draw(
        "The same call offloaded with spawn_blocking (our loop and pool)",
        "Recorded on our loop and pool, real clock; one row per event, in order. The \
         blocker hands its call to a pool thread and awaits it; the loop's thread is \
         free, and the ticks fire on time. Here the call waits at a gate the third \
         tick opens, so the order is the same on every machine; settling the promise \
         wakes the blocker from the pool's thread, through the loop's cross-thread \
         queue.",
        &timeline,
        true,
    );
    svg::check(&picture_file("ch07-offloaded.svg"), &drawn).unwrap();
}

#[test]
fn the_ticks_are_due_100_ms_apart_and_the_call_spans_three() {
    assert_eq!(TICK, Duration::from_millis(100));
    assert_eq!(BLOCK, Duration::from_millis(320));
}
