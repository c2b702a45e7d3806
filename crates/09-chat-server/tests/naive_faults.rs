//! The naive server's three faults, each shown with real sockets on
//! loopback, and each test body run against the fixed server too, where it
//! must show the opposite: so every test proves both the fault and the fix.
//!
//! The fixed server drops a client whose bounded outbox fills, by design, so
//! the healthy clients here are never let fall far behind: the sender sends
//! in batches, and waits until they have received each one.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use chat_server::naive::{self, Relay};
use chat_server::{Runtime, start};
use timeline::testing::within;

/// Which server a test body talks to: they differ only in the greeting the
/// fixed one sends on connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Naive,
    Fixed,
}

/// One line of text sent by the flooding client: 999 bytes and `\n`.
const LINE: usize = 1000;
/// The flooding client sends this many lines at a time, then waits until
/// the healthy client has them all.
const BATCH: usize = 100;
/// How many lines the flood sends at most: 8 MiB more than the socket
/// buffers of a client that never reads can hold (12 MB in all with
/// Linux's default buffers), in whole batches.
fn flood_lines() -> usize {
    (socket_buffers() + 8 * MIB).div_ceil(LINE * BATCH) * BATCH
}

/// More than the socket buffers between the server and a client that
/// never reads can hold: the client's receive buffer is made small (16
/// KiB), and the server's send buffer grows to at most `tcp_wmem`'s
/// maximum (4 MiB unless the machine says otherwise); 1 MiB on top. Past
/// this, what is sent to that client must be queued, or stall, or drop it.
fn socket_buffers() -> usize {
    let wmem = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem").ok();
    let most = wmem.and_then(|text| text.split_whitespace().nth(2)?.parse().ok());
    most.unwrap_or(4 * MIB) + MIB
}

const MIB: usize = 1024 * 1024;
/// Silence for this long means "stalled" on the naive server: nothing came,
/// although lines were sent. (A lower bound: a loaded machine can only make
/// the naive server look more stalled, never less.)
const QUIET: Duration = Duration::from_millis(500);
/// How long the fixed server may take for a batch: far past anything a
/// loaded machine needs, so it never flakes.
const PATIENT: Duration = Duration::from_secs(20);

/// A client of either server, reading through a buffer.
struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(kind: Kind, addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("the server accepts");
        Client::greeted(kind, stream)
    }

    /// A client whose receive buffer is small, so that a client that never
    /// reads fills its socket buffers sooner.
    fn connect_small(kind: Kind, addr: SocketAddr) -> Client {
        let socket = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )
        .expect("a socket");
        socket
            .set_recv_buffer_size(16 * 1024)
            .expect("a buffer size");
        socket.connect(&addr.into()).expect("the server accepts");
        Client::greeted(kind, socket.into())
    }

    /// On the fixed server, waits for `* welcome`: the client is then in the
    /// room. The naive server says nothing, and adds a client as it accepts.
    fn greeted(kind: Kind, stream: TcpStream) -> Client {
        stream.set_read_timeout(Some(PATIENT)).expect("a timeout");
        stream.set_write_timeout(Some(PATIENT)).expect("a timeout");
        let reader = BufReader::new(stream.try_clone().expect("a second handle"));
        let mut client = Client {
            writer: stream,
            reader,
        };
        if kind == Kind::Fixed {
            let welcome = client.line().expect("a greeting");
            assert!(welcome.starts_with("* welcome "), "{welcome:?}");
        }
        client
    }

    fn name(&self) -> String {
        self.writer.local_addr().expect("an address").to_string()
    }

    /// The next line, without its `\n`.
    fn line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        match self.reader.read_line(&mut line)? {
            0 => Err(io::ErrorKind::UnexpectedEof.into()),
            _ => Ok(line.trim_end_matches('\n').to_string()),
        }
    }

    /// The next line another client sent (server lines, `* ...`, skipped).
    fn relayed(&mut self) -> io::Result<String> {
        loop {
            let line = self.line()?;
            if !line.starts_with("* ") {
                return Ok(line);
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)
    }

    fn wait_at_most(&self, limit: Duration) {
        self.writer
            .set_read_timeout(Some(limit))
            .expect("a timeout");
    }
}

