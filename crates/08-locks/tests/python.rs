//! The book's asyncio listings, run with `python3` (skipped with a message
//! when it is missing) and matched to what the hand-rolled primitives do in
//! the same scene. The lost-update listing is checked in `lost_updates.rs`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use event_loop::hand::{EventLoop, sleep, spawn, yield_now};
use locks::hand::{Event, Queue, Semaphore};

fn python(script: &str) -> Option<Vec<String>> {
    let path = format!("{}/python/{script}", env!("CARGO_MANIFEST_DIR"));
    timeline::python::run(path, &[])
}

fn virtual_loop() -> EventLoop {
    EventLoop::builder()
        .virtual_time()
        .build()
        .expect("a poller")
}

/// Ten fetches under a semaphore of three, as `semaphore.py` does them.
fn semaphore_scene() -> Vec<String> {
    virtual_loop().block_on(async {
        let semaphore = Rc::new(Semaphore::new(3));
        let (now, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (semaphore, now, most) =
                    (Rc::clone(&semaphore), Rc::clone(&now), Rc::clone(&most));
                spawn(async move {
                    let _permit = semaphore.acquire().await;
                    now.set(now.get() + 1);
                    most.set(most.get().max(now.get()));
                    sleep(Duration::from_millis(10)).await;
                    now.set(now.get() - 1);
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("no panic");
        }
        vec![format!("10 fetches, at most {} at once", most.get())]
    })
}

/// `event.py`'s two checks, on our `Event`.
fn event_scene() -> Vec<String> {
    virtual_loop().block_on(async {
        let event = Rc::new(Event::new());
        event.set();
        for _ in 0..3 {
            event.wait().await;
        }
        let mut lines = vec!["set: 3 waits returned at once".to_string()];
        event.clear();
        let waiter = {
            let event = Rc::clone(&event);
            spawn(async move { event.wait().await })
        };
        yield_now().await;
        event.set();
        event.clear();
        waiter.await.expect("no panic");
        let set = if event.is_set() { "True" } else { "False" };
        lines.push(format!(
            "set then clear: the waiter returned; is_set() = {set}"
        ));
        lines
    })
}

/// `queue.py`'s producer, on our bounded `Queue`.
fn queue_scene() -> Vec<String> {
    virtual_loop().block_on(async {
        let queue = Rc::new(Queue::bounded(2).expect("capacity 2"));
        let log = Rc::new(RefCell::new(Vec::new()));
        let task = {
            let (queue, log) = (Rc::clone(&queue), Rc::clone(&log));
            spawn(async move {
                for n in 1..=5 {
                    queue.put(n).await;
                    log.borrow_mut().push(format!("put {n}"));
                }
            })
        };
        sleep(Duration::from_millis(10)).await;
        let mut lines = vec![format!("before any get: {}", log.borrow().join(", "))];
        for _ in 0..5 {
            let item = queue.get().await;
            log.borrow_mut().push(format!("got {item}"));
        }
        task.await.expect("no panic");
        let got: Vec<_> = log
            .borrow()
            .iter()
            .filter(|l| l.starts_with("got"))
            .cloned()
            .collect();
        lines.push(format!("gets in order: {}", got.join(", ")));
        lines
    })
}

#[test]
fn our_semaphore_caps_the_fetches_as_asyncio_does() {
    let ours = semaphore_scene();
    assert_eq!(ours, ["10 fetches, at most 3 at once"]);
    if let Some(printed) = python("semaphore.py") {
        assert_eq!(printed, ours);
    }
}

#[test]
fn our_event_is_level_triggered_as_asyncio_is() {
    let ours = event_scene();
    assert_eq!(ours.len(), 2);
    if let Some(printed) = python("event.py") {
        assert_eq!(printed, ours);
    }
}

#[test]
fn our_queue_holds_the_producer_back_as_asyncio_does() {
    let ours = queue_scene();
    assert_eq!(ours[0], "before any get: put 1, put 2");
    if let Some(printed) = python("queue.py") {
        assert_eq!(printed, ours);
    }
}
