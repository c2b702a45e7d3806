//! The room with a client that never reads: the others must go on getting
//! every line, and that client must be dropped, never the sender.
//!
//! Run with `cargo test -p ch9-slow-client`. Real sockets on loopback. The
//! sender sends in batches and waits until the reading client has each
//! batch, so a healthy client is never more than one batch (fewer lines
//! than an outbox holds) behind: only the client that never reads can fill
//! its outbox. Every wait is bounded, so a stall fails instead of hanging.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ch9_slow_client::{OUTBOX, Room, start};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;

/// How long a client waits for a line before the test calls it a stall:
/// far longer than a line takes on a loaded machine.
const QUIET: Duration = Duration::from_secs(5);
/// Each line of the flood: 999 bytes and `\n`.
const LINE: usize = 1000;
/// How many lines the flood sends: 2 MB, far more than the socket buffers
/// of a client that never reads hold here.
const FLOOD: usize = 2000;
/// How many lines the sender sends before it waits for the reader.
const BATCH: usize = OUTBOX / 2;

/// A client that reads lines.
struct Client {
    lines: Lines<BufReader<OwnedReadHalf>>,
    writer: OwnedWriteHalf,
    name: String,
}

impl Client {
    /// Connects, and waits until the room counts `members` clients.
    async fn join(addr: SocketAddr, room: &Room, members: usize) -> Client {
        let stream = TcpStream::connect(addr).await.expect("the room accepts");
        let name = stream.local_addr().expect("an address").to_string();
        let (reader, writer) = stream.into_split();
        wait_for(|| room.len() == members).await;
        let lines = BufReader::new(reader).lines();
        Client {
            lines,
            writer,
            name,
        }
    }

    async fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).await.expect("sent");
    }

    /// The next line, or `None` if none came within [`QUIET`].
    async fn next(&mut self) -> Option<String> {
        match timeout(QUIET, self.lines.next_line()).await {
            Ok(Ok(line)) => line,
            _ => None,
        }
    }
}

/// A client that never reads, with a small receive buffer; waits until the
/// room counts `members` clients.
async fn never_reading(addr: SocketAddr, room: &Room, members: usize) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(4096).expect("a buffer size");
    let stream = socket.connect(addr).await.expect("the room accepts");
    wait_for(|| room.len() == members).await;
    stream
}

/// Waits until `condition` holds; panics after [`QUIET`].
async fn wait_for(condition: impl Fn() -> bool) {
    let waited = timeout(QUIET, async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    });
    waited.await.expect("the room did not get there in time");
}

/// A room with `reader`, a client that never reads, and `talker`; the
/// talker floods the room in batches, each read by `reader` before the next.
async fn flood() -> (Arc<Room>, Client, Client, TcpStream) {
    let (addr, room) = start().await.expect("the room starts");
    let mut reader = Client::join(addr, &room, 1).await;
    let stalled = never_reading(addr, &room, 2).await;
    let mut talker = Client::join(addr, &room, 3).await;
    let line = format!("{}\n", "z".repeat(LINE - 1));
    let mut received = 0;
    while received < FLOOD {
        talker.send(&line.repeat(BATCH)).await;
        for _ in 0..BATCH {
            let got = reader.next().await;
            assert!(
                got.is_some(),
                "the reader got {received} of {} lines sent, then nothing for {QUIET:?}",
                received + BATCH
            );
            received += 1;
        }
    }
    (room, reader, talker, stalled)
}

#[tokio::test]
async fn step_1_a_line_goes_to_every_other_client_and_not_back() {
    let (addr, room) = start().await.expect("the room starts");
    let mut ada = Client::join(addr, &room, 1).await;
    let mut bob = Client::join(addr, &room, 2).await;
    let mut cy = Client::join(addr, &room, 3).await;
    ada.send("hello\n").await;
    let hello = format!("{}: hello", ada.name);
    assert_eq!(bob.next().await.as_ref(), Some(&hello));
    assert_eq!(cy.next().await.as_ref(), Some(&hello));
    bob.send("hi ada\n").await;
    let expected = format!("{}: hi ada", bob.name);
    assert_eq!(ada.next().await, Some(expected), "ada's own line came back");
}

#[tokio::test]
async fn step_2_a_client_that_never_reads_does_not_stall_the_others() {
    // `flood` asserts that every batch reaches the reader.
    let (room, ..) = flood().await;
    assert!(room.len() >= 2, "the reader or the talker was dropped");
}

#[tokio::test]
async fn step_3_the_client_that_never_reads_is_dropped() {
    let (room, _reader, _talker, mut stalled) = flood().await;
    wait_for(|| room.len() == 2).await;
    // Its connection is closed: what was in its buffers, then the end.
    let mut got = Vec::new();
    let read = timeout(QUIET, stalled.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "its connection is still open");
    assert!(got.len() < FLOOD * LINE / 2, "it got {} bytes", got.len());
}

#[tokio::test]
async fn step_4_the_others_stay_in_the_room_and_still_talk() {
    let (room, mut reader, mut talker, _stalled) = flood().await;
    reader.send("still here?\n").await;
    let expected = format!("{}: still here?", reader.name);
    assert_eq!(talker.next().await, Some(expected));
    talker.send("yes\n").await;
    assert_eq!(reader.next().await, Some(format!("{}: yes", talker.name)));
    assert!(room.contains(reader.writer.local_addr().expect("an address")));
}
