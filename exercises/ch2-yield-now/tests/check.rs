//! `yield_now`: pending on the first poll with one wake of its own, ready on
//! the second, and in between another task gets to run.
//!
//! Run with `cargo test -p ch2-yield-now`. A `Poller` polls the future by hand
//! with a waker that counts its wakes; then two tasks run on a real executor.

use std::cell::RefCell;
use std::rc::Rc;
use std::task::Poll;

use ch2_yield_now::yield_now;
use future_objects::testing::Poller;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

#[test]
fn step_2_first_poll_is_pending_and_wakes_the_task_once() {
    let mut yielding = Poller::new(yield_now());
    assert_eq!(yielding.poll(), Poll::Pending);
    assert_eq!(yielding.wakes(), 1, "pending, so it must arrange a wake");
}

#[test]
fn step_3_second_poll_is_ready_without_another_wake() {
    let mut yielding = Poller::new(yield_now());
    assert_eq!(yielding.poll(), Poll::Pending);
    assert_eq!(yielding.poll(), Poll::Ready(()));
    assert_eq!(yielding.polls(), 2, "exactly two polls");
    assert_eq!(yielding.wakes(), 1, "one wake in all: ready needs none");
}

#[test]
fn step_1_creating_it_does_nothing_until_it_is_polled() {
    let yielding = Poller::new(yield_now());
    assert_eq!((yielding.polls(), yielding.wakes()), (0, 0));
}

#[test]
fn step_4_another_task_runs_in_between() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut pool = LocalPool::new();
    for name in ["Ada", "Grace"] {
        let log = Rc::clone(&log);
        let task = async move {
            log.borrow_mut().push(format!("{name} starts"));
            yield_now().await;
            log.borrow_mut().push(format!("{name} ends"));
        };
        pool.spawner()
            .spawn_local(task)
            .expect("a new pool accepts tasks");
    }
    // `run_until_stalled` returns once no task is woken, so a `yield_now`
    // that forgets to wake fails here instead of hanging.
    pool.run_until_stalled();
    assert_eq!(
        *log.borrow(),
        ["Ada starts", "Grace starts", "Ada ends", "Grace ends"],
        "each task steps aside once, so the other starts before it ends"
    );
}
