//! Two ways to make a [`Waker`], for the same job: count how often a task is
//! woken.
//!
//! A `Waker` is a pointer and a table of four functions (clone, wake, wake by
//! reference, drop): it says nothing about what waking means. For an executor
//! it means "put this task back in the run queue"; for `block_on` "unpark that
//! thread"; here, "add one to a counter". [`counting_waker`] builds it the safe
//! way, through [`std::task::Wake`]; [`raw_counting_waker`] builds the very
//! same waker from a [`RawWakerVTable`], which is what `Wake` does for us.
// The only `unsafe` in the crate: a raw waker cannot be built without it.
#![allow(unsafe_code)]

use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{RawWaker, RawWakerVTable, Wake, Waker};

// ANCHOR: safe
/// What the wakers share: the number of wakes so far.
#[derive(Debug, Default)]
pub struct WakeCounter {
    wakes: AtomicUsize,
}

impl WakeCounter {
    /// How often a waker of this counter has been woken.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }

    fn record_wake(&self) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

impl Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.record_wake();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.record_wake();
    }
}

/// A waker that counts its wakes, built the safe way: `Waker::from` turns an
/// `Arc` of anything that implements `Wake` into a `Waker`.
///
/// ```
/// let (waker, counter) = future_objects::hand::wakers::counting_waker();
/// waker.wake_by_ref();
/// waker.wake();
/// assert_eq!(counter.wakes(), 2);
/// ```
pub fn counting_waker() -> (Waker, Arc<WakeCounter>) {
    let counter = Arc::new(WakeCounter::default());
    (Waker::from(Arc::clone(&counter)), counter)
}
// ANCHOR_END: safe

// ANCHOR: raw
/// The same waker built by hand. Its data pointer is an `Arc<WakeCounter>`
/// turned into a raw pointer; each waker (each clone) owns one strong count.
pub fn raw_counting_waker() -> (Waker, Arc<WakeCounter>) {
    let counter = Arc::new(WakeCounter::default());
    let data = Arc::into_raw(Arc::clone(&counter)).cast::<()>();
    // SAFETY: `data` comes from `Arc::into_raw` and carries one strong count
    // for the new waker; every function in VTABLE treats it as exactly that.
    let waker = unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) };
    (waker, counter)
}

/// What a raw waker calls: one function per thing a `Waker` can do.
static VTABLE: RawWakerVTable =
    RawWakerVTable::new(clone_waker, wake, wake_by_ref, drop_waker);

/// Makes a second waker: one more strong count for it to own.
///
/// # Safety
///
/// `data` is the pointer of a live waker built by [`raw_counting_waker`].
unsafe fn clone_waker(data: *const ()) -> RawWaker {
    // SAFETY: `data` came from `Arc::into_raw` of an `Arc<WakeCounter>`, and
    // the waker being cloned still owns its count, so the counter is alive.
    unsafe { Arc::increment_strong_count(data.cast::<WakeCounter>()) };
    RawWaker::new(data, &VTABLE)
}

/// Wakes, consuming the waker: its strong count is released.
///
/// # Safety
///
/// `data` is the pointer of a live waker built by [`raw_counting_waker`], and
/// that waker is not used again.
unsafe fn wake(data: *const ()) {
    // SAFETY: the waker owns one strong count and is consumed by `wake`, so
    // the count can become an `Arc` again; it is released when `counter` drops.
    let counter = unsafe { Arc::from_raw(data.cast::<WakeCounter>()) };
    counter.record_wake();
}

/// Wakes, keeping the waker: its strong count stays where it is.
///
/// # Safety
///
/// `data` is the pointer of a live waker built by [`raw_counting_waker`].
unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: the waker is alive and keeps its strong count: `ManuallyDrop`
    // borrows that count as an `Arc` without ever releasing it.
    let counter =
        ManuallyDrop::new(unsafe { Arc::from_raw(data.cast::<WakeCounter>()) });
    counter.record_wake();
}

/// Drops a waker without waking it: releases its strong count.
///
/// # Safety
///
/// `data` is the pointer of a live waker built by [`raw_counting_waker`], and
/// that waker is not used again.
unsafe fn drop_waker(data: *const ()) {
    // SAFETY: the waker being dropped owns one strong count, released here
    // once; the waker is gone afterwards, so the count is not released twice.
    unsafe { Arc::decrement_strong_count(data.cast::<WakeCounter>()) };
}
// ANCHOR_END: raw
