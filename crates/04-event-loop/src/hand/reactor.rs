//! The reactor: the loop's link to the operating system's readiness API
//! (epoll on Linux, kqueue on macOS and the BSDs, IOCP on Windows) through the
//! `polling` crate.
//!
//! Each socket is registered once, for reading and writing, and stays
//! registered until it is dropped. Where the system supports it (epoll and
//! kqueue do) the registration is edge-triggered: the system reports a socket
//! when it *becomes* ready, so a socket that stays ready costs nothing, and
//! no call is needed to re-arm it after each event. That is how tokio does it
//! too. Elsewhere it falls back to one-shot registrations: an event disarms
//! the whole registration, both ways, so the reactor re-arms it when a task
//! has to wait, and after each event for whoever still waits.
//!
//! The reactor's table holds each registered socket itself (shared, through
//! an `Rc`, with the `net` type that owns it): `wait` can then re-arm a
//! socket when no task is at hand, and no socket can be closed while it is
//! still in the poller.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker, ready};
use std::time::Duration;

use polling::{Event, Events, PollMode, Poller};
use tracing::trace;

use super::slab::Slab;

// ANCHOR: source
/// Which way a task waits on a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Read,
    Write,
}

/// One registered socket, and what the reactor knows about it: whether it
/// may be ready each way, and who waits for it to be. `S` is the socket's
/// type; the reactor's table forgets it (`Source<dyn AsSocket>`, the
/// default).
pub(crate) struct Source<S: ?Sized = dyn AsSocket> {
    key: usize,
    read: Readiness,
    write: Readiness,
    socket: S,
}

/// One direction of a socket: whether it may be ready that way, and every
/// task waiting for it to be.
///
/// All the waiters are woken at the next event. Those that find nothing to
/// do (another took the bytes, or the connection) wait again. A waiter that
/// gives up instead (its future dropped by a timeout, or by a `select!` that
/// took another branch) leaves its waker here until that event, which then
/// wakes its task once for nothing: a spurious wake, which every future must
/// bear anyway, and a wake for a task that has ended is ignored. Each task is
/// kept once (`will_wake`), so the list never holds more than the tasks that
/// waited since the last event. tokio does better: each waiting future owns
/// an entry in an intrusive list and unlinks it when dropped, which takes
/// unsafe pointer code.
#[derive(Debug)]
struct Readiness {
    /// False once an operation said `WouldBlock`, true again at the next
    /// event: until then, trying again would only say `WouldBlock` again.
    ready: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}
// ANCHOR_END: source

impl<S: ?Sized> Source<S> {
    /// The socket, for the I/O types of `net` to use.
    pub(crate) fn socket(&self) -> &S {
        &self.socket
    }

    fn readiness(&self, direction: Direction) -> &Readiness {
        match direction {
            Direction::Read => &self.read,
            Direction::Write => &self.write,
        }
    }

    fn is_waited_on(&self) -> bool {
        self.read.is_waited_on() || self.write.is_waited_on()
    }

    /// The event to ask the poller for: the directions someone waits on.
    fn interest(&self) -> Event {
        let (read, write) = (self.read.is_waited_on(), self.write.is_waited_on());
        Event::new(self.key, read, write)
    }
}

impl<S: ?Sized> fmt::Debug for Source<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("key", &self.key)
            .field("read", &self.read)
            .field("write", &self.write)
            .finish_non_exhaustive()
    }
}

impl Readiness {
    /// A new socket may be ready already: it is tried before anyone waits.
    fn new() -> Readiness {
        Readiness {
            ready: Cell::new(true),
            waiters: RefCell::new(Vec::new()),
        }
    }

    /// Keeps `waker` for the next event, unless it is kept already (a task
    /// polled again before the event, or waiting twice the same way).
    fn wait(&self, waker: &Waker) {
        if self
            .waiters
            .borrow()
            .iter()
            .any(|kept| kept.will_wake(waker))
        {
            return;
        }
        // Cloned outside the borrow: a waker's `clone` is not ours to trust.
        let waker = waker.clone();
        self.waiters.borrow_mut().push(waker);
    }

    fn is_waited_on(&self) -> bool {
        !self.waiters.borrow().is_empty()
    }

    /// The event came: marks it ready, and moves every waiter to `woken`.
    fn became_ready(&self, woken: &mut Vec<Waker>) {
        self.ready.set(true);
        woken.append(&mut self.waiters.borrow_mut());
    }
}

/// System calls the reactor has made, for tests and the book.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReactorStats {
    /// Sockets added to the poller.
    pub registrations: u64,
    /// Registrations changed: re-arming a one-shot registration.
    pub modifications: u64,
    /// Waits in the poller, whether they blocked or not.
    pub waits: u64,
    /// Interruptions of a wait by other threads (`notify`): new work handed
    /// in, a `stop`, the last clock hold let go.
    pub interrupts: u64,
}

