//! HTTP/1.1 responses read by hand, without I/O: a parser that is handed
//! bytes as they arrive and says when a whole response is in.
//!
//! Keeping the parser apart from the socket ("sans-I/O") is what lets the
//! tests feed it a response split at every byte, and what lets the same
//! parser serve any runtime: [`crate::hand`] drives it from chapter 4's
//! `TcpStream`. What it understands is the least a client needs:
//!
//! - a status line `HTTP/1.x CODE REASON` and header lines `Name: value`;
//! - a body framed by `Content-Length`, by `Transfer-Encoding: chunked`, or
//!   (neither given) by the server closing the connection;
//! - a clear [`Error`] on anything else. hyper, under reqwest, handles far
//!   more: interim `1xx` answers, obsolete line folding, trailers it keeps,
//!   `Content-Encoding`, and HTTP/2 frames instead of all of this.

use std::fmt;
use std::io;

/// The most a response's head (status line and headers) may take; hyper's
/// default is larger (about 400 KiB), but the idea is the same: a server
/// that never ends its head must not make us buffer forever.
pub const MAX_HEAD: usize = 16 * 1024;

/// The most a body may take: the scene's are a few dozen bytes.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// The most a chunk-size line may take, extensions included.
pub const MAX_CHUNK_LINE: usize = 1024;

// ANCHOR: error
/// What can go wrong reading a response, each case named for what failed.
#[derive(Debug)]
pub enum Error {
    /// The socket failed (connect, write or read).
    Io(io::Error),
    /// The first line is not `HTTP/1.x CODE REASON`.
    MalformedStatusLine(String),
    /// A header line is not `Name: value`.
    MalformedHeader(String),
    /// The head did not end within [`MAX_HEAD`] bytes.
    HeadTooLarge,
    /// `Content-Length` is not a number, or two of them disagree.
    BadContentLength(String),
    /// The body is larger than [`MAX_BODY`].
    BodyTooLarge(usize),
    /// A `Transfer-Encoding` other than `chunked`: `gzip, chunked`, say.
    UnsupportedTransferCoding(String),
    /// A chunk-size line that is not a hexadecimal number.
    BadChunkSize(String),
    /// A chunk's data not followed by CRLF.
    MalformedChunk,
    /// The server closed the connection before the response was complete.
    CutShort(String),
}
// ANCHOR_END: error

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(error) => write!(f, "I/O error: {error}"),
            Error::MalformedStatusLine(line) => {
                write!(f, "malformed status line: {line:?}")
            }
            Error::MalformedHeader(line) => {
                write!(f, "malformed header line: {line:?}")
            }
            Error::HeadTooLarge => {
                write!(f, "the response head is larger than {MAX_HEAD} bytes")
            }
            Error::BadContentLength(value) => {
                write!(f, "bad Content-Length: {value:?}")
            }
            Error::BodyTooLarge(size) => {
                write!(f, "a body of {size} bytes is over the limit of {MAX_BODY}")
            }
            Error::UnsupportedTransferCoding(value) => {
                write!(f, "unsupported Transfer-Encoding: {value:?}")
            }
            Error::BadChunkSize(line) => write!(f, "bad chunk size: {line:?}"),
            Error::MalformedChunk => {
                f.write_str("a chunk's data is not followed by CRLF")
            }
            Error::CutShort(what) => write!(f, "the connection closed {what}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(error) => Some(error),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(error: io::Error) -> Error {
        Error::Io(error)
    }
}

/// A whole response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code: 200, 503, ...
    pub status: u16,
    /// The reason phrase after it: `OK`, `Service Unavailable`, ...
    pub reason: String,
    /// The headers in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, with its framing (chunk sizes) taken off.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut found = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        found.next().map(|(_, value)| value.as_str())
    }
}

// ANCHOR: request
/// The bytes of a `GET` for `path` on `host`. `Connection: close` asks the
/// server to close once it has answered: no connection is reused, so there
/// is no pool to keep (reqwest keeps one per host).
pub fn get_request(host: &str, path: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         User-Agent: async-by-hand\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}
// ANCHOR_END: request

/// How the body's end is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// So many bytes are still to come.
    Length(usize),
    /// Chunks, in the part of one that comes next.
    Chunked(Chunk),
    /// Neither header: the body ends when the server closes.
    UntilClose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// A size line, `1a;ext=1\r\n`.
    Size,
    /// So many bytes of a chunk's data.
    Data(usize),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines after the last chunk (`0\r\n`), up to an empty one.
    Trailers,
}

#[derive(Debug)]
enum State {
    Head,
    Body(Framing),
    Done,
}

// ANCHOR: parser
/// A response being read: hand it bytes with [`ResponseParser::push`] as
/// they arrive, and [`ResponseParser::finish`] when the peer closes.
#[derive(Debug)]
pub struct ResponseParser {
    state: State,
    /// Bytes received and not yet parsed.
    pending: Vec<u8>,
    response: Response,
}

