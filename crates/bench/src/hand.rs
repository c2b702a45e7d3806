//! The workloads on chapter 4's hand-rolled event loop.
//!
//! The loop runs on one thread, so its tasks need not be `Send`, and its
//! join handles give `Err(JoinError)` for a task that panicked or was
//! aborted, as tokio's do. The hand-rolled loop has no pool for blocking
//! calls: the lateness workload offloads with a plain thread and chapter 2's
//! promise, which is what a `spawn_blocking` is made of (tokio keeps a pool
//! of such threads instead of starting one each time).

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use event_loop::hand::{JoinError, TcpListener, TcpStream, sleep, sleep_until, spawn};

use crate::{Blocking, Census, ECHO_BUFFER, MESSAGE_BYTES};

// ANCHOR: spawn
/// Spawns `tasks` tasks that each return their number, then awaits them in
/// order. Returns how many handles gave back the right number.
pub async fn spawn_and_join(tasks: usize) -> usize {
    let handles: Vec<_> = (0..tasks).map(|n| spawn(async move { n })).collect();
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
            spawn(async move {
                census.falls_asleep();
                sleep(duration).await;
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
    let ponger = spawn(crate::ponger(from_pinger, to_pinger));
    let pinger = spawn(crate::pinger(to_ponger, from_ponger, rounds));
    pinger.await.unwrap_or(0) + ponger.await.unwrap_or(0)
}

// ANCHOR: echo
/// A server on a loopback port, and `clients` clients making `rounds` round
/// trips each. Returns how many bytes came back as sent. The clients all
/// connect at once, with [`WAITING_CONNECTIONS`](crate::WAITING_CONNECTIONS)
/// waiting to be accepted at most.
pub async fn echo(clients: usize, rounds: usize) -> io::Result<usize> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    let address = listener.local_addr()?;
    let (tickets, taken) = crate::connection_tickets();
    let server = spawn(serve(listener, clients, taken));
    let talking: Vec<_> = (0..clients)
        .map(|id| spawn(client(address, tickets.clone(), id, rounds)))
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
        handles.push(spawn(echo_back(stream)));
    }
    for handle in handles {
        handle.await.map_err(failed)??;
    }
    Ok(())
}

/// Sends back whatever arrives, until the client hangs up.
async fn echo_back(stream: TcpStream) -> io::Result<()> {
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
    let stream = TcpStream::connect(address).await?;
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

/// A task that panicked or was aborted, as an I/O error.
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
        Blocking::Inline => Some(spawn(async move { thread::sleep(block) })),
        Blocking::Offloaded => Some(spawn(offload(block))),
    };
    let handles: Vec<_> = (0..sleepers)
        .map(|_| {
            let deadline = Instant::now() + sleep;
            spawn(async move {
                sleep_until(deadline).await;
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

/// The blocking call on a thread of its own; the task awaits a promise that
/// the thread completes when the call returns, and the loop runs on.
async fn offload(block: Duration) {
    let (completer, promise) = future_objects::hand::promise::<(), ()>();
    thread::spawn(move || {
        thread::sleep(block);
        // An error only means nobody waits any more: nothing to tell.
        let _ = completer.complete(());
    });
    // `Err(Cancelled)` would mean the thread ended without completing it:
    // either way the blocking call is over.
    let _ = promise.await;
}
// ANCHOR_END: lateness
