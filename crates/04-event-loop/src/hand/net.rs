//! Async TCP on the loop's reactor: `std`'s sockets in non-blocking mode,
//! registered once with the poller.
//!
//! Every operation is tried first. A non-blocking socket that is not ready
//! answers `WouldBlock` at once; then the task waits for the reactor to say
//! the socket has become ready, and tries again. Chapter 9's chat server is
//! built on these types: [`TcpListener`], [`TcpStream`] (with `futures`'
//! `AsyncRead` and `AsyncWrite`, as smol's), its halves [`OwnedReadHalf`]
//! and [`OwnedWriteHalf`], and [`ToSocketAddrs`] for `connect`'s names.
//! No `unsafe` here: registering a socket, which needs it, is in `reactor`.
#![forbid(unsafe_code)]

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::{self, IpAddr, Shutdown, SocketAddr};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::thread;

use futures::channel::oneshot;
use futures::io::{AsyncRead, AsyncWrite};
use socket2::{Domain, Protocol, Socket, Type};

use super::current;
use super::executor::Core;
use super::introspect::Wait;
use super::reactor::{AsSocket, Direction, Source};

// ANCHOR: registered
/// A non-blocking socket registered with the loop's reactor, for as long as
/// it lives. The socket is inside its `Source`, which the reactor's table
/// shares until `Drop` deregisters it; this `Rc`, the last, then closes it.
struct Registered<T: AsSocket + 'static> {
    source: Rc<Source<T>>,
    core: Rc<Core>,
}

impl<T: AsSocket + 'static> Registered<T> {
    fn new(io: T) -> io::Result<Registered<T>> {
        let core = current::current("a socket made");
        if core.is_closed() {
            // A destructor run by `close` may try: the poller is going away.
            return Err(io::Error::other("the event loop is closed"));
        }
        let source = core.reactor.register(io)?;
        Ok(Registered { source, core })
    }

    fn io(&self) -> &T {
        self.source.socket()
    }

    fn poll_io<R>(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
        operation: impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let io = self.io();
        let mut operation = operation;
        let polled = self
            .core
            .reactor
            .poll_io(&*self.source, direction, cx, || operation(io));
        if polled.is_pending() {
            self.core.note_wait(Wait::SOCKET);
        }
        polled
    }

    fn poll_ready(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        let polled = self.core.reactor.poll_ready(&*self.source, direction, cx);
        if polled.is_pending() {
            self.core.note_wait(Wait::SOCKET);
        }
        polled
    }

    fn try_io<R>(
        &self,
        direction: Direction,
        mut operation: impl FnMut(&T) -> io::Result<R>,
    ) -> io::Result<R> {
        let io = self.io();
        self.core
            .reactor
            .try_io(&*self.source, direction, || operation(io))
    }
}

impl<T: AsSocket + 'static> Drop for Registered<T> {
    fn drop(&mut self) {
        self.core.reactor.deregister(&*self.source);
    }
}
// ANCHOR_END: registered

// ANCHOR: listener
/// A TCP socket that listens for connections (asyncio's `start_server`
/// makes one).
pub struct TcpListener {
    inner: Registered<net::TcpListener>,
}

impl TcpListener {
    /// Binds to `addr` and starts listening, with room for 1024 connections
    /// waiting to be accepted (as tokio; `std`'s own `bind` leaves room for
    /// 128, and a burst of clients beyond that waits a second to retry).
    /// Call it inside the loop. A host name (`localhost:0`) is looked up by
    /// `std`, which blocks the loop meanwhile: give it an address.
    ///
    /// # Panics
    ///
    /// Outside a running event loop.
    pub fn bind(addr: impl net::ToSocketAddrs) -> io::Result<TcpListener> {
        let mut last_error = None;
        for addr in net::ToSocketAddrs::to_socket_addrs(&addr)? {
            match listen(addr) {
                Ok(listener) => {
                    return Ok(TcpListener {
                        inner: Registered::new(listener)?,
                    });
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "no address to bind to")
        }))
    }

    /// The address it listens on: with port 0, the port the system chose.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.io().local_addr()
    }

    /// Waits for the next connection.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, peer) =
            poll_fn(|cx| self.inner.poll_io(Direction::Read, cx, |io| io.accept()))
                .await?;
        stream.set_nonblocking(true)?;
        Ok((TcpStream::from_std(stream)?, peer))
    }
}
// ANCHOR_END: listener

// ANCHOR: stream
/// A TCP connection. Its methods take `&self`, so several tasks may share it
/// (through an `Rc`): one reading while another writes, or several waiting
/// the same way, all woken at the next event.
pub struct TcpStream {
    inner: Registered<net::TcpStream>,
}

