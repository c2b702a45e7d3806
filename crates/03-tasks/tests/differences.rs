//! Where the runtimes differ: when a spawned task first runs, what dropping its
//! handle does, how its panic reaches whoever awaits it, how it is cancelled,
//! and what dropping a `JoinSet` does. One test per claim and runtime; the
//! book's "What differs" table names each. (Why `tokio::spawn` needs `Send` is
//! proven by the doc-tests in `src/send.rs`.)
//!
//! The tasks that panic on purpose leave Rust's usual panic report on stderr:
//! the panic hook is global, and swapping it would hide the reports of tests
//! that run beside them.

mod support;

use std::panic;
use std::sync::mpsc;
use std::time::Duration;

use support::{RESET, broken, eventually, task_at_a_gate, within};
use tasks::hand::{self, Executor, JoinError};
use tasks::panic_message;

// ANCHOR: start
/// Spawns, through `spawn`, a task that reports once it runs; the spawner
/// never yields.
fn spawn_a_reporter(spawn: impl FnOnce(mpsc::Sender<()>)) -> mpsc::Receiver<()> {
    let (started, start) = mpsc::channel();
    spawn(started);
    start
}

#[test]
fn hand_spawned_task_waits_until_the_spawner_yields() {
    within(|| {
        hand::block_on(async {
            let start = spawn_a_reporter(|started| {
                let _detached = hand::spawn(async move { started.send(()) });
            });
            let wait = Duration::from_millis(200);
            assert!(start.recv_timeout(wait).is_err(), "not before a yield");
            hand::yield_now().await;
            assert!(start.try_recv().is_ok(), "at the next turn");
        });
    });
}

#[test]
fn tokio_task_runs_before_the_spawner_yields() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let start = spawn_a_reporter(|started| {
        let _detached = runtime.spawn(async move { started.send(()) });
    });
    assert!(start.recv_timeout(Duration::from_secs(10)).is_ok());
}

#[test]
fn async_std_task_runs_before_the_spawner_yields() {
    let start = spawn_a_reporter(|started| {
        let _detached = async_std::task::spawn(async move { started.send(()) });
    });
    assert!(start.recv_timeout(Duration::from_secs(10)).is_ok());
}

#[test]
fn smol_task_runs_before_the_spawner_yields() {
    let start = spawn_a_reporter(|started| {
        smol::spawn(async move { started.send(()) }).detach();
    });
    assert!(start.recv_timeout(Duration::from_secs(10)).is_ok());
}
// ANCHOR_END: start

// ANCHOR: drop_handle
#[test]
fn hand_dropping_the_handle_detaches_the_task() {
    let (task, opener, watch) = task_at_a_gate();
    within(move || {
        let executor = Executor::new();
        let handle = executor.spawn(task);
        executor.block_on(hand::yield_now()); // it starts, and waits at the gate
        drop(handle);
        opener.open();
        executor.run(); // until every task has ended
    });
    assert!(watch.finished(), "it ran on to the end without its handle");
}

#[test]
fn tokio_dropping_the_handle_detaches_the_task() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (task, opener, watch) = task_at_a_gate();
    drop(runtime.spawn(task));
    opener.open();
    assert!(eventually(|| watch.ended()));
    assert!(watch.finished(), "it ran on to the end without its handle");
}

#[test]
fn async_std_dropping_the_handle_detaches_the_task() {
    let (task, opener, watch) = task_at_a_gate();
    drop(async_std::task::spawn(task));
    opener.open();
    assert!(eventually(|| watch.ended()));
    assert!(watch.finished(), "it ran on to the end without its handle");
}

#[test]
fn smol_dropping_the_task_cancels_it() {
    let (task, opener, watch) = task_at_a_gate();
    drop(smol::spawn(task));
    opener.open();
    assert!(eventually(|| watch.ended()), "its future was dropped");
    assert!(!watch.finished(), "it never got past the gate");
}
// ANCHOR_END: drop_handle

