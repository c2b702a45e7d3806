//! The hand-rolled `Event` on our loop, tokio and smol: level-triggered,
//! as asyncio's.

mod support;

use std::cell::Cell;
use std::rc::Rc;

use locks::hand::Event;
use support::{poll_once, until};

on_every_runtime! {
    /// Once set, every `wait` returns at once, as many times as asked,
    /// until `clear`.
    async fn a_set_event_stays_set_for_every_later_waiter(spawner: Spawner) {
        let event = Rc::new(Event::new());
        event.set();
        for _ in 0..3 {
            let event = Rc::clone(&event);
            spawner.spawn(async move { event.wait().await }).await;
        }
        assert!(event.is_set(), "nothing used it up");
        event.clear();
        let mut later = Box::pin(event.wait());
        assert!(poll_once(&mut later).is_none(), "cleared: waits again");
    }
}

on_every_runtime! {
    /// `set` wakes every task waiting.
    async fn set_wakes_every_waiter(spawner: Spawner) {
        let event = Rc::new(Event::new());
        let woke = Rc::new(Cell::new(0));
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let (event, woke) = (Rc::clone(&event), Rc::clone(&woke));
                spawner.spawn(async move {
                    event.wait().await;
                    woke.set(woke.get() + 1);
                })
            })
            .collect();
        let line = Rc::clone(&event);
        until(move || line.waiting() == 5).await;
        assert_eq!(woke.get(), 0);
        event.set();
        for task in tasks {
            task.await;
        }
        assert_eq!(woke.get(), 5);
    }
}

on_every_runtime! {
    /// A `set` followed at once by `clear` still releases the tasks that
    /// were waiting when it came (asyncio's `Event` does the same).
    async fn set_then_clear_still_releases_those_waiting(spawner: Spawner) {
        let event = Rc::new(Event::new());
        let waiter = {
            let event = Rc::clone(&event);
            spawner.spawn(async move { event.wait().await })
        };
        let line = Rc::clone(&event);
        until(move || line.waiting() == 1).await;
        event.set();
        event.clear();
        waiter.await;
        assert!(!event.is_set());
    }
}