impl TcpStream {
    /// Reads what has arrived, up to `buf.len()` bytes, waiting until
    /// something has. `Ok(0)` means the peer closed its end.
    pub async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, buf)).await
    }

    /// Writes some of `buf`, waiting until the socket can take some.
    pub async fn write(&self, buf: &[u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_write(cx, buf)).await
    }

    /// The poll behind [`TcpStream::read`], for hand-written futures.
    pub fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.inner
            .poll_io(Direction::Read, cx, |mut io| io::Read::read(&mut io, buf))
    }

    /// The poll behind [`TcpStream::write`], for hand-written futures.
    pub fn poll_write(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.inner.poll_io(Direction::Write, cx, |mut io| {
            io::Write::write(&mut io, buf)
        })
    }
}
// ANCHOR_END: stream

impl TcpStream {
    fn from_std(stream: net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            inner: Registered::new(stream)?,
        })
    }

    /// Connects to `addr`: a socket address, or a `"host:port"` string
    /// whose host may be a name (see [`ToSocketAddrs`]). The loop goes on
    /// while the name is looked up and the handshake is made. A name may
    /// give several addresses: each is tried in turn, and if none answers,
    /// the last error is returned.
    ///
    /// # Panics
    ///
    /// Outside a running event loop.
    pub async fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        let addrs = match addr.to_lookup() {
            Lookup::Known(addrs) => addrs,
            Lookup::Name(name) => look_up(name).await?,
        };
        let mut last_error = None;
        for addr in addrs {
            match TcpStream::connect_addr(addr).await {
                Ok(stream) => return Ok(stream),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "no address to connect to")
        }))
    }

    /// Writes all of `buf`.
    pub async fn write_all(&self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.write(buf).await? {
                0 => return Err(io::ErrorKind::WriteZero.into()),
                written => buf = &buf[written..],
            }
        }
        Ok(())
    }

    /// Reads exactly `buf.len()` bytes; `UnexpectedEof` if the peer closes
    /// its end first.
    pub async fn read_exact(&self, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.read(buf).await? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                read => buf = &mut buf[read..],
            }
        }
        Ok(())
    }

    /// Closes one or both directions: after `Shutdown::Write` the peer reads
    /// end-of-file.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.io().shutdown(how)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.io().peer_addr()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.io().local_addr()
    }

    /// Turns Nagle's algorithm off (`true`) or on: small writes are then
    /// sent at once instead of being gathered.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.io().set_nodelay(nodelay)
    }
}

// ANCHOR: readiness
/// Waiting for readiness, and trying without waiting: tokio's way to do I/O
/// that the `read` and `write` above do not cover.
impl TcpStream {
    /// Waits until the stream may be readable: until the next event for
    /// reading, unless nothing has said `WouldBlock` since the last one. A
    /// [`TcpStream::try_read`] after it may still say `WouldBlock` (another
    /// task took the bytes first): then wait again. As tokio's `readable`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use event_loop::hand::{EventLoop, TcpListener, TcpStream};
    ///
    /// EventLoop::new().run_until_complete(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, _) = listener.accept().await?;
    ///     server.write_all(b"hi").await?;
    ///     let mut buf = [0; 2];
    ///     let read = loop {
    ///         client.readable().await?;
    ///         match client.try_read(&mut buf) {
    ///             Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
    ///             result => break result?,
    ///         }
    ///     };
    ///     assert_eq!(&buf[..read], b"hi");
    ///     io::Result::Ok(())
    /// })?;
    /// # io::Result::Ok(())
    /// ```
    pub async fn readable(&self) -> io::Result<()> {
        poll_fn(|cx| self.inner.poll_ready(Direction::Read, cx)).await
    }

    /// Waits until the stream may be writable; see [`TcpStream::readable`].
    pub async fn writable(&self) -> io::Result<()> {
        poll_fn(|cx| self.inner.poll_ready(Direction::Write, cx)).await
    }

    /// Reads what has arrived, never waiting: `WouldBlock` if nothing has,
    /// which also marks the stream not readable until the next event. As
    /// tokio's `try_read`, it does not even try while so marked.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner
            .try_io(Direction::Read, |mut io| io::Read::read(&mut io, buf))
    }

    /// Writes what the socket can take now, never waiting: `WouldBlock` if
    /// it can take nothing, which marks it not writable until the next
    /// event.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.inner
            .try_io(Direction::Write, |mut io| io::Write::write(&mut io, buf))
    }
}
// ANCHOR_END: readiness

