//! The chat protocol without any I/O: a line framer (bytes in, lines out),
//! the commands a client may send, and every line the server sends, byte for
//! byte. Every runtime's server feeds it what it reads; none of it awaits.

use std::fmt;

// ANCHOR: limits
/// The longest line a client may send, in bytes, without its `\n` (or
/// `\r\n`). asyncio's `StreamReader` allows 64 KiB by default; tokio's
/// `BufReader::lines` has no limit at all.
pub const MAX_LINE: usize = 4096;

/// The longest name `/nick` accepts, in characters.
pub const MAX_NAME: usize = 32;

/// How many lines wait in a client's outbox, at most, before the client is
/// disconnected as too slow. A queued line is at most
/// [`MAX_LINE`] + a name + 3 bytes, so one client's outbox holds at most
/// about 4.2 MB (each line is shared by every outbox it is in).
pub const OUTBOX: usize = 1024;
// ANCHOR_END: limits

// ANCHOR: framer
/// Cuts the bytes a client sends into lines: `push` what a read gave, then
/// take lines with `next_line` until it says `None`. It holds at most one
/// unfinished line, so its memory is bounded by [`MAX_LINE`] plus what one
/// push brings.
#[derive(Debug, Default)]
pub struct Framer {
    /// Bytes received and not yet handed out as lines.
    buf: Vec<u8>,
    /// How far `buf` has been searched for a `\n`.
    searched: usize,
    /// A line was too long: the connection is to close.
    failed: bool,
}

/// What the framer hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A line, without its `\n` or `\r\n`.
    Line(String),
    /// A line that is not UTF-8: it is dropped, the connection stays.
    NotUtf8,
    /// A line longer than [`MAX_LINE`]: the connection is to close.
    TooLong,
}
// ANCHOR_END: framer

impl Framer {
    /// A framer with nothing in it.
    pub fn new() -> Framer {
        Framer::default()
    }

    /// Adds what a read gave.
    pub fn push(&mut self, bytes: &[u8]) {
        if !self.failed {
            self.buf.extend_from_slice(bytes);
        }
    }

    // ANCHOR: next_line
    /// The next whole line, if one has arrived.
    pub fn next_line(&mut self) -> Option<Frame> {
        if self.failed {
            return None;
        }
        match self.buf[self.searched..].iter().position(|&b| b == b'\n') {
            Some(at) => {
                let end = self.searched + at;
                let line = self.buf.drain(..=end).collect::<Vec<u8>>();
                self.searched = 0;
                Some(self.frame(line, end))
            }
            // One byte more than the limit may be a `\r` before the `\n`.
            None if self.buf.len() > MAX_LINE + 1 => self.fail(),
            None => {
                self.searched = self.buf.len();
                None
            }
        }
    }
    // ANCHOR_END: next_line

    /// At end of file: what is left, an unfinished last line, as a line
    /// (asyncio's `readline` returns it too).
    pub fn finish(&mut self) -> Option<Frame> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let line = std::mem::take(&mut self.buf);
        let len = line.len();
        Some(self.frame(line, len))
    }

    /// `line` holds `len` bytes of text and perhaps the `\n`.
    fn frame(&mut self, mut line: Vec<u8>, len: usize) -> Frame {
        line.truncate(len);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > MAX_LINE {
            return self.fail().expect("a failure");
        }
        String::from_utf8(line).map_or(Frame::NotUtf8, Frame::Line)
    }

    fn fail(&mut self) -> Option<Frame> {
        self.failed = true;
        self.buf = Vec::new(); // give the memory back at once
        Some(Frame::TooLong)
    }
}

// ANCHOR: command
/// What a line from a client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command<'a> {
    /// Text to relay to everyone else.
    Say(&'a str),
    /// `/nick NAME`, the name not checked yet (see [`valid_name`]).
    Nick(&'a str),
    /// `/quit`.
    Quit,
    /// An empty line: ignored.
    Nothing,
    /// Any other line that begins with `/`.
    Unknown,
}

/// Reads one line (already framed, without its `\n`).
pub fn parse(line: &str) -> Command<'_> {
    if line.is_empty() {
        return Command::Nothing;
    }
    let Some(command) = line.strip_prefix('/') else {
        return Command::Say(line);
    };
    let (word, rest) = command.split_once(' ').unwrap_or((command, ""));
    match word {
        "nick" => Command::Nick(rest),
        "quit" => Command::Quit,
        _ => Command::Unknown,
    }
}

/// A name is 1 to [`MAX_NAME`] characters, none of them a space or a
/// control character (so no name can pass for a server line, which begins
/// with `* `).
pub fn valid_name(name: &str) -> bool {
    let count = name.chars().count();
    (1..=MAX_NAME).contains(&count)
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}
// ANCHOR_END: command

// ANCHOR: lines
/// Every line the server sends, with its `\n`: the one place that says what
/// goes on the wire.
pub mod say {
    /// A client's text, to everyone else.
    pub fn relay(name: &str, text: &str) -> String {
        format!("{name}: {text}\n")
    }

    /// To a client that has just connected.
    pub fn welcome(name: &str) -> String {
        format!("* welcome {name}\n")
    }

