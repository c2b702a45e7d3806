//! The cancellation-safety lab: drop a future after every possible number of
//! polls and check what the drop left behind.
//!
//! In Rust a future is cancelled by dropping it: `select!` drops the losing
//! branch, a timeout drops the work, an aborted task drops its future. The
//! drop can come at any `Pending`, so "is this operation cancel-safe?" is a
//! question about every one of them. The lab asks it exhaustively: for
//! n = 0, 1, 2, … it builds a fresh world and a fresh future with `setup`,
//! polls the future n times (calling `step` after each `Pending`, so the
//! world can move on: deliver the next chunk of bytes, release a lock),
//! drops it, and calls `check` on what is left. It stops at the first n
//! where the future completes instead (that run is checked too), so a table
//! row says, for each drop point, whether the invariant held.
//!
//! The lab polls by hand with a [`WakeCounter`]'s waker: it needs no
//! runtime, so a future that needs one is probed from inside it. For tokio,
//! enter a runtime around the call (`let _guard = runtime.enter();`, or call
//! from inside `block_on`); for chapter 4's loop, call it from inside
//! `EventLoop::block_on`, where `sleep` and `spawn` find the loop. With a
//! paused or virtual clock, `step` is where time moves.
//!
//! # Examples
//!
//! A future that takes two items out of a shared buffer, one per poll, and
//! keeps the first in its own state until it has both: dropped after one
//! poll, it loses an item. The lab finds the drop point.
//!
//! ```
//! use std::cell::RefCell;
//! use std::collections::VecDeque;
//! use std::rc::Rc;
//! use std::task::Poll;
//!
//! use gather_wait::lab;
//!
//! let setup = || {
//!     let buffer = Rc::new(RefCell::new(VecDeque::from([1, 2])));
//!     let shared = Rc::clone(&buffer);
//!     let mut first = None;
//!     let take_two = std::future::poll_fn(move |_| {
//!         let item = shared.borrow_mut().pop_front().expect("two items");
//!         match first.take() {
//!             None => {
//!                 first = Some(item);
//!                 Poll::Pending // a real future would arrange a wake here
//!             }
//!             Some(first) => Poll::Ready((first, item)),
//!         }
//!     });
//!     (buffer, take_two)
//! };
//! let check = |buffer: Rc<RefCell<VecDeque<i32>>>, outcome: lab::Outcome<(i32, i32)>| {
//!     let left = buffer.borrow().len();
//!     match outcome {
//!         lab::Outcome::Completed(pair) if pair == (1, 2) => Ok(()),
//!         lab::Outcome::Dropped if left == 2 || left == 0 => Ok(()),
//!         _ => Err(format!("{} item(s) lost", 2 - left)),
//!     }
//! };
//! let report = lab::run("take two", setup, |_, _| {}, check);
//! assert_eq!(report.rows.len(), 3); // dropped after 0 and 1 polls, then done
//! assert!(!report.is_cancel_safe());
//! assert_eq!(report.first_loss(), Some((1, "1 item(s) lost")));
//! ```

use std::fmt::Write as _;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// How many polls the lab tries before it gives up on a future that never
/// completes: a row then says so, instead of the lab looping for ever.
pub const MAX_POLLS: usize = 1_000;

/// What became of the future in one trial, handed to `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// Dropped while `Pending`, after the trial's number of polls (0 means
    /// it was never polled).
    Dropped,
    /// Completed on the trial's last poll, with this output.
    Completed(T),
}

/// One trial: the future polled `polls` times, then dropped (or completed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// How many times the future was polled.
    pub polls: usize,
    /// True when the last poll returned `Ready` (the future was not dropped
    /// while pending).
    pub completed: bool,
    /// How many times the future woke its waker during the trial.
    pub wakes: usize,
    /// What `check` said: `Ok` when the invariant held, or what was lost.
    pub verdict: Result<(), String>,
}

/// The lab's result for one operation: a row for each drop point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The operation's name, as the table shows it.
    pub name: String,
    /// One row per number of polls, from 0 up to the one that completed.
    pub rows: Vec<Row>,
}

impl Report {
    /// True when the invariant held after every drop and after completion,
    /// and the future did complete within [`MAX_POLLS`].
    pub fn is_cancel_safe(&self) -> bool {
        self.completed() && self.rows.iter().all(|row| row.verdict.is_ok())
    }

    /// True when the last trial completed the future.
    pub fn completed(&self) -> bool {
        self.rows.last().is_some_and(|row| row.completed)
    }

    /// The first number of polls after which the invariant broke, with what
    /// `check` said was lost.
    pub fn first_loss(&self) -> Option<(usize, &str)> {
        self.rows.iter().find_map(|row| match &row.verdict {
            Ok(()) => None,
            Err(lost) => Some((row.polls, lost.as_str())),
        })
    }

