//! Reading lines from a stream of chunks, as a socket delivers them: a
//! naive reader that loses what it has read when it is cancelled, and one
//! that keeps it.
//!
//! The chunks come through chapter 5's [`channel`](crate::channel), whose
//! `recv` is cancel-safe: what is lost is lost by the reader.

use crate::channel::Receiver;

/// Where the lines come from: chunks of bytes, split anywhere.
pub type Chunks = Receiver<Vec<u8>>;

// ANCHOR: naive
/// Reads up to and including the next `\n`. Not cancel-safe: the bytes of
/// a line read so far live in this future's `line`, and a drop between two
/// chunks (a `select!` whose other branch wins) throws them away.
/// `None` at the end of the stream. Assumes a chunk holds at most one
/// `\n`, at its end: this reader has worse bugs than cancellation.
pub async fn next_line_naive(chunks: &mut Chunks) -> Option<String> {
    let mut line = Vec::new();
    loop {
        let chunk = chunks.recv().await?;
        line.extend_from_slice(&chunk);
        if line.ends_with(b"\n") {
            return Some(String::from_utf8_lossy(&line).into_owned());
        }
    }
}
// ANCHOR_END: naive

// ANCHOR: line_reader
/// A line reader that keeps its partial line in itself, outside the
/// future: a `next_line` dropped between chunks leaves the bytes in the
/// buffer, and the next call goes on from there. Cancel-safe.
#[derive(Debug)]
pub struct LineReader {
    chunks: Chunks,
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

    /// The next line, `\n` included; `None` at the end of the stream (a
    /// last line with no `\n` comes back first).
    pub async fn next_line(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.iter().position(|&byte| byte == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                return Some(String::from_utf8_lossy(&line).into_owned());
            }
            match self.chunks.recv().await {
                Some(chunk) => self.buffer.extend_from_slice(&chunk),
                None if self.buffer.is_empty() => return None,
                None => {
                    let rest = std::mem::take(&mut self.buffer);
                    return Some(String::from_utf8_lossy(&rest).into_owned());
                }
            }
        }
    }

    /// How many bytes of a partial line wait in the buffer.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The chunks not read yet.
    pub fn chunks(&mut self) -> &mut Chunks {
        &mut self.chunks
    }
}
// ANCHOR_END: line_reader
