//! The fixed server on smol: `smol::net`, an `async-channel` per client as
//! its outbox, futures-lite's `or` to stop a task, `Timer` for the grace.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use async_channel::TrySendError;
use futures_lite::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, FutureExt};
use smol::Timer;
use smol::net::{TcpListener, TcpStream};
use tracing::{info, warn};

use crate::protocol::{Batch, OUTBOX, say};
use crate::room::{Flow, Hangup, Line, Outbox, Refused, Room, Session};
use crate::{ACCEPT_BACKOFF, GRACE, READ_SIZE, write_now};

// ANCHOR: outbox
/// The outbox of the smol and async-std servers.
impl Outbox for async_channel::Sender<Line> {
    fn try_send(&self, line: Line) -> Result<(), Refused> {
        async_channel::Sender::try_send(self, line).map_err(|error| match error {
            TrySendError::Full(_) => Refused::Full,
            TrySendError::Closed(_) => Refused::Closed,
        })
    }
}
// ANCHOR_END: outbox

type Sender = async_channel::Sender<Line>;
pub(crate) type Lines = async_channel::Receiver<Line>;
type Done = async_channel::Sender<()>;

/// Binds `addr`, calls `ready` with the address it listens on, and serves
/// until `shutdown` completes, on smol's global executor.
pub fn run(
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    smol::block_on(async {
        let listener = TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        serve(listener, shutdown).await;
        Ok(())
    })
}

// ANCHOR: serve
/// Accepts clients until `shutdown` completes, then says goodbye to each
/// and waits (a little) for their tasks to end.
pub async fn serve(listener: TcpListener, shutdown: impl Future<Output = ()>) {
    let room = Arc::new(Room::<Sender>::new());
    let (done, all_done) = async_channel::bounded::<()>(1);
    let shutdown = async {
        shutdown.await;
        None
    };
    let mut shutdown = std::pin::pin!(shutdown);
    while let Some(accepted) = async { Some(listener.accept().await) }
        .or(shutdown.as_mut())
        .await
    {
        match accepted {
            Ok((stream, peer)) => {
                smol::spawn(client(Arc::clone(&room), stream, peer, done.clone()))
                    .detach();
            }
            Err(error) => {
                warn!("accept failed: {error}");
                Timer::after(ACCEPT_BACKOFF).await;
            }
        }
    }
    room.close();
    drop(done);
    let grace = async {
        Timer::after(GRACE).await;
        false
    };
    if !async { all_done.recv().await.is_err() }.or(grace).await {
        room.cut_all();
        let _ = all_done.recv().await;
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// One client: this task reads, a task of its own writes.
async fn client(
    room: Arc<Room<Sender>>,
    stream: TcpStream,
    peer: SocketAddr,
    done: Done,
) {
    let (outbox, lines) = async_channel::bounded(OUTBOX);
    let (mut session, hangup) = Session::join(&room, peer, outbox);
    let (mut writer, cut) = (stream.clone(), Arc::clone(&hangup));
    smol::spawn(async move {
        write(&mut writer, lines, &cut).await;
        // The clones of a smol stream close it when the last is dropped;
        // the reader may still hold one, so say end of file now.
        let _ = writer.shutdown(std::net::Shutdown::Write);
        drop(done);
    })
    .detach();
    let read = read(stream, &mut session).or(async {
        hangup.gone.wait().await;
        Ok(())
    });
    if let Err(error) = read.await {
        info!("{peer}: {error}");
    }
} // `session` is dropped: the client leaves the room

/// Feeds what the client sends to its session until the session says
/// stop. Any futures-io stream will do: async-std's server uses it too.
pub(crate) async fn read(
    mut reader: impl AsyncRead + Unpin,
    session: &mut Session<Sender>,
) -> io::Result<()> {
    let mut buf = [0; READ_SIZE];
    loop {
        let read = reader.read(&mut buf).await?;
        if session.received(&buf[..read]) == Flow::Stop {
            return Ok(());
        }
    }
}
// ANCHOR_END: client

// ANCHOR: write
/// Writes what comes into the outbox until the room drops its end, or at
/// once stops if the client is cut off. Any futures-io stream will do:
/// async-std's server uses it too.
pub(crate) async fn write(
    mut writer: impl AsyncWrite + Unpin,
    lines: Lines,
    hangup: &Hangup,
) {
    let mut batch = Batch::default();
    let cut = async {
        hangup.cut.wait().await;
        Ok(true)
    };
    let written = drain(&mut writer, &lines, &mut batch).or(cut).await;
    match written {
        Ok(false) => {}
        Ok(true) if batch.is_empty() => {
            let _ = write_now(&mut writer, say::TOO_SLOW.as_bytes()).await;
        }
        Ok(true) => {}
        Err(error) => info!("writing: {error}"),
    }
}

/// Gives `false`: the outbox was closed and everything in it written.
async fn drain(
    writer: &mut (impl AsyncWrite + Unpin),
    lines: &Lines,
    batch: &mut Batch,
) -> io::Result<bool> {
    while let Ok(line) = lines.recv().await {
        batch.push(&line);
        while !batch.is_full()
            && let Ok(line) = lines.try_recv()
        {
            batch.push(&line);
        }
        writer.write_all(batch.bytes()).await?;
        batch.clear();
    }
    Ok(false)
}
// ANCHOR_END: write
