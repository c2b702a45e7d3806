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
//!
//! Solved: `next_line` looks for a `\n` from where it stopped looking last
//! time, drains the line out of the buffer, strips its ending, then checks
//! its length and its UTF-8; with no `\n` in a buffer longer than the limit
//! (and one `\r`), the line is too long already. A `failed` flag stops
//! everything after that.
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
    /// How far `buffer` is known to hold no `\n`: the next search starts
    /// there, so a line that comes in many pieces is not searched again and
    /// again from its start.
    searched: usize,
    /// A line was too long: nothing more comes out.
    failed: bool,
}

impl Framer {
    /// A framer for lines of at most `limit` bytes.
    pub fn new(limit: usize) -> Framer {
        Framer {
            limit,
            buffer: Vec::new(),
            searched: 0,
            failed: false,
        }
    }

    /// Adds the bytes one read gave.
    pub fn push(&mut self, bytes: &[u8]) {
        if !self.failed {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// The next whole line, if one has arrived; `None` until more is pushed.
    pub fn next_line(&mut self) -> Option<Frame> {
        if self.failed {
            return None;
        }
        let newline = self.buffer[self.searched..]
            .iter()
            .position(|&b| b == b'\n');
        let Some(at) = newline else {
            // Still no `\n`: the line is too long once it holds more than
            // the limit and a `\r`, whatever comes next.
            if self.buffer.len() > self.limit + 1 {
                return Some(self.fail());
            }
            self.searched = self.buffer.len();
            return None;
        };
        let end = self.searched + at;
        let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
        self.searched = 0;
        line.pop(); // the `\n`
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > self.limit {
            return Some(self.fail());
        }
        Some(String::from_utf8(line).map_or(Frame::NotUtf8, Frame::Line))
    }

    fn fail(&mut self) -> Frame {
        self.failed = true;
        self.buffer = Vec::new(); // the memory back at once, not at the drop
        Frame::TooLong
    }
}
