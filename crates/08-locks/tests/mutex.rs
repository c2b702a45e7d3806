//! The hand-rolled `Mutex` on our loop, tokio and smol: waiters served in
//! the order they asked, the lock handed to the next waiter so nobody cuts
//! in, cancel-safe both ways, and no update lost under contention.

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use futures_lite::future::yield_now;
use locks::hand::Mutex;
use support::{poll_once, until};

on_every_runtime! {
    /// Five tasks queue one after the other behind a held lock; they get it
    /// in that order.
    async fn waiters_get_the_lock_in_the_order_they_asked(spawner: Spawner) {
        let mutex = Rc::new(Mutex::new(Vec::new()));
        let held = mutex.try_lock().expect("free at first");
        let mut tasks = Vec::new();
        for n in 1..=5 {
            let shared = Rc::clone(&mutex);
            tasks.push(spawner.spawn(async move { shared.lock().await.push(n) }));
            let queued = Rc::clone(&mutex);
            until(move || queued.waiting() == n).await;
        }
        drop(held);
        for task in tasks {
            task.await;
        }
        assert_eq!(*mutex.lock().await, [1, 2, 3, 4, 5]);
    }
}

on_every_runtime! {
    /// Unlocking with a waiter in line hands it the lock: it stays locked,
    /// so a newcomer's `try_lock` fails until the waiter has had its turn.
    async fn the_guard_hands_the_lock_to_the_next_waiter(spawner: Spawner) {
        let mutex = Rc::new(Mutex::new("holder"));
        let held = mutex.try_lock().expect("free at first");
        let waiter = {
            let mutex = Rc::clone(&mutex);
            spawner.spawn(async move {
                let mut guard = mutex.lock().await;
                *guard = "waiter";
            })
        };
        let queued = Rc::clone(&mutex);
        until(move || queued.waiting() == 1).await;
        drop(held);
        assert!(mutex.is_locked(), "handed on, not set free");
        assert!(mutex.try_lock().is_none(), "a newcomer cannot cut in");
        waiter.await;
        assert_eq!(*mutex.try_lock().expect("free once the waiter is done"), "waiter");
    }
}

on_every_runtime! {
    /// A lock future dropped while in line leaves the line: the next
    /// unlock goes to the one behind it.
    async fn a_waiter_dropped_in_line_leaves_it(spawner: Spawner) {
        let mutex = Rc::new(Mutex::new(0));
        let held = mutex.try_lock().expect("free at first");
        let mut dropped = Box::pin(mutex.lock());
        assert!(poll_once(&mut dropped).is_none(), "in line");
        let next = {
            let mutex = Rc::clone(&mutex);
            spawner.spawn(async move { *mutex.lock().await += 1 })
        };
        let queued = Rc::clone(&mutex);
        until(move || queued.waiting() == 2).await;
        drop(dropped);
        assert_eq!(mutex.waiting(), 1);
        drop(held);
        next.await;
        assert_eq!(*mutex.try_lock().expect("free"), 1);
    }
}

on_every_runtime! {
    /// A lock future the lock was handed to, dropped before it collected
    /// it, passes it on to the next in line.
    async fn a_waiter_dropped_after_the_handover_passes_the_lock_on(spawner: Spawner) {
        let mutex = Rc::new(Mutex::new(0));
        let held = mutex.try_lock().expect("free at first");
        let mut granted = Box::pin(mutex.lock());
        assert!(poll_once(&mut granted).is_none(), "in line");
        let next = {
            let mutex = Rc::clone(&mutex);
            spawner.spawn(async move { *mutex.lock().await += 1 })
        };
        let queued = Rc::clone(&mutex);
        until(move || queued.waiting() == 2).await;
        drop(held); // hands the lock to `granted`, which is never polled again
        drop(granted);
        next.await;
        assert_eq!(*mutex.try_lock().expect("free"), 1);
    }
}

on_every_runtime! {
    /// Fifty tasks, each reading, yielding and writing under the lock: no
    /// update is lost.
    async fn no_update_is_lost_under_the_lock(spawner: Spawner) {
        let mutex = Rc::new(Mutex::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let mutex = Rc::clone(&mutex);
                spawner.spawn(async move {
                    let mut value = mutex.lock().await;
                    let read = *value;
                    yield_now().await;
                    *value = read + 1;
                })
            })
            .collect();
        for task in tasks {
            task.await;
        }
        assert_eq!(*mutex.lock().await, 50);
    }
}

on_every_runtime! {
    /// A task that panics holding the guard unlocks as it unwinds (there
    /// is no poisoning, as in tokio's).
    async fn a_panic_holding_the_guard_unlocks(_spawner: Spawner) {
        let mutex = Mutex::new(RefCell::new(1));
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = mutex.try_lock().expect("free");
            panic!("a bug while holding the lock");
        }));
        assert!(unwound.is_err());
        assert!(!mutex.is_locked());
        assert_eq!(*mutex.lock().await.borrow(), 1);
    }
}

/// Checked at compile time: our mutex may be shared between threads, and a
/// future holding its guard across an `.await` may be given to
/// `tokio::spawn`.
#[test]
fn the_mutex_and_a_future_holding_its_guard_are_send() {
    fn send_and_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let mutex = Arc::new(Mutex::new(0u64));
    send_and_sync(&*mutex);
    let holds_the_guard = async move {
        let mut value = mutex.lock().await;
        tokio::task::yield_now().await;
        *value += 1;
    };
    send(&holds_the_guard);
}

/// On tokio's multi-thread runtime: four workers, 4,000 increments across an
/// `.await` under the lock, none lost.
#[test]
fn no_update_is_lost_across_threads_on_tokio() {
    let total = support::within(support::LIMIT, || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async {
            let mutex = Arc::new(Mutex::new(0u64));
            let tasks: Vec<_> = (0..4)
                .map(|_| {
                    let mutex = Arc::clone(&mutex);
                    tokio::spawn(async move {
                        for _ in 0..1_000 {
                            let mut value = mutex.lock().await;
                            let read = *value;
                            tokio::task::yield_now().await;
                            *value = read + 1;
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("no panic");
            }
            Arc::into_inner(mutex)
                .expect("the tasks are done")
                .into_inner()
        })
    });
    assert_eq!(total, 4_000);
}
