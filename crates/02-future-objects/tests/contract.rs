//! The waker contract: a future that returns `Pending` without leaving a waker
//! is never polled again, and one that leaves it is. And the raw-vtable waker
//! behaves exactly like the one `std::task::Wake` builds.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use future_objects::hand::block_on;
use future_objects::hand::contract::Mailbox;
use future_objects::hand::wakers::{counting_waker, raw_counting_waker};
use future_objects::testing::Poller;

/// Tells the test each time the inner future has been polled.
struct ReportPolls<F> {
    inner: F,
    polled: Sender<()>,
}

impl<F: Future + Unpin> Future for ReportPolls<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let poll = Pin::new(&mut self.inner).poll(cx);
        // After the poll: once told, the test knows the future has looked.
        let _ = self.polled.send(());
        poll
    }
}

/// Runs `future` under `block_on` on its own thread; returns a receiver for
/// its output, once the first poll has happened.
fn block_on_in_background<F>(future: F) -> mpsc::Receiver<F::Output>
where
    F: Future + Unpin + Send + 'static,
    F::Output: Send,
{
    let (polled, first_poll) = mpsc::channel();
    let (done, output) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(block_on(ReportPolls {
            inner: future,
            polled,
        }));
    });
    first_poll
        .recv_timeout(Duration::from_secs(10))
        .expect("block_on polls its future at once");
    output
}

#[test]
fn future_that_forgets_the_waker_hangs_forever() {
    let mailbox = Mailbox::new();
    // This thread never ends: it stays parked in `block_on`, which is the
    // bug. It is leaked on purpose; the test process exits all the same.
    let output = block_on_in_background(mailbox.wait_forgetfully());
    mailbox.deliver(42);
    // Generous enough: a working future is done in microseconds.
    let waited = output.recv_timeout(Duration::from_millis(200));
    assert_eq!(waited, Err(RecvTimeoutError::Timeout));
    assert!(mailbox.has_letter(), "the letter is there; nobody looks");
}

#[test]
fn future_that_leaves_the_waker_completes() {
    let mailbox = Mailbox::new();
    let output = block_on_in_background(mailbox.wait());
    mailbox.deliver(42);
    assert_eq!(output.recv_timeout(Duration::from_secs(10)), Ok(42));
    assert!(!mailbox.has_letter());
}

#[test]
fn forgetful_future_is_never_woken() {
    let mailbox = Mailbox::new();
    let mut poller = Poller::new(mailbox.wait_forgetfully());
    assert_eq!(poller.poll(), Poll::Pending);
    mailbox.deliver(42);
    assert_eq!(poller.wakes(), 0);
    // Only a poll nobody asked for would find the letter.
    assert_eq!(poller.poll(), Poll::Ready(42));
}

#[test]
fn waiting_future_is_woken_once_when_the_letter_arrives() {
    let mailbox = Mailbox::new();
    let mut poller = Poller::new(mailbox.wait());
    assert_eq!(poller.poll(), Poll::Pending);
    assert_eq!(poller.wakes(), 0);
    mailbox.deliver(42);
    assert_eq!(poller.wakes(), 1);
    assert_eq!(poller.poll(), Poll::Ready(42));
    assert_eq!(poller.polls(), 2);
}

#[test]
fn raw_waker_counts_like_the_safe_one() {
    for (name, (waker, counter)) in
        [("safe", counting_waker()), ("raw", raw_counting_waker())]
    {
        waker.wake_by_ref();
        let clone = waker.clone();
        clone.wake();
        assert!(
            waker.will_wake(&waker.clone()),
            "{name}: clones wake the same"
        );
        waker.wake();
        assert_eq!(counter.wakes(), 3, "{name}");
    }
}

#[test]
fn raw_waker_releases_every_clone() {
    let (waker, counter) = raw_counting_waker();
    assert_eq!(Arc::strong_count(&counter), 2, "the counter and one waker");
    let clones: Vec<_> = (0..3).map(|_| waker.clone()).collect();
    assert_eq!(Arc::strong_count(&counter), 5);
    for clone in clones {
        clone.wake(); // consumes the clone and its count
    }
    waker.wake_by_ref(); // keeps it
    assert_eq!(Arc::strong_count(&counter), 2);
    drop(waker);
    assert_eq!(
        Arc::strong_count(&counter),
        1,
        "no waker left, no count leaked"
    );
    assert_eq!(counter.wakes(), 4);
}

#[test]
fn the_promise_wakes_a_raw_waker_too() {
    let (completer, promise) = future_objects::hand::promise::<u64, String>();
    let (waker, counter) = raw_counting_waker();
    let mut poller = Poller::new(promise);
    assert_eq!(poller.poll_with(&waker), Poll::Pending);
    assert_eq!(completer.complete(1), Ok(()));
    assert_eq!(counter.wakes(), 1);
    drop(poller);
    drop(waker);
    assert_eq!(
        Arc::strong_count(&counter),
        1,
        "the promise let go of its clone"
    );
}
