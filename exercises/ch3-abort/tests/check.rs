//! `JoinHandle::abort`: the handle resolves to `Cancelled`, the task's
//! destructors run, a finished task keeps its output, and the other tasks go
//! on as if nothing happened.
//!
//! Run with `cargo test -p ch3-abort`. The executor panics with "deadlock"
//! when every task waits and none can be woken: an aborted task that is never
//! cancelled leaves its handle waiting like that.

use std::cell::Cell;
use std::rc::Rc;

use ch3_abort::{Cancelled, Executor, yield_now};

/// Counts its drops, like a connection that closes when dropped.
struct Guard(Rc<Cell<usize>>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn step_1_aborting_a_pending_task_resolves_its_handle_to_cancelled() {
    let executor = Executor::new();
    let outcome = executor.block_on(async {
        let handle = executor.spawn(std::future::pending::<()>());
        yield_now().await; // it starts, and waits forever
        handle.abort();
        handle.await
    });
    assert_eq!(outcome, Err(Cancelled));
}

#[test]
fn step_2_aborting_runs_the_tasks_destructors_and_nothing_after_its_await() {
    let drops = Rc::new(Cell::new(0));
    let went_on = Rc::new(Cell::new(false));
    let executor = Executor::new();
    let guard = Guard(Rc::clone(&drops));
    let flag = Rc::clone(&went_on);
    let (outcome, dropped) = executor.block_on(async {
        let handle = executor.spawn(async move {
            let _connection = guard;
            std::future::pending::<()>().await;
            flag.set(true);
        });
        yield_now().await;
        assert_eq!(drops.get(), 0, "still running before the abort");
        handle.abort();
        let outcome = handle.await;
        (outcome, drops.get())
    });
    assert_eq!(outcome, Err(Cancelled));
    assert_eq!(dropped, 1, "dropped by the time the handle resolved");
    assert!(!went_on.get(), "the code after the await never ran");
    assert_eq!(executor.tasks(), 0, "the executor let go of the task");
}

#[test]
fn step_3_aborting_one_task_leaves_the_others_running() {
    let executor = Executor::new();
    let outcomes = executor.block_on(async {
        let handles = ["api/users", "api/posts", "api/comments"].map(|url| {
            executor.spawn(async move {
                for _ in 0..3 {
                    yield_now().await;
                }
                url
            })
        });
        yield_now().await; // all three have started
        handles[1].abort();
        let mut outcomes = Vec::new();
        for handle in handles {
            outcomes.push(handle.await);
        }
        outcomes
    });
    assert_eq!(
        outcomes,
        [Ok("api/users"), Err(Cancelled), Ok("api/comments")]
    );
}

#[test]
fn step_4_aborting_a_finished_task_keeps_its_output() {
    let executor = Executor::new();
    let outcome = executor.block_on(async {
        let handle = executor.spawn(async { "api/users" });
        yield_now().await; // it runs to the end
        handle.abort();
        handle.await
    });
    assert_eq!(outcome, Ok("api/users"));
}

#[test]
fn step_5_aborting_a_task_that_never_ran_drops_it_unpolled() {
    let drops = Rc::new(Cell::new(0));
    let polled = Rc::new(Cell::new(false));
    let executor = Executor::new();
    let guard = Guard(Rc::clone(&drops));
    let flag = Rc::clone(&polled);
    let outcome = executor.block_on(async {
        let handle = executor.spawn(async move {
            let _connection = guard;
            flag.set(true);
        });
        handle.abort(); // before the executor's next turn
        handle.await
    });
    assert_eq!(outcome, Err(Cancelled));
    assert!(!polled.get(), "never polled");
    assert_eq!(drops.get(), 1, "but dropped");
}
