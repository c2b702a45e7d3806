//! The hand-rolled promise, polled by hand: what it delivers, whom it wakes and
//! how often. (`runtimes.rs` holds the tests that compare it with the oneshots
//! of tokio and `futures`.) No test here records a timeline, and the promise only emits
//! `debug!` events, so nothing can leak into another test's recording.

use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

use future_objects::hand::{Completer, Promise, PromiseError, block_on, promise};
use future_objects::testing::Poller;

fn pair() -> (Completer<u64, String>, Poller<Promise<u64, String>>) {
    let (completer, promise) = promise();
    (completer, Poller::new(promise))
}

#[test]
fn completed_promise_delivers_the_value_and_wakes_once() {
    let (completer, mut poller) = pair();
    assert_eq!(poller.poll(), Poll::Pending);
    assert_eq!(completer.complete(42), Ok(()));
    assert_eq!(poller.wakes(), 1);
    assert_eq!(poller.poll(), Poll::Ready(Ok(42)));
    assert_eq!(poller.polls(), 2);
}

#[test]
fn failed_promise_delivers_the_error() {
    let (completer, mut poller) = pair();
    assert_eq!(poller.poll(), Poll::Pending);
    assert_eq!(completer.fail("out of paper".to_string()), Ok(()));
    assert_eq!(poller.wakes(), 1);
    let failed = PromiseError::Failed("out of paper".to_string());
    assert_eq!(poller.poll(), Poll::Ready(Err(failed)));
}

#[test]
fn promise_completed_before_its_first_poll_is_ready_at_once() {
    let (completer, mut poller) = pair();
    assert_eq!(completer.complete(7), Ok(()));
    assert_eq!(poller.poll(), Poll::Ready(Ok(7)));
    assert_eq!(poller.wakes(), 0, "no waker was left, so none is woken");
}

#[test]
fn spurious_polls_stay_pending_and_wake_nobody() {
    let (completer, mut poller) = pair();
    for _ in 0..3 {
        assert_eq!(poller.poll(), Poll::Pending);
    }
    assert_eq!(poller.wakes(), 0);
    assert_eq!(completer.complete(3), Ok(()));
    assert_eq!(
        poller.wakes(),
        1,
        "one completion, one wake, however many polls"
    );
    assert_eq!(poller.poll(), Poll::Ready(Ok(3)));
}

#[test]
fn completer_works_from_another_thread() {
    let (completer, mut poller) = pair();
    assert_eq!(poller.poll(), Poll::Pending);
    let worker = thread::spawn(move || completer.complete(42));
    assert_eq!(worker.join().expect("the worker does not panic"), Ok(()));
    assert_eq!(poller.wakes(), 1);
    assert_eq!(poller.poll(), Poll::Ready(Ok(42)));
}

#[test]
fn block_on_waits_for_a_completer_on_another_thread() {
    let (completer, promise) = promise::<u64, String>();
    let (done, outcome) = mpsc::channel();
    // The waiting side runs on its own thread, so that a bug that loses the
    // wake fails this test after ten seconds instead of hanging it.
    thread::spawn(move || done.send(block_on(promise)));
    thread::sleep(Duration::from_millis(10)); // most likely parked by now
    assert_eq!(completer.complete(42), Ok(()));
    let outcome = outcome.recv_timeout(Duration::from_secs(10));
    assert_eq!(outcome, Ok(Ok(42)));
}

#[test]
fn debug_shows_the_state_not_the_value() {
    let (completer, promise) = promise::<u64, String>();
    assert_eq!(format!("{promise:?}"), r#"Promise { state: "waiting" }"#);
    let _ = completer.complete(1);
    assert_eq!(format!("{promise:?}"), r#"Promise { state: "settled" }"#);
}

#[test]
fn errors_read_well() {
    let failed = PromiseError::Failed("out of paper");
    assert_eq!(failed.to_string(), "the promise failed: out of paper");
    let cancelled = PromiseError::<String>::Cancelled;
    assert!(
        cancelled.to_string().starts_with("cancelled"),
        "{cancelled}"
    );
}
