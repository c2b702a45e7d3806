//! Chapter 9: a TCP chat server, as asyncio's tutorial writes it and then
//! fixed, on the hand-rolled loop, tokio, async-std and smol.
//!
//! Every line a client sends is relayed to every other client. The
//! tutorial's server (in [`naive`]) reads a fixed number of bytes, so it
//! splits and joins messages; it awaits each client's `drain` in the
//! broadcast, so one client that stops reading stalls everyone; and nothing
//! bounds its memory. The fixed server frames lines itself (at most
//! [`protocol::MAX_LINE`] bytes), gives each client a bounded outbox written
//! by a task of its own, and cuts off a client whose outbox is full: a
//! broadcast never waits.
//!
//! | module | what it holds |
//! |---|---|
//! | [`protocol`] | the framer, the commands, every line the server sends: no I/O |
//! | [`room`] | who is connected, names, outboxes; the broadcast that never awaits |
//! | [`hand`] | the server on chapter 4's loop, chapter 8's `Queue` as outbox |
//! | [`with_tokio`] | `TcpListener`, `into_split`, a bounded `mpsc` per client |
//! | [`with_async_std`] | `async_std::net`, `async-channel` (discontinued) |
//! | [`with_smol`] | `smol::net`, `async-channel` |
//! | [`client`] | the interactive client, on tokio |
//! | [`naive`] | the tutorial's server, faults and all |
//!
//! Run it with `cargo run -p chat-server -- serve [--runtime tokio]`, and
//! in another terminal `cargo run -p chat-server -- client --name ada`.
#![forbid(unsafe_code)]

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::thread::{self, JoinHandle};
use std::time::Duration;

pub mod client;
pub mod hand;
pub mod naive;
pub mod protocol;
pub mod room;
pub mod with_async_std;
pub mod with_smol;
pub mod with_tokio;

pub use timeline::Runtime;

/// How much a reader asks the socket for at once.
pub const READ_SIZE: usize = 8 * 1024;

/// How long a server that shuts down waits for its clients to take their
/// last lines before it cuts them off.
pub const GRACE: Duration = Duration::from_secs(2);

/// How long the accept loop pauses after a failed accept (out of file
/// descriptors, say) before it tries again, instead of spinning.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The future every server waits on to shut down: it completes when the
/// sender is dropped or closed (or sends). `async_channel` wakes through
/// wakers, so it works on every runtime, our loop too, from any thread.
pub async fn stopped(stop: async_channel::Receiver<()>) {
    let _ = stop.recv().await;
}

// ANCHOR: run
/// Binds `addr`, calls `ready` with the address it listens on, and serves
/// on `runtime` until `stop` is closed; on this thread.
pub fn run(
    runtime: Runtime,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    stop: async_channel::Receiver<()>,
) -> io::Result<()> {
    match runtime {
        Runtime::Hand => hand::run(addr, ready, stopped(stop)),
        Runtime::Tokio => with_tokio::run(addr, ready, stopped(stop)),
        Runtime::AsyncStd => with_async_std::run(addr, ready, stopped(stop)),
        Runtime::Smol => with_smol::run(addr, ready, stopped(stop)),
    }
}
// ANCHOR_END: run

/// A fixed server running on a thread of its own, for tests, benchmarks
/// and tools. Dropping it shuts it down too.
///
/// # Examples
///
/// ```
/// use std::io::{BufRead, BufReader};
/// use chat_server::{Runtime, start};
///
/// let server = start(Runtime::Tokio, "127.0.0.1:0")?;
/// let client = std::net::TcpStream::connect(server.addr())?;
/// let mut line = String::new();
/// BufReader::new(&client).read_line(&mut line)?;
/// assert!(line.starts_with("* welcome 127.0.0.1:"));
/// server.shutdown()?;
/// # std::io::Result::Ok(())
/// ```
#[derive(Debug)]
pub struct Running {
    addr: SocketAddr,
    stop: async_channel::Sender<()>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

/// Binds `addr` ("127.0.0.1:0" picks a port), starts `runtime`'s server on a
/// new thread, and returns once it listens.
pub fn start(runtime: Runtime, addr: &str) -> io::Result<Running> {
    let addr = addr.to_socket_addrs()?.next().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no address in {addr:?}"),
        )
    })?;
    let (stop, stopping) = async_channel::bounded(1);
    let (listening, listens) = std::sync::mpsc::channel();
    let thread = thread::Builder::new()
        .name(format!("chat-server-{}", runtime.name()))
        .spawn(move || {
            let ready = move |addr| {
                let _ = listening.send(addr);
            };
            run(runtime, addr, ready, stopping)
        })?;
    match listens.recv() {
        Ok(addr) => Ok(Running {
            addr,
            stop,
            thread: Some(thread),
        }),
        // The thread ended before it listened: its error says why.
        Err(_) => Err(join(thread).err().unwrap_or_else(|| {
            io::Error::other("the server ended before it listened")
        })),
    }
}

impl Running {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Asks for a clean shutdown (every client gets the goodbye line, then
    /// end of file) and waits for the server's thread; an error if the
    /// server failed.
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        self.stop.close();
        match self.thread.take() {
            Some(thread) => join(thread),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}

fn join(thread: JoinHandle<io::Result<()>>) -> io::Result<()> {
    thread
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("the server's thread panicked")))
}

/// Writes what `writer` takes of `bytes` now, without waiting: `None` if it
/// would have to wait. For a last line to a client that may not be reading
/// (tokio's and our loop's streams have a `try_write` for this).
pub async fn write_now<W>(writer: &mut W, bytes: &[u8]) -> Option<io::Result<usize>>
where
    W: futures_lite::AsyncWrite + Unpin,
{
    std::future::poll_fn(|cx| {
        let polled = std::pin::Pin::new(&mut *writer).poll_write(cx, bytes);
        std::task::Poll::Ready(match polled {
            std::task::Poll::Ready(written) => Some(written),
            std::task::Poll::Pending => None,
        })
    })
    .await
}
