//! The workloads on tokio. The same functions serve both of its runtimes:
//! `tokio::spawn` puts a task on whichever runtime is running, one thread or
//! one worker per core. So the futures must be `Send` even on the
//! current-thread runtime, where nothing ever moves.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinError;

use crate::{Blocking, Census, ECHO_BUFFER, MESSAGE_BYTES};

/// A current-thread runtime with timers and I/O: everything runs on the
/// thread that calls `block_on`, as on the hand-rolled loop.
pub fn current_thread() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// A multi-thread runtime with timers and I/O, and tokio's default number
/// of workers: one per core.
pub fn multi_thread() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

// ANCHOR: spawn
/// Spawns `tasks` tasks that each return their number, then awaits them in
/// order. Returns how many handles gave back the right number.
pub async fn spawn_and_join(tasks: usize) -> usize {
    let handles: Vec<_> = (0..tasks).map(|n| tokio::spawn(async move { n })).collect();
    let mut right = 0;
    for (n, handle) in handles.into_iter().enumerate() {
        if handle.await.is_ok_and(|value| value == n) {
            right += 1;
        }
    }
    right
}
// ANCHOR_END: spawn

// ANCHOR: sleep
/// `sleepers` tasks sleep for `duration` at once. Returns how many woke.
pub async fn sleep_all(
    census: Arc<Census>,
    sleepers: usize,
    duration: Duration,
) -> usize {
    let handles: Vec<_> = (0..sleepers)
        .map(|_| {
            let census = Arc::clone(&census);
            tokio::spawn(async move {
                census.falls_asleep();
                tokio::time::sleep(duration).await;
                census.wakes();
            })
        })
        .collect();
    let mut woke = 0;
    for handle in handles {
        if handle.await.is_ok() {
            woke += 1;
        }
    }
    woke
}
// ANCHOR_END: sleep

/// The pinger and the ponger as two tasks. Returns how many messages
/// arrived.
pub async fn ping_pong(messages: usize) -> usize {
    let ((to_ponger, from_pinger), (to_pinger, from_ponger)) =
        crate::ping_pong_channels();
    let rounds = crate::ping_pong_rounds(messages);
    let ponger = tokio::spawn(crate::ponger(from_pinger, to_pinger));
    let pinger = tokio::spawn(crate::pinger(to_ponger, from_ponger, rounds));
    pinger.await.unwrap_or(0) + ponger.await.unwrap_or(0)
}

// ANCHOR: echo
/// A server on a loopback port, and `clients` clients making `rounds` round
/// trips each. Returns how many bytes came back as sent.
///
/// The clients all connect at once, with
/// [`WAITING_CONNECTIONS`](crate::WAITING_CONNECTIONS) waiting to be
/// accepted at most (see there why).
pub async fn echo(clients: usize, rounds: usize) -> io::Result<usize> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    let (tickets, taken) = crate::connection_tickets();
    let server = tokio::spawn(serve(listener, clients, taken));
    let talking: Vec<_> = (0..clients)
        .map(|id| tokio::spawn(client(address, tickets.clone(), id, rounds)))
        .collect();
    let mut echoed = 0;
    for client in talking {
        echoed += client.await.map_err(failed)??;
    }
    server.await.map_err(failed)??;
    Ok(echoed)
}

/// Accepts `connections` connections, one task each, and waits for them all.
async fn serve(
    listener: TcpListener,
    connections: usize,
    tickets: async_channel::Receiver<()>,
) -> io::Result<()> {
    let mut handles = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (stream, _) = listener.accept().await?;
        crate::take_ticket(&tickets).await;
        handles.push(tokio::spawn(echo_back(stream)));
    }
    for handle in handles {
        handle.await.map_err(failed)??;
    }
    Ok(())
}

/// Sends back whatever arrives, until the client hangs up.
async fn echo_back(mut stream: TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buffer = [0; ECHO_BUFFER];
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        stream.write_all(&buffer[..read]).await?;
    }
}

/// One client: connects, then `rounds` times sends a message and reads
/// the echo.
async fn client(
    address: SocketAddr,
    tickets: async_channel::Sender<()>,
    id: usize,
    rounds: usize,
) -> io::Result<usize> {
    crate::put_ticket(&tickets).await?;
    let mut stream = TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let mut back = [0; MESSAGE_BYTES];
    let mut echoed = 0;
    for round in 0..rounds {
        let sent = crate::message(id, round);
        stream.write_all(&sent).await?;
        stream.read_exact(&mut back).await?;
        if back == sent {
            echoed += MESSAGE_BYTES;
        }
    }
    Ok(echoed)
}
// ANCHOR_END: echo

/// A task that panicked or was cancelled, as an I/O error.
fn failed(error: JoinError) -> io::Error {
    io::Error::other(format!("an echo task failed: {error}"))
}

// ANCHOR: lateness
/// `sleepers` tasks sleep for `sleep` while one task blocks for `block`
/// (spawned first; see [`crate::lateness`]). Returns how late each woke.
pub async fn lateness(
    sleepers: usize,
    sleep: Duration,
    block: Duration,
    blocking: Blocking,
) -> Vec<Duration> {
    let blocker = match blocking {
        Blocking::Nothing => None,
        Blocking::Inline => Some(tokio::spawn(async move { thread::sleep(block) })),
        Blocking::Offloaded => Some(tokio::spawn(async move {
            let _ = tokio::task::spawn_blocking(move || thread::sleep(block)).await;
        })),
    };
    let handles: Vec<_> = (0..sleepers)
        .map(|_| {
            let deadline = Instant::now() + sleep;
            tokio::spawn(async move {
                tokio::time::sleep_until(deadline.into()).await;
                crate::lateness_since(deadline)
            })
        })
        .collect();
    let mut late = Vec::with_capacity(sleepers);
    for handle in handles {
        if let Ok(lateness) = handle.await {
            late.push(lateness);
        }
    }
    if let Some(blocker) = blocker {
        let _ = blocker.await;
    }
    late
}
// ANCHOR_END: lateness
