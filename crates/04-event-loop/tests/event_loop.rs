//! The hand-rolled loop's behaviour: tasks, callbacks, timers, virtual time,
//! stopping, wakes from other threads, fairness, panics, cancellation and
//! shutdown. Nothing here records events: see `debug_mode.rs` for that.

mod support;

use std::cell::RefCell;
use std::future::poll_fn;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};

use event_loop::hand::{
    self, EventLoop, block_on, sleep, sleep_until, spawn, yield_now,
};
use support::{DropCount, finishes_within, virtual_loop};

#[test]
fn run_until_complete_returns_the_output() {
    let event_loop = EventLoop::new();
    let task = event_loop.create_task(async { 40 + 2 });
    assert_eq!(event_loop.run_until_complete(task).unwrap(), 42);
    assert_eq!(event_loop.tasks(), 0);
}

#[test]
fn a_task_starts_at_the_next_turn_not_when_created() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let event_loop = EventLoop::new();
    let in_task = Rc::clone(&log);
    let task = event_loop.create_task(async move { in_task.borrow_mut().push("task") });
    log.borrow_mut().push("created");
    event_loop.run_until_complete(task).unwrap();
    assert_eq!(*log.borrow(), ["created", "task"]);
}

#[test]
fn call_soon_runs_callbacks_in_the_order_they_were_queued() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let event_loop = EventLoop::new();
    for n in 1..=3 {
        let log = Rc::clone(&log);
        event_loop.call_soon(move || log.borrow_mut().push(n));
    }
    let cancelled = {
        let log = Rc::clone(&log);
        event_loop.call_soon(move || log.borrow_mut().push(99))
    };
    assert!(cancelled.cancel());
    assert!(!cancelled.cancel(), "cancelling twice finds nothing");
    event_loop.run_until_complete(yield_now());
    assert_eq!(*log.borrow(), [1, 2, 3]);
}

#[test]
fn call_later_runs_callbacks_in_deadline_order_on_virtual_time() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let event_loop = virtual_loop();
    for (delay, n) in [(300, 3), (100, 1), (200, 2), (100, 11)] {
        let log = Rc::clone(&log);
        let handle = event_loop.handle();
        event_loop.call_later(Duration::from_millis(delay), move || {
            log.borrow_mut().push((n, handle.time()));
        });
    }
    event_loop.run_until_complete(sleep(Duration::from_millis(400)));
    let ms = Duration::from_millis;
    assert_eq!(
        *log.borrow(),
        [(1, ms(100)), (11, ms(100)), (2, ms(200)), (3, ms(300))],
        "same deadline: the order they were set in"
    );
    assert_eq!(event_loop.timers(), 0);
}

#[test]
fn a_cancelled_call_later_leaves_the_heap_at_once() {
    let event_loop = virtual_loop();
    let callback =
        event_loop.call_later(Duration::from_secs(3600), || panic!("never runs"));
    assert_eq!(event_loop.timers(), 1);
    assert!(callback.cancel());
    assert_eq!(event_loop.timers(), 0);
    event_loop.run_until_complete(sleep(Duration::from_secs(7200)));
}

// ANCHOR: virtual_countdowns
#[test]
fn virtual_time_runs_the_countdowns_in_no_real_time_with_exact_times() {
    let event_loop = virtual_loop();
    let real = Instant::now();
    let took = hand::run_countdowns_on(&event_loop, Duration::from_secs(1));
    assert_eq!(took, Duration::from_secs(5), "A counts 5 steps of 1 s");
    assert!(
        real.elapsed() < Duration::from_secs(3),
        "5 s of virtual time took {:?} of real time",
        real.elapsed()
    );
}
// ANCHOR_END: virtual_countdowns

#[test]
fn timers_compare_exact_instants() {
    let event_loop = virtual_loop();
    let order = Rc::new(RefCell::new(Vec::new()));
    let deadline = event_loop.now() + Duration::from_millis(1500);
    for name in ["first", "second"] {
        let order = Rc::clone(&order);
        event_loop.create_task(async move {
            sleep_until(deadline).await;
            order.borrow_mut().push((name, hand::now()));
        });
    }
    let just_before = deadline - Duration::from_nanos(1);
    let woke_at = event_loop.run_until_complete(async move {
        sleep_until(just_before).await;
        hand::now()
    });
    assert_eq!(
        woke_at, just_before,
        "a virtual clock stops exactly at the deadline"
    );
    assert!(
        order.borrow().is_empty(),
        "1 ns early, the others still sleep"
    );
    event_loop.run_until_complete(sleep_until(deadline));
    assert_eq!(*order.borrow(), [("first", deadline), ("second", deadline)]);
}

