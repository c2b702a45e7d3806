//! Where the promise pairs differ, one test per claim: our promise, tokio's
//! oneshot, `futures`' oneshot (what async-std and smol use), async-std's
//! channel (the async-channel crate, which smol's channel is too), and asyncio.
//!
//! Each future is polled by hand with a `Poller`, outside any runtime: these
//! types work on any executor. No test here records a timeline.

use std::task::Poll;

use future_objects::hand::wakers::counting_waker;
use future_objects::hand::{PromiseError, promise};
use future_objects::testing::Poller;
use tokio::sync::oneshot::error::RecvError;

// ANCHOR: sender_dropped
#[test]
fn hand_promise_reports_cancelled() {
    let (completer, promise) = promise::<u64, String>();
    let mut waiting = Poller::new(promise);
    assert!(waiting.poll().is_pending());
    drop(completer);
    assert_eq!(waiting.wakes(), 1, "dropping the completer wakes the task");
    assert_eq!(waiting.poll(), Poll::Ready(Err(PromiseError::Cancelled)));
}

#[test]
fn tokio_oneshot_reports_dropped_sender_as_recv_error() {
    let (sender, receiver) = tokio::sync::oneshot::channel::<u64>();
    let mut waiting = Poller::new(receiver);
    assert!(waiting.poll().is_pending());
    drop(sender);
    assert_eq!(waiting.wakes(), 1);
    let closed = waiting.poll();
    assert!(
        matches!(closed, Poll::Ready(Err(RecvError { .. }))),
        "{closed:?}"
    );
}

#[test]
fn futures_oneshot_reports_canceled() {
    let (sender, receiver) = futures::channel::oneshot::channel::<u64>();
    let mut waiting = Poller::new(receiver);
    assert!(waiting.poll().is_pending());
    drop(sender);
    assert_eq!(waiting.wakes(), 1);
    let canceled = futures::channel::oneshot::Canceled;
    assert_eq!(waiting.poll(), Poll::Ready(Err(canceled)));
}

#[test]
fn async_channel_reports_closed() {
    let (sender, receiver) = async_std::channel::bounded::<u64>(1);
    let mut waiting = Poller::new(receiver.recv());
    assert!(waiting.poll().is_pending());
    drop(sender);
    assert_eq!(waiting.wakes(), 1);
    assert_eq!(
        waiting.poll(),
        Poll::Ready(Err(async_std::channel::RecvError))
    );
}
// ANCHOR_END: sender_dropped

/// async-std 1.13 depends on async-channel 1, smol 2 on async-channel 2: two
/// versions of one crate, so two types, with the same behaviour and message.
#[test]
fn smol_channel_reports_closed_as_async_std_does() {
    let (sender, receiver) = smol::channel::bounded::<u64>(1);
    drop(sender);
    let closed = smol::block_on(receiver.recv()).unwrap_err();
    let (sender, receiver) = async_std::channel::bounded::<u64>(1);
    drop(sender);
    let also_closed = smol::block_on(receiver.recv()).unwrap_err();
    assert_eq!(closed.to_string(), also_closed.to_string());
    assert_eq!(
        closed.to_string(),
        "receiving from an empty and closed channel"
    );
}

/// tokio's `RecvError` has a private field: the only way to get one is to
/// drop a sender.
fn tokio_recv_error() -> RecvError {
    let (sender, receiver) = tokio::sync::oneshot::channel::<u64>();
    drop(sender);
    futures::executor::block_on(receiver).unwrap_err()
}

#[test]
fn error_messages_differ_for_the_same_event() {
    let messages = [
        PromiseError::<String>::Cancelled.to_string(),
        tokio_recv_error().to_string(),
        futures::channel::oneshot::Canceled.to_string(),
        async_std::channel::RecvError.to_string(),
    ];
    assert_eq!(
        messages,
        [
            "cancelled (the completer was dropped without completing)",
            "channel closed",
            "oneshot canceled",
            "receiving from an empty and closed channel",
        ]
    );
}

// ANCHOR: receiver_dropped
#[test]
fn hand_completer_gets_the_value_back_when_the_promise_is_gone() {
    let (completer, promise) = promise::<u64, String>();
    assert!(!completer.is_closed());
    drop(promise);
    assert!(completer.is_closed(), "the completer can tell nobody waits");
    assert_eq!(completer.complete(42), Err(42));
}

#[test]
fn tokio_sender_gets_the_value_back_when_the_receiver_is_gone() {
    let (sender, receiver) = tokio::sync::oneshot::channel::<u64>();
    drop(receiver);
    assert!(sender.is_closed());
    assert_eq!(sender.send(42), Err(42));
}

#[test]
fn futures_sender_gets_the_value_back_when_the_receiver_is_gone() {
    let (sender, receiver) = futures::channel::oneshot::channel::<u64>();
    drop(receiver);
    assert!(sender.is_canceled());
    assert_eq!(sender.send(42), Err(42));
}
// ANCHOR_END: receiver_dropped

