//! The fixed server on async-std (discontinued by its maintainers in favour
//! of smol): `async_std::net`, an `async-channel` per client as its outbox,
//! `race` to stop a task, `future::timeout` for the grace. Its streams are
//! futures-io's, as smol's are, so the reader and the writer are smol's.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use async_std::future;
use async_std::net::{TcpListener, TcpStream};
use async_std::prelude::FutureExt;
use async_std::task;
use tracing::{info, warn};

use crate::protocol::OUTBOX;
use crate::room::{Line, Room, Session};
use crate::with_smol::{read, write};
use crate::{ACCEPT_BACKOFF, GRACE};

type Sender = async_channel::Sender<Line>;
type Done = async_channel::Sender<()>;

/// Binds `addr`, calls `ready` with the address it listens on, and serves
/// until `shutdown` completes, on async-std's global executor.
pub fn run(
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    task::block_on(async {
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
        .race(shutdown.as_mut())
        .await
    {
        match accepted {
            Ok((stream, peer)) => {
                task::spawn(client(Arc::clone(&room), stream, peer, done.clone()));
            }
            Err(error) => {
                warn!("accept failed: {error}");
                task::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
    room.close();
    drop(done);
    if future::timeout(GRACE, all_done.recv()).await.is_err() {
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
    task::spawn(async move {
        write(&mut writer, lines, &cut).await;
        // A clone of the stream lives on in the reader: say end of file now.
        let _ = writer.shutdown(std::net::Shutdown::Write);
        drop(done);
    });
    let read = read(stream, &mut session).race(async {
        hangup.gone.wait().await;
        Ok(())
    });
    if let Err(error) = read.await {
        info!("{peer}: {error}");
    }
} // `session` is dropped: the client leaves the room
// ANCHOR_END: client
