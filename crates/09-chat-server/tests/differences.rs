//! The differences the chapter's page claims between the runtimes and
//! their libraries, each proven here.

use std::io::{ErrorKind, Read};
use std::net::TcpListener;
use std::time::Duration;

use chat_server::hand::QueueOutbox;
use chat_server::protocol::{MAX_LINE, OUTBOX};
use chat_server::room::{Line, Outbox, Refused};

/// A line far past our limit and past asyncio's default 64 KiB.
const HUGE: usize = 1 << 20;

fn huge_line() -> Vec<u8> {
    let mut bytes = vec![b'a'; HUGE];
    bytes.push(b'\n');
    bytes
}

// ANCHOR: no_limit
#[tokio::test]
async fn tokio_read_line_has_no_length_limit() {
    use tokio::io::AsyncBufReadExt;
    let bytes = huge_line();
    let mut reader = tokio::io::BufReader::new(&bytes[..]);
    let mut line = String::new();
    let read = reader.read_line(&mut line).await.expect("no error");
    assert_eq!(read, HUGE + 1, "one line of a megabyte, buffered whole");
    let mut lines = tokio::io::BufReader::new(&bytes[..]).lines();
    let line = lines.next_line().await.expect("no error").expect("a line");
    assert!(line.len() > MAX_LINE);
}

#[test]
fn futures_read_line_has_no_length_limit_either() {
    use futures_lite::AsyncBufReadExt;
    let bytes = huge_line();
    let mut reader = futures_lite::io::BufReader::new(&bytes[..]);
    let mut line = String::new();
    let read = smol::block_on(reader.read_line(&mut line)).expect("no error");
    assert_eq!(read, HUGE + 1, "smol's and async-std's readers alike");
}
// ANCHOR_END: no_limit

// ANCHOR: outboxes
/// Every runtime's outbox refuses a line past its bound at once (it never
/// waits), and says `Closed`, not `Full`, once its writer has gone.
fn refuses_when_full_then_closed<O: Outbox>(outbox: O, close: impl FnOnce()) {
    for _ in 0..OUTBOX {
        outbox.try_send(Line::from("x\n")).expect("room");
    }
    assert_eq!(outbox.try_send(Line::from("x\n")), Err(Refused::Full));
    close();
    assert_eq!(outbox.try_send(Line::from("x\n")), Err(Refused::Closed));
}

#[test]
fn every_outbox_refuses_a_line_past_its_bound_without_waiting() {
    let (sender, receiver) = tokio::sync::mpsc::channel(OUTBOX);
    refuses_when_full_then_closed(sender, move || drop(receiver));
    let (sender, receiver) = async_channel::bounded(OUTBOX);
    refuses_when_full_then_closed(sender, move || drop(receiver));
    let (outbox, queue) = QueueOutbox::new();
    refuses_when_full_then_closed(outbox, move || drop(queue));
}
// ANCHOR_END: outboxes

// ANCHOR: halves
/// tokio's `OwnedWriteHalf` shuts the write direction down when dropped (as
/// our loop's does): the peer reads end of file while the read half lives.
#[tokio::test]
async fn dropping_tokios_write_half_sends_end_of_file() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let stream = tokio::net::TcpStream::connect(listener.local_addr().unwrap())
        .await
        .expect("connected");
    let (mut peer, _) = listener.accept().expect("accepted");
    let (_reader, writer) = stream.into_split();
    drop(writer);
    peer.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    assert_eq!(peer.read(&mut [0; 8]).expect("end of file"), 0);
}

/// Ours too: its halves are modelled on tokio's.
#[test]
fn dropping_our_loops_write_half_sends_end_of_file() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().unwrap();
    event_loop::hand::block_on(async {
        let stream = event_loop::hand::TcpStream::connect(addr)
            .await
            .expect("connected");
        let (mut peer, _) = listener.accept().expect("accepted");
        let (_reader, writer) = stream.into_split();
        drop(writer);
        peer.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        assert_eq!(peer.read(&mut [0; 8]).expect("end of file"), 0);
    });
}

/// Checks that `peer` reads nothing for a while: no end of file came.
fn reads_nothing(peer: &mut std::net::TcpStream) {
    peer.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let read = peer.read(&mut [0; 8]).map_err(|e| e.kind());
    assert!(
        matches!(read, Err(ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "the peer read {read:?}: the clone's drop closed the socket"
    );
    peer.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
}

/// async-std's stream is split the same way, with the same result.
#[test]
fn dropping_a_clone_of_async_stds_stream_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().unwrap();
    async_std::task::block_on(async {
        let stream = async_std::net::TcpStream::connect(addr)
            .await
            .expect("connected");
        let (mut peer, _) = listener.accept().expect("accepted");
        drop(stream.clone());
        reads_nothing(&mut peer);
        stream
            .shutdown(std::net::Shutdown::Write)
            .expect("a shutdown");
        assert_eq!(peer.read(&mut [0; 8]).expect("end of file"), 0);
    });
}

/// smol's stream (as async-std's) is split by cloning it, and the socket
/// closes only with the last clone: dropping the writer's clone says
/// nothing to the peer. So those servers call `shutdown(Write)` themselves.
#[test]
fn dropping_a_clone_of_smols_stream_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().unwrap();
    smol::block_on(async {
        let stream = smol::net::TcpStream::connect(addr)
            .await
            .expect("connected");
        let (mut peer, _) = listener.accept().expect("accepted");
        let writer = stream.clone();
        drop(writer);
        peer.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let read = peer.read(&mut [0; 8]).map_err(|e| e.kind());
        assert!(
            matches!(read, Err(ErrorKind::WouldBlock | ErrorKind::TimedOut)),
            "the peer read {read:?}: the clone's drop closed the socket"
        );
        stream
            .shutdown(std::net::Shutdown::Write)
            .expect("a shutdown");
        peer.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        assert_eq!(peer.read(&mut [0; 8]).expect("end of file"), 0);
    });
}
// ANCHOR_END: halves
