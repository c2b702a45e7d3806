//! The task group: outputs in spawn order when all succeed; the first
//! failure cancels the others; the group still waits for every member; and
//! failures that come together are all reported.
//!
//! Run with `cargo test -p ch5-task-group`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ch5_task_group::{GroupError, TaskGroup};
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

/// A member that sleeps `after` seconds, then succeeds or fails, and counts
/// in `finished` if it ran to its end.
async fn member(after: u64, ok: bool, finished: Rc<Cell<u32>>) -> Result<u64, String> {
    sleep(secs(after)).await;
    finished.set(finished.get() + 1);
    if ok {
        Ok(after)
    } else {
        Err(format!("failed after {after} s"))
    }
}

fn run(
    members: &[(u64, bool)],
) -> (Result<Vec<u64>, GroupError<String>>, Duration, u32) {
    let finished = Rc::new(Cell::new(0));
    let members = members.to_vec();
    let counted = Rc::clone(&finished);
    let (outcome, took) = virtual_loop().block_on(async move {
        let mut group = TaskGroup::new();
        for (after, ok) in members {
            group.spawn(member(after, ok, Rc::clone(&counted)));
        }
        let started = now();
        let outcome = group.join().await;
        (outcome, now() - started)
    });
    (outcome, took, finished.get())
}

#[test]
fn step_1_all_succeed_outputs_in_spawn_order() {
    let (outcome, took, finished) = run(&[(3, true), (1, true), (2, true)]);
    assert_eq!(outcome, Ok(vec![3, 1, 2]));
    assert_eq!((took, finished), (secs(3), 3));
}

#[test]
fn step_2_the_first_failure_cancels_the_others() {
    let (outcome, took, finished) = run(&[(1, false), (5, true), (9, true)]);
    let error = outcome.expect_err("one member fails");
    assert_eq!(error.failures, [(0, "failed after 1 s".to_string())]);
    assert_eq!(error.cancelled, 2, "both others were cancelled");
    assert_eq!(finished, 1, "neither of the others ran to its end");
    assert_eq!(took, secs(1), "no wait for the cancelled");
}

#[test]
fn step_3_failures_that_come_together_are_all_reported() {
    let (outcome, _, _) = run(&[(2, false), (2, false), (5, true)]);
    let error = outcome.expect_err("two members fail");
    let indices: Vec<usize> = error.failures.iter().map(|(index, _)| *index).collect();
    assert_eq!(indices, [0, 1], "both, though the first cancelled the rest");
    assert_eq!(error.cancelled, 1);
}