    /// Every number of polls after which the invariant broke.
    pub fn losses(&self) -> Vec<usize> {
        let broken = self.rows.iter().filter(|row| row.verdict.is_err());
        broken.map(|row| row.polls).collect()
    }

    /// This report's rows as a Markdown table: one line per drop point.
    pub fn markdown(&self) -> String {
        let mut table = String::from("| polls | then | wakes | invariant |\n");
        table.push_str("|---|---|---|---|\n");
        for row in &self.rows {
            let then = if row.completed { "ready" } else { "dropped" };
            let verdict = match &row.verdict {
                Ok(()) => "holds".to_string(),
                Err(lost) => format!("broken: {lost}"),
            };
            let (polls, wakes) = (row.polls, row.wakes);
            let _ = writeln!(table, "| {polls} | {then} | {wakes} | {verdict} |");
        }
        table
    }
}

/// Several reports as one Markdown table: an operation per line, with how
/// many drop points were tried and the first that lost something.
pub fn summary_table(reports: &[Report]) -> String {
    let mut table =
        String::from("| operation | drops tried | cancel-safe | first loss |\n");
    table.push_str("|---|---|---|---|\n");
    for report in reports {
        let drops = report.rows.iter().filter(|row| !row.completed).count();
        let safe = if report.is_cancel_safe() { "yes" } else { "no" };
        let loss = match report.first_loss() {
            Some((polls, lost)) => format!("after {polls} poll(s): {lost}"),
            None if report.completed() => "none".to_string(),
            None => format!("never completed in {MAX_POLLS} polls"),
        };
        let name = &report.name;
        let _ = writeln!(table, "| {name} | {drops} | {safe} | {loss} |");
    }
    table
}

// ANCHOR: run
/// Runs the lab on one operation: for n = 0, 1, 2, … a fresh `(world,
/// future)` from `setup`, the future polled n times with `step(&mut world,
/// polls_so_far)` after each `Pending`, then dropped, then `check(world,
/// outcome)`. Stops after the trial in which the future completes, or after
/// [`MAX_POLLS`] polls (the last row then says the future never completed).
///
/// The world is whatever the check needs to see after the drop: usually
/// handles (`Rc`, `Arc`) to the state the future shares.
pub fn run<W, F>(
    name: &str,
    mut setup: impl FnMut() -> (W, F),
    mut step: impl FnMut(&mut W, usize),
    mut check: impl FnMut(W, Outcome<F::Output>) -> Result<(), String>,
) -> Report
where
    F: Future,
{
    let mut rows = Vec::new();
    for budget in 0..=MAX_POLLS {
        let (mut world, future) = setup();
        let (row, outcome) = trial(&mut world, future, budget, &mut step);
        let completed = matches!(outcome, Outcome::Completed(_));
        rows.push(Row {
            verdict: check(world, outcome),
            ..row
        });
        if completed {
            break;
        }
    }
    if !rows.last().is_some_and(|row| row.completed) {
        let last = rows.last_mut().expect("at least one trial ran");
        last.verdict = Err(format!("never completed in {MAX_POLLS} polls"));
    }
    Report {
        name: name.to_string(),
        rows,
    }
}

/// One trial: up to `budget` polls, then the future is dropped (here, at
/// the end of this function) before the outcome is returned.
fn trial<W, F: Future>(
    world: &mut W,
    future: F,
    budget: usize,
    step: &mut impl FnMut(&mut W, usize),
) -> (Row, Outcome<F::Output>) {
    let counter = WakeCounter::new();
    let waker = counter.waker();
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    let mut outcome = Outcome::Dropped;
    let mut polls = 0;
    while polls < budget {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            outcome = Outcome::Completed(output);
            break;
        }
        step(world, polls);
    }
    let row = Row {
        polls,
        completed: matches!(outcome, Outcome::Completed(_)),
        wakes: counter.count(),
        verdict: Ok(()),
    };
    (row, outcome)
}

// ANCHOR_END: run

/// A waker that only counts how often it is woken: the lab polls by hand,
/// so a wake needs to do nothing but be seen.
#[derive(Debug, Clone, Default)]
pub struct WakeCounter(Arc<AtomicUsize>);

impl WakeCounter {
    /// A counter at zero.
    pub fn new() -> WakeCounter {
        WakeCounter::default()
    }

    /// A waker that adds one to this counter each time it is woken.
    pub fn waker(&self) -> Waker {
        Waker::from(Arc::new(self.clone()))
    }

    /// How many wakes so far.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