fn naive_server(relay: Relay) -> naive::NaiveServer {
    naive::start_with("127.0.0.1:0", relay).expect("the naive server starts")
}

fn fixed_server() -> chat_server::Running {
    start(Runtime::Tokio, "127.0.0.1:0").expect("the fixed server starts")
}

// Fault 1: a read is not a message.

/// A line longer than the naive server's read of [`naive::READ_SIZE`] bytes.
const LONG: &str =
    "the quick brown fox jumps over the lazy dog, then it jumps over the cat too";

// ANCHOR: split
/// What `listener` receives when `talker` sends two lines in one write,
/// then (once those have arrived) one line longer than a naive read.
fn lines_as_received(kind: Kind, addr: SocketAddr) -> (String, Vec<String>) {
    let mut listener = Client::connect(kind, addr);
    let mut talker = Client::connect(kind, addr);
    talker.send(b"one\ntwo\n").expect("sent");
    let mut lines = vec![listener.relayed().expect("a line")];
    lines.push(listener.relayed().expect("a line"));
    talker.send(format!("{LONG}\n").as_bytes()).expect("sent");
    lines.push(listener.relayed().expect("a line"));
    (talker.name(), lines)
}

#[test]
fn naive_reads_join_two_lines_and_cut_a_long_one() {
    within(|| {
        let server = naive_server(Relay::Awaited);
        let (name, lines) = lines_as_received(Kind::Naive, server.addr());
        // "one\ntwo\n" came in one read: one message, one name for both.
        assert_eq!(lines[..2], [format!("{name}: one"), "two".to_string()]);
        // The long line and its `\n` take two reads: two messages, two names.
        let (head, tail) = LONG.split_at(naive::READ_SIZE);
        assert_eq!(lines[2], format!("{name}: {head}{name}: {tail}"));
        record("naive-reads", &name, &lines);
    });
}

#[test]
fn fixed_server_relays_each_line_whole() {
    within(|| {
        let server = fixed_server();
        let (name, lines) = lines_as_received(Kind::Fixed, server.addr());
        let expected = ["one", "two", LONG].map(|text| format!("{name}: {text}"));
        assert_eq!(lines, expected);
        record("fixed-reads", &name, &lines);
        server.shutdown().expect("a clean shutdown");
    });
}
// ANCHOR_END: split

/// Writes what the listening client read, the talker's name (its port
/// changes from run to run) written `ada`, for the book.
fn record(output: &str, name: &str, lines: &[String]) {
    let text: Vec<String> =
        lines.iter().map(|line| line.replace(name, "ada")).collect();
    timeline::testing::check_output(
        env!("CARGO_MANIFEST_DIR"),
        output,
        &text.join("\n"),
    );
}

// Fault 2: one client that never reads stalls everyone.

/// How far a flood got to the healthy client.
#[derive(Debug)]
struct Delivery {
    sent: usize,
    received: usize,
}

/// `talker` floods the room in batches while `reader` receives; with
/// `non_reader`, a third client that never reads is in the room. Each batch
/// waits until `reader` has every line so far, or until nothing came for
/// `quiet`: then the flood stops there.
fn flood(kind: Kind, addr: SocketAddr, non_reader: bool, quiet: Duration) -> Delivery {
    let mut reader = Client::connect(kind, addr);
    let _stalled = non_reader.then(|| Client::connect_small(kind, addr));
    let mut talker = Client::connect(kind, addr);
    reader.wait_at_most(quiet);
    let line = format!("{}\n", "y".repeat(LINE - 1));
    let (mut sent, mut received) = (0, 0);
    while sent < flood_lines() {
        if talker.send(line.repeat(BATCH).as_bytes()).is_err() {
            break;
        }
        sent += BATCH;
        while received < sent && reader.relayed().is_ok() {
            received += 1;
        }
        if received < sent {
            break;
        }
    }
    Delivery { sent, received }
}

// ANCHOR: stall
#[test]
fn naive_server_stalls_everyone_behind_a_client_that_never_reads() {
    within(|| {
        let server = naive_server(Relay::Awaited);
        let delivery = flood(Kind::Naive, server.addr(), true, QUIET);
        assert!(
            delivery.received < delivery.sent,
            "nothing stalled: {delivery:?}"
        );
        eprintln!("naive, one client never reading: {delivery:?}");
    });
}

