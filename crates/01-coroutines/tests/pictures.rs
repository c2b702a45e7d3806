//! The chapter's pictures, drawn from recorded runs (see `timeline::svg`):
//! the three greeters at once, then one after the other.
//!
//! Each test draws its picture and compares it with the file the book shows,
//! under `book/src/pictures/`; any difference fails it, so the pictures
//! cannot drift from the code. After a change that is meant, redraw them with
//! `UPDATE_PICTURES=1 cargo test -p coroutines --test pictures` and commit
//! the files.
//!
//! The runs are the chapter's tokio version on a current-thread runtime with
//! a paused clock: one thread and virtual time, so the order and the times
//! are the same on every machine. (The hand-rolled sleep wakes from three
//! timer threads at once, in an order that changes from run to run.) Tokio
//! reports no polls, so each greeter and the task are wrapped here in a
//! [`Traced`] future that reports its polls, its `Pending`s and its wakes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use coroutines::{NAMES, PAUSE, with_tokio};
use timeline::svg::{self, Axis, Mark, Picture, Step};
use timeline::trace::traced;
use timeline::{Event, Recording, Timeline};

/// Where the book takes its pictures from.
fn picture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/pictures")
        .join(name)
}

const TASK: &str = "task";
const TIMER: &str = "tokio timer";

/// What each recorded event means in the picture.
fn step(event: &Event) -> Option<Step> {
    if let Some(name) = event.field("future") {
        let (mark, label) = match event.message.as_str() {
            "polled" => (Mark::Poll, format!("{name}: polled")),
            "pending" if name == TASK => (Mark::Pending, "task: Pending".into()),
            "pending" => (Mark::Pending, format!("{name}: Pending, its sleep is set")),
            "ready" => (Mark::Ready, format!("{name}: Ready")),
            "woken" => {
                let by = event.field("by").unwrap_or(TIMER);
                let from = by.to_string();
                (Mark::Wake { from }, format!("{name}: woken by {by}"))
            }
            _ => return None,
        };
        return Some(Step::new(name, mark, &label));
    }
    let name = NAMES.iter().find(|name| event.text.contains(*name))?;
    Some(Step::new(name, Mark::Print, &event.text))
}

fn draw(title: &str, caption: &str, timeline: &Timeline) -> String {
    let picture = Picture::new(title, caption, Axis::Time).lane(TASK);
    let picture = NAMES
        .iter()
        .fold(picture, |picture, name| picture.lane(name));
    picture.lane(TIMER).steps(timeline, step).render()
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

const HOW: &str = "Recorded from the chapter's tokio version on a current-thread \
    runtime with a paused clock, the demo's one-second pause included; the test wraps \
    the task and each greeter to report polls and wakes. Time runs down, one row per \
    event; the axis gives the virtual time wherever it moves on.";

#[tokio::test(start_paused = true)]
async fn greeters_at_once() {
    let recording = Recording::start_detailed(tokio_now);
    // `with_tokio::greet_all`, with each greeter traced.
    let [a, b, c] =
        NAMES.map(|name| traced(name, TIMER, with_tokio::greet(name, PAUSE)));
    traced(TASK, TIMER, async { tokio::join!(a, b, c) }).await;
    let timeline = recording.finish();
    assert_eq!(timeline.events().last().map(|event| event.at), Some(PAUSE));
    let caption = format!(
        "{HOW} The task polls all three greeters in turn; each says hello and \
         returns Pending, so the task does too. One second later the timer wakes \
         them all, and one poll of the task finishes every greeter: one pause in all."
    );
    let drawn = draw("Three greeters at once (tokio::join!)", &caption, &timeline);
    svg::check(&picture("greeters-at-once.svg"), &drawn).unwrap();
}

#[tokio::test(start_paused = true)]
async fn greeters_one_by_one() {
    let recording = Recording::start_detailed(tokio_now);
    // `with_tokio::greet_one_by_one`, with each greeter traced.
    traced(TASK, TIMER, async {
        for name in NAMES {
            traced(name, TIMER, with_tokio::greet(name, PAUSE)).await;
        }
    })
    .await;
    let timeline = recording.finish();
    let three = PAUSE * 3;
    assert_eq!(timeline.events().last().map(|event| event.at), Some(three));
    let caption = format!(
        "{HOW} Each greeter starts only when the one before it is done, so the \
         task waits for three pauses, one after the other."
    );
    let drawn = draw("Three greeters one after the other", &caption, &timeline);
    svg::check(&picture("greeters-one-by-one.svg"), &drawn).unwrap();
}

#[test]
fn the_captions_pause_of_one_second_is_the_demos() {
    // The captions say so.
    assert_eq!(PAUSE, Duration::from_secs(1));
}
