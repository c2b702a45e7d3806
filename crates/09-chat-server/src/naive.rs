//! The tutorial's chat server, faults and all, on tokio.
//!
//! asyncio tutorials write the chat server in a dozen lines:
//!
//! ```python
//! clients = set()
//!
//! async def handle(reader, writer):
//!     clients.add(writer)
//!     name = "%s:%d" % writer.get_extra_info("peername")
//!     while data := await reader.read(64):
//!         for other in list(clients):
//!             if other is not writer:
//!                 other.write(f"{name}: ".encode() + data)
//!                 await other.drain()
//!     clients.discard(writer)
//! ```
//!
//! This module is that server, written the same way in Rust, so that its three
//! faults can be shown with real sockets (`tests/naive_faults.rs`):
//!
//! 1. **A read is not a message.** `read(64)` returns whatever bytes have
//!    arrived, at most 64: two lines sent in one write come back as one
//!    message, and a line longer than 64 bytes as two.
//! 2. **One slow client stalls everyone.** The relay awaits each write in
//!    turn. A client that never reads fills its socket buffers, the write to
//!    it never finishes, and the sender's task stops there: it reads nothing
//!    more from its client, and nobody else hears from it.
//! 3. **Nothing bounds memory.** Drop the awaited write ([`Relay::Queued`],
//!    `writer.write()` without `drain()`: asyncio's transport then buffers
//!    without limit) and the stall is gone, but what is queued for a client
//!    that never reads grows with everything the others send.
//!
//! The fixed server (the crate root) frames by line, gives each client a
//! bounded outbox written by its own task, and drops a client whose outbox is
//! full.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, oneshot};

/// How many bytes one read asks for: the tutorial's `reader.read(64)`.
pub const READ_SIZE: usize = 64;

/// How the relay hands a message to another client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relay {
    /// `other.write(data); await other.drain()`: write to each other client
    /// in turn, and wait until each write is done (fault 2).
    Awaited,
    /// `other.write(data)` alone: the message joins a queue that a writer
    /// task empties into the socket, and nothing bounds the queue (fault 3).
    Queued,
}

/// A naive server running on a thread of its own; [`NaiveServer::shutdown`]
/// (or dropping it) stops it and closes every connection.
#[derive(Debug)]
pub struct NaiveServer {
    addr: SocketAddr,
    queued: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

/// Starts the naive server on `addr` (port 0 picks a free port) with the
/// tutorial's awaited relay; returns once it is listening.
///
/// # Examples
///
/// Two lines sent in one write come out as one message:
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::TcpStream;
///
/// let server = chat_server::naive::start("127.0.0.1:0")?;
/// let mut listener = TcpStream::connect(server.addr())?;
/// let mut talker = TcpStream::connect(server.addr())?;
/// talker.write_all(b"one\ntwo\n")?;
/// let name = talker.local_addr()?;
/// let mut message = vec![0; format!("{name}: one\ntwo\n").len()];
/// listener.read_exact(&mut message)?;
/// assert_eq!(message, format!("{name}: one\ntwo\n").into_bytes());
/// server.shutdown();
/// # std::io::Result::Ok(())
/// ```
pub fn start(addr: &str) -> io::Result<NaiveServer> {
    start_with(addr, Relay::Awaited)
}

/// Starts the naive server with the relay `relay`; returns once it is
/// listening.
pub fn start_with(addr: &str, relay: Relay) -> io::Result<NaiveServer> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let queued = Arc::new(AtomicUsize::new(0));
    let (stop, stopped) = oneshot::channel();
    let room = Room {
        relay,
        queued: Arc::clone(&queued),
        clients: Arc::default(),
    };
    let thread = thread::Builder::new()
        .name("naive-chat".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(std_listener) else {
                    return;
                };
                tokio::select! {
                    () = room.serve(listener) => {}
                    _ = stopped => {}
                }
            });
            // Dropping the runtime drops every client's task, and with them
            // every socket.
        })?;
    Ok(NaiveServer {
        addr,
        queued,
        stop: Some(stop),
        thread: Some(thread),
    })
}

