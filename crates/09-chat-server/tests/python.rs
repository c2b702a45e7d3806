//! The Python listings against the Rust servers, and the other way round:
//! `python/chat_client.py` (asyncio, standard library only) talks to each
//! Rust server; a plain Rust client talks to `python/chat_server.py`; and one
//! scripted session, byte for byte, gets the same answers from the Python
//! server as from every Rust one. Skipped, with a message, without `python3`.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chat_server::{Runtime, start};
use timeline::testing::within;

fn script(name: &str) -> String {
    format!("{}/python/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Whether `python3` runs here; if not, says that the test is skipped.
fn have_python() -> bool {
    let found = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!("skipped: python3 is not installed");
    }
    found
}

/// `python/chat_server.py` running as a child process, killed when dropped.
struct PythonServer {
    child: Child,
    addr: SocketAddr,
}

impl PythonServer {
    /// Starts `python/chat_server.py` on a free port and waits for its
    /// `listening on` line.
    fn start() -> PythonServer {
        PythonServer::start_script("chat_server.py")
    }

    /// Starts `python/NAME` so.
    fn start_script(name: &str) -> PythonServer {
        let mut child = Command::new("python3")
            .args([script(name).as_str(), "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 starts");
        let stdout = child.stdout.take().expect("a piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server prints a line");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|addr| addr.parse().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            panic!("not a `listening on IP:PORT` line: {line:?}");
        };
        PythonServer { child, addr }
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain std client: writes bytes, reads lines with their `\n`.
struct Client {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("the server accepts");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("a timeout");
        let reader = BufReader::new(stream.try_clone().expect("a second handle"));
        Client {
            writer: stream,
            reader,
        }
    }

    fn name(&self) -> String {
        self.writer.local_addr().expect("an address").to_string()
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("sent");
    }

    /// The next line with its `\n`, or `(closed)` at the end.
    fn line(&mut self) -> String {
        let mut bytes = Vec::new();
        match self.reader.read_until(b'\n', &mut bytes) {
            Ok(0) => "(closed)".to_string(),
            Ok(_) => String::from_utf8(bytes).expect("the server sends UTF-8"),
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {
                "(closed)".to_string()
            }
            Err(error) => panic!("no line: {error}"),
        }
    }
}

// ANCHOR: session
/// One scripted session of two clients, A and B, as each of them reads it:
/// `A< ` before what A received, `B< ` before what B received, `\n`s and
/// all, the peer names written `A` and `B`. It touches every rule of the
/// protocol: the welcome and the join, a relay (and no echo), `\r\n`,
/// `/nick` (its line goes to both), a name taken, a bad name, an unknown
/// command, a line not UTF-8 (the connection stays), an empty line
/// (ignored), a line too long (the connection closes), and `/quit`.
fn session(addr: SocketAddr) -> Vec<String> {
    let mut log = Vec::new();
    let mut a = Client::connect(addr);
    log.push(format!("A< {}", a.line()));
    let mut b = Client::connect(addr);
    log.push(format!("B< {}", b.line()));
    log.push(format!("A< {}", a.line()));
    a.send(b"hello\r\n");
    log.push(format!("B< {}", b.line()));
    a.send(b"/nick ada\n");
    log.push(format!("A< {}", a.line()));
    log.push(format!("B< {}", b.line()));
    for sent in [
        &b"/nick ada\n"[..],
        b"/nick a b\n",
        b"/shrug\n",
        b"\xff\xfe\n",
    ] {
        b.send(sent);
        log.push(format!("B< {}", b.line()));
    }
    b.send(b"\nhi ada\n");
    log.push(format!("A< {}", a.line()));
    a.send(format!("{}\n", "x".repeat(4097)).as_bytes());
    log.push(format!("A< {}", a.line()));
    log.push(format!("A< {}", a.line()));
    log.push(format!("B< {}", b.line()));
    b.send(b"/quit\n");
    log.push(format!("B< {}", b.line()));
    log.push(format!("B< {}", b.line()));
    let (a_name, b_name) = (a.name(), b.name());
    log.iter()
        .map(|line| line.replace(&a_name, "A").replace(&b_name, "B"))
        .collect()
}
// ANCHOR_END: session

// ANCHOR: transcript
/// What every server answers in [`session`], byte for byte.
const SESSION: [&str; 16] = [
    "A< * welcome A\n",
    "B< * welcome B\n",
    "A< * B joined\n",
    "B< A: hello\n",
    "A< * A is now ada\n",
    "B< * A is now ada\n",
    "B< * error: name taken\n",
    "B< * error: bad name\n",
    "B< * error: unknown command\n",
    "B< * error: not UTF-8\n",
    "A< B: hi ada\n",
    "A< * error: line too long\n",
    "A< (closed)",
    "B< * ada left\n",
    "B< * bye\n",
    "B< (closed)",
];
// ANCHOR_END: transcript

fn expected_session() -> Vec<String> {
    SESSION.iter().map(|line| line.to_string()).collect()
}

#[test]
fn python_server_answers_the_scripted_session_byte_for_byte() {
    if !have_python() {
        return;
    }
    within(|| {
        let server = PythonServer::start();
        assert_eq!(session(server.addr), expected_session());
    });
}

#[test]
fn every_rust_server_answers_the_same_session_as_the_python_one() {
    within(|| {
        for runtime in Runtime::ALL {
            let server = start(runtime, "127.0.0.1:0").expect("the server starts");
            assert_eq!(session(server.addr()), expected_session(), "{runtime:?}");
            server.shutdown().expect("a clean shutdown");
        }
    });
}

/// `chat_client.py` joins the room at `addr` beside a Rust client, sends two
/// lines, receives one, and exits: returns what it printed, and what the Rust
/// client received meanwhile.
fn python_client_beside_a_rust_one(addr: SocketAddr) -> (Vec<String>, Vec<String>) {
    let mut rust = Client::connect(addr);
    let welcome = rust.line();
    assert!(welcome.starts_with("* welcome "), "{welcome:?}");
    let client = script("chat_client.py");
    let args = [
        "--addr",
        &addr.to_string(),
        "--count",
        "2",
        "--timeout",
        "20",
    ]
    .map(str::to_string);
    let python = std::thread::spawn(move || {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["hello from python", "and goodbye"]);
        timeline::python::run(client, &args).expect("python3 runs")
    });
    let mut received = vec![rust.line(), rust.line(), rust.line()];
    rust.send(b"hello from rust\n");
    received.push(rust.line());
    let printed = python.join().expect("the client thread");
    let (rust_name, python_name) = (rust.name(), printed[0].replace("* welcome ", ""));
    let named = |line: &String| {
        let line = line.trim_end().replace(&rust_name, "RUST");
        line.replace(&python_name, "PY")
    };
    (
        printed.iter().map(named).collect(),
        received.iter().map(named).collect(),
    )
}

#[test]
fn python_client_talks_to_every_rust_server() {
    if !have_python() {
        return;
    }
    within(|| {
        for runtime in Runtime::ALL {
            let server = start(runtime, "127.0.0.1:0").expect("the server starts");
            let (printed, received) = python_client_beside_a_rust_one(server.addr());
            assert_eq!(
                printed,
                ["* welcome PY", "RUST: hello from rust"],
                "{runtime:?}"
            );
            assert_eq!(
                received,
                [
                    "* PY joined",
                    "PY: hello from python",
                    "PY: and goodbye",
                    "* PY left"
                ],
                "{runtime:?}"
            );
            server.shutdown().expect("a clean shutdown");
        }
    });
}

#[test]
fn python_client_talks_to_the_python_server() {
    if !have_python() {
        return;
    }
    within(|| {
        let server = PythonServer::start();
        let (printed, received) = python_client_beside_a_rust_one(server.addr);
        assert_eq!(printed, ["* welcome PY", "RUST: hello from rust"]);
        assert_eq!(
            received,
            [
                "* PY joined",
                "PY: hello from python",
                "PY: and goodbye",
                "* PY left"
            ]
        );
    });
}

#[test]
fn python_server_drops_a_client_that_never_reads_and_keeps_serving() {
    if !have_python() {
        return;
    }
    within(|| {
        let server = PythonServer::start();
        let mut reader = Client::connect(server.addr);
        reader.line();
        let stalled = Client::connect(server.addr);
        let mut talker = Client::connect(server.addr);
        talker.line();
        let (joined, _) = (reader.line(), reader.line());
        assert!(joined.ends_with(" joined\n"), "{joined:?}");
        // 20,000 lines (more if the socket buffers could hold them) in
        // batches of 200, each read by `reader` before the
        // next is sent; `stalled` reads nothing.
        let line = format!("{}\n", "w".repeat(999));
        let mut left = false;
        for _ in 0..(socket_buffers() / (200 * 1000) + 8).max(100) {
            talker.send(line.repeat(200).as_bytes());
            let mut got = 0;
            while got < 200 {
                let received = reader.line();
                if received == format!("* {} left\n", stalled.name()) {
                    left = true;
                } else {
                    assert!(received.ends_with(&line), "{received:?}");
                    got += 1;
                }
            }
        }
        assert!(left, "the client that never read is still in the room");
    });
}

#[test]
fn python_naive_server_joins_two_lines_and_cuts_a_long_one_as_ours_does() {
    if !have_python() {
        return;
    }
    within(|| {
        let server = PythonServer::start_script("naive_server.py");
        let mut listener = Client::connect(server.addr);
        let mut talker = Client::connect(server.addr);
        talker.send(b"one\ntwo\n");
        let mut lines = vec![listener.line(), listener.line()];
        let long = "x".repeat(100);
        talker.send(format!("{long}\n").as_bytes());
        lines.push(listener.line());
        // The very lines `naive_reads_join_two_lines_and_cut_a_long_one`
        // (in `naive_faults.rs`) gets from the Rust naive server.
        let name = talker.name();
        let (head, tail) = long.split_at(64);
        let expected = [
            format!("{name}: one\n"),
            "two\n".to_string(),
            format!("{name}: {head}{name}: {tail}\n"),
        ];
        assert_eq!(lines, expected);
    });
}

/// More than the socket buffers between a server and a client that never
/// reads can hold: its receive buffer is made small, the server's send
/// buffer grows to `tcp_wmem`'s maximum at most (4 MiB by default); 1 MiB
/// on top (asyncio's own buffer stops at 64 KiB before `drain` waits).
fn socket_buffers() -> usize {
    let wmem = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem").ok();
    let most = wmem.and_then(|text| text.split_whitespace().nth(2)?.parse().ok());
    most.unwrap_or(4 << 20) + (1 << 20)
}

/// The naive flood's lines of 1,000 bytes: 2 MiB past the socket buffers,
/// in batches of 100.
fn flood_lines() -> usize {
    (socket_buffers() + (2 << 20)).div_ceil(100 * 1000) * 100
}

/// How many lines reached a reading client of the naive Python server
/// while another client flooded it in batches, with (or without) a third
/// client that never reads: each batch is waited for until nothing comes
/// for 500 ms. Gives (sent, received).
fn flood_python_naive(with_non_reader: bool) -> (usize, usize) {
    const LINE: usize = 1000;
    const BATCH: usize = 100;
    let flood = flood_lines();
    let server = PythonServer::start_script("naive_server.py");
    let mut reader = Client::connect(server.addr);
    let _stalled = with_non_reader.then(|| {
        let socket = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )
        .expect("a socket");
        socket
            .set_recv_buffer_size(16 * 1024)
            .expect("a buffer size");
        socket
            .connect(&server.addr.into())
            .expect("the server accepts");
        TcpStream::from(socket)
    });
    let mut talker = Client::connect(server.addr);
    let quiet = Duration::from_millis(500);
    let patience = if with_non_reader {
        quiet
    } else {
        Duration::from_secs(20)
    };
    reader
        .writer
        .set_read_timeout(Some(patience))
        .expect("a timeout");
    let line = format!("{}\n", "v".repeat(LINE - 1));
    let (mut sent, mut received) = (0, 0);
    while sent < flood && received == sent {
        if talker
            .writer
            .write_all(line.repeat(BATCH).as_bytes())
            .is_err()
        {
            break;
        }
        sent += BATCH;
        let mut bytes = Vec::new();
        while received < sent && reader.reader.read_until(b'\n', &mut bytes).is_ok() {
            received += 1;
            bytes.clear();
        }
    }
    (sent, received)
}