impl ResponseParser {
    /// A parser waiting for a status line.
    pub fn new() -> ResponseParser {
        ResponseParser {
            state: State::Head,
            pending: Vec::new(),
            response: Response {
                status: 0,
                reason: String::new(),
                headers: Vec::new(),
                body: Vec::new(),
            },
        }
    }

    /// Takes `bytes` just read. `Ok(Some(response))` once it is complete;
    /// `Ok(None)` while more is needed. Bytes after a complete response are
    /// ignored: we asked for `Connection: close`.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Option<Response>, Error> {
        self.pending.extend_from_slice(bytes);
        while self.step()? {}
        Ok(self.take_if_done())
    }

    /// The peer closed its end: the response, if it is complete, or why not.
    pub fn finish(mut self) -> Result<Response, Error> {
        match self.state {
            State::Done => {}
            State::Body(Framing::UntilClose) => self.state = State::Done,
            State::Head if self.pending.is_empty() => {
                return Err(Error::CutShort("before sending a response".into()));
            }
            State::Head => {
                return Err(Error::CutShort("in the middle of the head".into()));
            }
            State::Body(Framing::Length(left)) => {
                let got = self.response.body.len();
                let what = format!("after {got} of {} body bytes", got + left);
                return Err(Error::CutShort(what));
            }
            State::Body(Framing::Chunked(_)) => {
                return Err(Error::CutShort("in the middle of a chunked body".into()));
            }
        }
        Ok(self.take_if_done().expect("the state is Done"))
    }
    // ANCHOR_END: parser

    fn take_if_done(&mut self) -> Option<Response> {
        match self.state {
            State::Done => Some(std::mem::replace(&mut self.response, empty())),
            _ => None,
        }
    }

    /// One step forward; `Ok(false)` when it needs more bytes (or is done).
    fn step(&mut self) -> Result<bool, Error> {
        match self.state {
            State::Head => self.head(),
            State::Body(Framing::Length(left)) => Ok(self.length(left)),
            State::Body(Framing::UntilClose) => {
                let bytes = std::mem::take(&mut self.pending);
                self.append(&bytes)?;
                Ok(false)
            }
            State::Body(Framing::Chunked(part)) => self.chunked(part),
            State::Done => Ok(false),
        }
    }

    // ANCHOR: head
    fn head(&mut self) -> Result<bool, Error> {
        // The status line is checked as soon as it is in, so that a server
        // speaking something else fails at once, not at the size limit.
        if let Some(line_end) = find(&self.pending, b"\r\n") {
            parse_status_line(&self.pending[..line_end])?;
        }
        let Some(end) = find(&self.pending, b"\r\n\r\n") else {
            return match self.pending.len() > MAX_HEAD {
                true => Err(Error::HeadTooLarge),
                false => Ok(false),
            };
        };
        if end + 4 > MAX_HEAD {
            return Err(Error::HeadTooLarge);
        }
        let head: Vec<u8> = self.pending.drain(..end + 4).collect();
        let mut lines = head[..end].split(|&b| b == b'\n').map(trim_cr);
        let (status, reason) = parse_status_line(lines.next().unwrap_or_default())?;
        let headers = lines.map(parse_header).collect::<Result<Vec<_>, _>>()?;
        self.response.status = status;
        self.response.reason = reason;
        self.response.headers = headers;
        self.state = match self.framing()? {
            Framing::Length(0) => State::Done,
            framing => State::Body(framing),
        };
        Ok(true)
    }

    /// Which header says where the body ends (RFC 9112, section 6.3).
    fn framing(&self) -> Result<Framing, Error> {
        let status = self.response.status;
        if (100..200).contains(&status) || status == 204 || status == 304 {
            return Ok(Framing::Length(0)); // no body, whatever the headers say
        }
        if let Some(coding) = self.response.header("transfer-encoding") {
            return match coding.trim().eq_ignore_ascii_case("chunked") {
                true => Ok(Framing::Chunked(Chunk::Size)),
                false => Err(Error::UnsupportedTransferCoding(coding.to_string())),
            };
        }
        let mut lengths = self.response.headers.iter();
        let mut lengths = lengths
            .by_ref()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"));
        let Some((_, first)) = lengths.next() else {
            return Ok(Framing::UntilClose);
        };
        let length = parse_length(first)?;
        if lengths.any(|(_, other)| parse_length(other).ok() != Some(length)) {
            return Err(Error::BadContentLength("two lengths that differ".into()));
        }
        if length > MAX_BODY {
            return Err(Error::BodyTooLarge(length));
        }
        Ok(Framing::Length(length))
    }
    // ANCHOR_END: head

    fn length(&mut self, left: usize) -> bool {
        let take = left.min(self.pending.len());
        self.response.body.extend(self.pending.drain(..take));
        self.state = match left - take {
            0 => State::Done,
            left => State::Body(Framing::Length(left)),
        };
        false
    }

    // ANCHOR: chunked
    fn chunked(&mut self, part: Chunk) -> Result<bool, Error> {
        let next = match part {
            Chunk::Size => {
                let Some(line) = self.line(MAX_CHUNK_LINE, Error::BadChunkSize)? else {
                    return Ok(false);
                };
                match parse_chunk_size(&line)? {
                    0 => Chunk::Trailers,
                    size if self.response.body.len() + size > MAX_BODY => {
                        return Err(Error::BodyTooLarge(
                            self.response.body.len() + size,
                        ));
                    }
                    size => Chunk::Data(size),
                }
            }
            Chunk::Data(left) => {
                let take = left.min(self.pending.len());
                if take == 0 {
                    return Ok(false);
                }
                self.response.body.extend(self.pending.drain(..take));
                match left - take {
                    0 => Chunk::DataEnd,
                    left => Chunk::Data(left),
                }
            }
            Chunk::DataEnd => {
                if self.pending.len() < 2 {
                    return Ok(false);
                }
                if !self.pending.starts_with(b"\r\n") {
                    return Err(Error::MalformedChunk);
                }
                self.pending.drain(..2);
                Chunk::Size
            }
            Chunk::Trailers => {
                // Trailer fields are read and dropped: nothing here uses them.
                let Some(line) = self.line(MAX_HEAD, |_| Error::HeadTooLarge)? else {
                    return Ok(false);
                };
                if line.is_empty() {
                    self.state = State::Done;
                    return Ok(false);
                }
                Chunk::Trailers
            }
        };
        self.state = State::Body(Framing::Chunked(next));
        Ok(true)
    }
    // ANCHOR_END: chunked

    /// The next CRLF-ended line, without its CRLF, once it is all in; an
    /// error made by `too_long` if `limit` bytes pass without one.
    fn line(
        &mut self,
        limit: usize,
        too_long: fn(String) -> Error,
    ) -> Result<Option<String>, Error> {
        match find(&self.pending, b"\r\n") {
            Some(end) if end <= limit => {
                let line: Vec<u8> = self.pending.drain(..end + 2).take(end).collect();
                Ok(Some(String::from_utf8_lossy(&line).into_owned()))
            }
            Some(_) => Err(too_long(lossy_start(&self.pending, 40))),
            None if self.pending.len() > limit => {
                Err(too_long(lossy_start(&self.pending, 40)))
            }
            None => Ok(None),
        }
    }

    fn append(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let size = self.response.body.len() + bytes.len();
        if size > MAX_BODY {
            return Err(Error::BodyTooLarge(size));
        }
        self.response.body.extend_from_slice(bytes);
        Ok(())
    }
}

