//! `timeout`: the work's output when it is quicker, `Elapsed` when the
//! timer is; work ready in the same poll as the deadline is kept; the work
//! is dropped where it was; it runs with any runtime's timer.
//!
//! Run with `cargo test -p ch5-timeout`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ch5_timeout::{Elapsed, timeout};
use event_loop::hand::{EventLoop, now, sleep};

fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn step_1_quick_work_gives_its_output() {
    let outcome = virtual_loop().block_on(async {
        let work = async {
            sleep(secs(1)).await;
            "done"
        };
        timeout(sleep(secs(5)), work).await
    });
    assert_eq!(outcome, Ok("done"));
}

#[test]
fn step_2_slow_work_gives_elapsed_at_the_deadline() {
    let (outcome, took) = virtual_loop().block_on(async {
        let started = now();
        let outcome = timeout(sleep(secs(2)), sleep(secs(60))).await;
        (outcome, now() - started)
    });
    assert_eq!(outcome, Err(Elapsed));
    assert_eq!(took, secs(2), "no wait for the work");
}

#[test]
fn step_3_work_ready_with_the_deadline_is_kept() {
    let outcome = virtual_loop().block_on(timeout(std::future::ready(()), async { 7 }));
    assert_eq!(outcome, Ok(7), "the work is polled first");
}

#[test]
fn step_4_the_work_is_dropped_at_the_await_it_had_reached() {
    let steps = Rc::new(Cell::new(0));
    let counted = Rc::clone(&steps);
    let outcome = virtual_loop().block_on(async move {
        let work = async move {
            for _ in 0..3 {
                counted.set(counted.get() + 1);
                sleep(secs(1)).await;
            }
        };
        let outcome = timeout(sleep(Duration::from_millis(1_500)), work).await;
        sleep(secs(10)).await; // the work never goes on
        outcome
    });
    assert_eq!(outcome, Err(Elapsed));
    assert_eq!(steps.get(), 2, "cut off in the second step's sleep");
}

#[tokio::test(start_paused = true)]
async fn step_5_it_runs_with_tokios_timer_too() {
    let timer = tokio::time::sleep(secs(1));
    let outcome = timeout(timer, tokio::time::sleep(secs(2))).await;
    assert_eq!(outcome, Err(Elapsed));
}
