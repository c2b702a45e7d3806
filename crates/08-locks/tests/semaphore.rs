//! The hand-rolled `Semaphore` on our loop, tokio and smol: never more
//! holders than permits, permits handed out in order, cancel-safe.

mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_lite::future::yield_now;
use locks::hand::Semaphore;
use support::{poll_once, until};

on_every_runtime! {
    /// Ten tasks under three permits, each yielding inside: three at once
    /// at most, and three at once at some point.
    async fn never_more_holders_than_permits(spawner: Spawner) {
        let semaphore = Rc::new(Semaphore::new(3));
        let inside = Rc::new(Cell::new(0));
        let most = Rc::new(Cell::new(0));
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (semaphore, inside, most) =
                    (Rc::clone(&semaphore), Rc::clone(&inside), Rc::clone(&most));
                spawner.spawn(async move {
                    let _permit = semaphore.acquire().await;
                    inside.set(inside.get() + 1);
                    most.set(most.get().max(inside.get()));
                    for _ in 0..3 {
                        yield_now().await;
                    }
                    inside.set(inside.get() - 1);
                })
            })
            .collect();
        for task in tasks {
            task.await;
        }
        assert_eq!(most.get(), 3);
        assert_eq!(semaphore.available_permits(), 3, "every permit came back");
    }
}

on_every_runtime! {
    /// With no permit free, waiters get one in the order they asked.
    async fn permits_go_to_waiters_in_the_order_they_asked(spawner: Spawner) {
        let semaphore = Rc::new(Semaphore::new(1));
        let order = Rc::new(RefCell::new(Vec::new()));
        let held = semaphore.try_acquire().expect("one free");
        let mut tasks = Vec::new();
        for n in 1..=4 {
            let (shared, order) = (Rc::clone(&semaphore), Rc::clone(&order));
            tasks.push(spawner.spawn(async move {
                let _permit = shared.acquire().await;
                order.borrow_mut().push(n);
            }));
            let queued = Rc::clone(&semaphore);
            until(move || queued.waiting() == n).await;
        }
        drop(held);
        for task in tasks {
            task.await;
        }
        assert_eq!(*order.borrow(), [1, 2, 3, 4]);
    }
}

on_every_runtime! {
    /// A waiter dropped in line leaves it; one dropped with a permit handed
    /// to it passes the permit on.
    async fn a_dropped_waiter_leaves_the_line_or_passes_its_permit_on(spawner: Spawner) {
        let semaphore = Rc::new(Semaphore::new(1));
        let held = semaphore.try_acquire().expect("one free");
        let mut queued = Box::pin(semaphore.acquire());
        let mut granted = Box::pin(semaphore.acquire());
        assert!(poll_once(&mut granted).is_none());
        assert!(poll_once(&mut queued).is_none());
        let last = {
            let semaphore = Rc::clone(&semaphore);
            spawner.spawn(async move { drop(semaphore.acquire().await) })
        };
        let line = Rc::clone(&semaphore);
        until(move || line.waiting() == 3).await;
        drop(held); // to `granted`, first in line
        drop(queued); // leaves the line
        drop(granted); // passes its permit on, to `last`
        last.await;
        assert_eq!(semaphore.available_permits(), 1);
    }
}

/// `Semaphore::new(0)` waits for `add_permits`, which serves the line first.
#[test]
fn added_permits_go_to_the_waiters_first() {
    let semaphore = Semaphore::new(0);
    let mut waiter = Box::pin(semaphore.acquire());
    assert!(poll_once(&mut waiter).is_none());
    semaphore.add_permits(2);
    assert_eq!(semaphore.available_permits(), 1, "one went to the waiter");
    assert!(poll_once(&mut waiter).is_some());
}
