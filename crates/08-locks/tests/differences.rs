//! Where the locks differ: a std guard across an `.await` (deadlock on one
//! thread; `!Send` is proven by the doc-tests of `src/std_lock.rs`, and the
//! clippy lint by `#[expect]` there), fairness (tokio's and ours serve in
//! order; async-lock lets a newcomer barge until a waiter starves), and
//! tokio's `Notify` against an asyncio-style `Event`. One test per claim;
//! the book's "What differs" table names each.

mod support;

use std::rc::Rc;
use std::sync::mpsc;
use std::task::{Context, Waker};
use std::time::Duration;

use locks::hand;
use locks::std_lock::add_across_an_await;
use support::poll_once;

/// Polls `future` once with `waker`: whether it was ready.
fn ready_with<F: std::future::Future + Unpin>(future: &mut F, waker: &Waker) -> bool {
    let mut context = Context::from_waker(waker);
    std::pin::Pin::new(future).poll(&mut context).is_ready()
}

/// A waker that counts its wakes.
#[derive(Default)]
struct Count(std::sync::atomic::AtomicUsize);

impl std::task::Wake for Count {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

fn counting_waker() -> (std::sync::Arc<Count>, Waker) {
    let count = std::sync::Arc::new(Count::default());
    (std::sync::Arc::clone(&count), Waker::from(count))
}

fn woken(count: &Count) -> usize {
    count.0.load(std::sync::atomic::Ordering::SeqCst)
}

/// What the second task saw before it called `lock`: the guard was taken.
#[derive(Debug, PartialEq, Eq)]
enum Saw {
    Held,
    Free,
}

/// On one thread, a task holds a `std::sync::MutexGuard` across a sleep,
/// and a second task calls `lock`: the thread blocks in `lock`, so the
/// first task never runs again to release it. The thread is left blocked
/// for good (the watchdog gives up on it after a second, and the test
/// binary exits anyway); the test checks that the second task found the
/// lock held (`try_lock`) before blocking, so the hang is this deadlock.
fn deadlocks(run: impl FnOnce(mpsc::Sender<Saw>) + Send + 'static) {
    let (saw, seen) = mpsc::channel();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        run(saw);
        let _ = done.send(());
    });
    let limit = Duration::from_secs(10);
    assert_eq!(
        seen.recv_timeout(limit),
        Ok(Saw::Held),
        "the second task ran"
    );
    // The first task's sleep is 10 ms: a second is ample for it to end.
    let verdict = finished.recv_timeout(Duration::from_secs(1));
    assert!(verdict.is_err(), "the thread should be stuck in `lock`");
}

// ANCHOR: deadlock
async fn second_task(counter: Rc<std::sync::Mutex<u64>>, saw: mpsc::Sender<Saw>) {
    let held = counter.try_lock().is_err();
    let _ = saw.send(if held { Saw::Held } else { Saw::Free });
    *counter
        .lock()
        .expect("never returns: the holder cannot run") += 1;
}

#[test]
fn std_guard_across_an_await_deadlocks_our_loop() {
    deadlocks(|saw| {
        hand_rolled(saw);
    });
}

fn hand_rolled(saw: mpsc::Sender<Saw>) {
    use event_loop::hand::{block_on, sleep, spawn};
    block_on(async move {
        let counter = Rc::new(std::sync::Mutex::new(0));
        let holder = Rc::clone(&counter);
        let first = spawn(async move {
            add_across_an_await(&holder, sleep(Duration::from_millis(10))).await;
        });
        let second = spawn(second_task(counter, saw));
        let _ = (first.await, second.await);
    });
}
// ANCHOR_END: deadlock

#[test]
fn std_guard_across_an_await_deadlocks_tokio_current_thread() {
    deadlocks(|saw| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let local = tokio::task::LocalSet::new();
        local.block_on(&runtime, async move {
            let counter = Rc::new(std::sync::Mutex::new(0));
            let holder = Rc::clone(&counter);
            let first = tokio::task::spawn_local(async move {
                let io = tokio::time::sleep(Duration::from_millis(10));
                add_across_an_await(&holder, io).await;
            });
            let second = tokio::task::spawn_local(second_task(counter, saw));
            let _ = (first.await, second.await);
        });
    });
}

