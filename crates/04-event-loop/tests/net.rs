//! TCP on the hand-rolled reactor, over loopback: echo round trips, many
//! clients at once, several tasks waiting on one socket, end of file, refused
//! connections, registrations kept for a socket's life (no re-arming per
//! round trip); then what chapter 9's chat server needs: `try_read` and
//! `readable`, `futures`' `AsyncRead`/`AsyncWrite`, owned halves, and
//! `connect` by host name. The tests that matter most run twice,
//! `NAME::edge` and `NAME::oneshot`: once with edge-triggered registrations,
//! once with the one-shot ones of the fallback.

mod support;

use std::io;
use std::net::{Shutdown, SocketAddr};
use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use event_loop::hand::net::{Lookup, ToSocketAddrs};
use event_loop::hand::{
    EventLoop, ReactorStats, TcpListener, TcpStream, handle, spawn, yield_now,
};
use futures::channel::mpsc;
use futures::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use futures::{StreamExt, TryStreamExt, poll};
use support::finishes_within;

const LIMIT: Duration = Duration::from_secs(60);

/// The two ways the reactor can register sockets.
#[derive(Debug, Clone, Copy)]
enum Polling {
    /// The default: edge-triggered where the system has it (Linux, macOS,
    /// the BSDs), one-shot elsewhere.
    Edge,
    /// One-shot everywhere, as the fallback does.
    Oneshot,
}

fn new_loop(polling: Polling) -> EventLoop {
    let builder = EventLoop::builder();
    let builder = match polling {
        Polling::Edge => builder,
        Polling::Oneshot => builder.oneshot_polling(),
    };
    builder.build().expect("the system's poller")
}

