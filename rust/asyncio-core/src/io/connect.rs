//! [`Connect`]: how a client that reconnects by itself opens each new connection.

use super::{Read, Write};
use crate::Result;
use core::future::Future;

/// Opens a new transport to a peer, once per connection attempt: what a client that
/// reconnects by itself (the MQTT client) is given instead of a
/// connection. On Zephyr `asyncio::net::Tcp` opens TCP connections; any other transport with
/// the `embedded-io-async` traits works the same way.
///
/// ```
/// use asyncio_core::io::Connect;
/// use asyncio_core::{Error, Result};
///
/// /// A broker that is never there: every attempt is refused.
/// struct Away;
///
/// # struct Wire;
/// # impl asyncio_core::io::ErrorType for Wire { type Error = Error; }
/// # impl asyncio_core::io::Read for Wire {
/// #     async fn read(&mut self, _: &mut [u8]) -> Result<usize> { Ok(0) }
/// # }
/// # impl asyncio_core::io::Write for Wire {
/// #     async fn write(&mut self, b: &[u8]) -> Result<usize> { Ok(b.len()) }
/// #     async fn flush(&mut self) -> Result<()> { Ok(()) }
/// # }
/// impl Connect for Away {
///     type Transport = Wire;
///     async fn connect(&mut self) -> Result<Self::Transport> {
///         Err(Error::ConnectionRefused)
///     }
/// }
/// # let _ = Away;
/// ```
pub trait Connect {
    /// The byte stream to the peer.
    type Transport: Read + Write;

    /// Opens a new connection.
    fn connect(&mut self) -> impl Future<Output = Result<Self::Transport>>;
}
