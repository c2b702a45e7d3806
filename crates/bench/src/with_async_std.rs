//! The workloads on async-std (discontinued by its maintainers: smol
//! succeeds it). `task::block_on` runs the main future on the calling
//! thread; `task::spawn` hands tasks to the global executor, whose threads
//! (one per core) start the first time it is used. A task that panics makes
//! its handle panic in turn, so a handle's output is the value itself.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use async_std::io::{ReadExt, WriteExt};
use async_std::net::{TcpListener, TcpStream};
use async_std::task;

use crate::{Blocking, Census, ECHO_BUFFER, MESSAGE_BYTES};

// ANCHOR: spawn
/// Spawns `tasks` tasks that each return their number, then awaits them in
/// order. Returns how many handles gave back the right number.
pub async fn spawn_and_join(tasks: usize) -> usize {
    let handles: Vec<_> = (0..tasks).map(|n| task::spawn(async move { n })).collect();
    let mut right = 0;
    for (n, handle) in handles.into_iter().enumerate() {
        if handle.await == n {
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
            task::spawn(async move {
                census.falls_asleep();
                task::sleep(duration).await;
                census.wakes();
            })
        })
        .collect();
    let mut woke = 0;
    for handle in handles {
        handle.await;
        woke += 1;
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
    let ponger = task::spawn(crate::ponger(from_pinger, to_pinger));
    let pinger = task::spawn(crate::pinger(to_ponger, from_ponger, rounds));
    pinger.await + ponger.await
}

// ANCHOR: echo
/// A server on a loopback port, and `clients` clients making `rounds` round
/// trips each. Returns how many bytes came back as sent. The clients all
/// connect at once, with [`WAITING_CONNECTIONS`](crate::WAITING_CONNECTIONS)
/// waiting to be accepted at most.
pub async fn echo(clients: usize, rounds: usize) -> io::Result<usize> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    let (tickets, taken) = crate::connection_tickets();
    let server = task::spawn(serve(listener, clients, taken));
    let talking: Vec<_> = (0..clients)
        .map(|id| task::spawn(client(address, tickets.clone(), id, rounds)))
        .collect();
    let mut echoed = 0;
    for client in talking {
        echoed += client.await?;
    }
    server.await?;
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
        handles.push(task::spawn(echo_back(stream)));
    }
    for handle in handles {
        handle.await?;
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

// ANCHOR: lateness
/// `sleepers` tasks sleep for `sleep` while one task blocks for `block`
/// (spawned first; see [`crate::lateness`]). Returns how late each woke.
///
/// async-std has no `sleep_until`: each sleeper sleeps for what is left of
/// its time when it first runs, which ends at the same deadline.
pub async fn lateness(
    sleepers: usize,
    sleep: Duration,
    block: Duration,
    blocking: Blocking,
) -> Vec<Duration> {
    let blocker = match blocking {
        Blocking::Nothing => None,
        Blocking::Inline => Some(task::spawn(async move { thread::sleep(block) })),
        Blocking::Offloaded => Some(task::spawn(async move {
            task::spawn_blocking(move || thread::sleep(block)).await;
        })),
    };
    let handles: Vec<_> = (0..sleepers)
        .map(|_| {
            let deadline = Instant::now() + sleep;
            task::spawn(async move {
                task::sleep(deadline.saturating_duration_since(Instant::now())).await;
                crate::lateness_since(deadline)
            })
        })
        .collect();
    let mut late = Vec::with_capacity(sleepers);
    for handle in handles {
        late.push(handle.await);
    }
    if let Some(blocker) = blocker {
        blocker.await;
    }
    late
}
// ANCHOR_END: lateness