#[test]
fn hand_failure_arrives_as_failed() {
    let (completer, promise) = promise::<u64, String>();
    let mut waiting = Poller::new(promise);
    assert_eq!(completer.fail("out of paper".into()), Ok(()));
    let failed = PromiseError::Failed("out of paper".to_string());
    assert_eq!(waiting.poll(), Poll::Ready(Err(failed)));
}

/// A oneshot carries one value; an error travels inside it, as a `Result`.
#[test]
fn tokio_oneshot_carries_an_error_inside_a_result() {
    let (sender, receiver) = tokio::sync::oneshot::channel::<Result<u64, String>>();
    let mut waiting = Poller::new(receiver);
    assert_eq!(sender.send(Err("out of paper".into())), Ok(()));
    assert_eq!(
        waiting.poll(),
        Poll::Ready(Ok(Err("out of paper".to_string())))
    );
}

// ANCHOR: latest_waker
#[test]
fn hand_promise_wakes_only_the_latest_waker() {
    let (completer, promise) = promise::<u64, String>();
    let (first, first_count) = counting_waker();
    let (latest, latest_count) = counting_waker();
    let mut waiting = Poller::new(promise);
    assert!(waiting.poll_with(&first).is_pending());
    assert!(waiting.poll_with(&latest).is_pending());
    assert_eq!(completer.complete(1), Ok(()));
    assert_eq!((first_count.wakes(), latest_count.wakes()), (0, 1));
}

#[test]
fn tokio_oneshot_wakes_only_the_latest_waker() {
    let (sender, receiver) = tokio::sync::oneshot::channel::<u64>();
    let (first, first_count) = counting_waker();
    let (latest, latest_count) = counting_waker();
    let mut waiting = Poller::new(receiver);
    assert!(waiting.poll_with(&first).is_pending());
    assert!(waiting.poll_with(&latest).is_pending());
    assert_eq!(sender.send(1), Ok(()));
    assert_eq!((first_count.wakes(), latest_count.wakes()), (0, 1));
}

#[test]
fn futures_oneshot_wakes_only_the_latest_waker() {
    let (sender, receiver) = futures::channel::oneshot::channel::<u64>();
    let (first, first_count) = counting_waker();
    let (latest, latest_count) = counting_waker();
    let mut waiting = Poller::new(receiver);
    assert!(waiting.poll_with(&first).is_pending());
    assert!(waiting.poll_with(&latest).is_pending());
    assert_eq!(sender.send(1), Ok(()));
    assert_eq!((first_count.wakes(), latest_count.wakes()), (0, 1));
}
// ANCHOR_END: latest_waker

// ANCHOR: polled_after
#[test]
#[should_panic(expected = "polled after it completed")]
fn hand_promise_panics_when_polled_after_completion() {
    let (completer, promise) = promise::<u64, String>();
    let mut waiting = Poller::new(promise);
    let _ = completer.complete(1);
    assert_eq!(waiting.poll(), Poll::Ready(Ok(1)));
    let _ = waiting.poll();
}

#[test]
#[should_panic(expected = "called after complete")]
fn tokio_oneshot_panics_when_polled_after_completion() {
    let (sender, receiver) = tokio::sync::oneshot::channel::<u64>();
    let mut waiting = Poller::new(receiver);
    let _ = sender.send(1);
    assert_eq!(waiting.poll(), Poll::Ready(Ok(1)));
    let _ = waiting.poll();
}

#[test]
fn futures_oneshot_reports_canceled_when_polled_after_completion() {
    let (sender, receiver) = futures::channel::oneshot::channel::<u64>();
    let mut waiting = Poller::new(receiver);
    let _ = sender.send(1);
    assert_eq!(waiting.poll(), Poll::Ready(Ok(1)));
    let canceled = futures::channel::oneshot::Canceled;
    assert_eq!(waiting.poll(), Poll::Ready(Err(canceled)));
}
// ANCHOR_END: polled_after

/// asyncio has no sender to drop: a `Future` nobody completes stays pending.
/// The listing's worker gives up after 50 ms; the waiting coroutine is still
/// ticking when `wait_for` stops it, four times that later.
#[test]
fn asyncio_future_is_never_told_that_its_worker_gave_up() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/promise.py");
    let Some(lines) = timeline::python::run(script, &["0.05", "0.02", "--gives-up"])
    else {
        return;
    };
    let gave_up = lines.iter().position(|line| line == "worker: giving up");
    let gave_up = gave_up.expect("the worker gives up");
    let ticking_on = lines[gave_up..].iter().any(|line| line.starts_with("tick"));
    assert!(ticking_on, "still waiting after the worker left: {lines:?}");
    assert_eq!(
        lines.last().map(String::as_str),
        Some("still no answer: nothing tells the future its worker is gone"),
    );
    assert!(!lines.iter().any(|line| line.starts_with("got the answer")));
}
