//! What chapters 5 to 10 need from the loop: abort handles, join errors that
//! keep the panic, a way in from other threads, a virtual clock that waits
//! for work out on them, asyncio.run's graceful shutdown, resettable sleeps,
//! and a look at the live tasks.

mod support;

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::panic;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::task::Poll;
use std::thread;
use std::time::Duration;

use event_loop::hand::{
    self, EventLoop, TaskState, TcpListener, block_on, handle, sleep, spawn,
    spawn_named, task_table, yield_now,
};
use support::{finishes_within, virtual_loop};

#[test]
fn an_abort_handle_cancels_its_task_from_another_thread() {
    let outcome = finishes_within(Duration::from_secs(30), || {
        block_on(async {
            let task = spawn(std::future::pending::<()>());
            let abort = task.abort_handle();
            assert_eq!(abort.id(), task.id());
            thread::spawn(move || abort.abort()).join().unwrap();
            let outcome = task.await;
            outcome.expect_err("aborted").is_cancelled()
        })
    });
    assert_eq!(outcome, Some(true));
}

#[test]
fn a_join_error_keeps_the_panic_and_says_which_task() {
    let error = block_on(async {
        spawn_named("fetcher", async { panic!("connection reset") })
            .await
            .expect_err("it panicked")
    });
    assert!(error.is_panic());
    assert_eq!(error.name(), "fetcher");
    assert_eq!(error.to_string(), "task fetcher panicked: connection reset");
    // The payload itself, to carry the panic on in the awaiting task.
    let carried_on = panic::catch_unwind(|| panic::resume_unwind(error.into_panic()));
    let payload = carried_on.expect_err("resumed");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"connection reset"));
}

#[test]
fn an_unnamed_tasks_join_error_names_it_task_n() {
    let error = block_on(async {
        let task = spawn(std::future::pending::<()>());
        task.abort();
        task.await.expect_err("aborted")
    });
    assert!(error.is_cancelled());
    assert_eq!(error.name(), format!("Task-{}", error.id()));
    assert_eq!(
        error.to_string(),
        format!("task Task-{} was cancelled", error.id())
    );
    assert!(error.try_into_panic().is_err(), "no panic to give");
}

#[test]
fn call_soon_threadsafe_runs_the_callback_on_the_loops_thread() {
    let ran_on = finishes_within(Duration::from_secs(30), || {
        let event_loop = EventLoop::new();
        let remote = event_loop.remote();
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            let stopper = remote.clone();
            assert!(remote.call_soon_threadsafe(move || {
                sender.send(thread::current().id()).unwrap();
                stopper.stop();
            }));
        });
        // Waits in the poller, with nothing to do, until the callback comes.
        event_loop.run_forever();
        (receiver.recv().unwrap(), thread::current().id())
    });
    let (ran_on, loop_thread) = ran_on.expect("the callback woke the loop");
    assert_eq!(ran_on, loop_thread);
}

#[test]
fn a_send_future_spawned_from_another_thread_runs_on_the_loop_and_answers_there() {
    let answered = finishes_within(Duration::from_secs(30), || {
        let event_loop = EventLoop::new();
        let remote = event_loop.remote();
        let asker = thread::spawn(move || {
            let answer = remote.spawn(async {
                sleep(Duration::from_millis(5)).await;
                thread::current().id()
            });
            let answer = futures::executor::block_on(answer);
            remote.stop();
            answer
        });
        event_loop.run_forever();
        (asker.join().unwrap(), thread::current().id())
    });
    let (answered, loop_thread) = answered.expect("the loop ran the task");
    assert_eq!(answered.unwrap(), loop_thread);
}

#[test]
fn a_task_sent_to_a_loop_that_closes_first_is_cancelled() {
    let event_loop = EventLoop::new();
    let remote = event_loop.remote();
    let answer = remote.spawn(async { 42 });
    event_loop.close();
    assert!(remote.is_closed());
    let outcome = futures::executor::block_on(answer);
    assert!(outcome.unwrap_err().is_cancelled());
}

