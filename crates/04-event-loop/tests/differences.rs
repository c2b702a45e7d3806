//! Differences between the hand-rolled loop and tokio that the book claims:
//! timer resolution. Both on virtual time, where the clock moves only to the
//! next deadline, so each shows exactly where its timer put that deadline.

use std::time::Duration;

use event_loop::hand::{EventLoop, sleep};

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