#[test]
fn naive_server_delivers_everything_when_everyone_reads() {
    // The control: without the client that never reads, the same flood gets
    // through the naive server, so that client is what stalls it.
    within(|| {
        let server = naive_server(Relay::Awaited);
        let delivery = flood(Kind::Naive, server.addr(), false, PATIENT);
        let all = flood_lines();
        assert_eq!((delivery.sent, delivery.received), (all, all));
    });
}

#[test]
fn fixed_server_keeps_delivering_past_a_client_that_never_reads() {
    within(|| {
        let server = fixed_server();
        let delivery = flood(Kind::Fixed, server.addr(), true, PATIENT);
        let all = flood_lines();
        assert_eq!((delivery.sent, delivery.received), (all, all));
        server.shutdown().expect("a clean shutdown");
    });
}
// ANCHOR_END: stall

// Fault 3: nothing bounds memory.

/// Each round of the memory flood: 4 MB.
const ROUND: usize = 4_000;

/// How many rounds: three more than the socket buffers hold (four, 16 MB,
/// with Linux's default buffers).
fn rounds() -> usize {
    socket_buffers() / (ROUND * LINE) + 3
}

/// What the fixed server's outbox holds at most, in bytes: 1,024 lines of
/// 1,000 bytes with the sender's name, and room to spare.
const OUTBOX_BYTES: usize = 2 * MIB;

/// `talker` sends [`rounds`] rounds of lines to a room where `stalled`
/// never reads; after each round, `after_round(bytes sent so far)`.
fn flood_a_non_reader(
    kind: Kind,
    addr: SocketAddr,
    mut after_round: impl FnMut(usize),
) -> Client {
    let stalled = Client::connect_small(kind, addr);
    let mut talker = Client::connect(kind, addr);
    let line = format!("{}\n", "z".repeat(LINE - 1));
    for round in 1..=rounds() {
        talker.send(line.repeat(ROUND).as_bytes()).expect("sent");
        after_round(round * ROUND * LINE);
    }
    stalled
}

/// Waits until `condition` holds, for at most [`PATIENT`].
fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < PATIENT {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

// ANCHOR: memory
#[test]
fn naive_queue_for_a_client_that_never_reads_grows_with_what_others_send() {
    within(|| {
        let server = naive_server(Relay::Queued);
        let mut queued = Vec::new();
        let _stalled = flood_a_non_reader(Kind::Naive, server.addr(), |sent| {
            // Everything sent, less what the socket buffers hold, is queued.
            let enough = sent.saturating_sub(socket_buffers());
            let before = queued.last().copied().unwrap_or(0);
            let grew = eventually(|| {
                let now = server.queued_bytes();
                now >= enough && now > before
            });
            queued.push(server.queued_bytes());
            assert!(grew, "after {sent} bytes sent, only {queued:?} queued");
        });
        assert!(
            queued.windows(2).all(|pair| pair[0] < pair[1]),
            "{queued:?}"
        );
        let sent = rounds() * ROUND * LINE;
        assert!(queued[rounds() - 1] >= sent - socket_buffers());
        eprintln!("naive, queued bytes after each 4 MB round: {queued:?}");
    });
}

#[test]
fn fixed_server_drops_a_client_that_never_reads_once_its_outbox_is_full() {
    within(|| {
        let server = fixed_server();
        let mut stalled = flood_a_non_reader(Kind::Fixed, server.addr(), |_| {});
        // The server closed the connection: the client reads to its end, and
        // finds no more than its socket buffers and its outbox held, far
        // less than was sent.
        let mut got = Vec::new();
        let end = stalled.reader.read_to_end(&mut got);
        let timed_out = |error: &io::Error| {
            matches!(
                error.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            )
        };
        assert!(!end.as_ref().is_err_and(timed_out), "still open: {end:?}");
        let sent = rounds() * ROUND * LINE;
        let bound = socket_buffers() + OUTBOX_BYTES;
        assert!(got.len() <= bound, "{} of {sent} bytes came", got.len());
        eprintln!(
            "fixed, the dropped client got {} of {sent} bytes",
            got.len()
        );
        server.shutdown().expect("a clean shutdown");
    });
}
// ANCHOR_END: memory
