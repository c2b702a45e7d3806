//! The unlock of a FIFO mutex: free with nobody waiting, handed to the first
//! waiter (and that waiter woken) otherwise, in order, and passed on by a
//! lock future dropped after the handover.
//!
//! Run with `cargo test -p ch8-fifo-unlock`. The tests poll the lock futures
//! by hand, with a waker that counts its wakes, so no runtime is needed and
//! nothing can hang.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use ch8_fifo_unlock::Mutex;

/// A waker that counts how often it is woken.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting_waker() -> (Arc<Count>, Waker) {
    let count = Arc::new(Count::default());
    (Arc::clone(&count), Waker::from(count))
}

fn wakes(count: &Count) -> usize {
    count.0.load(Ordering::SeqCst)
}

/// Polls `future` once with `waker`; `Some(output)` if it was ready.
fn poll<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Option<F::Output> {
    match Pin::new(future).poll(&mut Context::from_waker(waker)) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

#[test]
fn step_1_unlocking_with_nobody_waiting_sets_the_lock_free() {
    let mutex = Mutex::new(1);
    let mut guard = mutex.try_lock().expect("free at first");
    *guard += 1;
    drop(guard);
    assert_eq!(*mutex.try_lock().expect("free again after the unlock"), 2);
}

#[test]
fn step_2_unlocking_hands_the_lock_to_the_waiter_and_wakes_it() {
    let mutex = Mutex::new("holder");
    let held = mutex.try_lock().expect("free at first");
    let (count, waker) = counting_waker();
    let mut waiter = mutex.lock();
    assert!(
        poll(&mut waiter, &waker).is_none(),
        "the lock is held: in line"
    );
    drop(held);
    assert_eq!(wakes(&count), 1, "the unlock wakes the waiter");
    assert!(mutex.try_lock().is_none(), "handed over: nobody may cut in");
    let mut guard = poll(&mut waiter, &waker).expect("the waiter collects it");
    *guard = "waiter";
    drop(guard);
    assert_eq!(*mutex.try_lock().expect("free at the end"), "waiter");
}

#[test]
fn step_3_waiters_get_the_lock_in_the_order_they_asked() {
    let mutex = Mutex::new(Vec::new());
    let held = mutex.try_lock().expect("free at first");
    let (_count, waker) = counting_waker();
    let mut waiters: Vec<_> = (0..4).map(|_| mutex.lock()).collect();
    for waiter in &mut waiters {
        assert!(poll(waiter, &waker).is_none());
    }
    assert_eq!(mutex.waiting(), 4);
    drop(held);
    // Poll them last to first: only the first in line may get the lock.
    let mut order = Vec::new();
    while order.len() < 4 {
        let ready = (0..4)
            .rev()
            .find_map(|n| poll(&mut waiters[n], &waker).map(|guard| (n, guard)));
        let (n, mut guard) = ready.expect("someone got the lock");
        guard.push(n);
        order.push(n);
    }
    assert_eq!(order, [0, 1, 2, 3]);
    assert_eq!(*mutex.try_lock().expect("free at the end"), [0, 1, 2, 3]);
}

#[test]
fn step_4_a_waiter_dropped_after_the_handover_passes_the_lock_on() {
    let mutex = Mutex::new(0);
    let held = mutex.try_lock().expect("free at first");
    let (count, waker) = counting_waker();
    let mut first = mutex.lock();
    let mut second = mutex.lock();
    assert!(poll(&mut first, &waker).is_none());
    assert!(poll(&mut second, &waker).is_none());
    drop(held); // hands the lock to `first`...
    drop(first); // ...which is cancelled before it collects it
    assert_eq!(wakes(&count), 2, "the lock was passed on, waking `second`");
    let guard = poll(&mut second, &waker).expect("`second` got the lock");
    drop(guard);
    assert!(mutex.try_lock().is_some(), "and then it is free");
}

#[test]
fn step_4_a_waiter_dropped_in_line_just_leaves_it() {
    let mutex = Mutex::new(0);
    let held = mutex.try_lock().expect("free at first");
    let (_count, waker) = counting_waker();
    let mut dropped = mutex.lock();
    assert!(poll(&mut dropped, &waker).is_none());
    drop(dropped);
    assert_eq!(mutex.waiting(), 0);
    drop(held);
    assert!(mutex.try_lock().is_some(), "nobody in line: free");
}
