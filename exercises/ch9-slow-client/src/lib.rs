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
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

// What you will need (tokio's bounded channel, and what `try_send` says):
#[allow(unused_imports)]
use tokio::sync::mpsc::{self, error::TrySendError};

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
    // TODO: instead of the socket itself, written by every broadcast, keep
    // the sending side of the client's bounded outbox (a
    // `mpsc::Sender<Line>`), and the `tokio::task::AbortHandle` of the
    // writer task that empties it, to stop that task when the client is
    // dropped.
    writer: Arc<tokio::sync::Mutex<OwnedWriteHalf>>,
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
        // TODO: make the client's outbox, `mpsc::channel(OUTBOX)`, and spawn
        // its writer task (`tokio::spawn(write_lines(lines, writer))`);
        // keep the sender and the task's `abort_handle()` in `Client`.
        let writer = Arc::new(tokio::sync::Mutex::new(writer));
        self.lock().insert(peer, Client { writer });
    }

    /// A client leaves; its writer finishes what is in its outbox.
    fn leave(&self, peer: SocketAddr) {
        self.lock().remove(&peer);
    }

    /// Sends `line` to every client but `from`.
    async fn broadcast(&self, from: SocketAddr, line: Line) {
        // TODO: this waits for each socket in turn, and for ever on one that
        // is full. Instead, `try_send` the line into each other client's
        // outbox (that never waits), and remove from the room every client
        // whose outbox refused it, stopping its writer task.
        let writers: Vec<_> = self
            .lock()
            .iter()
            .filter(|(peer, _)| **peer != from)
            .map(|(_, client)| Arc::clone(&client.writer))
            .collect();
        for writer in writers {
            let _ = writer.lock().await.write_all(line.as_bytes()).await;
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
#[allow(dead_code)]
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