/// Defines a module `NAME` holding two tests, `NAME::edge` and
/// `NAME::oneshot`, which run the body with each kind of [`Polling`].
macro_rules! in_both_modes {
    ($(#[doc = $doc:literal])* fn $name:ident($polling:ident) $body:block) => {
        $(#[doc = $doc])*
        mod $name {
            use super::*;

            fn run($polling: Polling) $body

            #[test]
            fn edge() {
                run(Polling::Edge)
            }

            #[test]
            fn oneshot() {
                run(Polling::Oneshot)
            }
        }
    };
}

/// Echoes every connection until the peer closes it.
async fn serve(listener: TcpListener) {
    loop {
        let (stream, _) = listener.accept().await.expect("accept");
        spawn(async move {
            let mut buf = [0; 1024];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if stream.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}

fn bind() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

in_both_modes! {
    fn an_echo_round_trip_returns_the_same_bytes(polling) {
        let echoed = finishes_within(LIMIT, move || {
            new_loop(polling).run_until_complete(async {
                let (listener, addr) = bind();
                spawn(serve(listener));
                let stream = TcpStream::connect(addr).await?;
                stream.write_all(b"hello, loop").await?;
                let mut buf = [0; 11];
                stream.read_exact(&mut buf).await?;
                io::Result::Ok(buf)
            })
        });
        assert_eq!(echoed.expect("no hang").unwrap(), *b"hello, loop");
    }
}

in_both_modes! {
    fn a_hundred_clients_at_once_each_get_their_own_bytes_back(polling) {
        let totals = finishes_within(LIMIT, move || {
            new_loop(polling).run_until_complete(async {
                let (listener, addr) = bind();
                spawn(serve(listener));
                let clients: Vec<_> = (0..100u8)
                    .map(|id| {
                        spawn(async move {
                            let stream = TcpStream::connect(addr).await?;
                            let mut sum = 0u64;
                            for round in 0..10u8 {
                                let message = [id, round, id ^ round, 64];
                                stream.write_all(&message).await?;
                                let mut back = [0; 4];
                                stream.read_exact(&mut back).await?;
                                assert_eq!(back, message);
                                sum += 1;
                            }
                            io::Result::Ok(sum)
                        })
                    })
                    .collect();
                let mut total = 0;
                for client in clients {
                    total += client.await.expect("no panic")?;
                }
                io::Result::Ok(total)
            })
        });
        assert_eq!(totals.expect("no hang").unwrap(), 1000);
    }
}

/// A connected pair on loopback: the client's end and the server's.
async fn connected_pair() -> io::Result<(TcpStream, TcpStream)> {
    let (listener, addr) = bind();
    let client = TcpStream::connect(addr).await?;
    let (server, _) = listener.accept().await?;
    Ok((client, server))
}

in_both_modes! {
    fn two_tasks_reading_one_stream_both_complete(polling) {
        let bytes = finishes_within(LIMIT, move || {
            new_loop(polling).run_until_complete(async {
                let (client, server) = connected_pair().await?;
                let client = Rc::new(client);
                let readers: Vec<_> = (0..2)
                    .map(|_| {
                        let client = Rc::clone(&client);
                        spawn(async move {
                            let mut byte = [0; 1];
                            client.read_exact(&mut byte).await.map(|()| byte[0])
                        })
                    })
                    .collect();
                // The readers run first, find nothing and wait; then both
                // bytes come at once, in one event.
                yield_now().await;
                assert!(readers.iter().all(|reader| !reader.is_finished()));
                server.write_all(b"ab").await?;
                let mut bytes = Vec::new();
                for reader in readers {
                    bytes.push(reader.await.expect("no panic")?);
                }
                bytes.sort();
                io::Result::Ok(bytes)
            })
        });
        assert_eq!(bytes.expect("no hang").unwrap(), b"ab");
    }
}

in_both_modes! {
    fn four_tasks_accepting_on_one_listener_all_get_a_connection(polling) {
        let addrs = finishes_within(LIMIT, move || {
            new_loop(polling).run_until_complete(async {
                let (listener, addr) = bind();
                let listener = Rc::new(listener);
                let accepters: Vec<_> = (0..4)
                    .map(|_| {
                        let listener = Rc::clone(&listener);
                        spawn(async move {
                            listener.accept().await.map(|(_, peer)| peer)
                        })
                    })
                    .collect();
                yield_now().await; // all four wait
                let mut clients = Vec::new();
                for _ in 0..4 {
                    clients.push(TcpStream::connect(addr).await?);
                }
                let mut peers = Vec::new();
                for accepter in accepters {
                    peers.push(accepter.await.expect("no panic")?);
                }
                let mut locals = clients
                    .iter()
                    .map(TcpStream::local_addr)
                    .collect::<io::Result<Vec<_>>>()?;
                peers.sort();
                locals.sort();
                io::Result::Ok((peers, locals))
            })
        });
        let (peers, clients) = addrs.expect("no hang").unwrap();
        assert_eq!(peers, clients, "each client accepted once");
    }
}

/// More than loopback's socket buffers hold, so a writer of this many bytes
/// waits until the peer reads.
const MORE_THAN_BUFFERS_HOLD: usize = 32 << 20;

in_both_modes! {
    fn a_reader_and_a_writer_waiting_on_one_socket_both_wake(polling) {
        let outcome = finishes_within(LIMIT, move || {
            new_loop(polling).run_until_complete(async {
                let (client, server) = connected_pair().await?;
                let client = Rc::new(client);
                let writer = spawn({
                    let client = Rc::clone(&client);
                    async move {
                        let bytes = vec![7; MORE_THAN_BUFFERS_HOLD];
                        client.write_all(&bytes).await
                    }
                });
                let reader = spawn({
                    let client = Rc::clone(&client);
                    async move {
                        let mut buf = [0; 5];
                        client.read_exact(&mut buf).await.map(|()| buf)
                    }
                });
                yield_now().await;
                assert!(!writer.is_finished(), "the writer waits: buffers full");
                assert!(!reader.is_finished(), "the reader waits: nothing sent");
                // An event for reading first, with the writer still waiting;
                // the writer's turn comes only once the server reads.
                server.write_all(b"hello").await?;
                let read = reader.await.expect("no panic")?;
                let mut written = vec![0; MORE_THAN_BUFFERS_HOLD];
                server.read_exact(&mut written).await?;
                writer.await.expect("no panic")?;
                let all_sevens = written.iter().all(|&byte| byte == 7);
                io::Result::Ok((read, all_sevens))
            })
        });
        let (read, all_sevens) = outcome.expect("no hang").unwrap();
        assert_eq!(&read, b"hello");
        assert!(all_sevens);
    }
}

#[test]
fn try_read_and_try_write_never_wait_and_mark_the_socket_not_ready() {
    let outcome = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (client, server) = connected_pair().await?;
            let mut buf = [0; 16];
            let nothing = client.try_read(&mut buf).unwrap_err().kind();
            // Marked not readable: `readable` waits, for the bytes' event.
            let waited = poll!(pin!(client.readable())).is_pending();
            server.write_all(b"hi").await?;
            client.readable().await?;
            let read = client.try_read(&mut buf)?;
            // Full: the writes stop at `WouldBlock`, and `writable` waits.
            let full = loop {
                if let Err(error) = server.try_write(&[7; 65536]) {
                    break error.kind();
                }
            };
            let write_waited = poll!(pin!(server.writable())).is_pending();
            io::Result::Ok((nothing, waited, buf[..read].to_vec(), full, write_waited))
        })
    });
    let (nothing, waited, read, full, write_waited) =
        outcome.expect("no hang").unwrap();
    assert_eq!(nothing, io::ErrorKind::WouldBlock);
    assert!(waited, "`readable` waited after `WouldBlock`");
    assert_eq!(read, b"hi");
    assert_eq!(full, io::ErrorKind::WouldBlock);
    assert!(write_waited, "`writable` waited after `WouldBlock`");
}

#[test]
fn bufreader_lines_reads_a_stream_line_by_line() {
    let lines = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (client, server) = connected_pair().await?;
            // Sent in pieces that cut lines in two.
            spawn(async move {
                for piece in [&b"hello, "[..], b"loop\nsecond", b" line\nlast\n"] {
                    server.write_all(piece).await.unwrap();
                    yield_now().await;
                }
            });
            BufReader::new(client).lines().try_collect::<Vec<_>>().await
        })
    });
    let lines = lines.expect("no hang").unwrap();
    assert_eq!(lines, ["hello, loop", "second line", "last"]);
}

