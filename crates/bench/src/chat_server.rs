//! Chapter 9's fan-out benchmark: [`FanOut::clients`] clients each send
//! [`FanOut::lines`] lines to the room, so every line is delivered to every
//! other client; each line carries the time it was sent, so each receipt
//! gives a delivery latency. It runs against the fixed chat server on every
//! runtime, and against `python/chat_server.py` on asyncio (and on uvloop
//! where it is installed).
//!
//! The load generator is ours, on a current-thread tokio runtime of its own
//! (one thread, whatever the server): the same generator for every server.
//! It is paced: a client sends its line `k` only once every other client
//! has received its line `k - window`, so no outbox ever holds more than
//! `(clients - 1) * window` lines, under the servers' 1,024. A server that
//! drops a client anyway, loses a line or mixes one sender's order makes
//! the run an error, not a figure.
//!
//! Nothing here goes through criterion: [`section`] measures as the report
//! runs, a few runs per server, and reports the median run.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as TokioBufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::Notify;

use crate::markdown::{self, Table};

/// A runtime the chat server runs on (chapter 9's name for it; the
/// benchmarks' own [`crate::Runtime`] also tells tokio's two apart).
pub use chat_server::Runtime as ServerRuntime;

/// The size of the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FanOut {
    /// How many clients are connected, each sending and receiving.
    pub clients: usize,
    /// How many lines each client sends.
    pub lines: usize,
    /// How many of its lines a client may have sent that some other client
    /// has not received yet.
    pub window: usize,
}

impl FanOut {
    /// What the appendix reports: 50 clients × 200 lines, 490,000 receipts.
    pub const FULL: FanOut = FanOut {
        clients: 50,
        lines: 200,
        window: 16,
    };

    /// Small enough for a test.
    pub const SMOKE: FanOut = FanOut {
        clients: 8,
        lines: 30,
        window: 4,
    };

    /// How many lines are received in all: each line by every other client.
    pub fn receipts(self) -> usize {
        self.clients * self.lines * (self.clients - 1)
    }
}

/// How many runs of each server the appendix takes the median of.
pub const RUNS: usize = 3;

/// How long a run may take before it is an error (a hang, or a drop).
pub const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A server the load generator can run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// The fixed chat server on one of the chapter's runtimes.
    Rust(ServerRuntime),
    /// `python/chat_server.py` on asyncio's own loop.
    Asyncio,
    /// The same script with `--uvloop`.
    Uvloop,
}

impl Server {
    /// The table's first column.
    pub fn describe(self) -> &'static str {
        match self {
            Server::Rust(ServerRuntime::Hand) => "hand-rolled loop",
            Server::Rust(ServerRuntime::Tokio) => "tokio (multi-thread)",
            Server::Rust(ServerRuntime::AsyncStd) => "async-std",
            Server::Rust(ServerRuntime::Smol) => "smol",
            Server::Asyncio => "asyncio (Python)",
            Server::Uvloop => "uvloop (Python)",
        }
    }
}

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// How many lines were received in all (always [`FanOut::receipts`]).
    pub received: usize,
    /// From the first line sent to the last received.
    pub elapsed: Duration,
    /// The median delivery latency, send to receipt.
    pub p50: Duration,
    /// The 99th percentile.
    pub p99: Duration,
}

impl Figures {
    /// Lines delivered per second.
    pub fn throughput(&self) -> f64 {
        self.received as f64 / self.elapsed.as_secs_f64()
    }
}

/// A running server, stopped when dropped.
enum Running {
    Rust(chat_server::Running),
    Python(PythonServer),
}

impl Running {
    fn addr(&self) -> SocketAddr {
        match self {
            Running::Rust(server) => server.addr(),
            Running::Python(server) => server.addr,
        }
    }
}

