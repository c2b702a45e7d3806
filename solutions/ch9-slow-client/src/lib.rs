//! Chapter 9 exercise: keep a slow client from stalling the broadcast.
//!
//! A small chat room on tokio. Lines are framed right already (tokio's
//! `BufReader::lines`), but the broadcast is the tutorial's: it writes the
//! line to each other client in turn and awaits each write, like
//! `writer.write(line); await writer.drain()`. One client that never reads
//! fills its socket buffers, the write to it never ends, and the sender's
//! lines reach no one any more. Give each client a bounded outbox and a
//! writer task of its own, make the broadcast put lines in outboxes without
//! waiting, and drop the client whose outbox is full.
//!
//! Check your work with `cargo test -p ch9-slow-client`.
//!
//! Solved: a `Client` holds its outbox's sender and its writer task's
//! `AbortHandle`; `join` makes both; `broadcast` only `try_send`s, under
//! the room's lock, and removes (aborting its writer) every client whose
//! outbox refused the line. It no longer awaits anything.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::task::AbortHandle;

/// How many lines wait in a client's outbox, at most, before the client is
/// dropped as too slow.
pub const OUTBOX: usize = 64;

/// The server's send buffer for each client, in bytes: kept small, so that
/// a client that never reads fills its socket buffers after a few dozen
/// lines, not a few thousand (the kernel's default grows to megabytes).
pub const SEND_BUFFER: usize = 16 * 1024;

/// A line on its way out, with its `\n`: one allocation, shared by every
/// outbox it is put in.
pub type Line = Arc<str>;

/// One client, as the room sees it.
struct Client {
    /// The sending side of its bounded outbox.
    outbox: mpsc::Sender<Line>,
    /// Its writer task, stopped at once when the client is dropped as too
    /// slow (it may be stuck in a write to a full socket).
    writer: AbortHandle,
}

/// Everyone connected.
#[derive(Default)]
pub struct Room {
    clients: Mutex<HashMap<SocketAddr, Client>>,
}

impl std::fmt::Debug for Room {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Room")
            .field("clients", &self.len())
            .finish()
    }
}

impl Room {
    /// How many clients are in the room.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no one is in the room.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `peer` is still in the room.
    pub fn contains(&self, peer: SocketAddr) -> bool {
        self.lock().contains_key(&peer)
    }

    /// A client joins with the write half of its socket.
    fn join(&self, peer: SocketAddr, writer: OwnedWriteHalf) {
        let (outbox, lines) = mpsc::channel(OUTBOX);
        let writer = tokio::spawn(write_lines(lines, writer)).abort_handle();
        self.lock().insert(peer, Client { outbox, writer });
    }

    /// A client leaves; its writer finishes what is in its outbox.
    fn leave(&self, peer: SocketAddr) {
        self.lock().remove(&peer);
    }

    /// Sends `line` to every client but `from`: never waits.
    async fn broadcast(&self, from: SocketAddr, line: Line) {
        let mut clients = self.lock();
        let mut refused = Vec::new();
        for (&peer, client) in clients.iter() {
            if peer == from {
                continue;
            }
            match client.outbox.try_send(Line::clone(&line)) {
                Ok(()) => {}
                // Full: too slow. Closed: its writer has gone (the socket
                // failed). Either way it leaves; the sender stays.
                Err(TrySendError::Full(_) | TrySendError::Closed(_)) => {
                    refused.push(peer);
                }
            }
        }
        for peer in refused {
            if let Some(client) = clients.remove(&peer) {
                client.writer.abort();
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SocketAddr, Client>> {
        // Held for a few steps, never across an `.await`; a panic under it
        // leaves the map whole.
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A client's writer task: writes each line that comes out of its outbox,
/// until the outbox is dropped (the client left) or the socket fails.
/// Dropping the write half at the end closes the client's connection.
async fn write_lines(mut lines: mpsc::Receiver<Line>, mut writer: OwnedWriteHalf) {
    while let Some(line) = lines.recv().await {
        if writer.write_all(line.as_bytes()).await.is_err() {
            break;
        }
    }
}

/// A client's reader task: relays each line it sends as `PEER: TEXT`.
async fn read_lines(reader: OwnedReadHalf, peer: SocketAddr, room: Arc<Room>) {
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(text)) = lines.next_line().await {
        if !room.contains(peer) {
            break; // dropped from the room meanwhile
        }
        let line = Line::from(format!("{peer}: {text}\n"));
        room.broadcast(peer, line).await;
    }
    room.leave(peer);
}

/// Accepts clients for ever: each joins the room, and gets a reader task.
pub async fn serve(listener: TcpListener, room: Arc<Room>) {
    while let Ok((stream, peer)) = listener.accept().await {
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SEND_BUFFER);
        let (reader, writer) = stream.into_split();
        room.join(peer, writer);
        tokio::spawn(read_lines(reader, peer, Arc::clone(&room)));
    }
}

/// Starts a room on a free loopback port, as a task on the current tokio
/// runtime; gives its address and the room.
pub async fn start() -> io::Result<(SocketAddr, Arc<Room>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let room = Arc::new(Room::default());
    tokio::spawn(serve(listener, Arc::clone(&room)));
    Ok((addr, room))
}
