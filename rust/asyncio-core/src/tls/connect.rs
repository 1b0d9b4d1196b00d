//! [`Tls`]: a [`Connect`] that wraps each connection another one opens in TLS.

use super::{Config, Entropy, TlsStream};
use crate::io::Connect;
use crate::Result;

/// Opens TLS connections over the connections `inner` opens: each [`connect`](Connect::connect)
/// connects, then runs the handshake as `config` says. Give it to the MQTT client (or the HTTP
/// client) in place of the plain connector.
///
/// ```
/// use asyncio_core::io::Connect;
/// use asyncio_core::tls::{Config, Tls};
/// # struct Plain;
/// # struct Wire;
/// # impl asyncio_core::io::ErrorType for Wire { type Error = asyncio_core::Error; }
/// # impl asyncio_core::io::Read for Wire {
/// #     async fn read(&mut self, _: &mut [u8]) -> asyncio_core::Result<usize> { Ok(0) }
/// # }
/// # impl asyncio_core::io::Write for Wire {
/// #     async fn write(&mut self, b: &[u8]) -> asyncio_core::Result<usize> { Ok(b.len()) }
/// #     async fn flush(&mut self) -> asyncio_core::Result<()> { Ok(()) }
/// # }
/// # impl Connect for Plain {
/// #     type Transport = Wire;
/// #     async fn connect(&mut self) -> asyncio_core::Result<Wire> {
/// #         Err(asyncio_core::Error::ConnectionRefused)
/// #     }
/// # }
/// # let ca: &[u8] = &[];
/// fn csrand(buf: &mut [u8]) {
///     # buf.fill(4); // a device fills it from its CSPRNG
/// }
/// let mut broker = Tls::new(Plain, Config::new(ca, "broker.local"), csrand);
/// let refused = asyncio_core::run(async move { broker.connect().await.err() }).unwrap();
/// assert_eq!(refused, Some(asyncio_core::Error::ConnectionRefused)); // the inner error
/// ```
pub struct Tls<C> {
    inner: C,
    config: Config,
    entropy: Entropy,
}

impl<C: Connect> Tls<C> {
    /// TLS as `config` says over `inner`'s connections, with random numbers from `entropy`
    /// (see the type's example).
    ///
    /// ```
    /// # use asyncio_core::tls::{Config, Tls};
    /// # fn with<C: asyncio_core::io::Connect>(tcp: C, entropy: asyncio_core::tls::Entropy) {
    /// let broker = Tls::new(tcp, Config::insecure(), entropy);
    /// # let _ = broker; }
    /// ```
    pub fn new(inner: C, config: Config, entropy: Entropy) -> Self {
        Tls {
            inner,
            config,
            entropy,
        }
    }
}

impl<C: Connect> Connect for Tls<C>
where
    C::Transport: 'static,
{
    type Transport = TlsStream<C::Transport>;

    async fn connect(&mut self) -> Result<Self::Transport> {
        let transport = self.inner.connect().await?;
        TlsStream::open(transport, &self.config, self.entropy).await
    }
}
