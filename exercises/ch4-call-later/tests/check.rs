//! `call_later` and the timer heap: timers fire in deadline order, ties in
//! the order they were set, never early; a callback can set another; a
//! cancelled timer never fires; the heap is empty at the end.
//!
//! Run with `cargo test -p ch4-call-later`. The loop's clock is virtual, so
//! every time below is exact and the tests take no real time. A test that
//! fails with "stuck" means the timers never reached the ready queue.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use ch4_call_later::{EventLoop, TimerHandle};

/// What ran, and when on the loop's clock.
type Log = Rc<RefCell<Vec<(&'static str, Duration)>>>;

/// A callback that notes its name and the loop's time when it runs.
fn note(log: &Log, name: &'static str) -> impl FnOnce(&EventLoop) + 'static {
    let log = Rc::clone(log);
    move |event_loop| log.borrow_mut().push((name, event_loop.time()))
}

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn names(log: &Log) -> Vec<&'static str> {
    log.borrow().iter().map(|(name, _)| *name).collect()
}

#[test]
fn step_2_timers_fire_in_deadline_order_each_at_its_deadline() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    event_loop.call_later(secs(3), note(&log, "three"));
    event_loop.call_later(secs(1), note(&log, "one"));
    event_loop.call_later(ms(2500), note(&log, "two and a half"));
    event_loop.run();
    assert_eq!(
        *log.borrow(),
        [
            ("one", secs(1)),
            ("two and a half", ms(2500)),
            ("three", secs(3))
        ]
    );
    assert_eq!(
        event_loop.time(),
        secs(3),
        "the clock stops at the last one"
    );
}

#[test]
fn step_1_the_handle_knows_when_its_timer_is_due() {
    let event_loop = EventLoop::new();
    let timer = event_loop.call_later(ms(1500), |_| {});
    assert_eq!(timer.when(), ms(1500));
    assert_eq!(event_loop.timers(), 1);
}

#[test]
fn step_3_timers_due_together_fire_in_one_turn_in_the_order_set() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    for name in ["first", "second", "third", "fourth"] {
        event_loop.call_later(secs(1), note(&log, name));
    }
    event_loop.call_later(ms(500), note(&log, "earlier"));
    assert_eq!(event_loop.run_once(), 1, "the earliest alone at 0.5 s");
    assert_eq!(event_loop.run_once(), 4, "everything due fires in one turn");
    assert_eq!(event_loop.timers(), 0);
    assert_eq!(
        names(&log),
        ["earlier", "first", "second", "third", "fourth"]
    );
}

#[test]
fn step_6_a_callback_can_set_another_timer_counted_from_when_it_runs() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    let inner = Rc::clone(&log);
    event_loop.call_later(secs(1), move |event_loop| {
        inner.borrow_mut().push(("outer", event_loop.time()));
        event_loop.call_later(secs(2), note(&inner, "inner"));
    });
    event_loop.call_later(secs(2), note(&log, "between"));
    event_loop.run();
    assert_eq!(
        *log.borrow(),
        [("outer", secs(1)), ("between", secs(2)), ("inner", secs(3))]
    );
}

#[test]
fn step_4_nothing_fires_before_its_deadline() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    event_loop.call_later(secs(5), note(&log, "timer"));
    event_loop.call_soon(note(&log, "soon"));
    // With a callback ready, the loop does not wait for the timer.
    assert_eq!(event_loop.run_once(), 1);
    assert_eq!(*log.borrow(), [("soon", Duration::ZERO)]);
    assert_eq!(event_loop.timers(), 1, "the timer still waits");
    // With nothing ready, it waits exactly until the timer is due.
    assert_eq!(event_loop.run_once(), 1);
    assert_eq!(
        *log.borrow(),
        [("soon", Duration::ZERO), ("timer", secs(5))]
    );
}

#[test]
fn step_5_a_zero_delay_timer_runs_after_the_callbacks_queued_before_it() {
    // As in asyncio: the due timer joins the back of the ready queue.
    let log = Log::default();
    let event_loop = EventLoop::new();
    event_loop.call_soon(note(&log, "soon 1"));
    event_loop.call_later(Duration::ZERO, note(&log, "timer"));
    event_loop.call_soon(note(&log, "soon 2"));
    assert_eq!(event_loop.run_once(), 3, "all three run in one turn");
    assert_eq!(names(&log), ["soon 1", "soon 2", "timer"]);
    assert_eq!(event_loop.time(), Duration::ZERO);
}

#[test]
fn step_8_a_cancelled_timer_leaves_the_heap_and_never_fires() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    event_loop.call_later(secs(1), note(&log, "kept"));
    let dropped = event_loop.call_later(secs(2), note(&log, "cancelled"));
    assert_eq!(event_loop.timers(), 2);
    assert!(event_loop.cancel(dropped), "it was pending");
    assert_eq!(event_loop.timers(), 1, "gone from the heap at once");
    assert!(!event_loop.cancel(dropped), "cancelled already");
    event_loop.run();
    assert_eq!(names(&log), ["kept"]);
    assert_eq!(
        event_loop.time(),
        secs(1),
        "no waiting for a cancelled timer"
    );
}

#[test]
fn step_8_a_callback_can_cancel_a_later_timer_but_not_one_that_fired() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    let first = event_loop.call_later(secs(1), note(&log, "first"));
    let last = event_loop.call_later(secs(3), note(&log, "last"));
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&outcomes);
    event_loop.call_later(secs(2), move |event_loop: &EventLoop| {
        let cancel = |timer: TimerHandle| event_loop.cancel(timer);
        seen.borrow_mut().extend([cancel(first), cancel(last)]);
    });
    event_loop.run();
    assert_eq!(names(&log), ["first"]);
    assert_eq!(*outcomes.borrow(), [false, true], "fired already; pending");
}

#[test]
fn step_8_the_heap_is_empty_at_the_end() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    let timers: Vec<TimerHandle> = (1..=10)
        .map(|n| event_loop.call_later(secs(11 - n), note(&log, "timer")))
        .collect();
    for timer in timers.iter().step_by(3) {
        assert!(event_loop.cancel(*timer));
    }
    event_loop.run();
    assert_eq!(log.borrow().len(), 6, "ten set, four cancelled");
    assert_eq!(event_loop.timers(), 0);
    let fired: Vec<bool> = timers.iter().map(|t| event_loop.cancel(*t)).collect();
    assert_eq!(fired, [false; 10], "nothing left to cancel");
}

#[test]
fn step_9_a_delay_too_long_for_the_clock_is_capped_not_a_panic() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    let inner = Rc::clone(&log);
    event_loop.call_later(secs(1), move |event_loop| {
        let timer = event_loop.call_later(Duration::MAX, note(&inner, "never"));
        assert_eq!(timer.when(), Duration::MAX);
        assert!(event_loop.cancel(timer));
    });
    event_loop.run();
    assert!(log.borrow().is_empty());
    assert_eq!(event_loop.timers(), 0);
}

#[test]
fn step_7_an_empty_loop_returns_at_once() {
    let event_loop = EventLoop::new();
    event_loop.run();
    assert_eq!(event_loop.time(), Duration::ZERO);
    assert_eq!(event_loop.run_once(), 0);
}
