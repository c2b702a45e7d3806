//! The hand-rolled executor, one behaviour per test: spawning, the run queue
//! and its wakers, panics (in `poll` and in destructors), abort, nesting, and
//! what happens to the tasks left at the end.
//! Each test runs under `within`, so that a broken executor fails it
//! instead of hanging it.

mod support;

use std::cell::{Cell, RefCell};
use std::future::{Future, pending, poll_fn};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use coroutines::hand::sleep;
use support::{DropCount, Guard, RESET, broken, gate, task_at_a_gate, within};
use tasks::hand::{Executor, JoinError, JoinHandle, block_on, spawn, yield_now};
use timeline::Recording;

#[test]
fn handle_resolves_to_the_tasks_output() {
    within(|| {
        let outcome = block_on(async { spawn(async { 40 + 2 }).await });
        assert_eq!(outcome, Ok(42));
    });
}

#[test]
fn results_come_back_in_the_order_asked_whatever_finishes_first() {
    within(|| {
        let finished = Rc::new(RefCell::new(Vec::new()));
        let results = block_on(async {
            let handles = [30, 20, 10].map(|millis| {
                let finished = Rc::clone(&finished);
                spawn(async move {
                    sleep(Duration::from_millis(millis)).await;
                    finished.borrow_mut().push(millis);
                    millis
                })
            });
            let mut results = Vec::new();
            for handle in handles {
                results.push(handle.await.unwrap());
            }
            results
        });
        assert_eq!(*finished.borrow(), [10, 20, 30], "shortest first");
        assert_eq!(results, [30, 20, 10], "in the order asked");
    });
}

#[test]
fn a_future_that_is_not_spawned_does_nothing() {
    within(|| {
        let polled = Cell::new(false);
        block_on(async {
            let created = async { polled.set(true) };
            for _ in 0..3 {
                yield_now().await;
            }
            drop(created);
        });
        assert!(
            !polled.get(),
            "created, never spawned or awaited: never run"
        );
    });
}

#[test]
fn a_wake_from_another_thread_unparks_the_executor() {
    within(|| {
        let (opener, gate) = gate();
        let outcome = block_on(async move {
            let handle = spawn(async move {
                gate.await;
                "through the gate"
            });
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(20));
                opener.open();
            });
            handle.await
        });
        assert_eq!(outcome, Ok("through the gate"));
    });
}

/// Pending forever; counts its polls and keeps its latest waker.
#[derive(Default)]
struct Counted {
    polls: Rc<Cell<usize>>,
    waker: Rc<RefCell<Option<Waker>>>,
}