/// A job on a plain thread takes 50 ms of real time, with or without a
/// clock hold, while another task sleeps ten virtual seconds. Returns what
/// happened, in order, with the loop's time at each.
fn job_beside_a_sleep(hold: bool) -> Vec<(&'static str, Duration)> {
    let event_loop = virtual_loop();
    let log = Rc::new(RefCell::new(Vec::new()));
    let sleeper = {
        let log = Rc::clone(&log);
        event_loop.create_task(async move {
            sleep(Duration::from_secs(10)).await;
            log.borrow_mut().push(("the sleep ended", handle().time()));
        })
    };
    let remote = event_loop.remote();
    let log_job = Rc::clone(&log);
    event_loop.create_task(async move {
        let held = hold.then(|| remote.hold_clock());
        let (completer, result) = future_objects::hand::promise::<u32, ()>();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(50));
            completer.complete(7).unwrap();
            drop(held); // after the result is on its way
        });
        let _ = result.await;
        log_job
            .borrow_mut()
            .push(("the job's result came", handle().time()));
    });
    event_loop.run_until_complete(sleeper).unwrap();
    log.take()
}

// ANCHOR: clock_hold
#[test]
fn a_clock_hold_keeps_virtual_time_still_while_work_is_out_on_a_thread() {
    let held = finishes_within(Duration::from_secs(30), || job_beside_a_sleep(true));
    assert_eq!(
        held.expect("the loop finished"),
        [
            ("the job's result came", Duration::ZERO),
            ("the sleep ended", Duration::from_secs(10)),
        ]
    );
}

#[test]
fn without_a_hold_virtual_time_jumps_past_work_out_on_a_thread() {
    let limit = Duration::from_secs(30);
    let unheld = finishes_within(limit, || job_beside_a_sleep(false));
    assert_eq!(
        unheld.expect("the loop finished"),
        [("the sleep ended", Duration::from_secs(10))],
        "the clock jumped while the job ran: the sleep ended first"
    );
}
// ANCHOR_END: clock_hold

/// Two holds out, dropped one after the other from a thread, with nothing
/// else to wake the loop: it waits while one is left, and the last one to go
/// wakes it, so the sleep ends, and the clock moves only then.
#[test]
fn the_last_clock_hold_to_go_wakes_a_waiting_virtual_loop() {
    let outcome = finishes_within(Duration::from_secs(30), || {
        let event_loop = virtual_loop();
        let holds = [event_loop.hold_clock(), event_loop.hold_clock()];
        let last_going = Arc::new(AtomicBool::new(false));
        let dropper = {
            let last_going = Arc::clone(&last_going);
            thread::spawn(move || {
                let [first, second] = holds;
                drop(first);
                thread::sleep(Duration::from_millis(50));
                last_going.store(true, Ordering::SeqCst);
                drop(second);
            })
        };
        let (took, after_the_last) = event_loop.run_until_complete(async {
            let started = hand::now();
            sleep(Duration::from_secs(60)).await;
            (hand::now() - started, last_going.load(Ordering::SeqCst))
        });
        dropper.join().expect("the dropper does not panic");
        (took, after_the_last)
    });
    let (took, after_the_last) = outcome.expect("the last hold woke the loop");
    assert!(after_the_last, "the clock waited while a hold was left");
    assert_eq!(took, Duration::from_secs(60));
}

/// Closes a connection when dropped, the way a guard whose cleanup must
/// await does it without async `Drop`: it hands the cleanup to a task.
struct Connection {
    log: Rc<RefCell<Vec<String>>>,
    closing_takes: Duration,
}

impl Drop for Connection {
    fn drop(&mut self) {
        let log = Rc::clone(&self.log);
        let takes = self.closing_takes;
        log.borrow_mut()
            .push("dropped: closing in a task".to_string());
        spawn(async move {
            sleep(takes).await;
            log.borrow_mut()
                .push(format!("closed at {:?}", handle().time()));
        });
    }
}

fn task_holding_a_connection(
    event_loop: &EventLoop,
    closing_takes: Duration,
) -> Rc<RefCell<Vec<String>>> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let connection = Connection {
        log: Rc::clone(&log),
        closing_takes,
    };
    event_loop.create_task(async move {
        let _connection = connection;
        std::future::pending::<()>().await;
    });
    event_loop.run_until_complete(async { sleep(Duration::from_secs(1)).await });
    log
}

// ANCHOR: shutdown
#[test]
fn shutdown_cancels_what_is_left_then_runs_the_cleanup_its_destructors_spawn() {
    let event_loop = virtual_loop();
    let log = task_holding_a_connection(&event_loop, Duration::from_millis(500));
    let closed = event_loop.shutdown(Duration::from_secs(5));
    assert_eq!(
        *log.borrow(),
        ["dropped: closing in a task", "closed at 1.5s"]
    );
    assert_eq!(
        (closed.cancelled, closed.in_time, closed.tasks),
        (1, true, 0)
    );
}