/// The right use: the std guard is dropped before the await, and two
/// tasks on one thread share the counter without trouble.
#[test]
fn std_guard_dropped_before_the_await_is_fine_on_one_thread() {
    use event_loop::hand::{block_on, sleep, spawn};
    let total = support::within(support::LIMIT, || {
        block_on(async {
            let counter = Rc::new(std::sync::Mutex::new(0));
            let tasks: Vec<_> = (0..2)
                .map(|_| {
                    let counter = Rc::clone(&counter);
                    spawn(async move {
                        let io = sleep(Duration::from_millis(10));
                        locks::std_lock::add_then_wait(&counter, io).await;
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("no panic");
            }
            *counter.lock().expect("not poisoned")
        })
    });
    assert_eq!(total, 2);
}

/// The order in which five tasks, queued one after the other behind a held
/// lock, got it: on a current-thread runtime, each task is spawned and runs
/// until it waits before the next is spawned.
#[test]
fn tokio_mutex_serves_waiters_first_in_first_out() {
    let order = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(async {
            let mutex = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
            let held = mutex.try_lock().expect("free at first");
            let mut tasks = Vec::new();
            for n in 1..=5 {
                let mutex = std::sync::Arc::clone(&mutex);
                tasks.push(tokio::spawn(async move { mutex.lock().await.push(n) }));
                for _ in 0..3 {
                    tokio::task::yield_now().await; // it runs, and waits in line
                }
            }
            drop(held);
            for task in tasks {
                task.await.expect("no panic");
            }
            mutex.lock().await.clone()
        });
    assert_eq!(order, [1, 2, 3, 4, 5]);
}

/// Unlocking with a waiter in line hands tokio's lock over: a newcomer's
/// `try_lock` fails, before the waiter has even run again.
#[test]
fn tokio_mutex_hands_the_lock_over_so_no_newcomer_cuts_in() {
    let mutex = tokio::sync::Mutex::new(());
    let held = mutex.try_lock().expect("free at first");
    let mut waiter = Box::pin(mutex.lock());
    assert!(poll_once(&mut waiter).is_none(), "in line");
    drop(held);
    assert!(mutex.try_lock().is_err(), "handed to the waiter");
    assert!(poll_once(&mut waiter).is_some());
}

/// Ours does the same.
#[test]
fn hand_mutex_hands_the_lock_over_so_no_newcomer_cuts_in() {
    let mutex = hand::Mutex::new(());
    let held = mutex.try_lock().expect("free at first");
    let mut waiter = Box::pin(mutex.lock());
    assert!(poll_once(&mut waiter).is_none(), "in line");
    drop(held);
    assert!(mutex.try_lock().is_none(), "handed to the waiter");
    assert!(poll_once(&mut waiter).is_some());
}

// ANCHOR: fairness
/// async-lock's unlock sets the lock free and wakes one waiter: a newcomer
/// that asks before the woken waiter runs takes it, and the waiter, polled,
/// finds it taken and waits again. (async-std's `Mutex` is this one.)
#[test]
fn async_lock_lets_a_newcomer_take_the_lock_before_the_woken_waiter() {
    let mutex = async_lock::Mutex::new(());
    let held = mutex.try_lock().expect("free at first");
    let (count, waker) = counting_waker();
    let mut waiter = Box::pin(mutex.lock());
    assert!(!ready_with(&mut waiter, &waker), "in line");
    drop(held);
    assert_eq!(woken(&count), 1, "the unlock woke the waiter");
    let newcomer = mutex.try_lock();
    assert!(newcomer.is_some(), "the newcomer barged in");
    assert!(
        !ready_with(&mut waiter, &waker),
        "the woken waiter waits again"
    );
    drop(newcomer);
    assert!(ready_with(&mut waiter, &waker));
}

/// async-lock's eventual fairness: a waiter that is woken and still finds
/// the lock taken, after waiting more than 0.5 ms since its first poll,
/// counts itself "starved"; from then on a free lock is left for it, and a
/// newcomer's `try_lock` fails. The sleep only makes sure the 0.5 ms have
/// passed: the test holds however slow the machine.
#[test]
fn async_lock_turns_fair_once_a_waiter_has_waited_half_a_millisecond() {
    let mutex = async_lock::Mutex::new(());
    let held = mutex.try_lock().expect("free at first");
    let (_count, waker) = counting_waker();
    let mut waiter = Box::pin(mutex.lock());
    assert!(!ready_with(&mut waiter, &waker), "in line");
    std::thread::sleep(Duration::from_millis(2));
    drop(held);
    let barger = mutex
        .try_lock()
        .expect("not starved yet: the newcomer barges");
    assert!(
        !ready_with(&mut waiter, &waker),
        "woken, taken: now starved"
    );
    drop(barger);
    assert!(
        mutex.try_lock().is_none(),
        "free, but kept for the starved waiter"
    );
    assert!(
        ready_with(&mut waiter, &waker),
        "the starved waiter gets it"
    );
}
// ANCHOR_END: fairness

/// async-std re-exports async-lock's `Mutex`: the same type, so the two
/// tests above hold for it too. (This compiles only if the types are one.)
#[test]
fn async_std_mutex_is_async_lock_mutex() {
    let mutex: async_lock::Mutex<u8> = async_std::sync::Mutex::new(7);
    assert_eq!(*mutex.try_lock().expect("free"), 7);
}

// ANCHOR: notify
/// `notify_one` with nobody waiting stores a permit: the next `notified()`
/// returns at once, as if the notification had waited for it.
#[test]
fn tokio_notify_one_before_anyone_waits_stores_a_permit() {
    let notify = tokio::sync::Notify::new();
    notify.notify_one();
    let mut later = Box::pin(notify.notified());
    assert!(poll_once(&mut later).is_some());
}

/// It stores one permit at most: three `notify_one`s release one waiter,
/// and the second waits. An asyncio `Event` once set releases everyone.
#[test]
fn tokio_notify_stores_at_most_one_permit() {
    let notify = tokio::sync::Notify::new();
    for _ in 0..3 {
        notify.notify_one();
    }
    let mut first = Box::pin(notify.notified());
    let mut second = Box::pin(notify.notified());
    assert!(poll_once(&mut first).is_some(), "the stored permit");
    assert!(poll_once(&mut second).is_none(), "no second permit");
}

/// `notify_waiters` wakes the waiters there are, and stores nothing: a
/// `notified()` made after it waits.
#[test]
fn tokio_notify_waiters_wakes_only_current_waiters() {
    let notify = tokio::sync::Notify::new();
    let (count, waker) = counting_waker();
    let mut current = Box::pin(notify.notified());
    assert!(!ready_with(&mut current, &waker), "waiting");
    notify.notify_waiters();
    assert_eq!(woken(&count), 1);
    assert!(
        ready_with(&mut current, &waker),
        "the current waiter is released"
    );
    let mut later = Box::pin(notify.notified());
    assert!(poll_once(&mut later).is_none(), "a later waiter waits");
}

/// Ours, like asyncio's `Event`, is level-triggered: once set, every
/// waiter, earlier or later, returns, until `clear`.
#[test]
fn hand_event_once_set_releases_every_waiter_earlier_or_later() {
    let event = hand::Event::new();
    let (count, waker) = counting_waker();
    let mut earlier = Box::pin(event.wait());
    assert!(!ready_with(&mut earlier, &waker), "waiting");
    event.set();
    assert_eq!(woken(&count), 1);
    assert!(ready_with(&mut earlier, &waker));
    for _ in 0..3 {
        let mut later = Box::pin(event.wait());
        assert!(poll_once(&mut later).is_some(), "still set");
    }
    event.clear();
    let mut after_clear = Box::pin(event.wait());
    assert!(poll_once(&mut after_clear).is_none());
}
// ANCHOR_END: notify
