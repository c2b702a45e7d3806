//! The countdown: nothing before the first poll, one number per poll, a wake
//! before every `Pending`, and "liftoff" at the end.
//!
//! Run with `cargo test -p ch1-countdown`. The waker here counts its wakes, so
//! the tests see exactly what an executor would be told, with no clock at all.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use ch1_countdown::{Countdown, countdown};
use futures::FutureExt;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

/// A waker that only counts how often it is woken.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl CountingWaker {
    fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A counting waker, and the `Waker` an executor would hand to `poll`.
fn counting_waker() -> (Arc<CountingWaker>, Waker) {
    let count = Arc::new(CountingWaker::default());
    (Arc::clone(&count), Waker::from(count))
}

/// One poll, as an executor makes it.
fn poll_once(countdown: &mut Countdown, waker: &Waker) -> Poll<Vec<String>> {
    Pin::new(countdown).poll_unpin(&mut Context::from_waker(waker))
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| word.to_string()).collect()
}

#[test]
fn step_1_creating_a_countdown_says_nothing_until_it_is_polled() {
    let expected = Countdown::Counting {
        remaining: 3,
        said: vec![],
    };
    assert_eq!(countdown(3), expected);
}

#[test]
fn step_3_counts_down_one_number_per_poll_then_lifts_off() {
    let (_, waker) = counting_waker();
    let mut countdown = countdown(3);
    for (left, said_so_far) in [
        (2, ["3"].as_slice()),
        (1, &["3", "2"]),
        (0, &["3", "2", "1"]),
    ] {
        assert_eq!(poll_once(&mut countdown, &waker), Poll::Pending);
        let expected = Countdown::Counting {
            remaining: left,
            said: strings(said_so_far),
        };
        assert_eq!(countdown, expected);
    }
    let finished = poll_once(&mut countdown, &waker);
    assert_eq!(finished, Poll::Ready(strings(&["3", "2", "1", "liftoff"])));
    assert_eq!(countdown, Countdown::Done);
}

#[test]
fn step_4_wakes_itself_once_before_every_pending() {
    let (count, waker) = counting_waker();
    let mut countdown = countdown(5);
    let mut pending = 0;
    while poll_once(&mut countdown, &waker).is_pending() {
        pending += 1;
        assert_eq!(count.wakes(), pending, "one wake per Pending");
        assert!(
            pending <= 5,
            "a countdown from 5 is pending five times, not more"
        );
    }
    assert_eq!(pending, 5, "five numbers, five Pending, then Ready");
    assert_eq!(
        count.wakes(),
        5,
        "no wake with Ready: nothing is left to do"
    );
}

#[test]
fn step_2_countdown_from_zero_lifts_off_on_the_first_poll_without_a_wake() {
    let (count, waker) = counting_waker();
    let mut countdown = countdown(0);
    let finished = poll_once(&mut countdown, &waker);
    assert_eq!(finished, Poll::Ready(strings(&["liftoff"])));
    assert_eq!(count.wakes(), 0, "nothing to wake for");
}

#[test]
#[should_panic(expected = "polled after it completed")]
fn step_5_polling_after_liftoff_panics() {
    let (_, waker) = counting_waker();
    let mut countdown = countdown(0);
    let _ = poll_once(&mut countdown, &waker);
    let _ = poll_once(&mut countdown, &waker);
}

#[test]
fn step_6_completes_under_a_real_executor() {
    // `run_until_stalled` polls until no task has been woken, then returns, so
    // a countdown that forgets to wake fails here instead of hanging forever
    // (as `futures::executor::block_on` would).
    let mut pool = LocalPool::new();
    let spawned = pool.spawner().spawn_local_with_handle(countdown(2));
    let handle = spawned.expect("a new pool accepts tasks");
    pool.run_until_stalled();
    let said = handle.now_or_never();
    let hint = "the executor stalled: does the countdown wake itself before Pending?";
    assert_eq!(said, Some(strings(&["2", "1", "liftoff"])), "{hint}");
}
