//! The `Future` contract, and the classic bug that breaks it.
//!
//! `poll` returns `Poll::Ready(value)` once, or `Poll::Pending`. `Pending` is
//! a promise of its own: "I have made sure that the waker in `cx` will be
//! called when polling me again can make progress". The executor relies on it
//! and polls the task only after a wake; it never polls "just in case".
//!
//! - A leaf future (a timer, a socket, a promise) keeps `cx.waker()` where the
//!   event will find it. A future built from others passes `cx` on, and
//!   returns `Pending` only when a child did.
//! - Only the latest waker counts: a task may move between threads or
//!   executors, and each poll may bring a different waker.
//! - Whoever makes progress possible calls `wake`: the timer thread, the
//!   completer, the reactor. It may do so from any thread, at any time.
//! - Wakes can be spurious or come in bunches: a future must answer any poll
//!   correctly, and several wakes may lead to a single poll.
//!
//! [`Mailbox`] is the smallest place to see it: a letter dropped in by another
//! thread. [`Wait`] keeps the waker and is woken when the letter arrives;
//! [`ForgetfulWait`] does not, and waits forever.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

// ANCHOR: mailbox
/// A letter that another thread drops in later, and the waker to call then.
#[derive(Debug, Clone, Default)]
pub struct Mailbox {
    slot: Arc<Mutex<Slot>>,
}

#[derive(Debug, Default)]
struct Slot {
    letter: Option<u64>,
    waker: Option<Waker>,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Mailbox {
        Mailbox::default()
    }

    /// Drops a letter in, and wakes whoever left a waker.
    pub fn deliver(&self, letter: u64) {
        let waker = {
            let mut slot = self.lock();
            slot.letter = Some(letter);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
// ANCHOR_END: mailbox

impl Mailbox {
    /// Whether a letter is in the box, waiting to be taken.
    pub fn has_letter(&self) -> bool {
        self.lock().letter.is_some()
    }

    /// Waits for the letter, keeping the contract.
    pub fn wait(&self) -> Wait {
        Wait {
            mailbox: self.clone(),
        }
    }

    /// Waits for the letter the wrong way: see [`ForgetfulWait`].
    pub fn wait_forgetfully(&self) -> ForgetfulWait {
        ForgetfulWait {
            mailbox: self.clone(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        // Nothing panics while the slot is locked; if something did, the slot
        // would still hold a letter or not, so it is used as is.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

// ANCHOR: forgetful
/// BUG: returns `Pending` without leaving a waker. When the letter arrives,
/// nobody is told, so nobody polls again: the task waits forever.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct ForgetfulWait {
    mailbox: Mailbox,
}

impl Future for ForgetfulWait {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<u64> {
        match self.mailbox.lock().letter.take() {
            Some(letter) => Poll::Ready(letter),
            None => Poll::Pending, // and no one will ever wake us
        }
    }
}
// ANCHOR_END: forgetful

// ANCHOR: wait
/// The fix is one line: leave the waker where `deliver` will find it.
#[must_use = "futures do nothing unless you .await or poll them"]
#[derive(Debug)]
pub struct Wait {
    mailbox: Mailbox,
}

impl Future for Wait {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        // Look and leave the waker under one lock: otherwise the letter could
        // arrive between the two, and its wake would find no waker.
        let mut slot = self.mailbox.lock();
        match slot.letter.take() {
            Some(letter) => Poll::Ready(letter),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: wait