    /// To everyone else when a client connects.
    pub fn joined(name: &str) -> String {
        format!("* {name} joined\n")
    }

    /// To everyone else when a client goes, however it goes.
    pub fn left(name: &str) -> String {
        format!("* {name} left\n")
    }

    /// To everyone, the renamed client too, after a `/nick`.
    pub fn renamed(old: &str, new: &str) -> String {
        format!("* {old} is now {new}\n")
    }

    /// To a client that sent `/quit`, and to every client when the server
    /// shuts down; then the server closes the connection.
    pub const BYE: &str = "* bye\n";
    /// A line over the limit; then the connection closes.
    pub const TOO_LONG: &str = "* error: line too long\n";
    /// A line that is not UTF-8; it is dropped.
    pub const NOT_UTF8: &str = "* error: not UTF-8\n";
    /// A `/` line that is no command.
    pub const UNKNOWN: &str = "* error: unknown command\n";
    /// `/nick` with an empty or too long name, or one with a space.
    pub const BAD_NAME: &str = "* error: bad name\n";
    /// `/nick` with a name another client has.
    pub const NAME_TAKEN: &str = "* error: name taken\n";
    /// To a client whose outbox filled up, if its socket can take it; then
    /// the connection closes.
    pub const TOO_SLOW: &str = "* error: too slow\n";
}
// ANCHOR_END: lines

// ANCHOR: batch
/// What a writer writes in one go: lines taken from its outbox while there
/// are some ready, up to [`BATCH`] bytes, so that a busy client costs one
/// system call per batch rather than one per line.
#[derive(Debug, Default)]
pub struct Batch {
    bytes: Vec<u8>,
}

/// How many bytes a [`Batch`] gathers before it is written.
pub const BATCH: usize = 16 * 1024;

impl Batch {
    /// Adds a line.
    pub fn push(&mut self, line: &str) {
        self.bytes.extend_from_slice(line.as_bytes());
    }

    /// Whether it should be written before it takes another line.
    pub fn is_full(&self) -> bool {
        self.bytes.len() >= BATCH
    }

    /// What to write.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Empties it, once written.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// Whether nothing is half-written: the writer is between lines, so a
    /// last line of its own would arrive whole.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}
// ANCHOR_END: batch

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frame::Line(line) => f.write_str(line),
            Frame::NotUtf8 => f.write_str("a line that is not UTF-8"),
            Frame::TooLong => f.write_str("a line over the limit"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(framer: &mut Framer) -> Vec<Frame> {
        std::iter::from_fn(|| framer.next_line()).collect()
    }

    #[test]
    fn lines_split_across_pushes_come_out_whole() {
        let mut framer = Framer::new();
        framer.push(b"hel");
        assert_eq!(lines(&mut framer), []);
        framer.push(b"lo\r\nwor");
        framer.push(b"ld\nx");
        let expected = [Frame::Line("hello".into()), Frame::Line("world".into())];
        assert_eq!(lines(&mut framer), expected);
        assert_eq!(framer.finish(), Some(Frame::Line("x".into())));
        assert_eq!(framer.finish(), None);
    }

    #[test]
    fn the_limit_is_exact_and_counts_no_line_end() {
        let mut framer = Framer::new();
        let longest = "a".repeat(MAX_LINE);
        framer.push(format!("{longest}\r\n").as_bytes());
        assert_eq!(lines(&mut framer), [Frame::Line(longest.clone())]);
        framer.push(format!("{longest}b\n").as_bytes());
        assert_eq!(lines(&mut framer), [Frame::TooLong]);
        framer.push(b"more\n");
        assert_eq!(lines(&mut framer), [], "nothing after a failure");
    }

    #[test]
    fn an_endless_line_fails_without_waiting_for_its_end() {
        let mut framer = Framer::new();
        for _ in 0..=MAX_LINE / 100 {
            framer.push(&[b'a'; 100]);
            let _ = framer.next_line();
        }
        assert!(framer.failed);
        assert!(framer.buf.capacity() == 0, "memory given back");
    }

    #[test]
    fn a_bad_line_is_dropped_and_the_next_one_comes_out() {
        let mut framer = Framer::new();
        framer.push(b"\xff\xfe\nok\n");
        let expected = [Frame::NotUtf8, Frame::Line("ok".into())];
        assert_eq!(lines(&mut framer), expected);
    }

    #[test]
    fn commands_parse() {
        assert_eq!(parse("hi /nick"), Command::Say("hi /nick"));
        assert_eq!(parse("/nick ada"), Command::Nick("ada"));
        assert_eq!(parse("/nick"), Command::Nick(""));
        assert_eq!(parse("/quit"), Command::Quit);
        assert_eq!(parse("/quit now"), Command::Quit);
        assert_eq!(parse("/shrug"), Command::Unknown);
        assert_eq!(parse(""), Command::Nothing);
        assert!(valid_name("ada") && valid_name(&"é".repeat(MAX_NAME)));
        assert!(!valid_name("") && !valid_name("a b") && !valid_name(&"a".repeat(33)));
        assert!(!valid_name("a\tb") && !valid_name("a\u{7}"));
    }
}
