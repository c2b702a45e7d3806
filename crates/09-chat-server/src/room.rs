//! The room: who is connected, under which name, and each one's outbox.
//! Shared by every runtime's server; it never awaits and does no I/O.
//!
//! A client is two tasks. Its reader feeds a [`Session`] what the socket
//! gives; the session answers through the room, which puts lines into
//! outboxes with a non-blocking `try_send`. Its writer takes lines from its
//! own outbox and writes them. So a broadcast never waits for any socket: a
//! client whose outbox is full is cut off, and the sender goes on.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use locks::hand::Event;
use tracing::{info, warn};

use crate::protocol::{Command, Frame, Framer, say};

/// A line on its way out, with its `\n`: one allocation, shared by every
/// outbox it is put in.
pub type Line = Arc<str>;

// ANCHOR: outbox
/// The sending side of a client's bounded outbox, as each runtime makes it
/// (a tokio `mpsc::Sender`, an `async_channel::Sender`, our `Queue`).
/// Dropping it tells the writer to finish once it has written what is in.
pub trait Outbox {
    /// Puts `line` in if there is room, without waiting.
    fn try_send(&self, line: Line) -> Result<(), Refused>;
}

/// Why an outbox did not take a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// It is full: the client reads too slowly.
    Full,
    /// Its writer has gone (the connection failed).
    Closed,
}
// ANCHOR_END: outbox

// ANCHOR: hangup
/// How the room stops a client's two tasks. Both are chapter 8's `Event`,
/// which needs only wakers, so the same type works on every runtime.
#[derive(Debug, Default)]
pub struct Hangup {
    /// Set when the client has left the room: its reader stops.
    pub gone: Event,
    /// Set when the client is cut off: its writer stops at once, without
    /// writing what is left in its outbox.
    pub cut: Event,
}
// ANCHOR_END: hangup

/// A client's number in the room.
pub type Id = u64;

/// The room, shared by every client's tasks (in an `Arc`).
pub struct Room<O> {
    state: Mutex<State<O>>,
}

struct State<O> {
    members: BTreeMap<Id, Member<O>>,
    next_id: Id,
    /// Set by [`Room::close`]: no one joins any more.
    closing: bool,
    /// The hangups of those [`Room::close`] sent away, for [`Room::cut_all`].
    closed: Vec<Arc<Hangup>>,
}

struct Member<O> {
    name: String,
    outbox: O,
    hangup: Arc<Hangup>,
}

/// Why a client leaves the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// It said `/quit`, closed its end, or its connection failed.
    Left,
    /// Its outbox was full.
    TooSlow,
    /// Its writer had gone.
    Lost,
}

impl<O: Outbox> Default for Room<O> {
    fn default() -> Room<O> {
        Room::new()
    }
}

impl<O: Outbox> Room<O> {
    /// An empty room.
    pub fn new() -> Room<O> {
        Room {
            state: Mutex::new(State {
                members: BTreeMap::new(),
                next_id: 0,
                closing: false,
                closed: Vec::new(),
            }),
        }
    }

    /// How many clients are in the room.
    pub fn len(&self) -> usize {
        self.lock().members.len()
    }

    /// Whether no one is in the room.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: lock
    // Sound to take from any task on any thread: the lock is held only for
    // the few steps of a method here, never across an `.await` (nothing
    // here awaits). Under it we call `try_send`, which may wake a writer:
    // a wake only schedules that task (no runtime here runs it inside
    // `wake`), so it cannot come back for this lock while we hold it. The
    // hangups' `Event::set`, which wakes every waiter, happens after the
    // lock is released.
    fn lock(&self) -> MutexGuard<'_, State<O>> {
        // A panic under the lock leaves the map whole: go on with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
    // ANCHOR_END: lock

    /// Closes the room, as the server shuts down: no one joins any more,
    /// everyone gets [`say::BYE`] and is sent away (its reader stops, its
    /// writer finishes what is in its outbox, then closes the connection).
    pub fn close(&self) {
        let mut state = self.lock();
        state.closing = true;
        let members = std::mem::take(&mut state.members);
        let hangups: Vec<_> = members.values().map(|m| Arc::clone(&m.hangup)).collect();
        state.closed.extend(hangups.iter().cloned());
        drop(state);
        for member in members.into_values() {
            if member.outbox.try_send(Line::from(say::BYE)).is_err() {
                member.hangup.cut.set();
            }
            member.hangup.gone.set();
            // Dropping the outbox here tells the writer to finish.
        }
    }

