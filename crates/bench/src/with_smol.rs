//! The workloads on smol.
//!
//! smol offers two executors: `smol::spawn` puts tasks on a global
//! `Executor` run by background threads (one, unless `SMOL_THREADS` says
//! more), and a `LocalExecutor` runs its tasks on whichever thread runs it.
//! The benchmarks use a `LocalExecutor` run by `smol::block_on` on the
//! calling thread: one thread and no `Send` needed, the same terms as the
//! hand-rolled loop and tokio's current-thread runtime, so the three
//! single-threaded runtimes compare directly; and no environment variable
//! changes what is measured. Timers and sockets belong to async-io's
//! reactor, which `smol::block_on` drives whenever the executor is idle.
//!
//! A smol `Task` cancels its task when dropped, so every handle is kept
//! until it is awaited.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::rc::Rc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use smol::LocalExecutor;
use smol::io::{AsyncReadExt, AsyncWriteExt};
use smol::net::{TcpListener, TcpStream};

use crate::{Blocking, Census, ECHO_BUFFER, MESSAGE_BYTES};

/// A local executor, shared with the tasks that spawn tasks of their own
/// (the echo server).
pub type Local = Rc<LocalExecutor<'static>>;

/// A new, empty local executor.
pub fn local() -> Local {
    Rc::new(LocalExecutor::new())
}

// ANCHOR: spawn
/// Spawns `tasks` tasks that each return their number, then awaits them in
/// order. Returns how many handles gave back the right number.
pub async fn spawn_and_join(ex: &Local, tasks: usize) -> usize {
    let handles: Vec<_> = (0..tasks).map(|n| ex.spawn(async move { n })).collect();
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
    ex: &Local,
    census: Arc<Census>,
    sleepers: usize,
    duration: Duration,
) -> usize {
    let handles: Vec<_> = (0..sleepers)
        .map(|_| {
            let census = Arc::clone(&census);
            ex.spawn(async move {
                census.falls_asleep();
                smol::Timer::after(duration).await;
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
pub async fn ping_pong(ex: &Local, messages: usize) -> usize {
    let ((to_ponger, from_pinger), (to_pinger, from_ponger)) =
        crate::ping_pong_channels();
    let rounds = crate::ping_pong_rounds(messages);
    let ponger = ex.spawn(crate::ponger(from_pinger, to_pinger));
    let pinger = ex.spawn(crate::pinger(to_ponger, from_ponger, rounds));
    pinger.await + ponger.await
}

// ANCHOR: echo
/// A server on a loopback port, and `clients` clients making `rounds` round
/// trips each. Returns how many bytes came back as sent. The clients all
/// connect at once, with [`WAITING_CONNECTIONS`](crate::WAITING_CONNECTIONS)
/// waiting to be accepted at most.
pub async fn echo(ex: &Local, clients: usize, rounds: usize) -> io::Result<usize> {
    let listener =
        TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    let address = listener.local_addr()?;
    let (tickets, taken) = crate::connection_tickets();
    let server = ex.spawn(serve(Rc::clone(ex), listener, clients, taken));
    let talking: Vec<_> = (0..clients)
        .map(|id| ex.spawn(client(address, tickets.clone(), id, rounds)))
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
    ex: Local,
    listener: TcpListener,
    connections: usize,
    tickets: async_channel::Receiver<()>,
) -> io::Result<()> {
    let mut handles = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (stream, _) = listener.accept().await?;
        crate::take_ticket(&tickets).await;
        handles.push(ex.spawn(echo_back(stream)));
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
/// `smol::unblock` offloads to the `blocking` crate's thread pool.
pub async fn lateness(
    ex: &Local,
    sleepers: usize,
    sleep: Duration,
    block: Duration,
    blocking: Blocking,
) -> Vec<Duration> {
    let blocker = match blocking {
        Blocking::Nothing => None,
        Blocking::Inline => Some(ex.spawn(async move { thread::sleep(block) })),
        Blocking::Offloaded => Some(ex.spawn(async move {
            smol::unblock(move || thread::sleep(block)).await;
        })),
    };
    let handles: Vec<_> = (0..sleepers)
        .map(|_| {
            let deadline = Instant::now() + sleep;
            ex.spawn(async move {
                smol::Timer::at(deadline).await;
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