impl Future for Counted {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.polls.set(self.polls.get() + 1);
        *self.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[test]
fn a_task_woken_twice_before_it_runs_is_polled_once() {
    within(|| {
        let counted = Counted::default();
        let (polls, waker) = (Rc::clone(&counted.polls), Rc::clone(&counted.waker));
        block_on(async move {
            let _handle = spawn(counted);
            yield_now().await;
            assert_eq!(polls.get(), 1, "polled at the first turn");
            let task = waker.borrow().clone().unwrap();
            task.wake_by_ref();
            task.wake_by_ref();
            // Queued once, the task runs once before this task comes back.
            yield_now().await;
            assert_eq!(polls.get(), 2);
            yield_now().await;
            assert_eq!(polls.get(), 2, "and not again");
        });
    });
}

#[test]
fn a_wake_for_a_finished_task_is_harmless() {
    within(|| {
        let waker = Rc::new(RefCell::new(None::<Waker>));
        let keep = Rc::clone(&waker);
        let outcome = block_on(async move {
            let first = spawn(std::future::poll_fn(move |cx| {
                *keep.borrow_mut() = Some(cx.waker().clone());
                Poll::Ready("done")
            }));
            assert_eq!(first.await, Ok("done"));
            waker.borrow().clone().unwrap().wake();
            // The stale wake is skipped; the executor goes on.
            spawn(async { "still running" }).await
        });
        assert_eq!(outcome, Ok("still running"));
    });
}

#[test]
fn a_wake_for_an_aborted_task_is_harmless() {
    within(|| {
        let counted = Counted::default();
        let waker = Rc::clone(&counted.waker);
        let outcome = block_on(async move {
            let aborted = spawn(counted);
            yield_now().await;
            aborted.abort();
            assert_eq!(aborted.await, Err(JoinError::Cancelled));
            waker.borrow().clone().unwrap().wake();
            spawn(async { "still running" }).await
        });
        assert_eq!(outcome, Ok("still running"));
    });
}

#[test]
fn tasks_still_pending_when_the_executor_ends_are_dropped() {
    within(|| {
        let drops = DropCount::default();
        let executor = Executor::new();
        let handles: Vec<JoinHandle<()>> = (0..3)
            .map(|_| {
                let guard = drops.guard();
                executor.spawn(async move {
                    let _guard = guard;
                    std::future::pending::<()>().await;
                })
            })
            .collect();
        executor.block_on(yield_now()); // they start, and wait forever
        assert_eq!(executor.tasks(), 3);
        assert_eq!(drops.get(), 0);
        drop(executor);
        assert_eq!(drops.get(), 3, "none leaked");
        // Their handles hear it, awaited on any executor (here chapter 1's).
        for handle in handles {
            let outcome = coroutines::hand::block_on(handle);
            assert_eq!(outcome, Err(JoinError::Cancelled));
        }
    });
}

#[test]
fn a_panicking_task_does_not_take_the_executor_down() {
    within(|| {
        let executor = Executor::new();
        let (crashed, fine) = executor.block_on(async {
            let crashed = spawn(broken());
            let fine = spawn(async { "fine" });
            (crashed.await, fine.await)
        });
        assert_eq!(crashed, Err(JoinError::Panicked(RESET.to_string())));
        assert_eq!(fine, Ok("fine"));
        let again = executor.block_on(async { spawn(async { "again" }).await });
        assert_eq!(again, Ok("again"), "the executor still works");
    });
}

#[test]
fn abort_cancels_only_that_task() {
    within(|| {
        let [(a, open_a, _), (b, _, watch_b), (c, open_c, _)] =
            [(); 3].map(|()| task_at_a_gate());
        let outcomes = block_on(async move {
            let handles = [spawn(a), spawn(b), spawn(c)];
            yield_now().await;
            handles[1].abort();
            open_a.open();
            open_c.open();
            let mut outcomes = Vec::new();
            for handle in handles {
                outcomes.push(handle.await);
            }
            outcomes
        });
        assert_eq!(outcomes, [Ok(()), Err(JoinError::Cancelled), Ok(())]);
        assert!(watch_b.ended() && !watch_b.finished());
    });
}

#[test]
fn abort_after_the_task_finished_keeps_its_output() {
    within(|| {
        let outcome = block_on(async {
            let handle = spawn(async { "done" });
            yield_now().await;
            assert!(handle.is_finished());
            handle.abort();
            handle.await
        });
        assert_eq!(outcome, Ok("done"));
    });
}

#[test]
fn abort_before_the_first_turn_drops_the_task_unpolled() {
    within(|| {
        let polled = Rc::new(Cell::new(false));
        let flag = Rc::clone(&polled);
        let drops = DropCount::default();
        let guard = drops.guard();
        let outcome = block_on(async move {
            let handle = spawn(async move {
                let _guard = guard;
                flag.set(true);
            });
            handle.abort();
            handle.await
        });
        assert_eq!(outcome, Err(JoinError::Cancelled));
        assert!(!polled.get(), "never polled");
        assert_eq!(drops.get(), 1, "but dropped");
    });
}

#[test]
fn run_returns_once_every_task_has_ended() {
    within(|| {
        let done = Rc::new(Cell::new(0));
        let executor = Executor::new();
        for millis in [10, 0, 5] {
            let done = Rc::clone(&done);
            let _detached = executor.spawn(async move {
                sleep(Duration::from_millis(millis)).await;
                done.set(done.get() + 1);
            });
        }
        executor.run();
        assert_eq!(done.get(), 3);
        assert_eq!(executor.tasks(), 0);
    });
}

#[test]
fn a_task_can_spawn_tasks() {
    within(|| {
        let outcome = block_on(async {
            spawn(async { spawn(async { "grandchild" }).await.unwrap() }).await
        });
        assert_eq!(outcome, Ok("grandchild"));
    });
}

#[test]
#[should_panic(expected = "`spawn` called outside an executor")]
fn spawn_outside_an_executor_panics() {
    let _handle = spawn(async {});
}

#[test]
fn join_handle_is_send_when_its_output_is() {
    fn assert_send<T: Send>() {}
    assert_send::<JoinHandle<String>>();
}

/// A destructor that goes wrong: it panics with its message.
struct PanicsOnDrop(&'static str);

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("{}", self.0);
    }
}

