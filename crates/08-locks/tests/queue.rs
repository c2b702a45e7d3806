//! The hand-rolled bounded `Queue` on our loop, tokio and smol: first in,
//! first out; `put` waits while it is full; a dropped waiter passes its
//! wake on.

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use locks::hand::{Queue, ZeroCapacity};
use support::{poll_once, until};

on_every_runtime! {
    /// A producer of five items into a queue of two runs ahead of its
    /// consumer by two items at most: each put beyond waits for a get.
    async fn put_waits_while_the_queue_is_full(spawner: Spawner) {
        let queue = Rc::new(Queue::bounded(2).expect("capacity 2"));
        let log = Rc::new(RefCell::new(Vec::new()));
        let producer = {
            let (queue, log) = (Rc::clone(&queue), Rc::clone(&log));
            spawner.spawn(async move {
                for n in 1..=5 {
                    queue.put(n).await;
                    log.borrow_mut().push(format!("put {n}"));
                }
            })
        };
        let full = Rc::clone(&queue);
        until(move || full.len() == 2).await;
        for _ in 0..10 {
            futures_lite::future::yield_now().await;
        }
        assert_eq!(*log.borrow(), ["put 1", "put 2"], "the third put waits");
        for _ in 1..=5 {
            let item = queue.get().await;
            log.borrow_mut().push(format!("got {item}"));
        }
        producer.await;
        let log = log.borrow();
        let most_ahead = (0..log.len())
            .map(|i| {
                let puts = log[..=i].iter().filter(|l| l.starts_with("put")).count();
                puts - log[..=i].iter().filter(|l| l.starts_with("got")).count()
            })
            .max();
        assert_eq!(most_ahead, Some(2), "{log:?}");
        let got: Vec<_> = log.iter().filter(|l| l.starts_with("got")).collect();
        assert_eq!(got, ["got 1", "got 2", "got 3", "got 4", "got 5"]);
    }
}

on_every_runtime! {
    /// A get waits while the queue is empty, and the first put wakes it.
    async fn get_waits_while_the_queue_is_empty(spawner: Spawner) {
        let queue = Rc::new(Queue::bounded(1).expect("capacity 1"));
        let consumer = {
            let queue = Rc::clone(&queue);
            spawner.spawn(async move { assert_eq!(queue.get().await, "job") })
        };
        let line = Rc::clone(&queue);
        until(move || line.waiting_to_get() == 1).await;
        queue.put("job").await;
        consumer.await;
        assert!(queue.is_empty());
    }
}

on_every_runtime! {
    /// A get woken for an item, then dropped before it took it, passes the
    /// wake on: the next get in line takes the item.
    async fn a_woken_get_dropped_passes_the_wake_on(spawner: Spawner) {
        let queue = Rc::new(Queue::bounded(1).expect("capacity 1"));
        let mut dropped = Box::pin(queue.get());
        assert!(poll_once(&mut dropped).is_none());
        let next = {
            let queue = Rc::clone(&queue);
            spawner.spawn(async move { assert_eq!(queue.get().await, 7) })
        };
        let line = Rc::clone(&queue);
        until(move || line.waiting_to_get() == 2).await;
        assert_eq!(queue.try_put(7), Ok(())); // wakes `dropped`, first in line
        drop(dropped);
        next.await;
    }
}

#[test]
fn a_queue_of_capacity_zero_is_an_error() {
    let error = Queue::<u8>::bounded(0).err();
    assert_eq!(error, Some(ZeroCapacity));
    let message = ZeroCapacity.to_string();
    assert_eq!(
        message,
        "a bounded queue needs a capacity of at least one item"
    );
}

#[test]
fn try_put_and_try_get_never_wait() {
    let queue = Queue::bounded(1).expect("capacity 1");
    assert_eq!(queue.try_get(), None);
    assert_eq!(queue.try_put('a'), Ok(()));
    assert_eq!(queue.try_put('b'), Err('b'));
    assert_eq!(queue.try_get(), Some('a'));
}
