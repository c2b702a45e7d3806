//! The lab's cases: the operations the book's table is made of, each with
//! the invariant the lab checks after every drop.
//!
//! Every reader case delivers the same bytes, one chunk after each
//! `Pending`: [`CHUNKS`]. Its invariant: every byte delivered so far is in
//! the output (when the future completed), or still waiting to be read
//! (in the reader's buffer, the channel or the pipe). A byte in neither was
//! lost by the drop.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt as _;
use futures::lock::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use crate::channel::{Sender, channel};
use crate::lab::{self, Outcome, Report};
use crate::lines::{LineReader, next_line_naive};

/// The chunks the reader cases deliver: one line, split three ways.
pub const CHUNKS: [&[u8]; 3] = [b"he", b"llo", b"!\n"];

/// How many bytes [`CHUNKS`] hold.
pub fn total() -> usize {
    CHUNKS.iter().map(|chunk| chunk.len()).sum()
}

/// A world that delivers [`CHUNKS`] one at a time and counts the bytes.
#[derive(Debug)]
pub struct Feed<S> {
    /// Where the chunks go.
    pub sink: S,
    /// How many bytes have gone so far.
    pub sent: usize,
}

impl Feed<Sender<Vec<u8>>> {
    fn step(&mut self, polls: usize) {
        if let Some(chunk) = CHUNKS.get(polls - 1) {
            self.sink.send(chunk.to_vec());
            self.sent += chunk.len();
        }
    }
}

/// The invariant: `out` bytes handed out, `left` still to read.
fn nothing_lost(sent: usize, out: usize, left: usize) -> Result<(), String> {
    match sent.checked_sub(out + left) {
        Some(0) => Ok(()),
        Some(lost) => Err(format!("{lost} of {sent} bytes lost")),
        None => Err(format!("{} bytes more than were sent", out + left - sent)),
    }
}

type Shared<T> = Arc<Mutex<T>>;

fn locked<T>(shared: &Shared<T>) -> futures::lock::MutexGuard<'_, T> {
    shared.try_lock().expect("the future holding it is dropped")
}

// ANCHOR: naive_case
/// The naive reader, dropped after every poll.
pub fn naive_line() -> Report {
    lab::run(
        "next_line_naive",
        || {
            let (sink, chunks) = channel();
            let chunks = Arc::new(Mutex::new(chunks));
            let reader = Arc::clone(&chunks);
            let future =
                async move { next_line_naive(&mut *reader.lock().await).await };
            ((Feed { sink, sent: 0 }, chunks), future)
        },
        |(feed, _), polls| feed.step(polls),
        |(feed, _), outcome| {
            let out = match outcome {
                Outcome::Completed(line) => line.map_or(0, |line| line.len()),
                Outcome::Dropped => 0,
            };
            nothing_lost(feed.sent, out, queued_bytes(&feed.sink))
        },
    )
}
// ANCHOR_END: naive_case

/// The cancel-safe reader, dropped after every poll.
pub fn line_reader() -> Report {
    lab::run(
        "LineReader::next_line",
        || {
            let (sink, chunks) = channel();
            let reader = Arc::new(Mutex::new(LineReader::new(chunks)));
            let inner = Arc::clone(&reader);
            let future = async move { inner.lock().await.next_line().await };
            ((Feed { sink, sent: 0 }, reader), future)
        },
        |(feed, _), polls| feed.step(polls),
        |(feed, reader), outcome| {
            let out = match outcome {
                Outcome::Completed(line) => line.map_or(0, |line| line.len()),
                Outcome::Dropped => 0,
            };
            let left = locked(&reader).buffered() + queued_bytes(&feed.sink);
            nothing_lost(feed.sent, out, left)
        },
    )
}

// ANCHOR: select_case
/// A `select!` loop's body: the next line, or a tick. The tick arrives
/// after the second chunk, so the line loses the race halfway through.
async fn line_or_tick(
    read: impl Future<Output = Option<String>>,
    tick: &mut crate::channel::Receiver<()>,
) -> Option<String> {
    tokio::select! {
        biased;
        line = read => line,
        _ = tick.recv() => None, // the read is dropped: cancelled
    }
}
// ANCHOR_END: select_case

