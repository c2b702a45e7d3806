//! The scene's timeline: the two countdowns interleave in the same order on
//! the hand-rolled loop, tokio's two runtimes, async-std and smol, and in the
//! same order as the book's asyncio listing; under tokio's paused clock, at
//! exactly the times the book shows. Then which thread runs the steps on
//! each runtime, as the chapter claims.
//!
//! Every runtime must match the one snapshot `countdowns`. It holds the order
//! with ties settled by [`settled_by_step`], not by `Timeline::settled`: that
//! one sorts back-to-back lines of one line of code, but here both
//! countdowns print their numbers from one line, and at step 3 `A: 2` (a
//! number) ties with `B: done` (another line), so it would leave that tie to
//! chance. Every test here records: the recorder is shared by the whole
//! test binary.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use event_loop::with_tokio;
use event_loop::{COUNTDOWNS, RanOn, hand, thread_name, with_async_std, with_smol};
use timeline::{Recording, Timeline};

/// For the runtimes that run both countdowns on one thread: long enough that
/// no stall of a loaded machine lets one countdown get a whole step ahead.
const STEP: Duration = Duration::from_millis(100);

/// For the runtimes that run the countdowns on several threads at once.
const THREADED_STEP: Duration = Duration::from_millis(200);

/// For the tests that look only at threads, not at order.
const QUICK_STEP: Duration = Duration::from_millis(5);

fn record<T>(scene: impl FnOnce() -> T) -> (T, Timeline) {
    let recording = Recording::start();
    let output = scene();
    (output, recording.finish())
}

/// Checks the lines against `tests/outputs/NAME.txt`, which the book
/// includes (`UPDATE_OUTPUTS=1` rewrites it).
fn snapshot(name: &str, lines: Vec<String>) {
    timeline::testing::check_output(
        env!("CARGO_MANIFEST_DIR"),
        name,
        &lines.join("\n"),
    );
}

/// The step at which the scene says `text`: a countdown from 5 says `5` at
/// step 0, `1` at step 4 and `done` at step 5.
fn step_of(text: &str) -> u32 {
    let (name, said) = text
        .split_once(": ")
        .unwrap_or_else(|| panic!("not a line of the scene: {text:?}"));
    let &(_, from) = COUNTDOWNS
        .iter()
        .find(|(countdown, _)| *countdown == name)
        .unwrap_or_else(|| panic!("no countdown is named {name:?}: {text:?}"));
    if said == "done" {
        return from;
    }
    said.parse::<u32>()
        .ok()
        .and_then(|n| from.checked_sub(n))
        .unwrap_or_else(|| panic!("countdown {name} never says {said:?}"))
}

/// Checks that the countdowns interleave: every line of a step comes after
/// every line of the step before. Then lists the lines of each step in text
/// order, since they happen at the same moment and a real clock, or two
/// threads, may record them either way round.
fn settled_by_step(texts: Vec<String>) -> Vec<String> {
    let steps: Vec<u32> = texts.iter().map(|text| step_of(text)).collect();
    assert!(
        steps.is_sorted(),
        "a step came before an earlier one: {texts:?}"
    );
    let mut settled = texts;
    settled.sort_by(|a, b| (step_of(a), a).cmp(&(step_of(b), b)));
    settled
}

/// The checks every real-clock run must pass: the interleaving, the shared
/// snapshot, and no step sooner than its sleeps allow (a sleep never ends
/// early; how late it may be is for benchmarks, not tests).
fn assert_scene(timeline: &Timeline, step: Duration) {
    snapshot("countdowns", settled_by_step(timeline.texts()));
    let last = timeline.events().last().map(|event| event.at);
    assert!(
        last >= Some(5 * step),
        "A says done after five steps of {step:?}, not at {last:?}"
    );
}

#[test]
fn hand_rolled_loop_interleaves_the_countdowns() {
    let ((), timeline) = record(|| hand::run_countdowns(STEP));
    assert_scene(&timeline, STEP);
}

#[test]
fn tokio_current_thread_interleaves_the_countdowns() {
    let (ran_on, timeline) = record(|| with_tokio::run_countdowns_current_thread(STEP));
    ran_on.expect("the runtime builds");
    assert_scene(&timeline, STEP);
}

#[test]
fn tokio_multi_thread_interleaves_the_countdowns() {
    let (ran_on, timeline) =
        record(|| with_tokio::run_countdowns_multi_thread(THREADED_STEP));
    ran_on.expect("the runtime builds");
    assert_scene(&timeline, THREADED_STEP);
}

#[test]
fn async_std_interleaves_the_countdowns() {
    let (_, timeline) = record(|| with_async_std::run_countdowns(THREADED_STEP));
    assert_scene(&timeline, THREADED_STEP);
}

