//! The countdown: one step per poll, a wake before each `Pending`, nothing
//! before the first poll.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use ch1_countdown::{Countdown, countdown};

/// A waker that counts its wakes.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn poll(countdown: &mut Countdown, waker: &Waker) -> Poll<Vec<String>> {
    std::future::Future::poll(Pin::new(countdown), &mut Context::from_waker(waker))
}

#[test]
fn creating_a_countdown_says_nothing() {
    assert_eq!(
        countdown(3),
        Countdown::Counting {
            remaining: 3,
            said: vec![]
        }
    );
}

#[test]
fn counts_down_one_number_per_poll_then_lifts_off() {
    let waker = Waker::from(Arc::new(CountingWaker::default()));
    let mut countdown = countdown(3);
    for said_so_far in [vec!["3"], vec!["3", "2"], vec!["3", "2", "1"]] {
        assert_eq!(poll(&mut countdown, &waker), Poll::Pending);
        let Countdown::Counting { said, .. } = &countdown else {
            panic!("still counting after {said_so_far:?}, found {countdown:?}");
        };
        assert_eq!(said, &said_so_far);
    }
    assert_eq!(
        poll(&mut countdown, &waker),
        Poll::Ready(vec![
            "3".to_string(),
            "2".to_string(),
            "1".to_string(),
            "liftoff".to_string()
        ])
    );
    assert_eq!(countdown, Countdown::Done);
}

#[test]
fn wakes_itself_before_every_pending() {
    let count = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&count));
    let mut countdown = countdown(5);
    let mut polls = 0;
    while poll(&mut countdown, &waker).is_pending() {
        polls += 1;
        assert_eq!(
            count.0.load(Ordering::SeqCst),
            polls,
            "one wake per Pending"
        );
        assert!(polls <= 5, "a countdown from 5 is pending five times");
    }
    assert_eq!(polls, 5);
}

#[test]
fn countdown_from_zero_lifts_off_at_once() {
    let count = Arc::new(CountingWaker::default());
    let waker = Waker::from(Arc::clone(&count));
    let mut countdown = countdown(0);
    assert_eq!(
        poll(&mut countdown, &waker),
        Poll::Ready(vec!["liftoff".to_string()])
    );
    assert_eq!(count.0.load(Ordering::SeqCst), 0, "nothing to wake for");
}

#[test]
fn completes_under_a_real_executor() {
    // Run on a thread so that a countdown that forgets to wake fails the test
    // after a while instead of hanging it.
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(futures::executor::block_on(countdown(2)));
    });
    let said = finished
        .recv_timeout(Duration::from_secs(10))
        .expect("block_on never finished: does the countdown wake itself?");
    assert_eq!(said, ["2", "1", "liftoff"]);
}

#[test]
#[should_panic(expected = "polled after it completed")]
fn polling_after_liftoff_panics() {
    let waker = Waker::from(Arc::new(CountingWaker::default()));
    let mut countdown = countdown(0);
    let _ = poll(&mut countdown, &waker);
    let _ = poll(&mut countdown, &waker);
}