/// [`line_or_tick`] with each reader: the whole select, dropped after every
/// poll, and the tick winning after the second chunk.
fn in_select(name: &str, safe: bool) -> Report {
    lab::run(
        name,
        || {
            let (sink, chunks) = channel();
            let (ticker, mut tick) = channel::<()>();
            let reader = Arc::new(Mutex::new(LineReader::new(chunks)));
            let inner = Arc::clone(&reader);
            let future = async move {
                let mut reader = inner.lock().await;
                if safe {
                    line_or_tick(reader.next_line(), &mut tick).await
                } else {
                    line_or_tick(next_line_naive(reader.chunks()), &mut tick).await
                }
            };
            ((Feed { sink, sent: 0 }, ticker, reader), future)
        },
        |(feed, ticker, _), polls| {
            feed.step(polls);
            if polls == 2 {
                ticker.send(());
            }
        },
        |(feed, _, reader), outcome| {
            let out = match outcome {
                Outcome::Completed(line) => line.map_or(0, |line| line.len()),
                Outcome::Dropped => 0,
            };
            let left = locked(&reader).buffered() + queued_bytes(&feed.sink);
            nothing_lost(feed.sent, out, left)
        },
    )
}

/// The naive reader as a `select!` branch that a tick beats.
pub fn naive_line_in_select() -> Report {
    in_select("select!(next_line_naive, tick)", false)
}

/// The cancel-safe reader as a `select!` branch that a tick beats.
pub fn line_reader_in_select() -> Report {
    in_select("select!(LineReader::next_line, tick)", true)
}

fn queued_bytes(sink: &Sender<Vec<u8>>) -> usize {
    sink.queued().iter().map(Vec::len).sum()
}

/// Our channel's `recv`: the value leaves the queue only with `Ready`.
pub fn our_recv() -> Report {
    lab::run(
        "our channel: recv",
        || {
            let (sink, mut receiver) = channel::<Vec<u8>>();
            let future = async move { receiver.recv().await };
            (Feed { sink, sent: 0 }, future)
        },
        |feed, polls| {
            if polls == 2 {
                feed.step(1);
            }
        },
        |feed, outcome| {
            let out = match outcome {
                Outcome::Completed(chunk) => chunk.map_or(0, |chunk| chunk.len()),
                Outcome::Dropped => 0,
            };
            nothing_lost(feed.sent, out, queued_bytes(&feed.sink))
        },
    )
}

