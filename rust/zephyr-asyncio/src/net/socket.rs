//! [`Socket`]: a non-blocking TCP (or UDP) socket whose waits join the loop's `k_poll`.

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use core::ffi::c_int;
use core::net::SocketAddr;
use core::ptr::NonNull;
use zephyr::sync::atomic::{AtomicUsize, Ordering};

use asyncio_core::io::{ErrorType, Read, Transport, Write, WriteNow};
use asyncio_core::{check_cancel, sleep_ms, Error, Result};
use zephyr_asyncio_sys as sys;

use super::addr;
use super::readiness::{Direction, Readiness, SocketSource, EVENTS};
use crate::reactor::{armed_wait, Reactor, Registration, Source};

/// Sockets open now, across the system's streams, servers and listeners.
static OPEN: AtomicUsize = AtomicUsize::new(0);

/// How many sockets the streams adapter has open: every [`Socket`] not yet closed. For
/// diagnostics and leak checks (each should go back to zero once its connection is done).
///
/// ```no_run
/// async fn one_connection() -> asyncio::Result<()> {
///     let (reader, writer) = asyncio::net::open_connection("192.0.2.1", 80).await?;
///     assert_eq!(asyncio::net::open_sockets(), 1); // both halves share one socket
///     drop((reader, writer));
///     assert_eq!(asyncio::net::open_sockets(), 0);
///     Ok(())
/// }
/// ```
pub fn open_sockets() -> usize {
    OPEN.load(Ordering::Relaxed)
}

struct Inner {
    /// The fd, or -1 once closed.
    fd: Cell<c_int>,
    /// Its slots in the reactor of the loop its tasks wait in, while any task waits on it.
    registration: RefCell<Option<Registration>>,
    /// What the registration dispatches to; declared after it, so it outlives it.
    source: SocketSource,
    peer: Option<SocketAddr>,
}

/// A non-blocking TCP socket shared by a stream's reader and writer (clones share it).
///
/// It is closed by [`Transport::close`] or when the last clone is dropped. A task waiting on
/// it for reading or writing puts its k_poll events into the loop's `k_poll`; nothing polls.
/// The byte operations are cancel-safe: data is only taken from or handed to the socket by a
/// call that returns it.
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let (reader, writer) = asyncio::net::open_connection("192.0.2.1", 80).await?;
/// let socket: &asyncio::net::Socket = writer.get_ref(); // the transport under both halves
/// log::info!("connected to {:?}", socket.peer_addr());
/// # drop(reader); Ok(()) }
/// ```
#[derive(Clone)]
pub struct Socket(Rc<Inner>);

/// Maps a failed call's `-errno` to the stream error.
fn error(result: c_int) -> Error {
    // SAFETY: a pure function.
    match unsafe { sys::asyncio_socket_classify(result) } {
        sys::asyncio_socket_error_ASYNCIO_SOCKET_REFUSED => Error::ConnectionRefused,
        sys::asyncio_socket_error_ASYNCIO_SOCKET_RESET => Error::ConnectionReset,
        _ => Error::Os(result),
    }
}

fn would_block(result: c_int) -> bool {
    // SAFETY: a pure function.
    let class = unsafe { sys::asyncio_socket_classify(result) };
    class == sys::asyncio_socket_error_ASYNCIO_SOCKET_WOULD_BLOCK
}

impl Socket {
    fn from_fd(fd: c_int, peer: Option<SocketAddr>) -> Self {
        OPEN.fetch_add(1, Ordering::Relaxed);
        Socket(Rc::new(Inner {
            fd: Cell::new(fd),
            registration: RefCell::new(None),
            source: SocketSource::new(fd),
            peer,
        }))
    }

    /// A new TCP socket (UDP if `datagram`) for talking to or listening on `addr`'s family.
    fn open(addr: &SocketAddr, peer: Option<SocketAddr>, datagram: bool) -> Result<Self> {
        let family = if addr.is_ipv6() { 6 } else { 4 };
        // SAFETY: a plain call.
        let fd = unsafe { sys::asyncio_socket_open(family, datagram) };
        if fd < 0 {
            return Err(error(fd));
        }
        Ok(Socket::from_fd(fd, peer))
    }

    fn fd(&self) -> Result<c_int> {
        match self.0.fd.get() {
            fd if fd >= 0 => Ok(fd),
            _ => Err(Error::Closed),
        }
    }

