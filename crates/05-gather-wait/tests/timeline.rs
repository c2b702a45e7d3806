//! The scene's timeline on every runtime: the same order for the gather and
//! the first one back everywhere, exact times on our virtual loop and
//! tokio's paused clock, and each runtime's way with the failure.
//!
//! Every test here records: the recorder is shared by the whole test
//! binary.

mod support;

use std::time::{Duration, Instant};

use gather_wait::{STEP, hand, with_async_std, with_smol, with_tokio};
use support::{virtual_loop, within};
use timeline::{Recording, Timeline};

/// For async-std and smol, on real time: long enough that no stall of a
/// loaded machine lets the fetches finish in another order.
const REAL_STEP: Duration = Duration::from_millis(400);

/// The gather and the first one back: the first 14 lines, on every runtime.
const COMMON: usize = 14;

/// Checks the lines against `tests/outputs/NAME.txt`, which the book
/// includes (`UPDATE_OUTPUTS=1` rewrites it).
fn snapshot(name: &str, lines: Vec<String>) {
    timeline::testing::check_output(
        env!("CARGO_MANIFEST_DIR"),
        name,
        &lines.join("\n"),
    );
}

fn record<T>(scene: impl FnOnce() -> T) -> (T, Timeline) {
    let recording = Recording::start();
    let output = scene();
    (output, recording.finish())
}

fn expected_order() -> Vec<String> {
    gather_wait::FETCHES
        .map(|(url, _)| format!("{url} 200 OK"))
        .into()
}

#[test]
fn our_scene_in_order_and_on_time() {
    // The recorder reads our loop's virtual clock, so it starts inside it.
    let (shown, timeline) = virtual_loop().block_on(async {
        let recording = Recording::start_with_clock(event_loop::hand::now);
        let shown = hand::scene(STEP).await;
        (shown, recording.finish())
    });
    assert_eq!(shown.in_order, expected_order());
    assert_eq!(shown.first, "api/posts");
    snapshot("scene_hand", timeline.texts());
    snapshot("scene_hand_times", timeline.settled_with_times());
    snapshot("scene_common", common(&timeline));
}

fn tokio_now() -> Instant {
    tokio::time::Instant::now().into_std()
}

#[tokio::test(start_paused = true)]
async fn tokio_scene_in_the_same_order() {
    let recording = Recording::start_with_clock(tokio_now);
    let shown = with_tokio::scene(STEP).await;
    let timeline = recording.finish();
    assert_eq!(shown.in_order, expected_order());
    assert_eq!(shown.first, "api/posts");
    snapshot("scene_tokio", timeline.texts());
    snapshot("scene_common", common(&timeline));
}

/// The gather and the first one back, which every runtime prints alike.
fn common(timeline: &Timeline) -> Vec<String> {
    timeline.texts()[..COMMON].to_vec()
}

#[test]
fn async_std_scene_in_the_same_order() {
    let (shown, timeline) = record(|| within(|| with_async_std::run_scene(REAL_STEP)));
    assert_eq!(shown.in_order, expected_order());
    assert_eq!(shown.first, "api/posts");
    snapshot("scene_common", common(&timeline));
}

#[test]
fn smol_scene_in_the_same_order() {
    let (shown, timeline) = record(|| within(|| with_smol::run_scene(REAL_STEP)));
    assert_eq!(shown.in_order, expected_order());
    assert_eq!(shown.first, "api/posts");
    snapshot("scene_common", common(&timeline));
}