#[test]
fn async_write_ext_writes_everything_and_close_shuts_the_write_direction() {
    let received = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (mut client, server) = connected_pair().await?;
            let message = vec![42; MORE_THAN_BUFFERS_HOLD];
            let reader = spawn(async move {
                let mut received = Vec::new();
                // Through `&TcpStream`: it reads to the end-of-file that
                // `close` sends.
                (&server).read_to_end(&mut received).await.map(|_| received)
            });
            // The trait's `write_all`, not `TcpStream`'s own (which a
            // method call would pick).
            AsyncWriteExt::write_all(&mut client, &message).await?;
            client.close().await?;
            let received = reader.await.expect("no panic")?;
            io::Result::Ok(received == message)
        })
    });
    assert!(received.expect("no hang").unwrap(), "every byte, in order");
}

#[test]
fn halves_in_two_tasks_echo_what_one_reads_through_the_other() {
    let echoed = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (client, server) = connected_pair().await?;
            let (reading, writing) = server.into_split();
            let (chunks, mut to_write) = mpsc::unbounded::<Vec<u8>>();
            // One task reads and hands over what it read...
            let reader = spawn(async move {
                let mut buf = [0; 64];
                loop {
                    match reading.read(&mut buf).await? {
                        0 => return io::Result::Ok(()),
                        n => chunks.unbounded_send(buf[..n].to_vec()).unwrap(),
                    }
                }
            });
            // ...the other writes it back, and ends when the reader does.
            let writer = spawn(async move {
                while let Some(chunk) = to_write.next().await {
                    writing.write_all(&chunk).await?;
                }
                io::Result::Ok(())
            });
            let mut lines = Vec::new();
            for line in ["one\n", "two\n", "three\n"] {
                client.write_all(line.as_bytes()).await?;
                let mut back = vec![0; line.len()];
                client.read_exact(&mut back).await?;
                lines.push(String::from_utf8(back).unwrap());
            }
            client.shutdown(Shutdown::Write)?;
            reader.await.expect("no panic")?;
            writer.await.expect("no panic")?;
            io::Result::Ok(lines)
        })
    });
    let lines = echoed.expect("no hang").unwrap();
    assert_eq!(lines, ["one\n", "two\n", "three\n"]);
}

