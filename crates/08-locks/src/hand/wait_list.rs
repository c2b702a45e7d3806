//! The line every waiting primitive keeps: waiters in the order they came,
//! each with its waker, and the grants handed to waiters that have not yet
//! been polled to collect them.
//!
//! A grant is what makes the [`Mutex`](super::Mutex) and the
//! [`Semaphore`](super::Semaphore) fair: whoever releases hands the lock (or
//! permit) to the first in line, instead of setting it free for anyone to
//! take. Until the waiter is polled, the grant waits here for it; a waiter
//! dropped with a grant in its name must give it back, or it is lost.
//!
//! Shortcut: the line is a `VecDeque` behind the primitive's own
//! `std::sync::Mutex`, so leaving it from the middle is a linear search.
//! tokio links its waiters into an intrusive list inside the futures
//! themselves (O(1) to leave, no allocation, and `unsafe` to get right).

use std::collections::VecDeque;
use std::task::Waker;

// ANCHOR: wait_list
/// Waiters in arrival order, and the ones granted what they wait for.
#[derive(Debug, Default)]
pub(crate) struct WaitList {
    next_id: u64,
    line: VecDeque<(u64, Waker)>,
    granted: Vec<u64>,
}

/// What a waiter that leaves (is dropped) was holding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a waiter that leaves with a grant must pass it on"]
pub(crate) enum Left {
    /// It was still in line: nothing to give back.
    Queued,
    /// It had been granted, and never collected: the caller must pass the
    /// grant on (to the next in line, or back to the pool).
    WithGrant,
}

impl WaitList {
    /// Joins the end of the line; the id is the waiter's ticket.
    pub(crate) fn join(&mut self, waker: &Waker) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.line.push_back((id, waker.clone()));
        id
    }

    /// True when nobody is in line (grants not yet collected are not
    /// counted: they hold what was handed to them already).
    pub(crate) fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    /// Grants the first in line, and returns its waker to be woken once
    /// the caller has let go of the primitive's state. `None` when nobody
    /// waits.
    pub(crate) fn grant_first(&mut self) -> Option<Waker> {
        let (id, waker) = self.line.pop_front()?;
        self.granted.push(id);
        Some(waker)
    }

    /// Collects the grant of waiter `id`, if it has one. Otherwise keeps
    /// its waker up to date (a task may be polled with a new one).
    pub(crate) fn collect(&mut self, id: u64, waker: &Waker) -> bool {
        if let Some(at) = self.granted.iter().position(|&g| g == id) {
            self.granted.swap_remove(at);
            return true;
        }
        if let Some((_, old)) = self.line.iter_mut().find(|(w, _)| *w == id) {
            old.clone_from(waker);
        }
        false
    }

    /// Waiter `id` leaves: out of the line, or with its grant.
    pub(crate) fn leave(&mut self, id: u64) -> Left {
        if let Some(at) = self.granted.iter().position(|&g| g == id) {
            self.granted.swap_remove(at);
            return Left::WithGrant;
        }
        self.line.retain(|(w, _)| *w != id);
        Left::Queued
    }

    /// How many wait in line.
    pub(crate) fn len(&self) -> usize {
        self.line.len()
    }
}
// ANCHOR_END: wait_list
