//! Chapter 5 exercise: fix a `select!` loop that loses data when a timer
//! tick wins.
//!
//! [`read_lines`] reads lines from a stream of chunks (as a socket delivers
//! them, split anywhere) and counts the ticks of a timer meanwhile. Each
//! turn of its loop races [`LineReader::next_line`] against the next tick;
//! when the tick wins, `select!` drops the `next_line` future. Whatever that
//! future held is gone, and today it holds the part of a line read so far.
//!
//! Run the checks with `cargo test -p ch5-tick-loop`.
#![forbid(unsafe_code)]

use gather_wait::channel::Receiver;

/// Chunks of bytes, split anywhere, as a socket delivers them.
pub type Chunks = Receiver<Vec<u8>>;

/// Reads lines (each ending in `\n`) from a stream of chunks.
#[derive(Debug)]
pub struct LineReader {
    chunks: Chunks,
    // TODO: somewhere for the part of a line read so far, that outlives
    // every call to `next_line`.
}

impl LineReader {
    /// Reads lines from `chunks`.
    pub fn new(chunks: Chunks) -> LineReader {
        LineReader { chunks }
    }

    /// The next line, `\n` included; `None` once the chunks have ended.
    pub async fn next_line(&mut self) -> Option<String> {
        // TODO: `line` lives in this future: when a tick wins the select!
        // in `read_lines`, the future is dropped, and the bytes with it.
        // Keep them in the reader instead, and take a line out of it only
        // once a whole one is there (a chunk may hold the end of one line
        // and the start of the next).
        let mut line = Vec::new();
        loop {
            let chunk = self.chunks.recv().await?;
            line.extend_from_slice(&chunk);
            if line.ends_with(b"\n") {
                return Some(String::from_utf8_lossy(&line).into_owned());
            }
        }
    }

    /// How many bytes of a partial line the reader holds.
    pub fn buffered(&self) -> usize {
        0 // TODO: the length of what the reader keeps
    }
}

/// Lines until the chunks end, and how many ticks came meanwhile.
pub async fn read_lines(
    reader: &mut LineReader,
    ticks: &mut Receiver<()>,
) -> (Vec<String>, usize) {
    let mut lines = Vec::new();
    let mut ticked = 0;
    loop {
        tokio::select! {
            biased;
            line = reader.next_line() => match line {
                Some(line) => lines.push(line),
                None => return (lines, ticked),
            },
            Some(()) = ticks.recv() => ticked += 1, // next_line is dropped
        }
    }
}
