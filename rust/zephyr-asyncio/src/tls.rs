//! TLS 1.3 on Zephyr's sockets: [`open_connection`] (MicroPython's
//! `asyncio.open_connection(host, port, ssl=ctx)`), and [`connector`] for the clients that
//! open their own connections (`asyncio::mqtt::Client`). The protocol and the [`Config`] are
//! the portable core's ([`asyncio::tls`](asyncio_core::tls)); this adds the sockets and
//! Zephyr's CSPRNG (`sys_csrand_get`).
//!
//! The server's certificate is verified by default: a certificate not signed by the config's
//! CA, or made out to another name, fails the connection with `Error::Certificate` before a
//! byte of the application's is sent.
//!
//! ```no_run
//! use asyncio::tls::{open_connection, Config};
//!
//! static CA: &[u8] = &[/* include_bytes!("ca.der") */];
//!
//! async fn status() -> asyncio::Result<alloc::vec::Vec<u8>> {
//!     let config = Config::new(CA, "hub.local");
//!     let (mut reader, mut writer) = open_connection("192.0.2.1", 8443, &config).await?;
//!     writer.write(b"GET / HTTP/1.0\r\n\r\n");
//!     writer.drain().await?;
//!     reader.readline().await // the status line, decrypted
//! }
//! ```

pub use asyncio_core::tls::*;

use crate::net::{Socket, Tcp};
use asyncio_core::io::Connect;
use asyncio_core::Result;

/// The reading half of a TLS stream: [`asyncio::io::StreamReader`](crate::io::StreamReader)
/// (readline, readexactly...) over the decrypted bytes.
///
/// ```no_run
/// # async fn f(config: &asyncio::tls::Config) -> asyncio::Result<()> {
/// let (mut reader, _w) = asyncio::tls::open_connection("192.0.2.1", 8443, config).await?;
/// let header = reader.readexactly(4).await?;
/// # let _ = header; Ok(()) }
/// ```
pub type TlsStreamReader = crate::io::StreamReader<TlsReadHalf<Socket>>;

/// The writing half of a TLS stream: [`asyncio::io::StreamWriter`](crate::io::StreamWriter);
/// each `drain()` sends what is buffered as TLS records. Closing it closes the socket.
///
/// ```no_run
/// # async fn f(config: &asyncio::tls::Config) -> asyncio::Result<()> {
/// let (_r, mut writer) = asyncio::tls::open_connection("192.0.2.1", 8443, config).await?;
/// writer.write(b"bye\n");
/// writer.wait_closed().await?; // drains, then closes the socket
/// # Ok(()) }
/// ```
pub type TlsStreamWriter = crate::io::StreamWriter<TlsWriteHalf<Socket>>;

/// Connects to `host:port` over TCP, runs the TLS handshake as `config` says, and returns the
/// stream's two halves.
///
/// Errors: those of `asyncio::net::open_connection`, then [`Error::Certificate`](crate::Error)
/// (the server is not who `config` trusts), `Error::Handshake` (the server refused: it wants
/// a client certificate, it speaks no TLS 1.3...), `Error::ConnectionReset` (it hung up
/// mid-handshake), `Error::NoMemory` (no heap for the record buffers).
///
/// ```no_run
/// use asyncio::{tls, Error};
///
/// async fn probe(ca: &[u8]) {
///     match tls::open_connection("192.0.2.1", 8443, &tls::Config::new(ca, "hub.local")).await {
///         Ok(_) => log::info!("hub verified"),
///         Err(Error::Certificate) => log::error!("someone else answers as the hub"),
///         Err(e) => log::warn!("no hub: {e}"),
///     }
/// }
/// ```
pub async fn open_connection(
    host: &str,
    port: u16,
    config: &Config,
) -> Result<(TlsStreamReader, TlsStreamWriter)> {
    let socket = Tcp::new(host, port).connect().await?;
    let (reader, writer) = TlsStream::open(socket, config, csrand).await?.split();
    Ok((
        crate::io::StreamReader::new(reader),
        crate::io::StreamWriter::new(writer),
    ))
}

/// TLS connections to `host:port`, one per [`Connect::connect`]: what the MQTT client is given
/// to reach a broker's TLS listener.
///
/// ```no_run
/// use asyncio::mqtt::{Client, Config as MqttConfig};
/// use asyncio::tls::{connector, Config};
///
/// # fn f(ca: &[u8]) {
/// let broker = connector("broker.local", 8883, Config::new(ca, "broker.local"));
/// let mqtt = Client::new(broker, MqttConfig::new("node-1"));
/// # let _ = mqtt; }
/// ```
pub fn connector(host: &str, port: u16, config: Config) -> Tls<Tcp> {
    Tls::new(Tcp::new(host, port), config, csrand)
}

extern "C" {
    fn asyncio_csrand(dst: *mut core::ffi::c_void, len: usize) -> core::ffi::c_int;
}

/// Zephyr's cryptographically secure random numbers (`sys_csrand_get`), the handshakes'
/// [`Entropy`].
///
/// # Panics
/// If the entropy driver fails: a handshake must not go on with predictable keys, and a
/// board whose entropy source is broken cannot make one.
///
/// ```no_run
/// fn nonce() -> [u8; 12] {
///     let mut nonce = [0u8; 12];
///     asyncio::tls::csrand(&mut nonce);
///     nonce
/// }
/// ```
pub fn csrand(buf: &mut [u8]) {
    // SAFETY: `buf` is valid for writes of its length; sys_csrand_get writes at most that.
    let status = unsafe { asyncio_csrand(buf.as_mut_ptr().cast(), buf.len()) };
    assert!(
        status == 0,
        "sys_csrand_get failed ({status}): no entropy for TLS"
    );
}