/// tokio's `mpsc::Receiver::recv`, documented cancel-safe. The receiver
/// outlives the future (dropping it would empty the channel).
pub fn tokio_recv() -> Report {
    lab::run(
        "tokio mpsc: recv",
        || {
            let (sink, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
            let receiver = Arc::new(Mutex::new(receiver));
            let inner = Arc::clone(&receiver);
            let future = async move { inner.lock().await.recv().await };
            ((Feed { sink, sent: 0 }, receiver), future)
        },
        |(feed, _), polls| {
            if polls == 2 {
                let chunk = CHUNKS[0].to_vec();
                feed.sent += chunk.len();
                feed.sink.try_send(chunk).expect("room in the channel");
            }
        },
        |(feed, receiver), outcome| {
            let out = match outcome {
                Outcome::Completed(chunk) => chunk.map_or(0, |chunk| chunk.len()),
                Outcome::Dropped => 0,
            };
            // Every chunk here is CHUNKS[0]: count the chunks still queued.
            let queued = locked(&receiver).len() * CHUNKS[0].len();
            nothing_lost(feed.sent, out, queued)
        },
    )
}

/// tokio's `time::timeout` around `mpsc::Receiver::recv`: a future that
/// needs a tokio runtime to be made (its timer registers with the driver),
/// so [`all`] enters one. The timeout never fires here: the lab polls by
/// hand and tokio's timer driver does not turn. Cancel-safe, as `recv` is.
pub fn tokio_timeout_recv() -> Report {
    lab::run(
        "tokio: timeout(recv)",
        || {
            let (sink, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
            let receiver = Arc::new(Mutex::new(receiver));
            let inner = Arc::clone(&receiver);
            let future = async move {
                let mut receiver = inner.lock().await;
                tokio::time::timeout(Duration::from_secs(3600), receiver.recv()).await
            };
            ((Feed { sink, sent: 0 }, receiver), future)
        },
        |(feed, _), polls| {
            if polls == 2 {
                let chunk = CHUNKS[0].to_vec();
                feed.sent += chunk.len();
                feed.sink.try_send(chunk).expect("room in the channel");
            }
        },
        |(feed, receiver), outcome| {
            let out = match outcome {
                Outcome::Completed(Ok(chunk)) => chunk.map_or(0, |chunk| chunk.len()),
                Outcome::Completed(Err(_elapsed)) => return Err("timed out".into()),
                Outcome::Dropped => 0,
            };
            let queued = locked(&receiver).len() * CHUNKS[0].len();
            nothing_lost(feed.sent, out, queued)
        },
    )
}

/// How many bytes `read_exact` asks for: every chunk's.
const EXACT: usize = 7;

/// tokio's `AsyncReadExt::read_exact` on an in-memory pipe: documented not
/// cancel-safe, as the bytes it has read wait in its caller's buffer.
pub fn tokio_read_exact() -> Report {
    lab::run(
        "tokio: read_exact",
        || {
            let (sink, source) = tokio::io::duplex(64);
            let source = Arc::new(Mutex::new(source));
            let inner = Arc::clone(&source);
            let future = async move {
                let mut bytes = [0; EXACT];
                let read = inner.lock().await.read_exact(&mut bytes).await;
                read.map(|_| bytes)
            };
            ((Feed { sink, sent: 0 }, source), future)
        },
        |(feed, _), polls| {
            if let Some(chunk) = CHUNKS.get(polls - 1) {
                let write = feed.sink.write_all(chunk).now_or_never();
                write.expect("room in the pipe").expect("the pipe is open");
                feed.sent += chunk.len();
            }
        },
        |(feed, source), outcome| {
            let out = match outcome {
                Outcome::Completed(Ok(bytes)) => bytes.len(),
                Outcome::Completed(Err(error)) => return Err(error.to_string()),
                Outcome::Dropped => 0,
            };
            nothing_lost(feed.sent, out, readable(&mut locked(&source)))
        },
    )
}

/// The bytes the pipe would hand over now, without waiting.
fn readable(source: &mut DuplexStream) -> usize {
    let mut rest = [0; 64];
    let mut count = 0;
    while let Some(Ok(read @ 1..)) = source.read(&mut rest).now_or_never() {
        count += read;
    }
    count
}

/// How long [`our_sleep`] sleeps; its step waits longer, on the real
/// clock, so that the second poll finds the deadline passed.
const NAP: Duration = Duration::from_millis(2);

/// Our loop's `sleep`: dropped, it leaves no timer in the loop's heap.
/// Run inside `EventLoop::block_on`, where `sleep` finds the loop.
pub fn our_sleep() -> Report {
    use event_loop::hand::{handle, sleep};
    lab::run(
        "our loop: sleep (timers left)",
        || (handle().timers(), sleep(NAP)),
        |_, _| std::thread::sleep(NAP * 2),
        |before, _| match handle().timers() - before {
            0 => Ok(()),
            left => Err(format!("{left} timer(s) left in the heap")),
        },
    )
}

/// Every case, in the table's order. Enters a tokio runtime around the
/// tokio cases (`tokio_timeout_recv` needs one) and runs `our_sleep` inside
/// a loop of its own.
pub fn all() -> Vec<Report> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let _inside = runtime.enter();
    let mut reports = vec![
        naive_line(),
        line_reader(),
        naive_line_in_select(),
        line_reader_in_select(),
        our_recv(),
        tokio_recv(),
        tokio_timeout_recv(),
        tokio_read_exact(),
    ];
    reports.push(event_loop::hand::EventLoop::new().block_on(async { our_sleep() }));
    reports
}
