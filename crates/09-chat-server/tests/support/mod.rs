//! What the chapter's tests share: a blocking client that reads with a
//! timeout, and a macro that makes one test per runtime, each under a
//! watchdog.
#![allow(dead_code)] // each test file uses its own part

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use chat_server::protocol::{MAX_LINE, OUTBOX};
use socket2::{Domain, Socket, Type};

pub use chat_server::{Running, Runtime, start};

/// How long a client waits for a line before its test fails: far past
/// anything a loaded machine needs, so only a lost line reaches it.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Makes, for each `fn NAME(runtime: Runtime)` named, a test per runtime
/// (`hand::NAME`, `tokio::NAME`, ...), each run under `within`'s watchdog.
#[macro_export]
macro_rules! every_runtime {
    ($($name:ident),* $(,)?) => {
        $crate::every_runtime!(@one hand, Hand, $($name),*);
        $crate::every_runtime!(@one tokio, Tokio, $($name),*);
        $crate::every_runtime!(@one async_std, AsyncStd, $($name),*);
        $crate::every_runtime!(@one smol, Smol, $($name),*);
    };
    (@one $module:ident, $runtime:ident, $($name:ident),*) => {
        mod $module {
            $(
                #[test]
                fn $name() {
                    let runtime = super::Runtime::$runtime;
                    timeline::testing::within(move || super::$name(runtime));
                }
            )*
        }
    };
}

/// A server on `runtime` on a free port.
pub fn server(runtime: Runtime) -> Running {
    start(runtime, "127.0.0.1:0").expect("the server starts")
}

/// A client of the chat, on a blocking socket whose reads time out.
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    /// Its name: its address, until it sends `/nick`.
    pub name: String,
}

impl Client {
    /// Connects and reads the welcome.
    pub fn connect(addr: SocketAddr) -> Client {
        let mut client = Client::connect_quietly(addr);
        let welcome = format!("* welcome {}\n", client.name);
        client.expect(&welcome);
        client
    }

    /// Connects, and reads nothing yet.
    pub fn connect_quietly(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("the server accepts");
        Client::on(stream)
    }

    /// A client on a socket made by the caller.
    pub fn on(stream: TcpStream) -> Client {
        stream.set_read_timeout(Some(PATIENCE)).expect("a timeout");
        stream.set_nodelay(true).expect("no delay");
        let name = stream.local_addr().expect("an address").to_string();
        let writer = stream.try_clone().expect("a second handle");
        Client {
            reader: BufReader::new(stream),
            writer,
            name,
        }
    }

    /// Sends `text` and a `\n`.
    pub fn send(&mut self, text: &str) {
        self.send_bytes(format!("{text}\n").as_bytes());
    }

    /// Sends bytes as they are.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("the server takes it");
    }

    /// The next line, with its `\n`; `None` at end of file.
    pub fn line(&mut self) -> Option<String> {
        let mut line = Vec::new();
        match self.reader.read_until(b'\n', &mut line) {
            Ok(0) => None,
            Ok(_) => Some(String::from_utf8(line).expect("the server sends UTF-8")),
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => None,
            Err(error) => panic!("{}: no line within {PATIENCE:?}: {error}", self.name),
        }
    }

    /// Reads the next line and checks it, byte for byte.
    #[track_caller]
    pub fn expect(&mut self, expected: &str) {
        assert_eq!(self.line().as_deref(), Some(expected), "to {}", self.name);
    }

    /// Checks that the server has closed the connection, after nothing more.
    #[track_caller]
    pub fn expect_eof(&mut self) {
        assert_eq!(
            self.line(),
            None,
            "to {}: a line instead of end of file",
            self.name
        );
    }

    /// Renames itself and reads the server's confirmation.
    pub fn nick(&mut self, name: &str) {
        self.send(&format!("/nick {name}"));
        let renamed = format!("* {} is now {name}\n", self.name);
        self.expect(&renamed);
        self.name = name.to_owned();
    }

    /// Closes its writing direction: the server reads end of file.
    pub fn close_write(&self) {
        self.writer.shutdown(Shutdown::Write).expect("a shutdown");
    }

    /// Everything until end of file (or a reset); panics if the server
    /// keeps the connection open past [`PATIENCE`].
    pub fn rest(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        match self.reader.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {}
            Err(error) => {
                panic!("{}: still open after {PATIENCE:?}: {error}", self.name)
            }
        }
        rest
    }

    /// The socket, to set options on.
    pub fn socket(&self) -> &TcpStream {
        &self.writer
    }
}

