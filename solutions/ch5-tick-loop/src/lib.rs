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
    // Solved: the part of a line read so far lives in the reader, which
    // outlives every call to `next_line`.
    buffer: Vec<u8>,
}

impl LineReader {
    /// Reads lines from `chunks`.
    pub fn new(chunks: Chunks) -> LineReader {
        LineReader {
            chunks,
            buffer: Vec::new(),
        }
    }

    /// The next line, `\n` included; `None` once the chunks have ended.
    pub async fn next_line(&mut self) -> Option<String> {
        // Solved: no local holds bytes across the await. A whole line is
        // taken out of the buffer; anything after it stays for the next
        // call; a dropped call leaves its bytes in the buffer.
        loop {
            if let Some(end) = self.buffer.iter().position(|&byte| byte == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Some(String::from_utf8_lossy(&line).into_owned());
            }
            let chunk = self.chunks.recv().await?;
            self.buffer.extend_from_slice(&chunk);
        }
    }

    /// How many bytes of a partial line the reader holds.
    pub fn buffered(&self) -> usize {
        self.buffer.len() // Solved: what the reader keeps
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