/// Starts `server` on a free port; `Ok(None)` for a Python server that
/// cannot run here (no `python3`, or no uvloop).
fn start(server: Server) -> Result<Option<Running>, String> {
    let error = |e: std::io::Error| format!("{}: {e}", server.describe());
    match server {
        Server::Rust(runtime) => chat_server::start(runtime, "127.0.0.1:0")
            .map(|server| Some(Running::Rust(server)))
            .map_err(error),
        Server::Asyncio | Server::Uvloop if !python_can_run(server) => Ok(None),
        Server::Asyncio => PythonServer::start(&[]).map(|s| Some(Running::Python(s))),
        Server::Uvloop => {
            PythonServer::start(&["--uvloop"]).map(|s| Some(Running::Python(s)))
        }
    }
}

/// The asyncio chat server, chapter 9's listing.
pub fn python_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../09-chat-server/python/chat_server.py")
}

/// Whether `python3` runs here, and for [`Server::Uvloop`], imports uvloop.
pub fn python_can_run(server: Server) -> bool {
    let code = match server {
        Server::Uvloop => "import uvloop",
        _ => "pass",
    };
    Command::new("python3")
        .args(["-c", code])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// `python/chat_server.py` as a child process, killed when dropped.
struct PythonServer {
    child: Child,
    addr: SocketAddr,
}

impl PythonServer {
    fn start(args: &[&str]) -> Result<PythonServer, String> {
        let mut child = Command::new("python3")
            .arg(python_script())
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("could not start python3: {error}"))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let addr = line.trim().strip_prefix("listening on ").map(str::parse);
        match addr {
            Some(Ok(addr)) => Ok(PythonServer { child, addr }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "chat_server.py did not say where it listens: {line:?}"
                ))
            }
        }
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One run of the fan-out against `server`: `Ok(None)` when it cannot run
/// here (a Python server without `python3`).
pub fn run(server: Server, scale: FanOut) -> Result<Option<Figures>, String> {
    let Some(running) = start(server)? else {
        return Ok(None);
    };
    let generator = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("a tokio runtime: {error}"))?;
    let figures = generator.block_on(async {
        let load = fan_out(running.addr(), scale);
        match tokio::time::timeout(RUN_LIMIT, load).await {
            Ok(figures) => figures,
            Err(_) => Err(format!("still running after {RUN_LIMIT:?}")),
        }
    });
    drop(running);
    figures
        .map(Some)
        .map_err(|error| format!("{}: {error}", server.describe()))
}

/// How far each receiver has got with each sender's lines, so that senders
/// keep to their window.
struct Progress {
    /// `received[receiver * clients + sender]`: lines of `sender` that
    /// `receiver` has.
    received: Vec<AtomicUsize>,
    /// One per sender, notified when a receiver gets one of its lines.
    moved: Vec<Notify>,
    clients: usize,
}

impl Progress {
    fn new(clients: usize) -> Progress {
        Progress {
            received: (0..clients * clients)
                .map(|_| AtomicUsize::new(0))
                .collect(),
            moved: (0..clients).map(|_| Notify::new()).collect(),
            clients,
        }
    }

    /// How many of `sender`'s lines every other client has.
    fn slowest(&self, sender: usize) -> usize {
        (0..self.clients)
            .filter(|&receiver| receiver != sender)
            .map(|receiver| {
                self.received[receiver * self.clients + sender].load(Ordering::SeqCst)
            })
            .min()
            .unwrap_or(usize::MAX)
    }

    fn got(&self, receiver: usize, sender: usize) -> usize {
        let count = &self.received[receiver * self.clients + sender];
        let now = count.fetch_add(1, Ordering::SeqCst) + 1;
        self.moved[sender].notify_one();
        now
    }
}