#[test]
fn shutdown_stops_waiting_for_cleanup_after_its_grace() {
    let event_loop = virtual_loop();
    let log = task_holding_a_connection(&event_loop, Duration::from_secs(60));
    let closed = event_loop.shutdown(Duration::from_secs(2));
    assert_eq!(*log.borrow(), ["dropped: closing in a task"]);
    assert_eq!(
        (closed.cancelled, closed.in_time, closed.tasks),
        (1, false, 1)
    );
}

#[test]
fn close_gives_the_cleanup_no_time_at_all() {
    let event_loop = virtual_loop();
    let log = task_holding_a_connection(&event_loop, Duration::from_millis(500));
    let closed = event_loop.close();
    assert_eq!(*log.borrow(), ["dropped: closing in a task"]);
    assert_eq!((closed.cancelled, closed.tasks), (0, 1));
}
// ANCHOR_END: shutdown

#[test]
fn block_on_shuts_down_as_asyncio_run_does() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let connection = Connection {
        log: Rc::clone(&log),
        closing_takes: Duration::from_millis(10),
    };
    block_on(async move {
        spawn(async move {
            let _connection = connection;
            std::future::pending::<()>().await;
        });
        yield_now().await;
    });
    let log = log.borrow();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[1].starts_with("closed at"), "{log:?}");
}

#[test]
fn a_reset_sleep_ends_at_its_new_deadline() {
    let event_loop = virtual_loop();
    let ended = event_loop.run_until_complete(async {
        let mut nap = sleep(Duration::from_secs(10));
        poll_fn(|cx| Poll::Ready(Pin::new(&mut nap).poll(cx).is_ready())).await;
        assert!(!nap.is_elapsed());
        nap.reset(handle().now() + Duration::from_secs(3));
        nap.await;
        handle().time()
    });
    assert_eq!(ended, Duration::from_secs(3));
    assert_eq!(event_loop.timers(), 0, "the old deadline left the heap");
}

#[test]
fn a_sleep_reset_after_it_fired_waits_again() {
    let event_loop = virtual_loop();
    let ended = event_loop.run_until_complete(async {
        let mut nap = sleep(Duration::from_secs(1));
        (&mut nap).await;
        assert!(nap.is_elapsed());
        nap.reset(handle().now() + Duration::from_secs(2));
        assert!(!nap.is_elapsed());
        nap.await;
        handle().time()
    });
    assert_eq!(ended, Duration::from_secs(3));
}

// ANCHOR: all_tasks
#[test]
fn all_tasks_lists_each_live_task_with_what_it_waits_on() {
    let event_loop = virtual_loop();
    let listener =
        event_loop.run_until_complete(async { TcpListener::bind("127.0.0.1:0") });
    let listener = listener.expect("a loopback port");
    event_loop.create_task_named("sleeper", sleep_for_an_hour());
    event_loop.create_task_named("server", async move {
        let _ = listener.accept().await;
    });
    let (_completer, promise) = future_objects::hand::promise::<(), ()>();
    event_loop.create_task_named("waiter", async move {
        let _ = promise.await;
    });
    event_loop.run_until_complete(async { sleep(Duration::from_secs(2)).await });
    event_loop.create_task(async {});
    let tasks = event_loop.all_tasks();
    let seen: Vec<(&str, TaskState, Duration)> = tasks
        .iter()
        .map(|task| (task.name.as_str(), task.state, task.age))
        .collect();
    assert_eq!(
        seen,
        [
            ("sleeper", TaskState::Timer, Duration::from_secs(2)),
            ("server", TaskState::Socket, Duration::from_secs(2)),
            ("waiter", TaskState::Other, Duration::from_secs(2)),
            ("Task-4", TaskState::Ready, Duration::ZERO),
        ]
    );
    let dir = env!("CARGO_MANIFEST_DIR");
    timeline::testing::check_output(dir, "task_table", &task_table(&tasks));
}
// ANCHOR_END: all_tasks

async fn sleep_for_an_hour() {
    sleep(Duration::from_secs(3600)).await;
}

#[test]
fn blocking_sleep_moves_a_virtual_clock_without_yielding() {
    let event_loop = virtual_loop();
    let ran = Rc::new(Cell::new(false));
    let (took, ran_meanwhile, other) = event_loop.run_until_complete(async {
        let other = {
            let ran = Rc::clone(&ran);
            spawn(async move { ran.set(true) })
        };
        let started = hand::now();
        hand::blocking_sleep(Duration::from_secs(3));
        (hand::now() - started, ran.get(), other)
    });
    assert_eq!(
        took,
        Duration::from_secs(3),
        "the clock moved on by the sleep"
    );
    assert!(
        !ran_meanwhile,
        "the task spawned first waited: the thread was held"
    );
    event_loop
        .run_until_complete(other)
        .expect("the other task ends");
    assert!(ran.get(), "it runs once the thread is free");
}

