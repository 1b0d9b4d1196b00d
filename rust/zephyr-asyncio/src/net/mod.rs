//! asyncio streams over Zephyr sockets: [`open_connection`], [`start_server`],
//! [`StreamReader`] and [`StreamWriter`] (MicroPython's `asyncio` streams; see
//! `docs/streams.md`), and UDP datagrams: [`create_datagram_endpoint`].
//!
//! Sockets are non-blocking `zsock_*` sockets. A task waiting on one does not block a thread:
//! the socket's own k_poll events (from the socket layer's poll hooks, as `zsock_poll()` uses
//! them) join the loop's single `k_poll`, so one loop thread serves many connections, each in
//! its task. Each socket with a waiting task takes two of `CONFIG_ASYNCIO_POLL_EVENTS`.
//! Offloaded sockets without poll hooks (some modems) are retried every
//! `CONFIG_ASYNCIO_NET_FALLBACK_POLL_MS` instead.
//!
//! The reader and writer are [`asyncio::io`](crate::io)'s, over a [`Socket`]: `readline()`
//! has a line limit, errors and cancellation lose no bytes, and both implement the
//! `embedded-io-async` traits for protocol crates.
//!
//! ```no_run
//! use asyncio::net::open_connection;
//!
//! async fn status_line() -> asyncio::Result<alloc::vec::Vec<u8>> {
//!     let (mut reader, mut writer) = open_connection("192.0.2.1", 80).await?;
//!     writer.write(b"GET / HTTP/1.0\r\nHost: example\r\n\r\n");
//!     writer.drain().await?;
//!     let status = reader.readline().await?; // b"HTTP/1.0 200 OK\r\n"
//!     writer.wait_closed().await?;
//!     Ok(status)
//! }
//! ```

mod addr;
mod datagram;
mod readiness;
mod server;
mod socket;
mod tcp;

pub use datagram::{create_datagram_endpoint, DatagramCounts, DatagramEndpoint};
pub use server::{start_server, Server};
pub use socket::{open_sockets, Socket};
pub use tcp::Tcp;

use asyncio_core::Result;

/// The reading half of a TCP stream: [`asyncio::io::StreamReader`](crate::io::StreamReader)
/// over a [`Socket`].
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let (mut reader, _writer) = asyncio::net::open_connection("192.0.2.1", 4242).await?;
/// let line = reader.readline().await?; // Err(LineTooLong) past the limit, nothing lost
/// # let _ = line; Ok(()) }
/// ```
pub type StreamReader = crate::io::StreamReader<Socket>;

/// The writing half of a TCP stream: [`asyncio::io::StreamWriter`](crate::io::StreamWriter)
/// over a [`Socket`]. Closing it (or dropping both halves) closes the socket.
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let (_reader, mut writer) = asyncio::net::open_connection("192.0.2.1", 4242).await?;
/// writer.write(b"hello\n");
/// writer.drain().await?;
/// writer.wait_closed().await?;
/// # Ok(()) }
/// ```
pub type StreamWriter = crate::io::StreamWriter<Socket>;

/// Connects to `host:port` and returns the stream's two halves (MicroPython's
/// `asyncio.open_connection`).
///
/// A numeric `host` is used as is; a name is resolved on the offload work queue, so the loop
/// keeps running meanwhile (MicroPython blocks in `getaddrinfo`). Fails with
/// `Error::ConnectionRefused` if nobody listens there, `Error::HostNotFound` for an unknown
/// name.
///
/// ```no_run
/// use asyncio::{net::open_connection, Error};
///
/// async fn probe() {
///     match open_connection("127.0.0.1", 9).await {
///         Err(Error::ConnectionRefused) => log::info!("nobody listens on port 9"),
///         other => log::info!("{:?}", other.map(|_| ())),
///     }
/// }
/// ```
pub async fn open_connection(host: &str, port: u16) -> Result<(StreamReader, StreamWriter)> {
    let to = addr::resolve(host, port).await?;
    let socket = Socket::connect(to).await?;
    Ok((
        StreamReader::new(socket.clone()),
        StreamWriter::new_direct(socket),
    ))
}
