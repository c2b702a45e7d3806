//! The loop keeps its contracts where a user would break them: a future that
//! hands out its own address, work that keeps re-queuing itself, destructors
//! that panic, a `stop` at the edge of a run, a loop used after `close`,
//! deadlines at the edge of time, and user values dropped while the loop is
//! busy. Each test is named after the promise it checks.

mod support;

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::marker::PhantomPinned;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

use event_loop::hand::{
    EventLoop, FAR_FUTURE, Handle, block_on, sleep, spawn, yield_now,
};
use support::{DropCount, ReadyThenPanicsInDrop, finishes_within, virtual_loop};

// ---------------------------------------------------------------------------
// Pin: a task's future never moves, not even out and back.

/// How many times the other thread adds to the counter.
const INCREMENTS: usize = 2_000_000;

// ANCHOR: shares_its_address
/// A future that gives its own address to another thread, as an intrusive
/// waiter (tokio's `Notify`, chapter 8's queues) gives its address to the
/// list it waits in. The thread adds to a counter inside the future, through
/// that address. If anything moved the future, even out and back, the
/// thread's additions to the old place would be lost.
struct SharesItsAddress {
    counter: AtomicUsize,
    thread: Mutex<Option<thread::JoinHandle<()>>>,
    done: Arc<AtomicBool>,
    waker: Arc<Mutex<Option<Waker>>>,
    _pinned: PhantomPinned,
}

impl SharesItsAddress {
    fn new() -> SharesItsAddress {
        SharesItsAddress {
            counter: AtomicUsize::new(0),
            thread: Mutex::new(None),
            done: Arc::new(AtomicBool::new(false)),
            waker: Arc::new(Mutex::new(None)),
            _pinned: PhantomPinned,
        }
    }
}

impl Future for SharesItsAddress {
    type Output = usize;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        // Only shared references: the other thread shares the counter.
        let this = self.into_ref().get_ref();
        *this.waker.lock().unwrap() = Some(cx.waker().clone());
        let mut thread = this.thread.lock().unwrap();
        if thread.is_none() {
            let address = &this.counter as *const AtomicUsize as usize;
            let (done, waker) = (Arc::clone(&this.done), Arc::clone(&this.waker));
            *thread = Some(thread::spawn(move || {
                // SAFETY: the future is pinned (it is `!Unpin`, and was
                // polled through `Pin`), so the counter stays at this
                // address until the future is dropped; and its `Drop` joins
                // this thread first. The counter is atomic, so sharing it
                // with the loop's thread is sound.
                let counter = unsafe { &*(address as *const AtomicUsize) };
                for _ in 0..INCREMENTS {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
                done.store(true, Ordering::Release);
                if let Some(waker) = waker.lock().unwrap().take() {
                    waker.wake();
                }
            }));
            return Poll::Pending;
        }
        if !this.done.load(Ordering::Acquire) {
            return Poll::Pending;
        }
        thread.take().unwrap().join().unwrap();
        Poll::Ready(this.counter.load(Ordering::Relaxed))
    }
}

impl Drop for SharesItsAddress {
    fn drop(&mut self) {
        // The thread must be gone before the counter's memory is.
        if let Some(thread) = self.thread.get_mut().unwrap().take() {
            thread.join().unwrap();
        }
    }
}

// ANCHOR_END: shares_its_address

#[test]
fn a_task_future_never_moves_while_a_joiner_polls_its_handle() {
    let counted = finishes_within(Duration::from_secs(120), || {
        block_on(async {
            let mut task = spawn(SharesItsAddress::new());
            // Poll the handle as often as the loop turns, while the other
            // thread writes into the running future.
            let mut polls = 0_u64;
            let counted = loop {
                let polled =
                    poll_fn(|cx| Poll::Ready(Pin::new(&mut task).poll(cx))).await;
                if let Poll::Ready(counted) = polled {
                    break counted.expect("the future does not panic");
                }
                polls += 1;
                yield_now().await;
            };
            (counted, polls)
        })
    });
    let (counted, polls) = counted.expect("the task finished");
    assert!(polls > 0, "the handle was polled while the task ran");
    assert_eq!(
        counted, INCREMENTS,
        "every addition landed: the future never moved"
    );
}

// ---------------------------------------------------------------------------
// Starvation: one ready queue, and a turn runs only what was ready when it
// began.

/// A callback that queues itself again, for ever.
fn requeue_for_ever(handle: Handle, runs: Rc<Cell<u64>>) {
    runs.set(runs.get() + 1);
    let again = handle.clone();
    handle.call_soon(move || requeue_for_ever(again, runs));
}

