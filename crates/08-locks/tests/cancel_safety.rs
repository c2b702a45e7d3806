//! The Mutex's two cancel-safety claims, proven with chapter 5's lab
//! (`gather_wait::lab`), which drops a future after 0, 1, 2, … polls and
//! checks what the drop left behind.
//!
//! The trial: a holder has the lock; the future under test asks for it.
//! After its first `Pending` a second waiter, `next`, lines up behind it;
//! after its second, the holder unlocks, handing the lock to the future
//! under test. So the drop points are: never polled (0), in line (1), handed
//! the lock but not yet polled to collect it (2), and done (3). The
//! invariant, after every drop: once the holder is gone, `next` gets the
//! lock, and after it the lock is free. The same trial runs on tokio's and
//! async-lock's mutexes, and on semaphores of one permit; the table goes to `tests/cancel-safety.md`, which
//! the book includes (`UPDATE_OUTPUTS=1` rewrites it).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use gather_wait::lab::{self, Outcome, Report};

/// What a trial's future leaves behind, for `check` to inspect.
struct World<M: 'static, G, F> {
    mutex: &'static M,
    holder: Option<G>,
    next: Option<Pin<Box<F>>>,
}

fn poll_once<F: Future>(future: &mut Pin<Box<F>>) -> Poll<F::Output> {
    future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
}

/// The trial on any mutex, given how to make one, `try_lock` and `lock`.
/// Each trial leaks its mutex (a few bytes): the futures and guards borrow
/// it, and the lab hands them about by value.
fn trial<M: 'static, G, F>(
    name: &str,
    new: impl Fn() -> M,
    try_lock: impl Fn(&'static M) -> Option<G>,
    lock: impl Fn(&'static M) -> F,
) -> Report
where
    F: Future<Output = G>,
{
    let setup = || {
        let mutex: &'static M = Box::leak(Box::new(new()));
        let holder = try_lock(mutex);
        assert!(holder.is_some(), "free at first");
        (
            World {
                mutex,
                holder,
                next: None,
            },
            lock(mutex),
        )
    };
    let step = |world: &mut World<M, G, F>, polls: usize| match polls {
        1 => {
            let mut next = Box::pin(lock(world.mutex));
            assert!(poll_once(&mut next).is_pending(), "in line behind");
            world.next = Some(next);
        }
        2 => world.holder = None, // unlocks: the lock goes to the first in line
        _ => {}
    };
    let check = |mut world: World<M, G, F>, outcome: Outcome<G>| {
        drop(outcome); // the guard, if the future completed
        world.holder = None;
        let mut next = world
            .next
            .take()
            .unwrap_or_else(|| Box::pin(lock(world.mutex)));
        match poll_once(&mut next) {
            Poll::Ready(guard) => drop(guard),
            Poll::Pending => return Err("the next waiter never got the lock".into()),
        }
        match try_lock(world.mutex) {
            Some(_) => Ok(()),
            None => Err("the lock was never set free".to_string()),
        }
    };
    lab::run(name, setup, step, check)
}

fn hand() -> Report {
    use locks::hand::Mutex;
    trial(
        "hand::Mutex::lock",
        || Mutex::new(0),
        Mutex::try_lock,
        Mutex::lock,
    )
}

fn tokio() -> Report {
    use tokio::sync::Mutex;
    let try_lock = |mutex: &'static Mutex<u32>| mutex.try_lock().ok();
    trial(
        "tokio::sync::Mutex::lock",
        || Mutex::new(0),
        try_lock,
        Mutex::lock,
    )
}

fn async_lock() -> Report {
    use async_lock::Mutex;
    trial(
        "async_lock::Mutex::lock",
        || Mutex::new(0),
        Mutex::try_lock,
        Mutex::lock,
    )
}

/// A semaphore of one permit goes through the same trial: its `acquire`
/// makes the same two claims.
fn hand_semaphore() -> Report {
    use locks::hand::Semaphore;
    let new = || Semaphore::new(1);
    trial(
        "hand::Semaphore::acquire",
        new,
        Semaphore::try_acquire,
        Semaphore::acquire,
    )
}

fn tokio_semaphore() -> Report {
    use tokio::sync::Semaphore;
    let try_acquire =
        |semaphore: &'static Semaphore| semaphore.try_acquire().ok().map(Ok);
    let acquire = |semaphore: &'static Semaphore| semaphore.acquire();
    trial(
        "tokio::sync::Semaphore::acquire",
        || Semaphore::new(1),
        try_acquire,
        acquire,
    )
}

#[test]
fn a_lock_dropped_in_line_leaves_the_line() {
    let report = hand();
    let row = &report.rows[1];
    assert_eq!(
        (row.polls, row.completed),
        (1, false),
        "{}",
        report.markdown()
    );
    assert_eq!(row.verdict, Ok(()), "{}", report.markdown());
}

#[test]
fn a_lock_dropped_after_the_handover_passes_the_lock_on() {
    let report = hand();
    let row = &report.rows[2];
    assert_eq!(
        (row.polls, row.completed),
        (2, false),
        "{}",
        report.markdown()
    );
    assert_eq!(row.wakes, 1, "the handover woke it");
    assert_eq!(row.verdict, Ok(()), "{}", report.markdown());
}

#[test]
fn every_drop_point_of_our_lock_is_safe_as_are_tokios_and_async_locks() {
    let reports = [
        hand(),
        tokio(),
        async_lock(),
        hand_semaphore(),
        tokio_semaphore(),
    ];
    for report in &reports {
        assert!(report.is_cancel_safe(), "{}", report.markdown());
        assert_eq!(report.rows.len(), 4, "{}", report.markdown());
    }
    let table = format!(
        "{}\nOur lock, drop point by drop point:\n\n{}",
        lab::summary_table(&reports),
        reports[0].markdown()
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cancel-safety.md");
    timeline::testing::check_file(&path, &table);
}