    /// A socket connected to `to` (waiting for the handshake in the loop).
    pub(super) async fn connect(to: SocketAddr) -> Result<Self> {
        check_cancel()?;
        let mut socket = Socket::open(&to, Some(to), false)?;
        // SAFETY: a valid fd and address.
        let started = unsafe { sys::asyncio_socket_connect(socket.fd()?, &addr::to_c(to)) };
        // SAFETY: a pure function.
        match unsafe { sys::asyncio_socket_classify(started) } {
            _ if started == 0 => return Ok(socket),
            sys::asyncio_socket_error_ASYNCIO_SOCKET_IN_PROGRESS => {}
            _ => {
                socket.close();
                return Err(error(started));
            }
        }
        socket.wait(Direction::Write).await?;
        // SAFETY: a valid fd.
        match unsafe { sys::asyncio_socket_connect_result(socket.fd()?) } {
            0 => Ok(socket),
            failed => {
                socket.close();
                Err(error(failed))
            }
        }
    }

    /// A socket listening on `at`.
    pub(super) fn listen(at: SocketAddr, backlog: c_int) -> Result<Self> {
        let mut socket = Socket::open(&at, None, false)?;
        // SAFETY: a valid fd and address.
        let result = unsafe { sys::asyncio_socket_listen(socket.fd()?, &addr::to_c(at), backlog) };
        if result < 0 {
            socket.close();
            return Err(error(result));
        }
        Ok(socket)
    }

    /// A UDP socket bound to `at`, talking only to `peer` if given (its datagrams alone are
    /// received).
    pub(super) fn datagram(at: SocketAddr, peer: Option<SocketAddr>) -> Result<Self> {
        let mut socket = Socket::open(&at, peer, true)?;
        // SAFETY: a valid fd and addresses.
        let mut result = unsafe { sys::asyncio_socket_bind(socket.fd()?, &addr::to_c(at)) };
        if let (Some(peer), 0) = (peer, result) {
            // SAFETY: as above; a UDP connect only sets the peer, it never waits.
            result = unsafe { sys::asyncio_socket_connect(socket.fd()?, &addr::to_c(peer)) };
        }
        if result < 0 {
            socket.close();
            return Err(error(result));
        }
        Ok(socket)
    }

    /// Sends `buf` as one datagram to `to`, waiting while the socket has no room for it.
    pub(super) async fn send_to(&self, buf: &[u8], to: SocketAddr) -> Result<()> {
        let to = addr::to_c(to);
        loop {
            check_cancel()?;
            // SAFETY: `buf` is valid for reads of its length; a valid address.
            let n = unsafe { sys::asyncio_socket_sendto(self.fd()?, buf.as_ptr(), buf.len(), &to) };
            match n {
                0.. => return Ok(()),
                e if would_block(e) => self.wait(Direction::Write).await?,
                e => return Err(error(e)),
            }
        }
    }