/// `Err(Panicked(message))`, for comparing outcomes.
fn panicked<T>(message: &str) -> Result<T, JoinError> {
    Err(JoinError::Panicked(message.to_string()))
}

#[test]
fn an_output_lost_to_a_destructor_panic_may_panic_when_dropped_too() {
    within(|| {
        let executor = Executor::new();
        let outcome = executor.block_on(async {
            let bomb = PanicsOnDrop("the future's destructor");
            spawn(poll_fn(move |_| {
                let _held = &bomb;
                Poll::Ready(PanicsOnDrop("the output's destructor"))
            }))
            .await
            .map(std::mem::forget)
        });
        assert_eq!(outcome, panicked("the future's destructor"));
        let again = executor.block_on(async { spawn(async { "again" }).await });
        assert_eq!(again, Ok("again"), "the executor still works");
    });
}

#[test]
fn a_detached_tasks_output_that_panics_when_dropped_does_not_stop_the_executor() {
    within(|| {
        let executor = Executor::new();
        let done = executor.block_on(async {
            // Detached: its output goes with the job, in the executor.
            drop(spawn(async { PanicsOnDrop("an output nobody took") }));
            yield_now().await;
            yield_now().await;
            "the executor went on"
        });
        assert_eq!(done, "the executor went on");
    });
}

#[test]
fn a_destructor_that_panics_after_the_task_finished_becomes_its_join_error() {
    within(|| {
        let executor = Executor::new();
        let outcome = executor.block_on(async {
            let bomb = PanicsOnDrop("closing the socket failed");
            // Ready at once, but `bomb` lives until the future is dropped.
            spawn(poll_fn(move |_| {
                let _held = &bomb;
                Poll::Ready(42)
            }))
            .await
        });
        assert_eq!(
            outcome,
            panicked("closing the socket failed"),
            "output lost"
        );
        let again = executor.block_on(async { spawn(async { "again" }).await });
        assert_eq!(again, Ok("again"), "the executor still works");
    });
}

#[test]
fn a_destructor_that_panics_when_an_aborted_task_is_dropped_becomes_its_join_error() {
    within(|| {
        let (aborted, after) = block_on(async {
            let handle = spawn(async {
                let _bomb = PanicsOnDrop("closing the socket failed");
                pending::<()>().await;
            });
            yield_now().await; // it starts, and holds the bomb
            handle.abort();
            let aborted = handle.await;
            (aborted, spawn(async { "still running" }).await)
        });
        assert_eq!(aborted, panicked("closing the socket failed"));
        assert_eq!(after, Ok("still running"));
    });
}

/// A waker that only notes that it was woken.
#[derive(Default)]
struct Noted(AtomicBool);