#[test]
fn a_callback_that_requeues_itself_leaves_room_for_timers_tasks_and_stop() {
    let ran = finishes_within(Duration::from_secs(60), || {
        let event_loop = EventLoop::new();
        let runs = Rc::new(Cell::new(0));
        requeue_for_ever(event_loop.handle(), Rc::clone(&runs));
        let turns = Rc::new(Cell::new(0));
        let counting = Rc::clone(&turns);
        event_loop.create_task(async move {
            loop {
                counting.set(counting.get() + 1);
                yield_now().await;
            }
        });
        let handle = event_loop.handle();
        event_loop.create_task(async move {
            sleep(Duration::from_millis(20)).await;
            handle.stop();
        });
        event_loop.run_forever();
        (runs.get(), turns.get())
    });
    let (runs, turns) = ran.expect("the timer fired and stop ended the loop");
    assert!(
        runs > 1 && turns > 1,
        "both ran many times: {runs} and {turns}"
    );
    assert!(
        runs.abs_diff(turns) <= 2,
        "one run each per turn: {runs} and {turns}"
    );
}

/// A `call_later(0)` that sets another, for ever: on virtual time each one
/// is due the moment it is set.
fn call_later_for_ever(handle: Handle, runs: Rc<Cell<u64>>) {
    runs.set(runs.get() + 1);
    let again = handle.clone();
    handle.call_later(Duration::ZERO, move || call_later_for_ever(again, runs));
}

#[test]
fn a_timer_callback_that_sets_a_timer_already_due_does_not_hold_the_loop() {
    let ran = finishes_within(Duration::from_secs(60), || {
        let event_loop = virtual_loop();
        let runs = Rc::new(Cell::new(0));
        call_later_for_ever(event_loop.handle(), Rc::clone(&runs));
        // `call_at` in the past, set from inside a timer callback.
        let handle = event_loop.handle();
        let past = event_loop.now();
        let in_the_past = Rc::new(Cell::new(false));
        let ran_past = Rc::clone(&in_the_past);
        event_loop.call_later(Duration::ZERO, move || {
            handle.call_at(past, move || ran_past.set(true));
        });
        let done = event_loop.run_until_complete(async {
            for _ in 0..100 {
                yield_now().await;
            }
            "the main future ran 100 turns"
        });
        (done, runs.get(), in_the_past.get())
    });
    let (done, runs, in_the_past) = ran.expect("the loop went on turning");
    assert_eq!(done, "the main future ran 100 turns");
    assert!((95..=105).contains(&runs), "about one a turn: {runs}");
    assert!(in_the_past);
}

#[test]
fn a_task_looping_on_a_zero_sleep_yields_to_the_others() {
    let ran = finishes_within(Duration::from_secs(60), || {
        let event_loop = EventLoop::new();
        let spins = Rc::new(Cell::new(0_u64));
        let counting = Rc::clone(&spins);
        event_loop.create_task(async move {
            loop {
                counting.set(counting.get() + 1);
                sleep(Duration::ZERO).await;
            }
        });
        event_loop.run_until_complete(sleep(Duration::from_millis(20)));
        spins.get()
    });
    let spins = ran.expect("the main future's timer fired beside the spinner");
    assert!(spins > 1, "the spinner ran, one step a turn: {spins}");
}

// ---------------------------------------------------------------------------
// Destructors that panic are contained, as panics in `poll` are.

/// Panics when dropped, with this message.
struct PanicsOnDrop(&'static str);

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("{}", self.0);
    }
}

#[test]
fn a_future_that_panics_in_drop_after_ready_is_reported_as_a_panic() {
    let event_loop = EventLoop::new();
    let bomb = event_loop.create_task(ReadyThenPanicsInDrop);
    let fine = event_loop.create_task(async { "fine" });
    let (bomb, fine) =
        event_loop.run_until_complete(async { (bomb.await, fine.await) });
    let error = bomb.expect_err("the output is lost, as on tokio");
    assert!(error.is_panic());
    assert_eq!(
        error.panic_message().as_deref(),
        Some("dropped after ready")
    );
    assert_eq!(fine.unwrap(), "fine");
    assert_eq!(event_loop.tasks(), 0);
}