pub(crate) struct Reactor {
    poller: Arc<Poller>,
    mode: PollMode,
    /// The registered sockets by key; a freed key is reused.
    sources: RefCell<Slab<Rc<Source>>>,
    events: RefCell<Events>,
    /// Wakers of the sockets that became ready, kept between waits.
    woken: RefCell<Vec<Waker>>,
    stats: Cell<ReactorStats>,
}

impl Reactor {
    /// A reactor on `poller`: edge-triggered where the system supports it,
    /// unless `oneshot` asks for the fallback.
    pub(crate) fn new(poller: Arc<Poller>, oneshot: bool) -> Reactor {
        let mode = if poller.supports_edge() && !oneshot {
            PollMode::Edge
        } else {
            PollMode::Oneshot
        };
        Reactor {
            poller,
            mode,
            sources: RefCell::new(Slab::new()),
            events: RefCell::new(Events::new()),
            woken: RefCell::new(Vec::new()),
            stats: Cell::new(ReactorStats::default()),
        }
    }

    pub(crate) fn stats(&self) -> ReactorStats {
        self.stats.get()
    }

    fn count(&self, change: impl FnOnce(&mut ReactorStats)) {
        let mut stats = self.stats.get();
        change(&mut stats);
        self.stats.set(stats);
    }

    /// Sockets registered now.
    pub(crate) fn sources(&self) -> usize {
        self.sources.borrow().len()
    }

    // ANCHOR: register
    /// Registers `socket` for reading and writing, once, for its lifetime,
    /// and keeps it in the table until [`Reactor::deregister`]. Whoever
    /// calls this must call that once they are done with the socket: it is
    /// closed only when the last `Rc` of its source goes.
    pub(crate) fn register<S: AsSocket + 'static>(
        &self,
        socket: S,
    ) -> io::Result<Rc<Source<S>>> {
        let source = Rc::new(Source {
            key: self.sources.borrow().vacant(),
            read: Readiness::new(),
            write: Readiness::new(),
            socket,
        });
        // In the table first, so that it is there whenever it is in the poller.
        let key = self.sources.borrow_mut().insert(source.clone());
        debug_assert_eq!(key, source.key, "the place `vacant` named");
        // SAFETY: `add_to` needs the socket deleted from the poller before it
        // is closed. It is closed only when the last `Rc` of `source` goes,
        // and the table keeps one from here until `deregister` (or the
        // reactor's `Drop`) has deleted it; if adding fails, there is
        // nothing to delete.
        let added = unsafe {
            source
                .socket
                .add_to(&self.poller, Event::all(key), self.mode)
        };
        if let Err(error) = added {
            let removed = self.sources.borrow_mut().remove(key);
            drop(removed); // never added: nothing to delete
            return Err(error);
        }
        self.count(|stats| stats.registrations += 1);
        Ok(source)
    }

    /// Takes the socket out of the poller, then out of the table. Errors are
    /// ignored: the socket is about to be closed, and closing it removes it
    /// anyway.
    pub(crate) fn deregister(&self, source: &Source) {
        let _ = source.socket.delete_from(&self.poller);
        let removed = self.sources.borrow_mut().remove(source.key);
        drop(removed); // not the last `Rc`: the owner's closes the socket
    }
    // ANCHOR_END: register

    // ANCHOR: poll_io
    /// Runs `operation` on a non-blocking socket. If the socket is not ready,
    /// the operation says `WouldBlock`: the socket is marked not ready that
    /// way, the task's waker is kept with the others waiting that way, and
    /// the task waits for the next event.
    pub(crate) fn poll_io<T>(
        &self,
        source: &Source,
        direction: Direction,
        cx: &mut Context<'_>,
        mut operation: impl FnMut() -> io::Result<T>,
    ) -> Poll<io::Result<T>> {
        loop {
            ready!(self.poll_ready(source, direction, cx))?;
            match self.try_io(source, direction, &mut operation) {
                // Marked not ready: the next round waits for the event.
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                result => return Poll::Ready(result),
            }
        }
    }

    /// Ready if the socket may be ready `direction`; otherwise keeps the
    /// task's waker for the next event that way, and is pending.
    pub(crate) fn poll_ready(
        &self,
        source: &Source,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        let readiness = source.readiness(direction);
        if readiness.ready.get() {
            return Poll::Ready(Ok(()));
        }
        readiness.wait(cx.waker());
        if self.mode == PollMode::Oneshot {
            self.rearm(source)?;
        }
        Poll::Pending
    }

    /// Runs `operation` once, never waiting: `WouldBlock` at once if the
    /// socket is marked not ready `direction`, and marks it so if the
    /// operation says `WouldBlock`.
    pub(crate) fn try_io<T>(
        &self,
        source: &Source,
        direction: Direction,
        mut operation: impl FnMut() -> io::Result<T>,
    ) -> io::Result<T> {
        let readiness = source.readiness(direction);
        if !readiness.ready.get() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        loop {
            match operation() {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    readiness.ready.set(false);
                    return Err(error);
                }
                result => return result,
            }
        }
    }
    // ANCHOR_END: poll_io

    /// One-shot mode only: asks again for the directions someone waits on.
    fn rearm(&self, source: &Source) -> io::Result<()> {
        self.count(|stats| stats.modifications += 1);
        source
            .socket
            .modify_in(&self.poller, source.interest(), self.mode)
    }

    /// One-shot mode only: the event disarmed the whole registration, both
    /// ways. Re-arms it for those still waiting (a writer, after an event
    /// for reading), or, if that fails, wakes them too: each tries again,
    /// and the next to wait re-arms and gets the error.
    fn rearm_after_event(&self, source: &Source, woken: &mut Vec<Waker>) {
        if !source.is_waited_on() {
            return; // the next task to wait re-arms it
        }
        if let Err(error) = self.rearm(source) {
            trace!(key = source.key, %error, "re-arming failed");
            source.read.became_ready(woken);
            source.write.became_ready(woken);
        }
    }

    // ANCHOR: wait
    /// Waits in the poller for I/O events, for at most `timeout` (`None`:
    /// until an event or a wake from another thread), and wakes the tasks
    /// waiting on the sockets that became ready. Returns how many events came.
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> io::Result<usize> {
        let mut events = self.events.borrow_mut();
        events.clear();
        self.count(|stats| stats.waits += 1);
        let count = self.poller.wait(&mut events, timeout)?;
        let sources = self.sources.borrow();
        let mut woken = self.woken.take();
        for event in events.iter() {
            let Some(source) = sources.get(event.key) else {
                continue;
            };
            trace!(key = event.key, event.readable, event.writable, "I/O event");
            if event.readable {
                source.read.became_ready(&mut woken);
            }
            if event.writable {
                source.write.became_ready(&mut woken);
            }
            if self.mode == PollMode::Oneshot {
                self.rearm_after_event(source, &mut woken);
            }
        }
        // Woken after the borrows end: a waker may run code of its own.
        drop(sources);
        drop(events);
        woken.drain(..).for_each(Waker::wake);
        self.woken.replace(woken);
        Ok(count)
    }
    // ANCHOR_END: wait
}

