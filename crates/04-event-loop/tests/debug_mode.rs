//! Debug mode: a poll that runs past the threshold is reported as a warning
//! naming its task; nothing is reported without debug mode, or under the
//! threshold. `EVENT_LOOP_DEBUG` turns it on for every new loop. Every test
//! here records: the recorder is shared by the whole test binary.

use std::process::Command;
use std::time::Duration;

use event_loop::STEP;
use event_loop::hand::{self, DEBUG_ENV, EventLoop, SLOW_POLL, sleep};
use timeline::{Recording, Timeline};

/// Runs a loop with a task that blocks its thread for `blocks`.
fn blocking_scene(debug: bool, threshold: Duration, blocks: Duration) -> Timeline {
    let recording = Recording::start();
    let event_loop = EventLoop::builder()
        .debug(debug)
        .slow_poll(threshold)
        .build()
        .unwrap();
    event_loop.create_task_named("fast", async {
        sleep(Duration::from_millis(1)).await;
    });
    let blocker = event_loop.create_task_named("blocker", async move {
        std::thread::sleep(blocks);
    });
    event_loop.run_until_complete(blocker).unwrap();
    drop(event_loop);
    recording.finish()
}

/// Debug mode's slow-poll warnings (it also names the tasks still pending
/// when the loop closes: see `debug_mode_names_the_tasks_a_closing_loop_drops`).
fn warnings(timeline: &Timeline) -> Vec<String> {
    timeline
        .events()
        .iter()
        .filter(|event| event.level == tracing::Level::WARN)
        .filter(|event| event.text.starts_with("slow poll"))
        .map(|event| event.text.clone())
        .collect()
}

/// The warnings that name `task`. Only these are counted: on a loaded
/// machine another poll may run past the threshold too.
fn naming(timeline: &Timeline, task: &str) -> Vec<String> {
    let prefix = format!("slow poll: task {task} ran ");
    let mut named = warnings(timeline);
    named.retain(|warning| warning.starts_with(&prefix));
    named
}

#[test]
fn debug_mode_names_the_task_that_blocks() {
    let timeline = blocking_scene(true, SLOW_POLL, Duration::from_millis(150));
    let warnings = naming(&timeline, "blocker");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].ends_with("look for a blocking call"));
}

#[test]
fn an_unnamed_task_is_reported_as_task_n_like_asyncio() {
    let recording = Recording::start();
    let event_loop = EventLoop::builder().debug(true).build().unwrap();
    let first = event_loop.create_task(async {});
    let blocker = event_loop.create_task(async {
        std::thread::sleep(Duration::from_millis(150));
    });
    let number = blocker.id().get();
    let ended = event_loop.run_until_complete(async { (first.await, blocker.await) });
    assert!(ended.0.is_ok() && ended.1.is_ok());
    drop(event_loop);
    assert_eq!(number, 2, "numbered from 1, in spawn order");
    let warnings = naming(&recording.finish(), "Task-2");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn without_debug_mode_nothing_is_reported() {
    let timeline = blocking_scene(false, SLOW_POLL, Duration::from_millis(150));
    assert_eq!(warnings(&timeline), Vec::<String>::new());
}

#[test]
fn a_poll_under_the_threshold_is_not_reported() {
    // 10 ms of blocking against a threshold of 5 s: no load makes that slow.
    let timeline =
        blocking_scene(true, Duration::from_secs(5), Duration::from_millis(10));
    assert_eq!(warnings(&timeline), Vec::<String>::new());
}

#[test]
fn the_default_threshold_is_asyncios_100_ms() {
    assert_eq!(SLOW_POLL, Duration::from_millis(100));
}

#[test]
fn the_demo_shows_the_countdown_delayed_and_the_blocker_named() {
    let recording = Recording::start();
    hand::run_with_a_blocking_task(Duration::from_millis(200));
    let timeline = recording.finish();
    let blocked = timeline.time_of("blocker: done blocking").unwrap();
    let late = timeline.time_of("A: 2").unwrap();
    assert!(
        late >= blocked,
        "the countdown's step waited for the blocker: {late:?} < {blocked:?}"
    );
    assert!(
        late >= Duration::from_millis(400),
        "due at 200 ms, came at {late:?}"
    );
    assert_eq!(
        naming(&timeline, "blocker").len(),
        1,
        "the blocker is named"
    );
}

/// The same scene on virtual time, where `blocking_sleep` stands for the
/// blocking call: the times are the same on every machine, so the snapshot
/// keeps them, and shows the second the countdown lost.
#[test]
fn on_virtual_time_the_countdown_comes_a_second_late() {
    let event_loop = EventLoop::builder()
        .virtual_time()
        .debug(true)
        .build()
        .unwrap();
    // Started inside the loop, so that its clock starts at the loop's.
    let recording =
        event_loop.run_until_complete(async { Recording::start_with_clock(hand::now) });
    hand::run_with_a_blocking_call(&event_loop, STEP, hand::blocking_sleep);
    let timeline = recording.finish();
    let lines: Vec<String> = timeline.events().iter().map(|e| e.line()).collect();
    let dir = env!("CARGO_MANIFEST_DIR");
    timeline::testing::check_output(dir, "blocking_task", &lines.join("\n"));
    let at = |text| timeline.time_of(text).unwrap();
    assert_eq!(
        at("blocker: done blocking"),
        STEP * 2,
        "blocked 0.5 s to 2 s"
    );
    assert_eq!(at("A: 2"), STEP * 2, "due at 1 s, a second late");
    assert_eq!(at("A: 1"), STEP * 3, "on time again from then on");
}

/// Run by `the_environment_variable_turns_debug_mode_on` in a child process
/// with the variable set or not; on its own, it checks the default.
#[test]
fn debug_mode_follows_the_environment() {
    let expected = std::env::var_os(DEBUG_ENV).is_some_and(|value| value == "1");
    let _recording = Recording::start();
    assert_eq!(EventLoop::new().debug(), expected);
}

#[test]
fn the_environment_variable_turns_debug_mode_on() {
    let _recording = Recording::start();
    for value in ["1", "0", ""] {
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "debug_mode_follows_the_environment", "--quiet"])
            .env(DEBUG_ENV, value)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{DEBUG_ENV}={value:?}: {}",
            String::from_utf8_lossy(&status.stdout)
        );
    }
}

#[test]
fn debug_mode_names_the_tasks_a_closing_loop_drops() {
    let recording = Recording::start();
    let event_loop = EventLoop::builder()
        .virtual_time()
        .debug(true)
        .build()
        .unwrap();
    event_loop.create_task_named("forgotten", async {
        sleep(Duration::from_secs(3600)).await
    });
    event_loop.run_until_complete(async { sleep(Duration::from_secs(1)).await });
    event_loop.close();
    let warnings: Vec<String> = recording
        .finish()
        .events()
        .iter()
        .filter(|event| event.level == tracing::Level::WARN)
        .map(|event| event.text.clone())
        .collect();
    assert_eq!(
        warnings,
        ["task forgotten destroyed while pending (waiting on a timer, 1.000 s old)"]
    );
}