    /// After [`Room::close`], cuts off whoever has not taken its last
    /// lines yet: the server will not wait for ever.
    pub fn cut_all(&self) {
        let closed = std::mem::take(&mut self.lock().closed);
        for hangup in closed {
            hangup.cut.set();
        }
    }
}

// ANCHOR: broadcast
impl<O: Outbox> State<O> {
    /// Puts `line` into every outbox but `except`'s, and gives the clients
    /// that could not take it, to be sent away: never waits.
    fn deliver(&self, except: Option<Id>, line: &Line) -> Vec<(Id, Why)> {
        let mut refused = Vec::new();
        for (&id, member) in &self.members {
            if Some(id) == except {
                continue;
            }
            match member.outbox.try_send(Line::clone(line)) {
                Ok(()) => {}
                Err(Refused::Full) => refused.push((id, Why::TooSlow)),
                Err(Refused::Closed) => refused.push((id, Why::Lost)),
            }
        }
        refused
    }

    /// Sends `line` to all but `except`, and sends away whoever cannot
    /// take it. Gives the hangups to set once the lock is released.
    fn broadcast(&mut self, except: Option<Id>, line: Line) -> Vec<Sent> {
        let refused = self.deliver(except, &line);
        self.send_away(refused)
    }
    // ANCHOR_END: broadcast

    // ANCHOR: send_away
    /// Takes each of `refused` out of the room (its outbox is dropped with
    /// it) and tells the others, which may send more away in turn: each
    /// round removes someone, so it ends.
    fn send_away(&mut self, mut refused: Vec<(Id, Why)>) -> Vec<Sent> {
        let mut sent = Vec::new();
        while let Some((id, why)) = refused.pop() {
            let Some(member) = self.members.remove(&id) else {
                continue; // refused twice
            };
            match why {
                Why::Left => info!("{} left", member.name),
                Why::Lost => info!("{} left: its connection failed", member.name),
                Why::TooSlow => warn!("{} cut off: its outbox is full", member.name),
            }
            refused.extend(self.deliver(None, &Line::from(say::left(&member.name))));
            sent.push((member.hangup, why));
        }
        sent
    }
}

/// A client sent away, and why: what its hangup must say.
type Sent = (Arc<Hangup>, Why);

/// Stops the tasks of the clients sent away, outside the room's lock.
fn hang_up(sent: Vec<Sent>) {
    for (hangup, why) in sent {
        if why == Why::TooSlow {
            hangup.cut.set();
        }
        hangup.gone.set();
    }
}
// ANCHOR_END: send_away

// ANCHOR: session
/// One client as its reader sees it: what it has sent so far, and its
/// place in the room. Dropped, it leaves the room.
pub struct Session<O: Outbox> {
    room: Arc<Room<O>>,
    id: Id,
    framer: Framer,
}

/// What the reader does after [`Session::received`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "the reader must stop when told to"]
pub enum Flow {
    /// Read on.
    Read,
    /// Stop reading: the session is over.
    Stop,
}
// ANCHOR_END: session

impl<O: Outbox> Session<O> {
    /// Brings a new client into the room under its peer address, with its
    /// outbox: it is welcomed and the others told. Gives the session and
    /// the hangup its tasks must watch.
    pub fn join(
        room: &Arc<Room<O>>,
        peer: SocketAddr,
        outbox: O,
    ) -> (Self, Arc<Hangup>) {
        let name = peer.to_string();
        let hangup = Arc::new(Hangup::default());
        let mut state = room.lock();
        let id = state.next_id;
        state.next_id += 1;
        let session = Session {
            room: Arc::clone(room),
            id,
            framer: Framer::new(),
        };
        if state.closing {
            drop(state);
            let _ = outbox.try_send(Line::from(say::BYE));
            hangup.gone.set();
            return (session, hangup);
        }
        let welcomed = outbox.try_send(Line::from(say::welcome(&name)));
        info!("{name} joined");
        let member = Member {
            name: name.clone(),
            outbox,
            hangup: Arc::clone(&hangup),
        };
        state.members.insert(id, member);
        let mut hangups = state.broadcast(Some(id), Line::from(say::joined(&name)));
        if welcomed.is_err() {
            hangups.extend(state.send_away(vec![(id, Why::Lost)]));
        }
        drop(state);
        hang_up(hangups);
        (session, hangup)
    }

