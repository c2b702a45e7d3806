//! The tick loop: lines come whole when nothing interrupts; a tick between
//! two chunks of a line loses nothing; and the lab, which drops
//! `next_line` after every possible number of polls, finds no drop that
//! loses a byte.
//!
//! Run with `cargo test -p ch5-tick-loop`.

use std::sync::Arc;

use ch5_tick_loop::{LineReader, read_lines};
use event_loop::hand::{EventLoop, spawn, yield_now};
use futures::lock::Mutex;
use gather_wait::channel::channel;
use gather_wait::lab::{self, Outcome};

#[test]
fn step_1_lines_come_whole_when_nothing_interrupts() {
    let (chunks, received) = channel();
    for chunk in ["hello\n", "world\n"] {
        chunks.send(chunk.as_bytes().to_vec());
    }
    drop(chunks);
    let (ticker, mut ticks) = channel::<()>();
    let mut reader = LineReader::new(received);
    let (lines, ticked) =
        EventLoop::new().block_on(read_lines(&mut reader, &mut ticks));
    drop(ticker);
    assert_eq!(lines, ["hello\n", "world\n"]);
    assert_eq!(ticked, 0);
}

#[test]
fn step_2_a_tick_in_the_middle_of_a_line_loses_nothing() {
    let (chunks, received) = channel();
    let (ticker, mut ticks) = channel::<()>();
    let event_loop = EventLoop::new();
    let (lines, ticked) = event_loop.block_on(async move {
        // Sends "he", then a tick, then "llo\n": the tick wins the select!
        // while next_line holds "he".
        let feeder = spawn(async move {
            chunks.send(b"he".to_vec());
            yield_now().await;
            ticker.send(());
            yield_now().await;
            chunks.send(b"llo\n".to_vec());
        });
        let mut reader = LineReader::new(received);
        let read = read_lines(&mut reader, &mut ticks).await;
        feeder.await.expect("the feeder does not panic");
        read
    });
    assert_eq!(ticked, 1, "the tick won once");
    assert_eq!(lines, ["hello\n"], "the line came whole");
}

#[test]
fn step_3_the_lab_finds_no_drop_that_loses_a_byte() {
    const CHUNKS: [&[u8]; 3] = [b"he", b"llo\nwo", b"rld\n"];
    let report = lab::run(
        "LineReader::next_line",
        || {
            let (chunks, received) = channel();
            let reader = Arc::new(Mutex::new(LineReader::new(received)));
            let inner = Arc::clone(&reader);
            let future = async move { inner.lock().await.next_line().await };
            ((chunks, 0, reader), future)
        },
        |(chunks, sent, _), polls| {
            if let Some(chunk) = CHUNKS.get(polls - 1) {
                chunks.send(chunk.to_vec());
                *sent += chunk.len();
            }
        },
        |(chunks, sent, reader), outcome| {
            let out = match outcome {
                Outcome::Completed(line) => line.map_or(0, |line| line.len()),
                Outcome::Dropped => 0,
            };
            let queued: usize = chunks.queued().iter().map(Vec::len).sum();
            let kept = reader.try_lock().expect("the future is gone").buffered();
            match sent - (out + kept + queued).min(sent) {
                0 => Ok(()),
                lost => Err(format!("{lost} of {sent} bytes lost")),
            }
        },
    );
    assert!(report.is_cancel_safe(), "\n{}", report.markdown());
}