// ANCHOR: panics
#[test]
fn hand_panic_becomes_a_join_error_with_its_message() {
    let outcome = within(|| hand::block_on(async { hand::spawn(broken()).await }));
    assert_eq!(outcome, Err(JoinError::Panicked(RESET.to_string())));
}

#[tokio::test]
async fn tokio_panic_becomes_a_join_error_that_is_panic() {
    let error = tokio::spawn(broken()).await.unwrap_err();
    assert!(error.is_panic());
    // The panic's value itself, which could be resumed here.
    assert_eq!(panic_message(&*error.into_panic()), RESET);
}

#[test]
fn async_std_panic_resumes_in_the_awaiting_task() {
    let awaited = panic::catch_unwind(|| {
        async_std::task::block_on(async_std::task::spawn(broken()))
    });
    assert_eq!(panic_message(&*awaited.unwrap_err()), RESET);
}

#[test]
fn smol_panic_resumes_in_the_awaiting_task() {
    let awaited = panic::catch_unwind(|| smol::block_on(smol::spawn(broken())));
    assert_eq!(panic_message(&*awaited.unwrap_err()), RESET);
}
// ANCHOR_END: panics

// ANCHOR: cancel
#[test]
fn hand_abort_gives_cancelled_and_runs_destructors() {
    let (task, _opener, watch) = task_at_a_gate();
    let drops = watch.drops.clone();
    let (outcome, dropped) = within(|| {
        hand::block_on(async move {
            let handle = hand::spawn(task);
            hand::yield_now().await; // it starts, and waits at the gate
            handle.abort();
            (handle.await, drops.get())
        })
    });
    assert_eq!(outcome, Err(JoinError::Cancelled));
    assert_eq!(dropped, 1, "its destructors ran before the handle resolved");
    assert!(!watch.finished());
}

#[tokio::test]
async fn tokio_abort_gives_a_join_error_that_is_cancelled() {
    let (task, _opener, watch) = task_at_a_gate();
    let handle = tokio::spawn(task);
    tokio::task::yield_now().await;
    handle.abort();
    let error = handle.await.unwrap_err();
    assert!(error.is_cancelled());
    assert_eq!(watch.drops.get(), 1, "its destructors ran");
    assert!(!watch.finished());
}

#[test]
fn async_std_cancel_of_an_unfinished_task_gives_none() {
    let (task, _opener, watch) = task_at_a_gate();
    let output = async_std::task::block_on(async_std::task::spawn(task).cancel());
    assert_eq!(output, None);
    assert_eq!(watch.drops.get(), 1, "its destructors ran");
    assert!(!watch.finished());
}

#[test]
fn smol_cancel_of_an_unfinished_task_gives_none() {
    let (task, _opener, watch) = task_at_a_gate();
    let output = smol::block_on(smol::spawn(task).cancel());
    assert_eq!(output, None);
    assert_eq!(watch.drops.get(), 1, "its destructors ran");
    assert!(!watch.finished());
}
// ANCHOR_END: cancel

// ANCHOR: join_set
#[tokio::test]
async fn tokio_dropping_a_join_set_aborts_its_tasks() {
    let mut set = tokio::task::JoinSet::new();
    let mut watches = Vec::new();
    for _ in 0..3 {
        let (task, _opener, watch) = task_at_a_gate();
        set.spawn(task);
        watches.push(watch);
    }
    tokio::task::yield_now().await; // they start, and wait at their gates
    drop(set);
    // An aborted task is dropped when the runtime next gets to it.
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert!(
        watches
            .iter()
            .all(|watch| watch.ended() && !watch.finished())
    );
}

#[tokio::test]
async fn tokio_dropping_a_plain_handle_does_not_abort_its_task() {
    let (task, opener, watch) = task_at_a_gate();
    drop(tokio::spawn(task));
    opener.open();
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert!(watch.finished());
}
// ANCHOR_END: join_set
