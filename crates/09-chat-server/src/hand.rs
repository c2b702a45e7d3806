//! The fixed server on chapter 4's loop: its `TcpListener` and split
//! `TcpStream`, chapter 8's bounded `Queue` as each client's outbox, and
//! chapter 5's `select` and `timeout`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;

use event_loop::hand::{
    EventLoop, OwnedReadHalf, OwnedWriteHalf, TcpListener, TcpStream, sleep, spawn,
};
use gather_wait::hand::{Either, select, timeout};
use locks::hand::Queue;
use tracing::{info, warn};

use crate::protocol::{Batch, OUTBOX, say};
use crate::room::{Flow, Hangup, Line, Outbox, Refused, Room, Session};
use crate::{ACCEPT_BACKOFF, GRACE, READ_SIZE};

// ANCHOR: outbox
/// Chapter 8's queue as an outbox. It holds `Some(line)`s, and a `None` that
/// the room's end puts in when it is dropped: "that was all". One place is
/// kept free for that `None`, so it always fits.
#[derive(Debug)]
pub struct QueueOutbox(Arc<Queue<Option<Line>>>);

impl QueueOutbox {
    /// A new outbox, and the queue its writer takes lines from.
    pub fn new() -> (QueueOutbox, Arc<Queue<Option<Line>>>) {
        let queue = Arc::new(Queue::bounded(OUTBOX + 1).expect("a capacity above 0"));
        (QueueOutbox(Arc::clone(&queue)), queue)
    }
}

impl Outbox for QueueOutbox {
    fn try_send(&self, line: Line) -> Result<(), Refused> {
        if Arc::strong_count(&self.0) == 1 {
            return Err(Refused::Closed); // the writer has gone
        }
        if self.0.len() >= OUTBOX {
            return Err(Refused::Full); // the last place is the `None`'s
        }
        self.0.try_put(Some(line)).map_err(|_| Refused::Full)
    }
}

impl Drop for QueueOutbox {
    fn drop(&mut self) {
        let _ = self.0.try_put(None);
    }
}
// ANCHOR_END: outbox

type HandRoom = Room<QueueOutbox>;
type Done = async_channel::Sender<()>;

/// Binds `addr`, calls `ready` with the address it listens on, and serves
/// until `shutdown` completes, on a new event loop on this thread.
pub fn run(
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let event_loop = EventLoop::builder().build()?;
    let served = event_loop.run_until_complete(async {
        let listener = TcpListener::bind(addr)?;
        ready(listener.local_addr()?);
        serve(listener, shutdown).await;
        io::Result::Ok(())
    });
    event_loop.shutdown(GRACE);
    served
}

// ANCHOR: serve
/// Accepts clients until `shutdown` completes, then says goodbye to each
/// and waits (a little) for their tasks to end.
pub async fn serve(listener: TcpListener, shutdown: impl Future<Output = ()>) {
    let room = Arc::new(HandRoom::new());
    let (done, all_done) = async_channel::bounded::<()>(1);
    let mut shutdown = pin!(shutdown);
    loop {
        match select(shutdown.as_mut(), listener.accept()).await {
            Either::Left(()) => break,
            Either::Right(Ok((stream, peer))) => {
                spawn(client(Arc::clone(&room), stream, peer, done.clone()));
            }
            Either::Right(Err(error)) => {
                warn!("accept failed: {error}");
                sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
    room.close();
    drop(done);
    if timeout(GRACE, all_done.recv()).await.is_err() {
        room.cut_all();
        let _ = all_done.recv().await;
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// One client: this task reads, a task of its own writes.
async fn client(room: Arc<HandRoom>, stream: TcpStream, peer: SocketAddr, done: Done) {
    let (reader, writer) = stream.into_split();
    let (outbox, lines) = QueueOutbox::new();
    let (mut session, hangup) = Session::join(&room, peer, outbox);
    spawn(write(writer, lines, Arc::clone(&hangup), done));
    let read = select(read(&reader, &mut session), hangup.gone.wait()).await;
    if let Either::Left(Err(error)) = read {
        info!("{peer}: {error}");
    }
} // `session` is dropped: the client leaves the room

async fn read(
    reader: &OwnedReadHalf,
    session: &mut Session<QueueOutbox>,
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
/// Writes what comes into the outbox until its `None`, or at once stops if
/// the client is cut off.
async fn write(
    writer: OwnedWriteHalf,
    lines: Arc<Queue<Option<Line>>>,
    hangup: Arc<Hangup>,
    _: Done,
) {
    let mut batch = Batch::default();
    let written = select(drain(&writer, &lines, &mut batch), hangup.cut.wait()).await;
    match written {
        Either::Left(Ok(())) => {}
        Either::Left(Err(error)) => info!("writing: {error}"),
        Either::Right(()) if batch.is_empty() => {
            let _ = writer.try_write(say::TOO_SLOW.as_bytes());
        }
        Either::Right(()) => {}
    }
} // `writer` is dropped: the client reads end of file

async fn drain(
    writer: &OwnedWriteHalf,
    lines: &Queue<Option<Line>>,
    batch: &mut Batch,
) -> io::Result<()> {
    let mut end = false;
    while !end {
        let Some(line) = lines.get().await else {
            return Ok(());
        };
        batch.push(&line);
        while !batch.is_full() && !end {
            match lines.try_get() {
                Some(Some(line)) => batch.push(&line),
                Some(None) => end = true,
                None => break,
            }
        }
        writer.write_all(batch.bytes()).await?;
        batch.clear();
    }
    Ok(())
}
// ANCHOR_END: write
