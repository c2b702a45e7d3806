//! Chapter 9 exercise: frame messages by line, not by read.
//!
//! The tutorial's server takes each `read(64)` as one message, so two lines
//! sent at once come out as one, and a long line as two. A `Framer` fixes
//! that without doing any I/O: the server pushes in whatever each read gave,
//! and takes out whole lines, one at a time. It must also refuse a line over
//! its limit, as soon as it knows (a client that never sends `\n` must not
//! make it hold ever more bytes), and say when a line is not UTF-8.
//!
//! Check your work with `cargo test -p ch9-framing`.
#![forbid(unsafe_code)]

/// What the framer hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A whole line, without its `\n` (or `\r\n`).
    Line(String),
    /// A whole line that is not UTF-8: dropped, the next one comes as usual.
    NotUtf8,
    /// A line longer than the limit: the connection is to close, and the
    /// framer hands out nothing more.
    TooLong,
}

/// Cuts the bytes a client sends into lines.
#[derive(Debug)]
pub struct Framer {
    /// The most bytes a line may hold, not counting its `\n` or `\r\n`.
    limit: usize,
    /// Bytes pushed in and not handed out yet.
    buffer: Vec<u8>,
    // TODO: add what else `next_line` must remember: that a line was too
    // long, say (then nothing more comes out, and nothing more is kept).
}

impl Framer {
    /// A framer for lines of at most `limit` bytes.
    pub fn new(limit: usize) -> Framer {
        Framer {
            limit,
            buffer: Vec::new(),
        }
    }

    /// Adds the bytes one read gave.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole line, if one has arrived; `None` until more is pushed.
    pub fn next_line(&mut self) -> Option<Frame> {
        // TODO: this is the naive server's framing: whatever has arrived is
        // one message. Hand out one line at a time instead: the bytes up to
        // the first `\n` (without it, nor a `\r` before it), and leave the
        // rest in the buffer for the next call; `None` while no `\n` has
        // come. Then the limit, and UTF-8 (see README.md).
        let _ = self.limit;
        if self.buffer.is_empty() {
            return None;
        }
        let bytes = std::mem::take(&mut self.buffer);
        Some(Frame::Line(String::from_utf8_lossy(&bytes).into_owned()))
    }
}
