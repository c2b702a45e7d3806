//! What the book claims about the hand-rolled loop beside tokio, each proven
//! here on both: timer resolution (on virtual time, where the clock moves
//! only to the next deadline, so each shows exactly where its timer put that
//! deadline), the far-future clamp, a task spawned on a closed loop, a future
//! whose destructor panics after it is done, and what `sleep(0)` does.

use std::time::Duration;

use event_loop::hand::{self, EventLoop, FAR_FUTURE, sleep};
use support::ReadyThenPanicsInDrop;

mod support;

const SHORT: Duration = Duration::from_micros(100);

// ANCHOR: resolution
#[tokio::test(start_paused = true)]
async fn tokio_rounds_a_sleep_up_to_a_whole_millisecond() {
    let started = tokio::time::Instant::now();
    tokio::time::sleep(SHORT).await;
    assert_eq!(started.elapsed(), Duration::from_millis(1));
}

#[test]
fn hand_rolled_sleep_ends_on_the_exact_deadline() {
    let event_loop = EventLoop::builder().virtual_time().build().unwrap();
    let took = event_loop.run_until_complete(async {
        let started = event_loop_now();
        sleep(SHORT).await;
        event_loop_now() - started
    });
    assert_eq!(took, SHORT);
}
// ANCHOR_END: resolution

fn event_loop_now() -> std::time::Instant {
    event_loop::hand::now()
}

// ANCHOR: far_future
#[tokio::test(start_paused = true)]
async fn tokio_clamps_a_sleep_of_duration_max_to_about_thirty_years() {
    let sleep = tokio::time::sleep(Duration::MAX);
    assert_eq!(sleep.deadline() - tokio::time::Instant::now(), FAR_FUTURE);
}

#[test]
fn hand_rolled_loop_clamps_it_the_same_way() {
    let event_loop = EventLoop::builder().virtual_time().build().unwrap();
    let ahead = event_loop.run_until_complete(async {
        sleep(Duration::MAX).deadline() - event_loop_now()
    });
    assert_eq!(ahead, FAR_FUTURE);
}
// ANCHOR_END: far_future

// ANCHOR: closed
#[test]
fn tokio_cancels_a_task_spawned_after_its_runtime_shut_down() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let handle = runtime.handle().clone();
    runtime.shutdown_background();
    let task = handle.spawn(async { 42 });
    let outcome = futures::executor::block_on(task);
    assert!(outcome.unwrap_err().is_cancelled());
}

#[test]
fn hand_rolled_loop_cancels_a_task_spawned_after_close() {
    let event_loop = EventLoop::new();
    let handle = event_loop.handle();
    event_loop.close();
    let task = handle.create_task(async { 42 });
    let outcome = futures::executor::block_on(task);
    assert!(outcome.unwrap_err().is_cancelled());
}
// ANCHOR_END: closed

// ANCHOR: drop_panic
#[tokio::test]
async fn tokio_reports_a_destructor_panic_after_ready_as_the_tasks_panic() {
    let outcome = tokio::spawn(ReadyThenPanicsInDrop).await;
    assert!(outcome.unwrap_err().is_panic(), "the output is lost");
}

#[test]
fn hand_rolled_loop_reports_it_the_same_way() {
    let outcome = hand::block_on(async { hand::spawn(ReadyThenPanicsInDrop).await });
    assert!(outcome.unwrap_err().is_panic(), "the output is lost");
}
// ANCHOR_END: drop_panic

// ANCHOR: clock_hold
#[tokio::test(start_paused = true)]
async fn tokio_paused_clock_waits_for_a_spawn_blocking_job() {
    let job =
        tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_millis(50)));
    let started = tokio::time::Instant::now();
    tokio::select! {
        _ = job => {}
        () = tokio::time::sleep(Duration::from_secs(10)) => panic!("the clock jumped past the job"),
    }
    assert_eq!(started.elapsed(), Duration::ZERO, "the clock stood still");
}
// ANCHOR_END: clock_hold
