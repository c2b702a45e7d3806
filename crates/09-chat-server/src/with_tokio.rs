//! The fixed server on tokio: `TcpListener`, `into_split`, a bounded
//! `mpsc` channel per client as its outbox, `select!` to stop a task.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{self, error::TrySendError};
use tracing::{info, warn};

use crate::protocol::{Batch, OUTBOX, say};
use crate::room::{Flow, Hangup, Line, Outbox, Refused, Room, Session};
use crate::{ACCEPT_BACKOFF, GRACE, READ_SIZE};

// ANCHOR: outbox
impl Outbox for mpsc::Sender<Line> {
    fn try_send(&self, line: Line) -> Result<(), Refused> {
        mpsc::Sender::try_send(self, line).map_err(|error| match error {
            TrySendError::Full(_) => Refused::Full,
            TrySendError::Closed(_) => Refused::Closed,
        })
    }
}
// ANCHOR_END: outbox

type TokioRoom = Room<mpsc::Sender<Line>>;

/// Binds `addr`, calls `ready` with the address it listens on, and serves
/// until `shutdown` completes, on a multi-threaded tokio runtime.
pub fn run(
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
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
    let room = Arc::new(TokioRoom::new());
    // Each client's tasks hold a clone of `done`: when the last is dropped,
    // `all_done.recv()` answers `None`.
    let (done, mut all_done) = mpsc::channel::<()>(1);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(client(Arc::clone(&room), stream, peer, done.clone()));
                }
                Err(error) => {
                    warn!("accept failed: {error}");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
    room.close();
    drop(done);
    if tokio::time::timeout(GRACE, all_done.recv()).await.is_err() {
        room.cut_all();
        all_done.recv().await;
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// One client: this task reads, a task of its own writes.
async fn client(room: Arc<TokioRoom>, stream: TcpStream, peer: SocketAddr, done: Done) {
    let (reader, writer) = stream.into_split();
    let (outbox, lines) = mpsc::channel(OUTBOX);
    let (mut session, hangup) = Session::join(&room, peer, outbox);
    tokio::spawn(write(writer, lines, Arc::clone(&hangup), done));
    tokio::select! {
        read = read(reader, &mut session) => {
            if let Err(error) = read {
                info!("{peer}: {error}");
            }
        }
        () = hangup.gone.wait() => {}
    }
} // `session` is dropped: the client leaves the room

async fn read(
    mut reader: OwnedReadHalf,
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
/// once stops if the client is cut off.
async fn write(
    mut writer: OwnedWriteHalf,
    mut lines: Lines,
    hangup: Arc<Hangup>,
    _: Done,
) {
    let mut batch = Batch::default();
    tokio::select! {
        written = drain(&mut writer, &mut lines, &mut batch) => {
            if let Err(error) = written {
                info!("writing: {error}");
            }
        }
        () = hangup.cut.wait() => {
            if batch.is_empty() {
                let _ = writer.try_write(say::TOO_SLOW.as_bytes());
            }
        }
    }
} // `writer` is dropped: the client reads end of file

async fn drain(
    writer: &mut OwnedWriteHalf,
    lines: &mut Lines,
    batch: &mut Batch,
) -> io::Result<()> {
    while let Some(line) = lines.recv().await {
        batch.push(&line);
        while !batch.is_full()
            && let Ok(line) = lines.try_recv()
        {
            batch.push(&line);
        }
        writer.write_all(batch.bytes()).await?;
        batch.clear();
    }
    Ok(())
}
// ANCHOR_END: write

type Sender = mpsc::Sender<Line>;
type Lines = mpsc::Receiver<Line>;
type Done = mpsc::Sender<()>;
