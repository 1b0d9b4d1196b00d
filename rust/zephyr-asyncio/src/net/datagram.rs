//! [`DatagramEndpoint`]: UDP on Zephyr sockets, waiting in the loop's one `k_poll` as the
//! streams do. In shape CPython's `loop.create_datagram_endpoint(local_addr=...,
//! remote_addr=...)`, with awaitable sends and receives instead of a protocol's callbacks
//! (MicroPython's asyncio has no datagrams).

use core::cell::Cell;
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use asyncio_core::io::Transport;
use asyncio_core::{Error, Result};

use super::addr;
use super::socket::Socket;

/// What an endpoint has moved so far.
///
/// ```no_run
/// # async fn f(endpoint: &asyncio::net::DatagramEndpoint) {
/// let counts = endpoint.counts();
/// log::info!("{} in ({} cut short), {} out", counts.received, counts.truncated, counts.sent);
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DatagramCounts {
    /// Datagrams received (truncated ones too).
    pub received: u64,
    /// Datagrams received that did not fit their buffer ([`Error::Truncated`]).
    pub truncated: u64,
    /// Datagrams sent.
    pub sent: u64,
}

/// A UDP endpoint: a socket bound to a local address, and optionally tied to one remote
/// address. Each send is one datagram, each receive returns one. Dropping it (or
/// [`close`](Self::close)) closes the socket.
///
/// ```no_run
/// use asyncio::net::create_datagram_endpoint;
///
/// /// Answers every datagram on port 5005 with the same bytes.
/// async fn echo() -> asyncio::Result<()> {
///     let endpoint = create_datagram_endpoint(Some(("0.0.0.0", 5005)), None).await?;
///     let mut buf = [0u8; 512];
///     loop {
///         match endpoint.recv_from(&mut buf).await {
///             Ok((n, from)) => endpoint.send_to(&buf[..n], from).await?,
///             // Too big for the buffer: the endpoint goes on with the next one.
///             Err(asyncio::Error::Truncated { size }) => log::warn!("{size}-byte datagram"),
///             Err(e) => return Err(e),
///         }
///     }
/// }
/// ```
pub struct DatagramEndpoint {
    socket: Socket,
    remote: Option<SocketAddr>,
    counts: Cell<DatagramCounts>,
}

/// Opens a UDP endpoint (CPython's `create_datagram_endpoint`): bound to `local` (host and
/// port; `None`: any address, a port the system picks), and tied to `remote` if given, which
/// [`send`](DatagramEndpoint::send) then goes to and which alone is received from. Names
/// are resolved as for [`open_connection`](super::open_connection).
///
/// # Errors
/// `Error::HostNotFound` for a name that does not resolve; `Error::Os` from the socket layer
/// (`-EADDRINUSE` for a local port taken).
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// // A sensor broadcasting its readings to a collector.
/// let endpoint =
///     asyncio::net::create_datagram_endpoint(None, Some(("192.0.2.10", 5005))).await?;
/// endpoint.send(b"t=21.5").await?;
/// # Ok(()) }
/// ```
pub async fn create_datagram_endpoint(
    local: Option<(&str, u16)>,
    remote: Option<(&str, u16)>,
) -> Result<DatagramEndpoint> {
    let remote = match remote {
        Some((host, port)) => Some(addr::resolve(host, port).await?),
        None => None,
    };
    let local = match local {
        Some((host, port)) => addr::resolve(host, port).await?,
        // Any address of the remote's family (IPv4 without one), any port.
        None => match remote {
            Some(r) if r.is_ipv6() => SocketAddr::new(Ipv6Addr::UNSPECIFIED.into(), 0),
            _ => SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 0),
        },
    };
    Ok(DatagramEndpoint {
        socket: Socket::datagram(local, remote)?,
        remote,
        counts: Cell::new(DatagramCounts::default()),
    })
}

impl DatagramEndpoint {
    /// Sends `data` as one datagram to `to`, waiting while the socket has no room for it.
    ///
    /// # Errors
    /// `Error::Os(-EMSGSIZE)` for a datagram larger than the network takes; `Error::Closed`
    /// once closed.
    ///
    /// ```no_run
    /// # async fn f(endpoint: &asyncio::net::DatagramEndpoint) -> asyncio::Result<()> {
    /// endpoint.send_to(b"ping", "192.0.2.10:5005".parse().unwrap()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_to(&self, data: &[u8], to: SocketAddr) -> Result<()> {
        self.socket.send_to(data, to).await?;
        self.count(|c| c.sent += 1);
        Ok(())
    }

    /// Sends `data` as one datagram to the endpoint's remote address.
    ///
    /// # Errors
    /// `Error::ValueError` if the endpoint has none; otherwise as [`send_to`](Self::send_to).
    ///
    /// ```no_run
    /// # async fn f(endpoint: &asyncio::net::DatagramEndpoint) -> asyncio::Result<()> {
    /// endpoint.send(b"t=21.5").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, data: &[u8]) -> Result<()> {
        let to = self.remote.ok_or(Error::ValueError)?;
        self.send_to(data, to).await
    }

    /// Receives the next datagram into `buf`: its length and its sender. Cancel-safe: a
    /// datagram is only taken from the socket by a call that returns it.
    ///
    /// # Errors
    /// [`Error::Truncated`] for a datagram longer than `buf` (counted; `buf` holds its first
    /// bytes, the next call gets the next datagram); `Error::Closed` once closed.
    ///
    /// ```no_run
    /// # async fn f(endpoint: &asyncio::net::DatagramEndpoint) -> asyncio::Result<()> {
    /// let mut buf = [0u8; 128];
    /// let (n, from) = endpoint.recv_from(&mut buf).await?;
    /// log::info!("{n} bytes from {from}");
    /// # Ok(()) }
    /// ```
    pub async fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SocketAddr)> {
        let (size, from) = self.socket.recv_from(buf).await?;
        self.count(|c| c.received += 1);
        if size > buf.len() {
            self.count(|c| c.truncated += 1);
            return Err(Error::Truncated { size });
        }
        Ok((size, from))
    }

    /// The endpoint's remote address, if it was given one.
    ///
    /// ```no_run
    /// # async fn f() -> asyncio::Result<()> {
    /// let endpoint =
    ///     asyncio::net::create_datagram_endpoint(None, Some(("192.0.2.10", 5005))).await?;
    /// assert_eq!(endpoint.remote_addr().unwrap().port(), 5005);
    /// # Ok(()) }
    /// ```
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.remote
    }

    /// What the endpoint has sent and received so far (see [`DatagramCounts`]).
    pub fn counts(&self) -> DatagramCounts {
        self.counts.get()
    }

    /// Closes the socket now; tasks waiting on it get `Error::Closed`.
    ///
    /// ```no_run
    /// # async fn f(mut endpoint: asyncio::net::DatagramEndpoint) {
    /// endpoint.close();
    /// assert_eq!(endpoint.send(b"late").await, Err(asyncio::Error::Closed));
    /// # }
    /// ```
    pub fn close(&mut self) {
        self.socket.close();
    }

    fn count(&self, f: impl FnOnce(&mut DatagramCounts)) {
        let mut counts = self.counts.get();
        f(&mut counts);
        self.counts.set(counts);
    }
}