#[test]
fn an_aborted_task_that_panics_in_drop_reports_the_panic_and_the_loop_goes_on() {
    let event_loop = virtual_loop();
    let bomb = event_loop.create_task(async {
        let _bomb = PanicsOnDrop("dropped by abort");
        sleep(Duration::from_secs(60)).await;
    });
    event_loop.run_until_complete(yield_now());
    bomb.abort();
    let outcome = event_loop.run_until_complete(bomb);
    let error = outcome.expect_err("aborted");
    assert_eq!(error.panic_message().as_deref(), Some("dropped by abort"));
    // The loop goes on.
    assert_eq!(event_loop.run_until_complete(async { 1 + 1 }), 2);
}

#[test]
fn close_goes_on_past_destructors_that_panic_and_answers_every_handle() {
    let drops = DropCount::default();
    let event_loop = virtual_loop();
    let first = event_loop.create_task(async {
        let _bomb = PanicsOnDrop("first");
        sleep(Duration::from_secs(60)).await;
    });
    let second = event_loop.create_task(async {
        let _bomb = PanicsOnDrop("second");
        sleep(Duration::from_secs(60)).await;
    });
    let guard = drops.guard();
    let third = event_loop.create_task(async move {
        let _guard = guard;
        sleep(Duration::from_secs(60)).await;
    });
    event_loop.run_until_complete(yield_now());
    // Two panicking destructors in a row: without containment the second
    // one would abort the process.
    let closed = event_loop.close();
    assert_eq!(closed.tasks, 3);
    assert_eq!(drops.get(), 1, "the third task was dropped too");
    let first = block_on(first).unwrap_err();
    let second = block_on(second).unwrap_err();
    assert_eq!(first.panic_message().as_deref(), Some("first"));
    assert_eq!(second.panic_message().as_deref(), Some("second"));
    assert!(block_on(third).unwrap_err().is_cancelled());
}

#[test]
fn a_detached_tasks_output_that_panics_in_drop_does_not_stop_the_loop() {
    let event_loop = EventLoop::new();
    drop(event_loop.create_task(async { PanicsOnDrop("an output nobody took") }));
    assert_eq!(
        event_loop.run_until_complete(async {
            yield_now().await;
            "the loop went on"
        }),
        "the loop went on"
    );
}

// ---------------------------------------------------------------------------
// `stop` belongs to one run.

#[test]
fn a_stop_in_the_turn_the_main_future_ends_does_not_stop_the_next_run() {
    let event_loop = virtual_loop();
    let handle = event_loop.handle();
    event_loop.run_until_complete(async move { handle.stop() });
    // Without clearing, this run would stop at once and panic.
    event_loop.run_until_complete(async { sleep(Duration::from_secs(1)).await });
    assert_eq!(event_loop.time(), Duration::from_secs(1));
    let handle = event_loop.handle();
    event_loop.call_soon(move || handle.stop());
    event_loop.run_forever();
    event_loop.run_until_complete(async { sleep(Duration::from_secs(1)).await });
    assert_eq!(event_loop.time(), Duration::from_secs(2));
}

// ---------------------------------------------------------------------------
// A closed loop refuses new work.

#[test]
fn a_closed_loop_cancels_new_tasks_at_once_and_drops_new_callbacks() {
    let drops = DropCount::default();
    let event_loop = virtual_loop();
    let handle = event_loop.handle();
    let remote = event_loop.remote();
    event_loop.close();
    assert!(handle.is_closed());

    let guard = drops.guard();
    let task = handle.create_task(async move {
        let _guard = guard;
    });
    assert!(task.is_finished(), "cancelled at once");
    assert!(block_on(task).unwrap_err().is_cancelled());

    let guard = drops.guard();
    let soon = handle.call_soon(move || drop(guard));
    let guard = drops.guard();
    let later = handle.call_later(Duration::from_secs(1), move || drop(guard));
    assert!(!soon.cancel() && !later.cancel(), "nothing is pending");
    assert_eq!(handle.timers(), 0);

    let guard = drops.guard();
    assert!(!remote.call_soon_threadsafe(move || drop(guard)));
    assert_eq!(
        drops.get(),
        4,
        "everything given to the closed loop was dropped"
    );
}

// ---------------------------------------------------------------------------
// Deadlines at the edge of time.