// ANCHOR: futures_io
// The `futures` crate's I/O traits, which smol and async-std use too: with
// them, `futures::io::BufReader::new(stream).lines()` and
// `AsyncWriteExt::write_all` work on a stream, as on smol's. For `&TcpStream`
// too, so that one task may read a stream while another writes it. Each
// calls the inherent poll of the same name, which takes `&self`.
impl AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        TcpStream::poll_read(&self, cx, buf)
    }
}

impl AsyncWrite for TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        TcpStream::poll_write(&self, cx, buf)
    }

    /// Nothing to flush: what `write` took is the system's to send.
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Shuts the write direction down: the peer reads end-of-file.
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.shutdown(Shutdown::Write))
    }
}

impl AsyncRead for &TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        TcpStream::poll_read(*self, cx, buf)
    }
}

impl AsyncWrite for &TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        TcpStream::poll_write(*self, cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.shutdown(Shutdown::Write))
    }
}
// ANCHOR_END: futures_io

// ANCHOR: halves
impl TcpStream {
    /// Splits the stream into a reading half and a writing half, for two
    /// tasks to own: one reading, the other writing. They share the stream
    /// through an `Rc` (the loop runs its tasks on one thread, so neither
    /// half need be `Send`); the stream closes when both are dropped. As
    /// tokio's `into_split`.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let stream = Rc::new(self);
        let write = OwnedWriteHalf {
            stream: Rc::clone(&stream),
            shutdown_on_drop: true,
        };
        (OwnedReadHalf { stream }, write)
    }
}

/// The reading half of a [`TcpStream`], from [`TcpStream::into_split`].
#[derive(Debug)]
pub struct OwnedReadHalf {
    stream: Rc<TcpStream>,
}

/// The writing half of a [`TcpStream`], from [`TcpStream::into_split`].
///
/// Dropping it shuts the stream's write direction down, as dropping tokio's
/// `OwnedWriteHalf` does: the peer reads end-of-file, while the read half
/// goes on reading. `close` (from `AsyncWriteExt`) does the same at once.
#[derive(Debug)]
pub struct OwnedWriteHalf {
    stream: Rc<TcpStream>,
    /// Cleared once `poll_close` has shut the write direction down.
    shutdown_on_drop: bool,
}

impl OwnedReadHalf {
    /// See [`TcpStream::read`].
    pub async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf).await
    }

    /// See [`TcpStream::read_exact`].
    pub async fn read_exact(&self, buf: &mut [u8]) -> io::Result<()> {
        self.stream.read_exact(buf).await
    }

    /// See [`TcpStream::readable`].
    pub async fn readable(&self) -> io::Result<()> {
        self.stream.readable().await
    }

    /// See [`TcpStream::try_read`].
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.try_read(buf)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }
}

impl OwnedWriteHalf {
    /// See [`TcpStream::write`].
    pub async fn write(&self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf).await
    }

    /// See [`TcpStream::write_all`].
    pub async fn write_all(&self, buf: &[u8]) -> io::Result<()> {
        self.stream.write_all(buf).await
    }

    /// See [`TcpStream::writable`].
    pub async fn writable(&self) -> io::Result<()> {
        self.stream.writable().await
    }

    /// See [`TcpStream::try_write`].
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.stream.try_write(buf)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }
}

impl Drop for OwnedWriteHalf {
    fn drop(&mut self) {
        if self.shutdown_on_drop {
            // As tokio: an error (the peer gone already) has no one to go to.
            let _ = self.stream.shutdown(Shutdown::Write);
        }
    }
}

impl AsyncRead for OwnedReadHalf {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_read(cx, buf)
    }
}

impl AsyncWrite for OwnedWriteHalf {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.stream.poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        let shut = self.stream.shutdown(Shutdown::Write);
        if shut.is_ok() {
            self.shutdown_on_drop = false;
        }
        Poll::Ready(shut)
    }
}

impl AsRef<TcpStream> for OwnedReadHalf {
    fn as_ref(&self) -> &TcpStream {
        &self.stream
    }
}

impl AsRef<TcpStream> for OwnedWriteHalf {
    fn as_ref(&self) -> &TcpStream {
        &self.stream
    }
}
// ANCHOR_END: halves