impl Drop for Reactor {
    /// Sockets still registered leave the poller before the table, dropped
    /// next, may close them. There are none: each socket's owner holds the
    /// loop, so the loop and this reactor outlive it. This keeps the promise
    /// `register` makes to `add_to` without leaning on that.
    fn drop(&mut self) {
        for (_, source) in self.sources.get_mut().iter() {
            let _ = source.socket.delete_from(&self.poller);
        }
    }
}

/// A socket the reactor can register: the platform's raw handle, hidden.
pub(crate) trait AsSocket {
    /// Adds the socket to `poller`, with `interest`, in `mode`.
    ///
    /// # Safety
    ///
    /// - The socket must be deleted from `poller` (with `delete_from`)
    ///   before it is closed: `polling` needs that (on Windows it keeps
    ///   state of its own per socket).
    unsafe fn add_to(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()>;
    fn modify_in(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()>;
    fn delete_from(&self, poller: &Poller) -> io::Result<()>;
}

#[cfg(unix)]
impl<T: std::os::fd::AsFd + std::os::fd::AsRawFd> AsSocket for T {
    unsafe fn add_to(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        // SAFETY: `add_with_mode` needs the socket to be deleted from the
        // poller before it is closed, which our caller promises.
        unsafe { poller.add_with_mode(self.as_raw_fd(), interest, mode) }
    }

    fn modify_in(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        poller.modify_with_mode(self, interest, mode)
    }

    fn delete_from(&self, poller: &Poller) -> io::Result<()> {
        poller.delete(self)
    }
}

#[cfg(windows)]
impl<T: std::os::windows::io::AsSocket + std::os::windows::io::AsRawSocket> AsSocket
    for T
{
    unsafe fn add_to(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        // SAFETY: as on Unix: our caller promises to delete the socket from
        // the poller before closing it.
        unsafe { poller.add_with_mode(self.as_raw_socket(), interest, mode) }
    }

    fn modify_in(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        poller.modify_with_mode(self, interest, mode)
    }

    fn delete_from(&self, poller: &Poller) -> io::Result<()> {
        poller.delete(self)
    }
}