#[test]
fn outside_a_loop_blocking_sleep_is_a_thread_sleep() {
    let started = std::time::Instant::now();
    hand::blocking_sleep(Duration::from_millis(20));
    assert!(started.elapsed() >= Duration::from_millis(20));
}

/// The errors logged while `work` runs.
fn errors_logged(work: impl FnOnce()) -> Vec<String> {
    let recording = timeline::Recording::start();
    work();
    let timeline = recording.finish();
    let errors = timeline.events().iter();
    let errors = errors.filter(|event| event.level == tracing::Level::ERROR);
    errors.map(|event| event.text.clone()).collect()
}

// ANCHOR: never_retrieved_test
#[test]
fn a_panic_nothing_awaits_is_logged_as_asyncio_logs_an_exception_never_retrieved() {
    let errors = errors_logged(|| {
        let event_loop = EventLoop::new();
        event_loop.run_until_complete(async {
            drop(spawn_named("fetch", async { panic!("connection reset") }));
            yield_now().await; // the task runs, and panics
        });
    });
    assert_eq!(
        errors,
        [
            "task fetch panicked: connection reset, and nothing awaited it: \
          the panic is dropped unread"
        ]
    );
}

#[test]
fn a_panic_that_is_awaited_or_a_cancelled_task_logs_nothing() {
    let errors = errors_logged(|| {
        let event_loop = EventLoop::new();
        let (awaited, aborted) = event_loop.run_until_complete(async {
            let awaited = spawn(async { panic!("seen") }).await;
            let aborted = spawn(std::future::pending::<()>());
            aborted.abort();
            (awaited, aborted.await)
        });
        assert!(awaited.is_err_and(|error| error.is_panic()));
        assert!(aborted.is_err_and(|error| error.is_cancelled()));
    });
    assert_eq!(errors, Vec::<String>::new());
}
// ANCHOR_END: never_retrieved_test

// ANCHOR: interrupts
/// A hundred callbacks handed in from another thread while the loop is busy
/// (its task yields, turn after turn, until all have run): the loop never
/// blocks, so no callback interrupts the poller. Then one callback for a loop
/// that waits: that one does.
#[test]
fn work_from_another_thread_interrupts_the_poller_only_when_the_loop_waits() {
    let outcome = finishes_within(Duration::from_secs(30), || {
        let event_loop = EventLoop::new();
        let remote = event_loop.handle().remote();
        let ran = Arc::new(AtomicUsize::new(0));
        let before = event_loop.reactor_stats().interrupts;
        event_loop.run_until_complete(async {
            let sender = {
                let (remote, ran) = (remote.clone(), Arc::clone(&ran));
                thread::spawn(move || {
                    for _ in 0..100 {
                        let ran = Arc::clone(&ran);
                        remote.call_soon_threadsafe(move || {
                            ran.fetch_add(1, Ordering::SeqCst);
                        });
                    }
                })
            };
            while ran.load(Ordering::SeqCst) < 100 {
                yield_now().await; // busy: there is always a task to run
            }
            sender.join().expect("the sender does not panic");
        });
        let busy = event_loop.reactor_stats().interrupts - before;
        // Then a promise completed from a thread, 20 ms on: the loop blocks
        // in the poller meanwhile, and the wake interrupts it. (Should a
        // stalled machine let the wake come before the loop blocks, it is
        // taken at the next turn, uninterrupted: the trial is taken again.)
        let interrupted = (0..10).any(|_| {
            let (completer, promise) = future_objects::hand::promise::<(), ()>();
            let waiting = thread::spawn(move || {
                thread::sleep(Duration::from_millis(20));
                let _ = completer.complete(());
            });
            let before = event_loop.reactor_stats().interrupts;
            let _ = event_loop.run_until_complete(promise);
            waiting.join().expect("the completer does not panic");
            event_loop.reactor_stats().interrupts > before
        });
        drop(remote);
        (busy, interrupted)
    });
    let (busy, interrupted) = outcome.expect("the loop finished");
    assert_eq!(busy, 0, "a busy loop takes handed-in work at its next turn");
    assert!(interrupted, "a waiting loop is interrupted");
}
// ANCHOR_END: interrupts
