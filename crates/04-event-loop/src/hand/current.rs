//! "The current loop": which loop is running on this thread, so that
//! [`spawn`](super::spawn), [`sleep`](super::sleep), the sockets and the
//! wakers can find it without being handed it. The only module that touches
//! the thread-local; everything else asks here.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::executor::Core;
use super::remote::{Incoming, Remote};
use super::task::TaskId;

thread_local! {
    static CURRENT: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

/// The loop running on this thread, if any.
///
/// `None` too while the thread is exiting and its thread-locals are being
/// destroyed: a waker woken from another thread-local's destructor then
/// takes the cross-thread way in, instead of aborting the process.
pub(crate) fn try_current() -> Option<Rc<Core>> {
    CURRENT
        .try_with(|current| current.try_borrow().ok()?.clone())
        .ok()
        .flatten()
}

/// The loop running on this thread.
///
/// # Panics
///
/// Outside a running loop, naming `what` was tried.
pub(crate) fn current(what: &str) -> Rc<Core> {
    try_current().unwrap_or_else(|| {
        panic!("{what} outside an event loop: run it inside `block_on` or a task")
    })
}

/// Whether a loop is running on this thread.
pub(crate) fn is_set() -> bool {
    try_current().is_some()
}

/// Makes a loop current on this thread until dropped, then restores
/// whichever was current before.
pub(crate) struct Enter {
    previous: Option<Rc<Core>>,
}

impl Enter {
    pub(crate) fn new(core: &Rc<Core>) -> Enter {
        let previous = CURRENT.with(|current| current.replace(Some(Rc::clone(core))));
        Enter { previous }
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // The loop it replaces is dropped after the borrow ends.
        let _entered = CURRENT.with(|current| current.replace(previous));
    }
}

/// Runs `work` with the loop running on this thread, without taking a
/// reference count: the wakers' fast path.
pub(crate) fn with<R>(work: impl FnOnce(Option<&Core>) -> R) -> R {
    let mut work = Some(work);
    let done = CURRENT.try_with(|current| {
        let current = current.try_borrow().ok();
        let core = current.as_ref().and_then(|current| current.as_deref());
        (work.take().expect("called once"))(core)
    });
    match done {
        Ok(result) => result,
        // The thread is exiting: no loop runs here any more.
        Err(_) => (work.take().expect("not called yet"))(None),
    }
}

// ANCHOR: schedule
/// Puts a woken task on its loop's ready queue: directly when the wake comes
/// from the loop's own thread (no lock), through [`Remote`] otherwise, which
/// interrupts the poller. A loop that has closed refuses the wake: there is
/// no task left to run.
pub(crate) fn schedule(remote: &Arc<Remote>, slot: usize, id: TaskId) {
    let queued = with(|core| {
        core.filter(|core| Arc::ptr_eq(&core.remote, remote))
            .is_some_and(|core| core.push_woken(slot, id))
    });
    if !queued {
        let _refused_when_closed = remote.push(Incoming::Wake { slot, id });
    }
}
// ANCHOR_END: schedule