#[test]
fn a_sleep_whose_deadline_has_passed_yields_once_as_asyncio_sleep_0_does() {
    let event_loop = virtual_loop();
    event_loop.run_until_complete(async {
        let mut past = pin!(sleep(Duration::ZERO));
        let first = poll_fn(|cx| Poll::Ready(past.as_mut().poll_ready(cx))).await;
        assert!(!first, "sleep(0) lets the others run first");
        let second = poll_fn(|cx| Poll::Ready(past.as_mut().poll_ready(cx))).await;
        assert!(second, "and is ready at its next poll");
    });
    assert_eq!(event_loop.timers(), 0, "it never needed a timer");
}

/// Polls a future once, for the tests: `Poll` as a bool.
trait PollOnce {
    fn poll_ready(self, cx: &mut std::task::Context<'_>) -> bool;
}

impl<F: Future> PollOnce for std::pin::Pin<&mut F> {
    fn poll_ready(self, cx: &mut std::task::Context<'_>) -> bool {
        self.poll(cx).is_ready()
    }
}

#[test]
fn dropped_sleeps_free_their_timers_so_the_heap_stays_small() {
    let event_loop = virtual_loop();
    let handle = event_loop.handle();
    event_loop.run_until_complete(async move {
        let mut most = 0;
        for _ in 0..10_000 {
            // A timeout that is never reached: polled once, then abandoned.
            let mut timeout = pin!(sleep(Duration::from_secs(3600)));
            poll_fn(|cx| Poll::Ready(timeout.as_mut().poll_ready(cx))).await;
            most = most.max(handle.timers());
        }
        assert_eq!(most, 1, "at most one timer at a time");
    });
    assert_eq!(event_loop.timers(), 0, "and none left over");
}

#[test]
fn run_forever_ends_when_a_callback_stops_the_loop() {
    let event_loop = virtual_loop();
    let handle = event_loop.handle();
    event_loop.call_later(Duration::from_secs(2), move || handle.stop());
    event_loop.run_forever();
    assert_eq!(event_loop.time(), Duration::from_secs(2));
}

#[test]
#[should_panic(expected = "the event loop was stopped before the future completed")]
fn stopping_the_loop_inside_run_until_complete_is_a_clear_error() {
    let event_loop = EventLoop::new();
    let handle = event_loop.handle();
    event_loop.run_until_complete(async move {
        handle.stop();
        sleep(Duration::from_secs(3600)).await;
    });
}

#[test]
fn another_thread_can_stop_a_loop_waiting_with_nothing_to_do() {
    let stopped = finishes_within(Duration::from_secs(20), || {
        let event_loop = EventLoop::new();
        let stop = event_loop.remote();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            stop.stop();
        });
        event_loop.run_forever(); // blocks in the poller: no timers, no I/O
        stopper.join().unwrap();
    });
    assert!(stopped.is_some(), "the loop never woke for the stop");
}

#[test]
fn a_wake_from_a_plain_thread_interrupts_the_poller() {
    let answered = finishes_within(Duration::from_secs(20), || {
        block_on(async {
            let (completer, promise) = future_objects::hand::promise::<u32, ()>();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                completer.complete(7).unwrap();
            });
            promise.await
        })
    });
    assert_eq!(answered, Some(Ok(7)));
}

#[test]
fn a_task_that_keeps_waking_itself_does_not_starve_the_others() {
    let ran = finishes_within(Duration::from_secs(20), || {
        let event_loop = EventLoop::new();
        let turns = Rc::new(RefCell::new(Vec::new()));
        let spinner = {
            let turns = Rc::clone(&turns);
            event_loop.create_task(async move {
                loop {
                    turns.borrow_mut().push("spin");
                    yield_now().await;
                }
            })
        };
        let worker = {
            let turns = Rc::clone(&turns);
            event_loop.create_task(async move {
                for _ in 0..3 {
                    turns.borrow_mut().push("work");
                    yield_now().await;
                }
                // Timers still fire while a task spins.
                sleep(Duration::from_millis(10)).await;
                "done"
            })
        };
        let done = event_loop.run_until_complete(worker);
        spinner.abort();
        let turns = turns.borrow().clone();
        (done, turns)
    });
    let (done, turns) = ran.expect("the worker finished despite the spinner");
    assert_eq!(done.unwrap(), "done");
    assert_eq!(
        turns[..6],
        ["spin", "work", "spin", "work", "spin", "work"],
        "one poll each, in turn"
    );
}