#[test]
fn smol_interleaves_the_countdowns() {
    let (_, timeline) = record(|| with_smol::run_countdowns(STEP));
    assert_scene(&timeline, STEP);
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Under tokio's paused clock, time jumps straight to the next timer: the
/// demo's five seconds cost nothing, and every line lands at exactly its
/// step. Sorting by time then text settles the ties for the snapshot.
#[tokio::test(start_paused = true)]
async fn tokio_paused_clock_gives_each_step_its_exact_time() {
    let recording = Recording::start_with_clock(tokio_now);
    with_tokio::countdowns(event_loop::STEP).await;
    let timeline = recording.finish();
    for event in timeline.events() {
        assert_eq!(
            event.at,
            step_of(&event.text) * event_loop::STEP,
            "{:?} at the wrong time",
            event.text
        );
    }
    let mut by_time: Vec<_> = timeline.events().iter().collect();
    by_time.sort_by(|a, b| (a.at, &a.text).cmp(&(b.at, &b.text)));
    snapshot(
        "countdowns_times",
        by_time.iter().map(|e| e.line()).collect(),
    );
    snapshot("countdowns", settled_by_step(timeline.texts()));
}

/// asyncio's loop, driven by hand in the book's listing, prints the lines in
/// the order every Rust runtime above records them: the same snapshot.
#[test]
fn asyncio_prints_the_same_order() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/countdowns.py");
    let Some(printed) = timeline::python::run(script, &["0.1"]) else {
        return;
    };
    snapshot("countdowns", settled_by_step(printed));
}

/// The book's debug-mode listing: a task that calls `time.sleep(0.2)` is
/// named in asyncio's warning, with how long it held the loop.
#[test]
fn asyncio_debug_mode_names_the_task_that_blocked() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/slow_callback.py");
    let Some(printed) = timeline::python::run(script, &[]) else {
        return;
    };
    let warning = printed
        .iter()
        .find(|line| line.starts_with("asyncio WARNING: Executing <Task"))
        .unwrap_or_else(|| panic!("no slow-task warning in {printed:?}"));
    assert!(warning.contains("name='blocker'"), "{warning}");
    let took: f64 = warning
        .rsplit_once(" took ")
        .and_then(|(_, end)| end.strip_suffix(" seconds"))
        .and_then(|seconds| seconds.parse().ok())
        .unwrap_or_else(|| panic!("no duration in {warning}"));
    assert!(took >= 0.2, "time.sleep(0.2) held the loop only {took} s");
}

/// The threads the timeline recorded for the countdowns' lines: the same
/// names the demo prints beside each line.
fn threads_in(timeline: &Timeline) -> BTreeSet<String> {
    timeline.events().iter().map(|e| e.thread.clone()).collect()
}

/// What the countdowns noted and what the timeline recorded agree.
fn assert_timeline_agrees(ran_on: &RanOn, timeline: &Timeline) {
    assert_eq!(
        threads_in(timeline),
        ran_on.steps,
        "{:?}",
        timeline.events()
    );
    assert_eq!(ran_on.caller, thread_name());
}

#[test]
fn hand_rolled_loop_runs_every_step_on_the_calling_thread() {
    let ((), timeline) = record(|| hand::run_countdowns(QUICK_STEP));
    assert_eq!(timeline.texts().len(), 10, "{:?}", timeline.texts());
    assert_eq!(threads_in(&timeline), BTreeSet::from([thread_name()]));
}

#[test]
fn tokio_current_thread_runs_every_step_on_the_calling_thread() {
    let (ran_on, timeline) =
        record(|| with_tokio::run_countdowns_current_thread(QUICK_STEP));
    let ran_on = ran_on.expect("the runtime builds");
    assert_timeline_agrees(&ran_on, &timeline);
    assert_eq!(ran_on.steps, BTreeSet::from([thread_name()]));
}

#[test]
fn tokio_multi_thread_runs_every_step_on_a_worker_never_the_caller() {
    let (ran_on, timeline) =
        record(|| with_tokio::run_countdowns_multi_thread(QUICK_STEP));
    let ran_on = ran_on.expect("the runtime builds");
    assert_timeline_agrees(&ran_on, &timeline);
    let workers: BTreeSet<String> = (1..=with_tokio::WORKERS)
        .map(|n| format!("{}{n}", with_tokio::WORKER_PREFIX))
        .collect();
    assert!(!ran_on.steps.is_empty());
    assert!(
        ran_on.steps.is_subset(&workers),
        "steps ran on {:?}, not only on the workers {workers:?}",
        ran_on.steps
    );
    assert!(!ran_on.steps.contains(&ran_on.caller));
}

#[test]
fn async_std_runs_every_step_on_its_own_threads_never_the_caller() {
    let (ran_on, timeline) = record(|| with_async_std::run_countdowns(QUICK_STEP));
    assert_timeline_agrees(&ran_on, &timeline);
    let name = std::env::var("ASYNC_STD_THREAD_NAME")
        .unwrap_or_else(|_| with_async_std::THREAD_NAME.to_string());
    assert_eq!(ran_on.steps, BTreeSet::from([name]));
    assert!(!ran_on.steps.contains(&ran_on.caller));
}

#[test]
fn smol_local_executor_runs_every_step_on_the_calling_thread() {
    let (ran_on, timeline) = record(|| with_smol::run_countdowns(QUICK_STEP));
    assert_timeline_agrees(&ran_on, &timeline);
    assert_eq!(ran_on.steps, BTreeSet::from([thread_name()]));
}