#[test]
fn dropping_the_write_half_shuts_the_write_direction_but_reading_goes_on() {
    let outcome = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (client, server) = connected_pair().await?;
            let (reading, writing) = client.into_split();
            writing.write_all(b"last words").await?;
            drop(writing);
            let mut heard = Vec::new();
            (&server).read_to_end(&mut heard).await?;
            // The read half still works: the server answers after the EOF.
            server.write_all(b"heard you").await?;
            let mut answer = [0; 9];
            reading.read_exact(&mut answer).await?;
            io::Result::Ok((heard, answer))
        })
    });
    let (heard, answer) = outcome.expect("no hang").unwrap();
    assert_eq!(heard, b"last words", "then end-of-file");
    assert_eq!(&answer, b"heard you");
}

#[test]
fn connect_takes_a_host_name_and_port() {
    let connected = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (listener, addr) = bind();
            let accepting = spawn(async move { listener.accept().await });
            let stream =
                TcpStream::connect(format!("localhost:{}", addr.port())).await?;
            let (_, peer) = accepting.await.expect("no panic")?;
            io::Result::Ok((stream.peer_addr()?, peer == stream.local_addr()?))
        })
    });
    let (peer, same) = connected.expect("no hang").unwrap();
    assert!(peer.ip().is_loopback());
    assert!(same, "the listener accepted this very stream");
}

#[test]
fn a_literal_address_needs_no_look_up() {
    let addr: SocketAddr = "127.0.0.1:7".parse().unwrap();
    assert_eq!("127.0.0.1:7".to_lookup(), Lookup::Known(vec![addr]));
    assert_eq!(("127.0.0.1", 7).to_lookup(), Lookup::Known(vec![addr]));
    let v6: SocketAddr = "[::1]:7".parse().unwrap();
    assert_eq!("[::1]:7".to_string().to_lookup(), Lookup::Known(vec![v6]));
    assert_eq!(
        ("localhost", 7).to_lookup(),
        Lookup::Name("localhost:7".into())
    );
}

#[test]
fn connecting_to_a_name_that_does_not_resolve_is_an_error_not_a_hang() {
    let outcome = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            // `.invalid` is reserved never to resolve (RFC 6761).
            TcpStream::connect("no-such-host.invalid:80")
                .await
                .map(|_| ())
        })
    });
    let error = outcome.expect("no hang").unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("no-such-host.invalid:80"),
        "the error names the host: {message}"
    );
}

/// The reactor's counts before and after 100 echo round trips on one
/// connection.
fn stats_around_round_trips(polling: Polling) -> (ReactorStats, ReactorStats) {
    let stats = finishes_within(LIMIT, move || {
        new_loop(polling).run_until_complete(async {
            let (listener, addr) = bind();
            spawn(serve(listener));
            let stream = TcpStream::connect(addr).await.unwrap();
            let mut buf = [0; 8];
            stream.write_all(b"warm up!").await.unwrap();
            stream.read_exact(&mut buf).await.unwrap();
            let before = handle().reactor_stats();
            for _ in 0..100 {
                stream.write_all(b"ping pon").await.unwrap();
                stream.read_exact(&mut buf).await.unwrap();
            }
            (before, handle().reactor_stats())
        })
    });
    stats.expect("no hang")
}