// ANCHOR: fan_out
/// Connects every client, then lets each send its lines (paced by its
/// window) while all of them receive; gives the figures of the whole run.
async fn fan_out(addr: SocketAddr, scale: FanOut) -> Result<Figures, String> {
    let mut readers = Vec::new();
    let mut writers = Vec::new();
    // One at a time, each welcomed before the next connects: once the last
    // is welcomed, everyone is in the room.
    for _ in 0..scale.clients {
        let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
        let name = stream.local_addr().map_err(|e| e.to_string())?.to_string();
        let (read, write) = stream.into_split();
        let mut reader = TokioBufReader::new(read);
        let welcome = next_line(&mut reader).await?;
        if welcome != format!("* welcome {name}") {
            return Err(format!("not a welcome: {welcome:?}"));
        }
        readers.push((reader, name));
        writers.push(write);
    }
    let names: Arc<Vec<String>> =
        Arc::new(readers.iter().map(|(_, n)| n.clone()).collect());
    let progress = Arc::new(Progress::new(scale.clients));
    let started = Instant::now();
    let mut receiving = Vec::new();
    for (me, (reader, _)) in readers.into_iter().enumerate() {
        let (names, progress) = (Arc::clone(&names), Arc::clone(&progress));
        receiving.push(tokio::spawn(receive(
            reader, me, names, progress, scale, started,
        )));
    }
    let mut sending = Vec::new();
    for (me, writer) in writers.into_iter().enumerate() {
        let progress = Arc::clone(&progress);
        sending.push(tokio::spawn(send(writer, me, progress, scale, started)));
    }
    let mut latencies = Vec::with_capacity(scale.receipts());
    let mut done = Vec::new();
    for task in sending {
        done.push(task.await.map_err(|e| e.to_string())??);
    }
    for task in receiving {
        latencies.extend(task.await.map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed();
    // Only now may the write halves close: the server takes a client that
    // has closed its end as gone.
    drop(done);
    latencies.sort_unstable();
    Ok(Figures {
        received: latencies.len(),
        elapsed,
        p50: percentile(&latencies, 50),
        p99: percentile(&latencies, 99),
    })
}

/// One client's sending side: line `k` is `ME K NANOS`, NANOS the time since
/// `started` that it was sent; it waits for its window before each. Gives
/// the write half back, to be closed once everyone has received all.
async fn send(
    mut writer: OwnedWriteHalf,
    me: usize,
    progress: Arc<Progress>,
    scale: FanOut,
    started: Instant,
) -> Result<OwnedWriteHalf, String> {
    for k in 0..scale.lines {
        while progress.slowest(me) + scale.window <= k {
            progress.moved[me].notified().await;
        }
        let line = format!("{me} {k} {}\n", started.elapsed().as_nanos());
        writer
            .write_all(line.as_bytes())
            .await
            .map_err(|e| format!("send: {e}"))?;
    }
    Ok(writer)
}
// ANCHOR_END: fan_out

/// One client's receiving side: checks each line (from whom, in order) and
/// gives the latency of every one.
async fn receive(
    mut reader: TokioBufReader<OwnedReadHalf>,
    me: usize,
    names: Arc<Vec<String>>,
    progress: Arc<Progress>,
    scale: FanOut,
    started: Instant,
) -> Result<Vec<Duration>, String> {
    let expected = scale.lines * (scale.clients - 1);
    let mut latencies = Vec::with_capacity(expected);
    while latencies.len() < expected {
        let line = next_line(&mut reader).await?;
        if line.starts_with("* ") {
            // A join line is harmless; anything else (`* error: too slow`,
            // `* X left`) means the run is broken.
            if line.ends_with(" joined") {
                continue;
            }
            return Err(format!("client {me} got {line:?}"));
        }
        let (sender, k, sent) = parse(&line, &names)?;
        if progress.got(me, sender) != k + 1 {
            return Err(format!("client {me}: line {k} of {sender} out of order"));
        }
        let now = started.elapsed();
        latencies.push(now.saturating_sub(Duration::from_nanos(sent)));
    }
    Ok(latencies)
}

/// `NAME: SENDER K NANOS` as its three numbers, the name checked.
fn parse(line: &str, names: &[String]) -> Result<(usize, usize, u64), String> {
    let bad = || format!("not a line of the benchmark: {line:?}");
    let (name, text) = line.split_once(": ").ok_or_else(bad)?;
    let mut fields = text.split(' ').map(str::parse::<u64>);
    let mut field = || fields.next().and_then(Result::ok).ok_or_else(bad);
    let (sender, k, sent) = (field()? as usize, field()? as usize, field()?);
    if names.get(sender).map(String::as_str) != Some(name) {
        return Err(bad());
    }
    Ok((sender, k, sent))
}

async fn next_line(
    reader: &mut TokioBufReader<OwnedReadHalf>,
) -> Result<String, String> {
    let mut line = String::new();
    match reader.read_line(&mut line).await {
        Ok(0) => Err("the server closed a connection".to_string()),
        Ok(_) => Ok(line.trim_end_matches('\n').to_string()),
        Err(error) => Err(format!("read: {error}")),
    }
}

/// The `p`th percentile of sorted `samples` (nearest rank).
fn percentile(samples: &[Duration], p: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let rank = (samples.len() * p).div_ceil(100).max(1);
    samples[rank - 1]
}

/// Every server, in the order the table shows them.
pub const SERVERS: [Server; 6] = [
    Server::Rust(ServerRuntime::Hand),
    Server::Rust(ServerRuntime::Tokio),
    Server::Rust(ServerRuntime::AsyncStd),
    Server::Rust(ServerRuntime::Smol),
    Server::Asyncio,
    Server::Uvloop,
];

/// [`RUNS`] runs of `server`, the median by throughput; `Ok(None)` when it
/// cannot run here.
pub fn median_run(server: Server, scale: FanOut) -> Result<Option<Figures>, String> {
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        match run(server, scale)? {
            Some(figures) => runs.push(figures),
            None => return Ok(None),
        }
    }
    runs.sort_by(|a, b| a.throughput().total_cmp(&b.throughput()));
    Ok(runs.get(runs.len() / 2).cloned())
}

/// Chapter 9's appendix section: measured now, [`RUNS`] runs of
/// [`FanOut::FULL`] against each server.
pub fn section(_criterion_dir: &Path) -> Result<String, String> {
    let scale = FanOut::FULL;
    let mut measured = Vec::new();
    for server in SERVERS {
        eprintln!("measuring the chat fan-out on {}", server.describe());
        measured.push((server, median_run(server, scale)?));
    }
    Ok(render(scale, &measured))
}

/// The section's Markdown, from the figures of each server (`None`: not
/// measured here).
pub fn render(scale: FanOut, measured: &[(Server, Option<Figures>)]) -> String {
    let mut text = String::from("### Fan-out (chapter 9)\n\n");
    let _ = writeln!(
        text,
        "{} clients each send {} lines to the chat server, which relays each line to \
         the {} others: {} lines delivered. The load generator is ours, on one \
         thread, each client at most {} lines ahead of its slowest reader; tokio's \
         server runs on its multi-thread runtime, async-std's and smol's on their \
         global executors, ours on one thread. Lines delivered per second and the \
         latency from a line's send to each receipt, in the median of {RUNS} runs; \
         `vs tokio` is the throughput's ratio to tokio's.\n",
        scale.clients,
        scale.lines,
        scale.clients - 1,
        markdown::grouped(scale.receipts() as u64),
        scale.window,
    );
    let tokio = measured.iter().find_map(|(server, figures)| {
        let figures = figures.as_ref()?;
        (*server == Server::Rust(ServerRuntime::Tokio)).then(|| figures.throughput())
    });
    let mut table = Table::new(&["server", "lines/s", "vs tokio", "p50", "p99"]);
    let mut missing = Vec::new();
    for (server, figures) in measured {
        let Some(figures) = figures else {
            missing.push(server.describe());
            continue;
        };
        let ratio = tokio.map_or("-".to_string(), |t| {
            markdown::ratio(figures.throughput() / t)
        });
        table.row(vec![
            server.describe().to_string(),
            markdown::rate(figures.throughput()),
            ratio,
            markdown::millis(figures.p50),
            markdown::millis(figures.p99),
        ]);
    }
    text.push_str(&table.render());
    if !missing.is_empty() {
        let _ = writeln!(
            text,
            "\nNot measured here: {} (`python3`, or uvloop, is not installed).",
            missing.join(", ")
        );
    }
    text
}