impl Default for ResponseParser {
    fn default() -> ResponseParser {
        ResponseParser::new()
    }
}

fn empty() -> Response {
    ResponseParser::new().response
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn lossy_start(bytes: &[u8], at_most: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(at_most)]).into_owned()
}

/// `HTTP/1.1 503 Service Unavailable` into `(503, "Service Unavailable")`.
fn parse_status_line(line: &[u8]) -> Result<(u16, String), Error> {
    let malformed = || Error::MalformedStatusLine(lossy_start(line, 80));
    let text = std::str::from_utf8(line).map_err(|_| malformed())?;
    let rest = text
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| text.strip_prefix("HTTP/1.0 "))
        .ok_or_else(malformed)?;
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    let status = code.parse().map_err(|_| malformed())?;
    Ok((status, reason.to_string()))
}

/// `Content-Type: application/json` into its name and value. A space
/// before the colon is refused, as RFC 9112 asks.
fn parse_header(line: &[u8]) -> Result<(String, String), Error> {
    let malformed = || Error::MalformedHeader(lossy_start(line, 80));
    let text = std::str::from_utf8(line).map_err(|_| malformed())?;
    let (name, value) = text.split_once(':').ok_or_else(malformed)?;
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(malformed());
    }
    Ok((
        name.to_string(),
        value.trim_matches([' ', '\t']).to_string(),
    ))
}

fn parse_length(value: &str) -> Result<usize, Error> {
    let value = value.trim();
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match digits.then(|| value.parse::<usize>()) {
        Some(Ok(length)) => Ok(length),
        _ => Err(Error::BadContentLength(value.to_string())),
    }
}

/// `1a` or `1a;name=value` into 26.
fn parse_chunk_size(line: &str) -> Result<usize, Error> {
    let bad = || Error::BadChunkSize(line.to_string());
    let size = line
        .split(';')
        .next()
        .unwrap_or_default()
        .trim_end_matches([' ', '\t']);
    if size.is_empty()
        || size.len() > 15
        || !size.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(bad());
    }
    usize::from_str_radix(size, 16).map_err(|_| bad())
}