#[test]
fn a_round_trip_needs_no_new_registration_or_re_arming() {
    let (before, after) = stats_around_round_trips(Polling::Edge);
    assert_eq!(
        before.registrations, 3,
        "listener, client and server's stream"
    );
    assert_eq!(after.registrations, before.registrations);
    if cfg!(any(target_os = "linux", target_os = "macos")) {
        assert_eq!(after.modifications, 0, "edge-triggered: never re-armed");
    }
    assert!(after.waits > before.waits, "the loop waited for the echoes");
}

#[test]
fn one_shot_polling_re_arms_at_each_wait_but_never_registers_again() {
    let (before, after) = stats_around_round_trips(Polling::Oneshot);
    assert_eq!(after.registrations, before.registrations);
    // Each round trip: the client's read and the server's read wait, and
    // each re-arms its socket.
    let re_armed = after.modifications - before.modifications;
    assert!(
        re_armed >= 200,
        "re-armed {re_armed} times in 100 round trips"
    );
}

#[test]
fn reading_after_the_peer_closes_gives_end_of_file() {
    let outcome = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            let (listener, addr) = bind();
            let server = spawn(async move {
                let (stream, _) = listener.accept().await.unwrap();
                stream.write_all(b"bye").await.unwrap();
                stream.shutdown(Shutdown::Write).unwrap();
            });
            let stream = TcpStream::connect(addr).await.unwrap();
            let mut buf = [0; 3];
            stream.read_exact(&mut buf).await.unwrap();
            let eof = stream.read(&mut [0; 8]).await.unwrap();
            let mut more = [0; 1];
            let short = stream.read_exact(&mut more).await.unwrap_err().kind();
            server.await.unwrap();
            (buf, eof, short)
        })
    });
    let (buf, eof, short) = outcome.expect("no hang");
    assert_eq!(&buf, b"bye");
    assert_eq!(eof, 0);
    assert_eq!(short, io::ErrorKind::UnexpectedEof);
}

#[test]
fn connecting_to_a_closed_port_is_an_error_not_a_hang() {
    let outcome = finishes_within(LIMIT, || {
        EventLoop::new().run_until_complete(async {
            // Bound and closed again: nothing listens on that port now.
            let addr = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap();
            TcpStream::connect(addr)
                .await
                .map(|_| ())
                .map_err(|e| e.kind())
        })
    });
    assert_eq!(
        outcome.expect("no hang"),
        Err(io::ErrorKind::ConnectionRefused)
    );
}

#[test]
fn dropped_sockets_leave_the_poller() {
    let counts = finishes_within(LIMIT, || {
        let event_loop = EventLoop::new();
        let during = event_loop.run_until_complete(async {
            let (listener, addr) = bind();
            let accepting = spawn(async move { listener.accept().await.map(|_| ()) });
            let stream = TcpStream::connect(addr).await.unwrap();
            accepting.await.unwrap().unwrap();
            let during = handle().sockets();
            drop(stream);
            during
        });
        (during, event_loop.sockets())
    });
    // Only the client: the listener ended with its task, and the accepted
    // stream was dropped at once.
    assert_eq!(counts.expect("no hang"), (1, 0));
}

#[test]
#[should_panic(expected = "a socket made outside an event loop")]
fn a_socket_made_outside_a_loop_is_a_clear_error() {
    let _ = TcpListener::bind("127.0.0.1:0");
}

#[test]
fn binding_a_bad_address_is_an_error_not_a_panic() {
    let errors = EventLoop::new().run_until_complete(async {
        let no_port = TcpListener::bind("127.0.0.1")
            .map(|_| ())
            .map_err(|e| e.kind());
        let taken = {
            let (listener, addr) = bind();
            let again = TcpListener::bind(addr).map(|_| ()).map_err(|e| e.kind());
            drop(listener);
            again
        };
        (no_port, taken)
    });
    assert_eq!(errors.0, Err(io::ErrorKind::InvalidInput));
    assert_eq!(errors.1, Err(io::ErrorKind::AddrInUse));
}