/// `count` clients connected one after another; each one's joining has
/// been read by those before it, so every client's next line is new.
pub fn clients(addr: SocketAddr, count: usize) -> Vec<Client> {
    let mut clients: Vec<Client> = Vec::with_capacity(count);
    for _ in 0..count {
        let client = Client::connect(addr);
        let joined = format!("* {} joined\n", client.name);
        for earlier in &mut clients {
            earlier.expect(&joined);
        }
        clients.push(client);
    }
    clients
}

/// `room[who]` takes `name`; everyone reads the rename.
pub fn rename(room: &mut [Client], who: usize, name: &str) {
    let renamed = format!("* {} is now {name}\n", room[who].name);
    room[who].nick(name);
    for (n, other) in room.iter_mut().enumerate() {
        if n != who {
            other.expect(&renamed);
        }
    }
}

/// Checks that the server still serves: a fresh pair of clients, one
/// line from one to the other, and both gone.
pub fn still_serves(addr: SocketAddr) {
    let mut pair = clients(addr, 2);
    pair[0].send("still here?");
    let relayed = format!("{}: still here?\n", pair[0].name);
    pair[1].expect(&relayed);
    pair[1].send("/quit");
    pair[1].expect("* bye\n");
    pair[1].expect_eof();
    let left = format!("* {} left\n", pair[1].name);
    pair[0].expect(&left);
}

/// What the stall test sends: 20,000 lines, in batches the healthy clients
/// read before the next goes (so their outboxes stay small).
pub const FLOOD: usize = 20_000;
pub const BATCH: usize = 200;

/// Long enough lines that the flood is many times what the kernel can hold
/// for the stalled client (its small receive buffer, and the server's send
/// buffer, which grows to at most `tcp_wmem`'s maximum) plus its outbox.
pub fn line_len() -> usize {
    let wmem = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem").ok();
    let most: usize = wmem
        .and_then(|text| text.split_whitespace().nth(2)?.parse().ok())
        .unwrap_or(4 << 20);
    let held = most + OUTBOX * MAX_LINE;
    (4 * held / FLOOD).clamp(1000, MAX_LINE - 100)
}

/// A client whose receive buffer is as small as the system allows, so that
/// little of what is sent to it fits anywhere but the server's outbox.
pub fn stalled_client(addr: SocketAddr) -> Client {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a socket");
    socket.set_recv_buffer_size(4096).expect("a small buffer");
    socket.connect(&addr.into()).expect("the server accepts");
    let mut client = Client::on(socket.into());
    let welcome = format!("* welcome {}\n", client.name);
    client.expect(&welcome);
    client
}

/// `room[0]` sends [`FLOOD`] lines in batches of [`BATCH`]; every other
/// client reads each batch whole, in order, before the next is sent, and
/// may read `stalled_left` once, anywhere in it (which it must).
pub fn flood(room: &mut [Client], stalled_left: &str) {
    let text = "x".repeat(line_len());
    let sender = room[0].name.clone();
    let mut seen_left = vec![false; room.len() - 1];
    for batch in 0..FLOOD / BATCH {
        let lines: String = (0..BATCH)
            .map(|n| format!("{} {text}\n", batch * BATCH + n))
            .collect();
        room[0].send_bytes(lines.as_bytes());
        for (reader, seen_left) in room[1..].iter_mut().zip(&mut seen_left) {
            let mut n = 0;
            while n < BATCH {
                let line = reader.line().expect("a healthy client is kept");
                if line == stalled_left && !*seen_left {
                    *seen_left = true;
                    continue;
                }
                let expected = format!("{sender}: {} {text}\n", batch * BATCH + n);
                assert!(
                    line == expected,
                    "{}: line {n} of batch {batch}",
                    reader.name
                );
                n += 1;
            }
        }
    }
    assert!(
        seen_left.iter().all(|&seen| seen),
        "the stalled client was cut off"
    );
}