#[test]
fn python_naive_server_stalls_everyone_behind_a_client_that_never_reads() {
    if !have_python() {
        return;
    }
    within(|| {
        // asyncio's `await other.drain()` in the relay waits for ever on the
        // client that never reads, as the Rust naive server's write does.
        let (sent, received) = flood_python_naive(true);
        assert!(received < sent, "nothing stalled: {received} of {sent}");
        // The control: without that client, every line gets through.
        let all = flood_lines();
        assert_eq!(flood_python_naive(false), (all, all));
    });
}

#[test]
fn python_client_sends_what_is_typed_on_stdin() {
    if !have_python() {
        return;
    }
    within(|| {
        let server = start(Runtime::Tokio, "127.0.0.1:0").expect("the server starts");
        let mut rust = Client::connect(server.addr());
        rust.line();
        let mut python = Command::new("python3")
            .arg(script("chat_client.py"))
            .args(["--addr", &server.addr().to_string(), "--count", "2"])
            .args(["--timeout", "20"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 starts");
        let mut stdin = python.stdin.take().expect("a piped stdin");
        stdin.write_all(b"typed line\n").expect("typed");
        drop(stdin);
        let joined = rust.line();
        let name = joined
            .strip_prefix("* ")
            .and_then(|line| line.strip_suffix(" joined\n"))
            .expect("a join line")
            .to_string();
        assert_eq!(rust.line(), format!("{name}: typed line\n"));
        rust.send(b"got it\n");
        let output = python.wait_with_output().expect("the client ends");
        let printed = String::from_utf8(output.stdout).expect("UTF-8");
        let expected = format!("* welcome {name}\n{}: got it\n", rust.name());
        assert_eq!(printed, expected);
        server.shutdown().expect("a clean shutdown");
    });
}