impl NaiveServer {
    /// The address it listens on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// With [`Relay::Queued`]: the bytes handed to a client's queue and not
    /// yet written to its socket, over every client. (Always 0 with
    /// [`Relay::Awaited`], which queues nothing: it waits instead.)
    pub fn queued_bytes(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// Stops the server: every connection is closed.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for NaiveServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Where the relay sends a message for one client.
#[derive(Debug, Clone)]
enum Outlet {
    /// Its socket's write half, written in place by whoever relays.
    Socket(Arc<tokio::sync::Mutex<OwnedWriteHalf>>),
    /// A queue without bound, emptied by the client's writer task.
    Queue(mpsc::UnboundedSender<Vec<u8>>),
}

/// Everyone connected: the tutorial's `clients` set.
#[derive(Debug, Clone)]
struct Room {
    relay: Relay,
    queued: Arc<AtomicUsize>,
    clients: Arc<Mutex<HashMap<SocketAddr, Outlet>>>,
}

// ANCHOR: naive
impl Room {
    async fn serve(self, listener: TcpListener) {
        while let Ok((stream, peer)) = listener.accept().await {
            let (reader, writer) = stream.into_split();
            // Joined here, in accept order, so that a client that has
            // connected is in the room before the next one can send.
            self.join(peer, writer);
            tokio::spawn(self.clone().handle(reader, peer));
        }
    }

    /// One task per client: read at most 64 bytes, relay them as one
    /// message to every other client, again until the client hangs up.
    async fn handle(self, mut reader: OwnedReadHalf, peer: SocketAddr) {
        let mut buffer = [0; READ_SIZE];
        // Fault 1: a read returns whatever has arrived, not one message.
        while let Ok(read @ 1..) = reader.read(&mut buffer).await {
            let mut message = format!("{peer}: ").into_bytes();
            message.extend_from_slice(&buffer[..read]);
            for other in self.others(peer) {
                self.send(&other, message.clone()).await;
            }
        }
        self.lock().remove(&peer);
    }

    async fn send(&self, outlet: &Outlet, message: Vec<u8>) {
        match outlet {
            // Fault 2: this write waits while the other client's socket is
            // full, and with it the whole relay loop of this sender.
            Outlet::Socket(writer) => {
                let _ = writer.lock().await.write_all(&message).await;
            }
            // Fault 3: this never waits, and nothing bounds the queue.
            Outlet::Queue(queue) => {
                let length = message.len();
                if queue.send(message).is_ok() {
                    self.queued.fetch_add(length, Ordering::SeqCst);
                }
            }
        }
    }
    // ANCHOR_END: naive

    fn join(&self, peer: SocketAddr, writer: OwnedWriteHalf) {
        let outlet = match self.relay {
            Relay::Awaited => Outlet::Socket(Arc::new(tokio::sync::Mutex::new(writer))),
            Relay::Queued => {
                let (queue, messages) = mpsc::unbounded_channel();
                tokio::spawn(write_queue(messages, writer, Arc::clone(&self.queued)));
                Outlet::Queue(queue)
            }
        };
        self.lock().insert(peer, outlet);
    }

    /// Every client but `peer`, as the list stands now.
    fn others(&self, peer: SocketAddr) -> Vec<Outlet> {
        let clients = self.lock();
        let others = clients.iter().filter(|(addr, _)| **addr != peer);
        others.map(|(_, outlet)| outlet.clone()).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SocketAddr, Outlet>> {
        // No code panics with the lock held; if one did, the map is still
        // whole.
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A [`Relay::Queued`] client's writer task: empties its queue into its
/// socket, as asyncio's transport does in the background.
async fn write_queue(
    mut messages: mpsc::UnboundedReceiver<Vec<u8>>,
    mut writer: OwnedWriteHalf,
    queued: Arc<AtomicUsize>,
) {
    while let Some(message) = messages.recv().await {
        let written = writer.write_all(&message).await;
        queued.fetch_sub(message.len(), Ordering::SeqCst);
        if written.is_err() {
            break;
        }
    }
    // A client gone: what is left in its queue no longer counts.
    while let Ok(message) = messages.try_recv() {
        queued.fetch_sub(message.len(), Ordering::SeqCst);
    }
}
