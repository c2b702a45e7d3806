//! Callbacks: what `call_soon`, `call_later` and `call_soon_threadsafe`
//! schedule. Each waits in the loop's callback table until it runs or is
//! cancelled; the ready queue and the timer heap hold only its key.

use std::rc::Weak;

use super::executor::Core;
use super::slab::Slab;
use super::time::TimerKey;

/// A callback's key: its place in the table and its number, which tells it
/// from a later callback that took the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CallbackKey {
    pub(crate) slot: usize,
    pub(crate) id: u64,
}

/// A callback waiting to run.
pub(crate) struct Entry {
    pub(crate) id: u64,
    /// Which way it was scheduled (`call_soon`, `call_later`...), for the log.
    pub(crate) kind: &'static str,
    pub(crate) callback: Box<dyn FnOnce()>,
    /// Its timer, for `call_later`, until the timer fires.
    pub(crate) timer: Option<TimerKey>,
}

/// Every callback waiting to run.
#[derive(Default)]
pub(crate) struct Callbacks {
    entries: Slab<Entry>,
    next_id: u64,
}

impl Callbacks {
    pub(crate) fn insert(
        &mut self,
        kind: &'static str,
        callback: Box<dyn FnOnce()>,
    ) -> CallbackKey {
        self.next_id += 1;
        let id = self.next_id;
        let slot = self.entries.insert(Entry {
            id,
            kind,
            callback,
            timer: None,
        });
        CallbackKey { slot, id }
    }

    pub(crate) fn set_timer(&mut self, key: CallbackKey, timer: TimerKey) {
        let entry = self.entries.get_mut(key.slot);
        if let Some(entry) = entry.filter(|entry| entry.id == key.id) {
            entry.timer = Some(timer);
        }
    }

    /// Takes the callback out, to run or to drop, if it is still waiting.
    #[must_use = "the callback is the caller's to run or drop, after the borrow"]
    pub(crate) fn remove(&mut self, key: CallbackKey) -> Option<Entry> {
        self.entries.remove_if(key.slot, |entry| entry.id == key.id)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use = "the callbacks are the caller's to drop, after the borrow"]
    pub(crate) fn take_all(&mut self) -> Vec<Entry> {
        self.entries.take_all()
    }
}

// ANCHOR: callback
/// A callback scheduled on the loop: asyncio's `Handle` (from `call_soon`)
/// and `TimerHandle` (from `call_later`). [`Callback::cancel`] takes it back;
/// dropping it does not.
#[derive(Debug)]
pub struct Callback {
    pub(crate) core: Weak<Core>,
    pub(crate) key: Option<CallbackKey>,
}

impl Callback {
    /// Cancels the callback if it has not run yet; `true` if it was pending.
    /// A timer's entry leaves the heap at once. The callback (and whatever it
    /// captured) is dropped after the loop's borrows are released, so its
    /// `Drop` may use the loop.
    pub fn cancel(&self) -> bool {
        let (Some(core), Some(key)) = (self.core.upgrade(), self.key) else {
            return false;
        };
        core.cancel_callback(key)
    }
}
// ANCHOR_END: callback