#[test]
fn a_panicking_task_is_reported_and_the_loop_goes_on() {
    let event_loop = EventLoop::new();
    let broken = event_loop.create_task(async {
        yield_now().await;
        panic!("connection reset");
    });
    let fine = event_loop.create_task(async { "fine" });
    let (broken, fine) =
        event_loop.run_until_complete(async { (broken.await, fine.await) });
    let broken = broken.unwrap_err();
    assert!(broken.is_panic());
    assert_eq!(broken.panic_message().as_deref(), Some("connection reset"));
    assert_eq!(fine.unwrap(), "fine");
}

#[test]
fn a_panicking_callback_is_logged_and_the_loop_goes_on() {
    let event_loop = EventLoop::new();
    event_loop.call_soon(|| panic!("callback broke"));
    let ran = Rc::new(RefCell::new(false));
    let after = Rc::clone(&ran);
    event_loop.call_soon(move || *after.borrow_mut() = true);
    event_loop.run_until_complete(yield_now());
    assert!(*ran.borrow());
}

#[test]
fn abort_drops_the_task_runs_its_destructors_and_frees_its_timer() {
    let drops = DropCount::default();
    let event_loop = virtual_loop();
    let guard = drops.guard();
    let slow = event_loop.create_task(async move {
        let _guard = guard;
        sleep(Duration::from_secs(60)).await;
    });
    event_loop.run_until_complete(sleep(Duration::from_secs(1)));
    assert_eq!(event_loop.timers(), 1, "the slow task's sleep");
    slow.abort();
    let outcome = event_loop.run_until_complete(slow);
    assert!(outcome.unwrap_err().is_cancelled());
    assert_eq!(drops.get(), 1);
    assert_eq!(event_loop.timers(), 0);
    assert_eq!(event_loop.tasks(), 0);
}

#[test]
fn close_drops_what_is_pending_and_leaks_nothing() {
    let drops = DropCount::default();
    let event_loop = virtual_loop();
    let handle = {
        let guard = drops.guard();
        event_loop.create_task(async move {
            let _guard = guard;
            // The task holds its sleep, which holds the loop: a cycle that
            // only closing breaks.
            sleep(Duration::from_secs(60)).await;
        })
    };
    let guard = drops.guard();
    event_loop.call_later(Duration::from_secs(5), move || drop(guard));
    event_loop.run_until_complete(sleep(Duration::from_secs(1)));
    let closed = event_loop.close();
    // The `call_later` is a callback waiting on a timer: it counts as both.
    assert_eq!((closed.tasks, closed.callbacks, closed.timers), (1, 1, 2));
    assert_eq!(drops.get(), 2, "the task's and the callback's guards");
    assert!(handle.is_finished());
    assert!(block_on(handle).unwrap_err().is_cancelled());
}

#[test]
fn dropping_the_loop_drops_its_tasks_too() {
    let drops = DropCount::default();
    {
        let event_loop = EventLoop::new();
        let guard = drops.guard();
        event_loop.create_task(async move {
            let _guard = guard;
            sleep(Duration::from_secs(60)).await;
        });
        event_loop.run_until_complete(yield_now());
    }
    assert_eq!(drops.get(), 1);
}

#[test]
fn running_a_loop_inside_a_loop_is_a_clear_error() {
    let outcome = block_on(async { spawn(async { block_on(async {}) }).await });
    let message = outcome
        .expect_err("the nested run panics")
        .panic_message()
        .expect("a panic with a message");
    assert!(message.contains("already running"), "{message}");
}

#[test]
#[should_panic(expected = "`spawn` called outside an event loop")]
fn spawn_outside_a_loop_is_a_clear_error() {
    spawn(async {});
}

#[test]
#[should_panic(expected = "`sleep` awaited outside an event loop")]
fn a_sleep_polled_outside_a_loop_is_a_clear_error() {
    futures::executor::block_on(sleep(Duration::from_millis(1)));
}

#[test]
fn spawned_tasks_are_numbered_in_spawn_order() {
    block_on(async {
        let first = spawn(async {});
        let second = hand::spawn_named("fetcher", async {});
        assert_eq!(second.id().get(), first.id().get() + 1);
    });
}
