//! Chapter 10 exercise: decode a chunked HTTP/1.1 body, without I/O.
//!
//! A server that does not know a body's length ahead sends it in chunks:
//! each a size in hexadecimal on a line of its own (perhaps with
//! `;extensions` after it), then that many bytes, then CRLF; a chunk of
//! size 0 ends the body, followed by trailer lines and an empty line.
//!
//! ```text
//! 5\r\nHello\r\n7;note=x\r\n, world\r\n0\r\n\r\n   ->   "Hello, world"
//! ```
//!
//! The decoder is handed bytes as they arrive, in pieces cut anywhere, as a
//! socket hands them over. Check your work with `cargo test -p ch10-chunked`.
#![forbid(unsafe_code)]

use std::fmt;

/// What can be wrong with a chunked body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkError {
    /// A size line that is not a hexadecimal number (the line is given).
    BadChunkSize(String),
    /// A chunk's data not followed by CRLF.
    MissingCrlf,
}

impl fmt::Display for ChunkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChunkError::BadChunkSize(line) => write!(f, "bad chunk size: {line:?}"),
            ChunkError::MissingCrlf => {
                f.write_str("a chunk's data is not followed by CRLF")
            }
        }
    }
}

impl std::error::Error for ChunkError {}

/// Where the decoder is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // until `step` uses every part
enum Part {
    /// Waiting for a size line.
    Size,
    /// So many bytes of a chunk's data still to come.
    Data(usize),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines after the last chunk, up to an empty one.
    Trailers,
    /// The body is complete.
    Done,
}

/// A chunked body being decoded.
#[derive(Debug)]
pub struct ChunkedDecoder {
    part: Part,
    /// Bytes received and not yet decoded.
    pending: Vec<u8>,
    /// The body decoded so far.
    body: Vec<u8>,
}

impl ChunkedDecoder {
    /// A decoder waiting for the first size line.
    pub fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            part: Part::Size,
            pending: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Takes `bytes` just received; `Ok(Some(body))` once the body is
    /// complete, `Ok(None)` while more is needed.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Option<Vec<u8>>, ChunkError> {
        self.pending.extend_from_slice(bytes);
        while self.step()? {}
        match self.part {
            Part::Done => Ok(Some(std::mem::take(&mut self.body))),
            _ => Ok(None),
        }
    }

    /// One step forward from `self.part`; `Ok(true)` if it moved on and
    /// may move again, `Ok(false)` if it needs more bytes (or is done).
    fn step(&mut self) -> Result<bool, ChunkError> {
        // TODO: one arm per part, each taking what it needs from
        // `self.pending` (and returning `Ok(false)` if it is not all there):
        // - `Size`: a line (see `take_line`), parsed by `parse_size`; 0 goes
        //   on to `Trailers`, any other size to `Data(size)`.
        // - `Data(left)`: as many of the `left` bytes as have come, moved to
        //   `self.body`; then `DataEnd` once none are left.
        // - `DataEnd`: two bytes that must be `\r\n`, then `Size` again.
        // - `Trailers`: lines dropped until an empty one; then `Done`.
        // - `Done`: nothing more to do.
        let _ = (Self::take_line, parse_size); // yours to call
        todo!("decode the next part of the body")
    }

    /// The next line without its CRLF, taken out of `pending`, once it is
    /// all there.
    fn take_line(&mut self) -> Option<String> {
        let end = self.pending.windows(2).position(|w| w == b"\r\n")?;
        let line: Vec<u8> = self.pending.drain(..end + 2).take(end).collect();
        Some(String::from_utf8_lossy(&line).into_owned())
    }
}

impl Default for ChunkedDecoder {
    fn default() -> ChunkedDecoder {
        ChunkedDecoder::new()
    }
}

/// `1a` or `1a;name=value` into 26.
fn parse_size(line: &str) -> Result<usize, ChunkError> {
    let size = line.split(';').next().unwrap_or_default();
    let hex = !size.is_empty()
        && size.len() <= 15
        && size.bytes().all(|b| b.is_ascii_hexdigit());
    match hex.then(|| usize::from_str_radix(size, 16)) {
        Some(Ok(size)) => Ok(size),
        _ => Err(ChunkError::BadChunkSize(line.to_string())),
    }
}