    // ANCHOR: received
    /// Takes what a read gave (`&[]` at end of file) and acts on each whole
    /// line in it.
    pub fn received(&mut self, bytes: &[u8]) -> Flow {
        if bytes.is_empty() {
            if let Some(frame) = self.framer.finish() {
                let _ = self.act(frame);
            }
            return Flow::Stop;
        }
        self.framer.push(bytes);
        while let Some(frame) = self.framer.next_line() {
            if self.act(frame) == Flow::Stop {
                return Flow::Stop;
            }
        }
        Flow::Read
    }
    // ANCHOR_END: received

    // ANCHOR: act
    fn act(&mut self, frame: Frame) -> Flow {
        let line = match frame {
            Frame::Line(line) => line,
            Frame::NotUtf8 => return self.tell(say::NOT_UTF8, "a line not UTF-8"),
            Frame::TooLong => {
                let _ = self.tell(say::TOO_LONG, "a line too long");
                return Flow::Stop;
            }
        };
        match crate::protocol::parse(&line) {
            Command::Say(text) => self.say(text),
            Command::Nick(name) => self.nick(name),
            Command::Quit => {
                let _ = self.tell(say::BYE, "");
                Flow::Stop
            }
            Command::Nothing => Flow::Read,
            Command::Unknown => self.tell(say::UNKNOWN, "an unknown command"),
        }
    }
    // ANCHOR_END: act

    /// Relays `text` to everyone else.
    fn say(&mut self, text: &str) -> Flow {
        let mut state = self.room.lock();
        let Some(me) = state.members.get(&self.id) else {
            return Flow::Stop; // sent away meanwhile
        };
        let line = Line::from(say::relay(&me.name, text));
        let hangups = state.broadcast(Some(self.id), line);
        drop(state);
        hang_up(hangups);
        Flow::Read
    }

    fn nick(&mut self, new: &str) -> Flow {
        if !crate::protocol::valid_name(new) {
            return self.tell(say::BAD_NAME, "a bad name");
        }
        let mut state = self.room.lock();
        if state
            .members
            .iter()
            .any(|(&id, m)| m.name == new && id != self.id)
        {
            drop(state);
            return self.tell(say::NAME_TAKEN, "a name taken");
        }
        let Some(me) = state.members.get_mut(&self.id) else {
            return Flow::Stop;
        };
        let old = std::mem::replace(&mut me.name, new.to_owned());
        info!("{old} is now {new}");
        let hangups = state.broadcast(None, Line::from(say::renamed(&old, new)));
        drop(state);
        hang_up(hangups);
        Flow::Read
    }

    /// Sends `line` to this client alone; `error` names it in the log.
    fn tell(&mut self, line: &str, error: &str) -> Flow {
        let mut state = self.room.lock();
        let Some(me) = state.members.get(&self.id) else {
            return Flow::Stop;
        };
        if !error.is_empty() {
            warn!("{} sent {error}", me.name);
        }
        let why = match me.outbox.try_send(Line::from(line)) {
            Ok(()) => return Flow::Read,
            Err(Refused::Full) => Why::TooSlow,
            Err(Refused::Closed) => Why::Lost,
        };
        let hangups = state.send_away(vec![(self.id, why)]);
        drop(state);
        hang_up(hangups);
        Flow::Stop
    }
}

impl<O> std::fmt::Debug for Room<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let names: Vec<_> = state.members.values().map(|m| &m.name).collect();
        f.debug_struct("Room").field("members", &names).finish()
    }
}

impl<O: Outbox> std::fmt::Debug for Session<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("id", &self.id).finish()
    }
}

impl<O: Outbox> Drop for Session<O> {
    /// The client leaves (if it is still in): the others are told, and its
    /// outbox is dropped, so its writer finishes and closes the connection.
    fn drop(&mut self) {
        let mut state = self.room.lock();
        let hangups = state.send_away(vec![(self.id, Why::Left)]);
        drop(state);
        hang_up(hangups);
    }
}
