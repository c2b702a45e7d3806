//! The reactor: the loop's link to the operating system's readiness API
//! (epoll on Linux, kqueue on macOS and the BSDs, IOCP on Windows) through the
//! `polling` crate.
//!
//! Each socket is registered once, for reading and writing, and stays
//! registered until it is dropped. Where the system supports it (epoll and
//! kqueue do) the registration is edge-triggered: the system reports a socket
//! when it *becomes* ready, so a socket that stays ready costs nothing, and
//! no call is needed to re-arm it after each event. That is how tokio does it
//! too. Elsewhere it falls back to one-shot registrations, re-armed when a
//! task has to wait.

use std::cell::{Cell, RefCell};
use std::io;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
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

/// What the reactor knows about one registered socket: whether it may be
/// ready each way, and who waits for it to be.
#[derive(Debug)]
pub(crate) struct Source {
    key: usize,
    read: Readiness,
    write: Readiness,
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

impl Source {
    fn readiness(&self, direction: Direction) -> &Readiness {
        match direction {
            Direction::Read => &self.read,
            Direction::Write => &self.write,
        }
    }

    /// The event to ask the poller for: the directions someone waits on.
    fn interest(&self) -> Event {
        let (read, write) = (self.read.is_waited_on(), self.write.is_waited_on());
        Event::new(self.key, read, write)
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
        let mut waiters = self.waiters.borrow_mut();
        if !waiters.iter().any(|kept| kept.will_wake(waker)) {
            waiters.push(waker.clone());
        }
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
}

pub(crate) struct Reactor {
    poller: Arc<Poller>,
    mode: PollMode,
    /// The registered sockets by key; a freed key is reused.
    sources: RefCell<Slab<std::rc::Rc<Source>>>,
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
    /// Registers `socket` for reading and writing, once, for its lifetime.
    /// Whoever calls this must call [`Reactor::deregister`] before the socket
    /// is closed.
    pub(crate) fn register(
        &self,
        socket: &impl AsSocket,
    ) -> io::Result<std::rc::Rc<Source>> {
        let key = self.sources.borrow().vacant();
        let source = std::rc::Rc::new(Source {
            key,
            read: Readiness::new(),
            write: Readiness::new(),
        });
        socket.add_to(&self.poller, Event::all(key), self.mode)?;
        self.count(|stats| stats.registrations += 1);
        let inserted = self
            .sources
            .borrow_mut()
            .insert(std::rc::Rc::clone(&source));
        debug_assert_eq!(inserted, key, "the place `vacant` named");
        Ok(source)
    }

    /// Takes `socket` out of the poller. Errors are ignored: the socket is
    /// about to be closed, and closing it removes it anyway.
    pub(crate) fn deregister(&self, socket: &impl AsSocket, source: &Source) {
        let _ = socket.delete_from(&self.poller);
        let removed = self.sources.borrow_mut().remove(source.key);
        drop(removed);
    }
    // ANCHOR_END: register

    // ANCHOR: poll_io
    /// Runs `operation` on a non-blocking socket. If the socket is not ready,
    /// the operation says `WouldBlock`: the socket is marked not ready that
    /// way, the task's waker is kept with the others waiting that way, and
    /// the task waits for the next event.
    pub(crate) fn poll_io<T>(
        &self,
        socket: &impl AsSocket,
        source: &Source,
        direction: Direction,
        cx: &mut Context<'_>,
        mut operation: impl FnMut() -> io::Result<T>,
    ) -> Poll<io::Result<T>> {
        let readiness = source.readiness(direction);
        loop {
            if readiness.ready.get() {
                match operation() {
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        readiness.ready.set(false);
                    }
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {
                        continue;
                    }
                    result => return Poll::Ready(result),
                }
            }
            readiness.wait(cx.waker());
            if self.mode == PollMode::Oneshot {
                self.rearm(socket, source)?;
            }
            return Poll::Pending;
        }
    }
    // ANCHOR_END: poll_io

    /// One-shot mode only: asks again for the directions someone waits on.
    fn rearm(&self, socket: &impl AsSocket, source: &Source) -> io::Result<()> {
        self.count(|stats| stats.modifications += 1);
        socket.modify_in(&self.poller, source.interest(), self.mode)
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

/// A socket the reactor can register: the platform's raw handle, hidden.
pub(crate) trait AsSocket {
    fn add_to(
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
    fn add_to(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        // SAFETY: `add_with_mode` needs the socket to be deleted from the
        // poller before it is closed. Every socket registered here belongs to
        // an I/O type of `net` whose `Drop` calls `Reactor::deregister` first,
        // and only then closes the socket.
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
    fn add_to(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        // SAFETY: as on Unix: every socket registered here is deleted from
        // the poller by its owner's `Drop` before it is closed.
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