    /// Receives one datagram into `buf`, waiting for one: its whole length (above
    /// `buf.len()` when it was cut to fit) and its sender.
    pub(super) async fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        loop {
            check_cancel()?;
            let mut from = sys::asyncio_sockaddr::default();
            // SAFETY: `buf` is valid for writes of its length; `from` is a live local.
            let n = unsafe {
                sys::asyncio_socket_recvfrom(self.fd()?, buf.as_mut_ptr(), buf.len(), &mut from)
            };
            match n {
                0.. => return Ok((n as usize, addr::from_c(&from))),
                e if would_block(e) => self.wait(Direction::Read).await?,
                e => return Err(error(e)),
            }
        }
    }

    /// The next connection of a listening socket.
    pub(super) async fn accept(&self) -> Result<Socket> {
        loop {
            check_cancel()?;
            let mut peer = sys::asyncio_sockaddr::default();
            // SAFETY: a valid fd and address.
            let fd = unsafe { sys::asyncio_socket_accept(self.fd()?, &mut peer) };
            match fd {
                0.. => return Ok(Socket::from_fd(fd, Some(addr::from_c(&peer)))),
                e if would_block(e) => self.wait(Direction::Read).await?,
                e => return Err(error(e)),
            }
        }
    }

    /// The address of the other end: where it was connected to, or where an accepted
    /// connection came from.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.0.peer
    }

    /// Whether [`Transport::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.0.fd.get() < 0
    }

    /// Waits until the socket may be ready for `direction`, in the running loop's `k_poll`.
    async fn wait(&self, direction: Direction) -> Result<()> {
        self.register()?;
        let guard = WaitGuard {
            socket: self,
            direction,
        };
        let readiness = Cell::new(Readiness::Waiting);
        let what = match direction {
            Direction::Read => "socket read",
            Direction::Write => "socket write",
        };
        armed_wait(what, |waker| {
            let registration = self.0.registration.borrow();
            let registration = registration.as_ref().expect("registered above");
            readiness.set(self.0.source.arm(registration, direction, waker));
            readiness.get() == Readiness::Waiting
        })
        .await;
        drop(guard);
        if readiness.get() == Readiness::NotPollable {
            sleep_ms(zephyr::kconfig::CONFIG_ASYNCIO_NET_FALLBACK_POLL_MS as u32).await?;
        }
        Ok(())
    }

    /// Makes sure the socket has its slots in the running loop's reactor: a socket waits in
    /// one loop at a time, `Err(Error::WrongLoop)` from another.
    fn register(&self) -> Result<()> {
        self.fd()?;
        let reactor = Reactor::current()?;
        let mut registration = self.0.registration.borrow_mut();
        match &*registration {
            Some(held) if core::ptr::eq(held.reactor(), reactor) => Ok(()),
            Some(_) => Err(Error::WrongLoop),
            None => {
                let source = NonNull::from(&self.0.source as &dyn Source);
                *registration = Some(reactor.register(EVENTS, source)?);
                Ok(())
            }
        }
    }

    /// Receives into `buf`: bytes as soon as there are some, 0 at the end of the stream.
    ///
    /// ```no_run
    /// # use asyncio::net::Socket;
    /// # async fn f(socket: &Socket) -> asyncio::Result<()> {
    /// let mut buf = [0u8; 256];
    /// let n = socket.recv(&mut buf).await?;
    /// if n == 0 {
    ///     log::info!("the peer closed the connection");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        loop {
            check_cancel()?;
            // SAFETY: `buf` is valid for writes of its length.
            let n = unsafe { sys::asyncio_socket_recv(self.fd()?, buf.as_mut_ptr(), buf.len()) };
            match n {
                0.. => return Ok(n as usize),
                e if would_block(e) => self.wait(Direction::Read).await?,
                e => return Err(error(e)),
            }
        }
    }

    /// Sends from `buf`: as many bytes as the socket takes now (at least one), waiting while it
    /// takes none.
    ///
    /// ```no_run
    /// # use asyncio::net::Socket;
    /// # async fn f(socket: &Socket) -> asyncio::Result<()> {
    /// let mut rest: &[u8] = b"all of this\n";
    /// while !rest.is_empty() {
    ///     let sent = socket.send(rest).await?; // what the socket took now
    ///     rest = &rest[sent..];
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, buf: &[u8]) -> Result<usize> {
        loop {
            check_cancel()?;
            // SAFETY: `buf` is valid for reads of its length.
            let n = unsafe { sys::asyncio_socket_send(self.fd()?, buf.as_ptr(), buf.len()) };
            match n {
                0.. => return Ok(n as usize),
                e if would_block(e) => self.wait(Direction::Write).await?,
                e => return Err(error(e)),
            }
        }
    }
}

/// Takes a task's waker out of the reactor when its wait ends (or is cancelled), and gives the
/// slots back when nobody waits on the socket any more.
struct WaitGuard<'a> {
    socket: &'a Socket,
    direction: Direction,
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        let inner = &self.socket.0;
        let mut registration = inner.registration.borrow_mut();
        // Closed meanwhile: the slots went back already.
        let Some(held) = registration.as_ref() else {
            return;
        };
        if !inner.source.disarm(held, self.direction) {
            *registration = None;
        }
    }
}

impl WriteNow for Socket {
    /// One non-blocking send: what the socket took now (0 when its buffer is full, or on an
    /// error, which the stream's next drain meets through [`send`](Socket::send)).
    fn write_now(&mut self, data: &[u8]) -> usize {
        let Ok(fd) = self.fd() else { return 0 };
        // SAFETY: `data` is valid for reads of its length.
        let n = unsafe { sys::asyncio_socket_send(fd, data.as_ptr(), data.len()) };
        usize::try_from(n).unwrap_or(0)
    }
}

impl Transport for Socket {
    /// Closes the socket now; tasks waiting on it are woken and get [`Error::Closed`].
    fn close(&mut self) {
        self.0.close();
    }

    fn peername(&self) -> Option<SocketAddr> {
        self.0.peer
    }
}

impl Inner {
    fn close(&self) {
        let fd = self.fd.replace(-1);
        if fd < 0 {
            return;
        }
        if let Some(registration) = self.registration.take() {
            self.source.close(&registration);
        }
        // SAFETY: our fd, closed once (it was just replaced by -1).
        let result = unsafe { sys::asyncio_socket_close(fd) };
        if result < 0 {
            log::warn!("asyncio: closing socket {fd} failed ({result})");
        }
        OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.close();
    }
}

impl ErrorType for Socket {
    type Error = Error;
}

impl Read for Socket {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.recv(buf).await
    }
}

impl Write for Socket {
    async fn write(&mut self, buf: &[u8]) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.send(buf).await
    }

    /// Nothing to do: `send` has handed every byte it counted to the kernel's socket buffer.
    async fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}