impl Wake for Noted {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Pending forever, holding `guard`, and a bomb if `bomb` is given.
async fn waits_holding(guard: Guard, bomb: Option<&'static str>) {
    let _guard = guard;
    let _bomb = bomb.map(PanicsOnDrop);
    pending::<()>().await;
}

#[test]
fn every_task_is_dropped_with_the_executor_even_if_destructors_panic() {
    within(|| {
        let drops = DropCount::default();
        let executor = Executor::new();
        let [first, mut middle, last] = [Some("first"), None, Some("last")]
            .map(|bomb| executor.spawn(waits_holding(drops.guard(), bomb)));
        executor.block_on(yield_now()); // they start, and wait forever
        // Someone awaits the middle task's handle, from outside the executor.
        let noted = Arc::new(Noted::default());
        let waker = Waker::from(Arc::clone(&noted));
        let polled = Pin::new(&mut middle).poll(&mut Context::from_waker(&waker));
        assert!(polled.is_pending());
        drop(executor); // two destructors panic in here
        assert_eq!(drops.get(), 3, "every task dropped");
        assert!(
            noted.0.load(Ordering::SeqCst),
            "the middle handle's waiter woken"
        );
        let outcomes = [first, middle, last].map(coroutines::hand::block_on);
        let expected = [
            panicked("first"),
            Err(JoinError::Cancelled),
            panicked("last"),
        ];
        assert_eq!(outcomes, expected);
    });
}

#[test]
fn a_panic_that_no_handle_can_report_is_logged() {
    let message = "the detached task's destructor panicked";
    let recording = Recording::start();
    within(move || {
        let executor = Executor::new();
        drop(
            executor.spawn(waits_holding(DropCount::default().guard(), Some(message))),
        );
        executor.block_on(yield_now()); // it starts, detached, and waits forever
        drop(executor);
    });
    let timeline = recording.finish();
    // Other tests of this file may log meanwhile: look for this one's line.
    let logged = timeline.events().iter().any(|event| {
        event.level == tracing::Level::ERROR && event.text.contains(message)
    });
    assert!(logged, "logged as an error: {:?}", timeline.texts());
}

#[test]
fn block_on_inside_a_task_panics_instead_of_hanging() {
    within(|| {
        let executor = Rc::new(Executor::new());
        let same = Rc::clone(&executor);
        let outcome = executor.block_on(async move {
            let nested = spawn(async move { same.block_on(yield_now()) });
            // The main future is queued behind the task; a nested `block_on`
            // would take its wake, and it would never run again.
            yield_now().await;
            nested.await
        });
        let Err(JoinError::Panicked(message)) = outcome else {
            panic!("expected a panic, got {outcome:?}");
        };
        assert!(message.contains("`block_on` cannot be nested"), "{message}");
    });
}

#[test]
fn block_on_inside_the_main_future_panics_before_polling_anything() {
    within(|| {
        let polled = Cell::new(false);
        let nested = panic::catch_unwind(AssertUnwindSafe(|| {
            block_on(async { block_on(async { polled.set(true) }) });
        }));
        let message = tasks::panic_message(&*nested.expect_err("a nested block_on"));
        assert!(message.contains("`block_on` cannot be nested"), "{message}");
        assert!(!polled.get(), "the nested future was never polled");
    });
}

#[test]
fn run_inside_a_task_panics() {
    within(|| {
        let executor = Rc::new(Executor::new());
        let same = Rc::clone(&executor);
        let handle = executor.spawn(async move { same.run() });
        let outcome = executor.block_on(handle);
        let Err(JoinError::Panicked(message)) = outcome else {
            panic!("expected a panic, got {outcome:?}");
        };
        assert!(message.contains("`run` cannot be nested"), "{message}");
    });
}

/// When dropped, spawns a task that holds the next link, `links` times over,
/// and keeps the handles.
struct SpawnsOnDrop {
    links: usize,
    handles: Rc<RefCell<Vec<JoinHandle<()>>>>,
}

impl Drop for SpawnsOnDrop {
    fn drop(&mut self) {
        if self.links == 0 {
            return;
        }
        let next = SpawnsOnDrop {
            links: self.links - 1,
            handles: Rc::clone(&self.handles),
        };
        let handle = spawn(async move {
            let _next = next;
            pending::<()>().await;
        });
        self.handles.borrow_mut().push(handle);
    }
}

#[test]
fn a_destructor_may_spawn_while_the_executor_is_dropped() {
    within(|| {
        let handles = Rc::new(RefCell::new(Vec::new()));
        let chain = SpawnsOnDrop {
            links: 3,
            handles: Rc::clone(&handles),
        };
        let executor = Executor::new();
        let first = executor.spawn(async move {
            let _chain = chain;
            pending::<()>().await;
        });
        executor.block_on(yield_now()); // it starts, and waits forever
        drop(executor); // each task dropped spawns the next
        let handles = handles.take();
        assert_eq!(handles.len(), 3, "three spawned while dropping");
        for handle in [first].into_iter().chain(handles) {
            let outcome = coroutines::hand::block_on(handle);
            assert_eq!(outcome, Err(JoinError::Cancelled));
        }
    });
}

/// When dropped, cleans up with a `block_on` of its own, and notes the result.
struct BlocksOnDrop(Rc<Cell<Option<&'static str>>>);

impl Drop for BlocksOnDrop {
    fn drop(&mut self) {
        self.0.set(Some(block_on(async { "cleaned up" })));
    }
}

#[test]
fn a_destructor_may_block_on_while_the_executor_is_dropped() {
    within(|| {
        let cleaned = Rc::new(Cell::new(None));
        let cleanup = BlocksOnDrop(Rc::clone(&cleaned));
        let executor = Executor::new();
        let handle = executor.spawn(async move {
            let _cleanup = cleanup;
            pending::<()>().await;
        });
        executor.block_on(yield_now()); // it starts, and waits forever
        drop(executor); // current for `spawn`, but no loop is running
        assert_eq!(cleaned.get(), Some("cleaned up"));
        assert_eq!(
            coroutines::hand::block_on(handle),
            Err(JoinError::Cancelled)
        );
    });
}
