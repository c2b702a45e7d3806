//! Chapter 4's debug mode catches the blocking call: a poll that runs past
//! the threshold is reported, naming the task. Offloaded, no poll is slow,
//! and nothing is reported. (tokio has no such check on stable; what it does
//! check is in `differences.rs`: `block_in_place` on the wrong flavour, and
//! a `block_on` inside its runtime.) Every test here records: the recorder
//! is shared by the whole test binary.

use std::time::Duration;

use blocking_offload::hand::spawn_blocking;
use blocking_offload::{Blocking, blocking_call};
use event_loop::hand::EventLoop;
use timeline::{Recording, Timeline};

/// A loop in debug mode (threshold 300 ms) running a task named `blocker`
/// that blocks for 500 ms, inline or offloaded. Offloaded, a poll would have
/// to stall 300 ms to be reported: no load does that.
fn scene(blocking: Blocking) -> Timeline {
    let recording = Recording::start();
    let event_loop = EventLoop::builder()
        .debug(true)
        .slow_poll(Duration::from_millis(300))
        .build()
        .unwrap();
    let blocker = event_loop.create_task_named("blocker", async move {
        let block = Duration::from_millis(500);
        match blocking {
            Blocking::Inline => blocking_call(block),
            Blocking::Offloaded => {
                spawn_blocking(move || blocking_call(block)).await.unwrap()
            }
        }
    });
    event_loop.run_until_complete(blocker).unwrap();
    drop(event_loop);
    recording.finish()
}

fn slow_polls(timeline: &Timeline) -> Vec<String> {
    timeline
        .events()
        .iter()
        .filter(|event| event.level == tracing::Level::WARN)
        .filter(|event| event.text.starts_with("slow poll"))
        .map(|event| event.text.clone())
        .collect()
}

#[test]
fn debug_mode_names_the_task_that_blocks_inline() {
    let warnings = slow_polls(&scene(Blocking::Inline));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("slow poll: task blocker ran "),
        "{}",
        warnings[0]
    );
}

#[test]
fn offloaded_the_call_is_no_slow_poll() {
    // The task's polls are short: one hands the job over, one takes the
    // result.
    assert_eq!(
        slow_polls(&scene(Blocking::Offloaded)),
        Vec::<String>::new()
    );
}