#[test]
fn a_sleep_of_duration_max_is_a_far_future_not_a_panic() {
    let event_loop = virtual_loop();
    let won = event_loop.run_until_complete(async {
        let never = pin!(sleep(Duration::MAX));
        let soon = pin!(sleep(Duration::from_secs(1)));
        match futures::future::select(never, soon).await {
            futures::future::Either::Left(_) => "never",
            futures::future::Either::Right(_) => "soon",
        }
    });
    assert_eq!(won, "soon");
    let callback = event_loop.call_later(Duration::MAX, || {});
    assert!(callback.cancel());
    let deadline =
        event_loop.run_until_complete(async { sleep(Duration::MAX).deadline() });
    assert_eq!(
        deadline - event_loop.now(),
        FAR_FUTURE,
        "about thirty years, as on tokio"
    );
}

#[test]
fn a_sleep_longer_than_thirty_years_ends_in_thirty_on_a_virtual_clock() {
    let century = Duration::from_secs(100 * 365 * 86_400);
    let ended = finishes_within(Duration::from_secs(60), move || {
        let event_loop = virtual_loop();
        // Made inside the loop, so counted from its clock.
        event_loop.run_until_complete(async { sleep(Duration::MAX).await });
        let first = event_loop.time();
        event_loop.run_until_complete(async { sleep(century).await });
        (first, event_loop.time() - first)
    });
    assert_eq!(
        ended,
        Some((FAR_FUTURE, FAR_FUTURE)),
        "clamped, as tokio clamps"
    );
}

// ---------------------------------------------------------------------------
// User values are dropped after the loop's borrows are released.

/// Uses the loop when dropped: queues a callback and reads the timers.
struct UsesTheLoopInDrop(Handle, Rc<RefCell<Vec<&'static str>>>);

impl Drop for UsesTheLoopInDrop {
    fn drop(&mut self) {
        let log = Rc::clone(&self.1);
        self.0
            .call_soon(move || log.borrow_mut().push("queued from a destructor"));
        let _ = self.0.timers();
        self.1.borrow_mut().push("dropped");
    }
}

#[test]
fn cancelling_a_callback_drops_it_after_the_loop_is_no_longer_borrowed() {
    let event_loop = virtual_loop();
    let log = Rc::new(RefCell::new(Vec::new()));
    for later in [false, true] {
        let value = UsesTheLoopInDrop(event_loop.handle(), Rc::clone(&log));
        let callback = if later {
            event_loop.call_later(Duration::from_secs(1), move || drop(value))
        } else {
            event_loop.call_soon(move || drop(value))
        };
        assert!(callback.cancel());
    }
    event_loop.run_until_complete(yield_now());
    assert_eq!(
        *log.borrow(),
        [
            "dropped",
            "dropped",
            "queued from a destructor",
            "queued from a destructor"
        ]
    );
}

#[test]
fn a_sleep_captured_by_a_cancelled_callback_frees_its_timer() {
    let event_loop = virtual_loop();
    let handle = event_loop.handle();
    let timers = event_loop.run_until_complete(async move {
        let mut nap = sleep(Duration::from_secs(60));
        // Polled once, so its timer is in the heap.
        poll_fn(|cx| Poll::Ready(Pin::new(&mut nap).poll(cx).is_ready())).await;
        assert_eq!(handle.timers(), 1);
        let callback = handle.call_later(Duration::from_secs(1), move || drop(nap));
        assert_eq!(handle.timers(), 2);
        assert!(callback.cancel());
        handle.timers()
    });
    assert_eq!(timers, 0, "the callback's timer and the sleep's");
}

/// A waker whose last drop uses the loop (reads its timers), as a waker of
/// another library's making may do anything when dropped.
struct UsesTheLoopWhenDropped(Arc<AtomicBool>);

impl std::task::Wake for UsesTheLoopWhenDropped {
    fn wake(self: Arc<Self>) {}
}

impl Drop for UsesTheLoopWhenDropped {
    fn drop(&mut self) {
        let _ = event_loop::hand::handle().timers(); // borrows the timer heap
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_waker_replaced_in_a_timer_is_dropped_after_the_heap_is_released() {
    let event_loop = virtual_loop();
    let dropped = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&dropped);
    event_loop.run_until_complete(async move {
        let mut nap = sleep(Duration::from_secs(60));
        let first = Waker::from(Arc::new(UsesTheLoopWhenDropped(seen)));
        // Polled with the first waker, then with the task's own: the timer
        // swaps the first out, and that is its last reference.
        let _ = Pin::new(&mut nap).poll(&mut Context::from_waker(&first));
        drop(first);
        poll_fn(|cx| Poll::Ready(Pin::new(&mut nap).poll(cx).is_ready())).await;
    });
    assert!(
        dropped.load(Ordering::SeqCst),
        "dropped, without a double borrow"
    );
}
