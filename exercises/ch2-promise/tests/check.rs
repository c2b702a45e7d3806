//! The promise pair: the value, the error or "cancelled" reaches the waiting
//! side, the latest waker is woken exactly once, spurious polls change
//! nothing, and the completer works from another thread.
//!
//! Run with `cargo test -p ch2-promise`. A `Poller` polls the promise by hand
//! with a waker that counts its wakes, so the tests see exactly what an
//! executor would be told.

use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

use ch2_promise::{Completer, Promise, PromiseError, promise};
use future_objects::hand::block_on;
use future_objects::hand::wakers::counting_waker;
use future_objects::testing::Poller;

/// A completer, and its promise ready to be polled by hand.
fn pair() -> (Completer<u64, String>, Poller<Promise<u64, String>>) {
    let (completer, promise) = promise();
    (completer, Poller::new(promise))
}

// The completer must be able to go to another thread, like the value.
const _: () = {
    const fn assert_send<S: Send>() {}
    assert_send::<Completer<u64, String>>();
};

#[test]
fn step_2_completing_delivers_the_value_and_wakes_once() {
    let (completer, mut waiting) = pair();
    assert_eq!(waiting.poll(), Poll::Pending);
    assert_eq!(completer.complete(42), Ok(()));
    assert_eq!(waiting.wakes(), 1, "completing wakes the waiting task");
    assert_eq!(waiting.poll(), Poll::Ready(Ok(42)));
}

#[test]
fn step_3_failing_delivers_the_error() {
    let (completer, mut waiting) = pair();
    assert_eq!(waiting.poll(), Poll::Pending);
    assert_eq!(completer.fail("out of paper".to_string()), Ok(()));
    assert_eq!(waiting.wakes(), 1, "failing wakes the waiting task");
    let failed = PromiseError::Failed("out of paper".to_string());
    assert_eq!(waiting.poll(), Poll::Ready(Err(failed)));
}

#[test]
fn step_4_dropping_the_completer_cancels_the_promise() {
    let (completer, mut waiting) = pair();
    assert_eq!(waiting.poll(), Poll::Pending);
    drop(completer);
    assert_eq!(waiting.wakes(), 1, "dropping the completer wakes the task");
    assert_eq!(waiting.poll(), Poll::Ready(Err(PromiseError::Cancelled)));
}

#[test]
fn step_4_completing_then_dropping_does_not_cancel() {
    let (completer, mut waiting) = pair();
    let _ = completer.complete(1); // `complete` drops the completer as it ends
    assert_eq!(waiting.poll(), Poll::Ready(Ok(1)));
}

#[test]
fn step_1_completing_before_the_first_poll_needs_no_wake() {
    let (completer, mut waiting) = pair();
    assert_eq!(completer.complete(7), Ok(()));
    assert_eq!(waiting.poll(), Poll::Ready(Ok(7)));
    assert_eq!(waiting.wakes(), 0, "no waker was left, so none is woken");
}

#[test]
fn step_6_only_the_latest_waker_is_woken() {
    let (completer, mut waiting) = pair();
    let (first, first_count) = counting_waker();
    let (latest, latest_count) = counting_waker();
    assert_eq!(waiting.poll_with(&first), Poll::Pending);
    assert_eq!(waiting.poll_with(&latest), Poll::Pending);
    assert_eq!(completer.complete(1), Ok(()));
    assert_eq!(
        first_count.wakes(),
        0,
        "the task has moved on from this waker"
    );
    assert_eq!(latest_count.wakes(), 1, "the latest waker is woken, once");
}

#[test]
fn step_6_spurious_polls_stay_pending_and_wake_nobody() {
    let (completer, mut waiting) = pair();
    for _ in 0..3 {
        assert_eq!(waiting.poll(), Poll::Pending);
    }
    assert_eq!(waiting.wakes(), 0, "polling is not completing");
    assert_eq!(completer.complete(3), Ok(()));
    assert_eq!(
        waiting.wakes(),
        1,
        "one completion, one wake, however many polls"
    );
    assert_eq!(waiting.poll(), Poll::Ready(Ok(3)));
}

#[test]
fn step_7_completing_from_another_thread_wakes_the_waiting_task() {
    let (completer, mut waiting) = pair();
    assert_eq!(waiting.poll(), Poll::Pending);
    let worker = thread::spawn(move || completer.complete(42));
    assert_eq!(worker.join().expect("the worker does not panic"), Ok(()));
    assert_eq!(waiting.wakes(), 1);
    assert_eq!(waiting.poll(), Poll::Ready(Ok(42)));
}

#[test]
fn step_7_block_on_gets_the_value_from_another_thread() {
    let (completer, promise) = promise::<u64, String>();
    let (done, outcome) = mpsc::channel();
    // The waiting side runs on its own thread: if the wake is lost, this
    // test fails after ten seconds instead of hanging.
    thread::spawn(move || done.send(block_on(promise)));
    thread::sleep(Duration::from_millis(10));
    assert_eq!(completer.complete(42), Ok(()));
    let outcome = outcome.recv_timeout(Duration::from_secs(10));
    assert_eq!(outcome, Ok(Ok(42)), "was the waiting task woken?");
}

#[test]
fn step_5_settling_a_dropped_promise_hands_the_value_back() {
    let (completer, gone) = promise::<u64, String>();
    drop(gone);
    assert_eq!(completer.complete(42), Err(42), "the value comes back");
    let (completer, gone) = promise::<u64, String>();
    drop(gone);
    let error = completer.fail("late".into());
    assert_eq!(error, Err("late".to_string()), "the error comes back");
}

#[test]
#[should_panic(expected = "polled after it completed")]
fn step_8_polling_after_completion_panics() {
    let (completer, mut waiting) = pair();
    let _ = completer.complete(1);
    assert_eq!(waiting.poll(), Poll::Ready(Ok(1)));
    let _ = waiting.poll();
}