// ANCHOR: connect
impl TcpStream {
    /// Connects to one address, without blocking the loop while the
    /// handshake goes on.
    async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
        let socket =
            Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
        socket.set_nonblocking(true)?;
        match socket.connect(&addr.into()) {
            Ok(()) => {}
            // The handshake has started; the socket becomes writable when it
            // is done, whether it worked or not.
            Err(error) if in_progress(&error) => {}
            Err(error) => return Err(error),
        }
        let stream = TcpStream::from_std(socket.into())?;
        poll_fn(|cx| {
            stream.inner.poll_io(Direction::Write, cx, |io| {
                if let Some(error) = io.take_error()? {
                    return Err(error);
                }
                match io.peer_addr() {
                    Ok(_) => Ok(()),
                    // Not connected yet: wait for the next event.
                    Err(error) if error.kind() == io::ErrorKind::NotConnected => {
                        Err(io::ErrorKind::WouldBlock.into())
                    }
                    Err(error) => Err(error),
                }
            })
        })
        .await?;
        Ok(stream)
    }
}

/// What [`TcpStream::connect`] takes: a socket address, or a `"host:port"`
/// string (or a `(host, port)` pair) whose host may be a name to look up.
/// Like tokio's trait of the same name, and unlike `std`'s (which
/// [`TcpListener::bind`] takes), it never blocks the loop: a literal address
/// is parsed at once, and a name is looked up on a thread of its own.
pub trait ToSocketAddrs {
    /// The addresses, if they are literal; otherwise the name to look up.
    fn to_lookup(&self) -> Lookup;
}

/// What a [`ToSocketAddrs`] gives [`TcpStream::connect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Literal addresses: nothing to look up.
    Known(Vec<SocketAddr>),
    /// A `host:port` whose host is not a literal address: for the system's
    /// resolver, which blocks, so on a thread.
    Name(String),
}

impl ToSocketAddrs for SocketAddr {
    fn to_lookup(&self) -> Lookup {
        Lookup::Known(vec![*self])
    }
}

impl ToSocketAddrs for (IpAddr, u16) {
    fn to_lookup(&self) -> Lookup {
        Lookup::Known(vec![SocketAddr::from(*self)])
    }
}

impl ToSocketAddrs for str {
    fn to_lookup(&self) -> Lookup {
        match self.parse() {
            Ok(addr) => Lookup::Known(vec![addr]),
            Err(_) => Lookup::Name(self.to_owned()),
        }
    }
}

impl ToSocketAddrs for String {
    fn to_lookup(&self) -> Lookup {
        self.as_str().to_lookup()
    }
}

impl ToSocketAddrs for (&str, u16) {
    fn to_lookup(&self) -> Lookup {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => Lookup::Known(vec![SocketAddr::new(ip, port)]),
            Err(_) => Lookup::Name(format!("{host}:{port}")),
        }
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {
    fn to_lookup(&self) -> Lookup {
        (**self).to_lookup()
    }
}

/// Looks `name` (`host:port`) up with the system's resolver, on a thread of
/// its own: the resolver blocks, for as long as DNS takes. The task waits
/// on a channel, and the thread's answer wakes it through its waker, from
/// that thread (the loop's wakers work from any thread). A shortcut: a
/// thread per look-up, where tokio sends it to its pool of blocking threads
/// (`spawn_blocking`) and asyncio to its default executor. If the task gives
/// up, the thread still finishes the look-up, and its answer goes nowhere.
async fn look_up(name: String) -> io::Result<Vec<SocketAddr>> {
    let (answer, answered) = oneshot::channel();
    thread::Builder::new()
        .name("resolver".to_owned())
        .spawn(move || {
            let addrs = net::ToSocketAddrs::to_socket_addrs(&name);
            let addrs = addrs.map(Vec::from_iter).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("could not look up {name}: {error}"),
                )
            });
            let _ = answer.send(addrs); // the task may have given up
        })?;
    answered
        .await
        .unwrap_or_else(|_| Err(io::Error::other("the resolver thread died")))
}
// ANCHOR_END: connect

/// A non-blocking listening socket on `addr`.
fn listen(addr: SocketAddr) -> io::Result<net::TcpListener> {
    let socket =
        Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // On Unix, lets a restarted server bind the port its last run left in
    // TIME_WAIT. (Windows means something else by it, so not there.)
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// A non-blocking `connect` answers "in progress" while the handshake runs:
/// `EINPROGRESS` on Unix (which `std` does not name on stable Rust yet),
/// `WouldBlock` on Windows.
fn in_progress(error: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const EINPROGRESS: i32 = 115;
    #[cfg(not(target_os = "linux"))]
    const EINPROGRESS: i32 = 36; // macOS and the BSDs
    error.kind() == io::ErrorKind::WouldBlock
        || (cfg!(unix) && error.raw_os_error() == Some(EINPROGRESS))
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local_addr", &self.local_addr().ok())
            .finish()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local_addr", &self.local_addr().ok())
            .field("peer_addr", &self.peer_addr().ok())
            .finish()
    }
}
