//! [`TlsStream`]: one TLS connection over a transport, owning its record buffers.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;

use embedded_tls::pki::CertVerifier;
use embedded_tls::{
    Certificate, CryptoProvider, CryptoRngCore, NoClock, SignatureScheme, TlsConfig, TlsConnection,
    TlsContext, TlsError, TlsVerifier,
};
use p256::ecdsa::{DerSignature, SigningKey};

use super::config::{Config, RECORD_MAX};
use super::entropy::{Entropy, EntropyRng};
use super::error::tls_error;
use super::framing::{Framed, Framing};
use super::Suite;
use crate::io::{ErrorType, Read, Write};
use crate::{Error, Result};

/// The largest server certificate kept between its arrival and the check of its signature.
const CERT_MAX: usize = 4096;

/// An open TLS connection over `T` (the handshake done, the server verified unless the config
/// is [`insecure`](super::Config::insecure)): reads decrypt, writes encrypt. It implements the
/// `embedded-io-async` traits with asyncio's [`Error`], so protocol crates and
/// [`StreamReader`](crate::io::StreamReader) run on it as on a socket; [`split`](Self::split)
/// gives a reader and a writer for two tasks.
///
/// Cancellation: a cancelled `read` loses nothing, even in the middle of a record (the
/// transport under embedded-tls follows the record framing and hands a cut record's header
/// out again: see `framing.rs`). A `flush` cancelled while a record is half sent leaves the
/// stream unusable, and every later operation fails with [`Error::Closed`] (TLS cannot resend
/// half a record).
/// The peer closing the connection, with TLS's close_notify or without (CPython's
/// `suppress_ragged_eofs`), is the end of the stream: `read` returns 0.
///
/// ```no_run
/// # async fn f<T: asyncio_core::io::Read + asyncio_core::io::Write + 'static>(
/// #     socket: T, ca: &[u8], csrand: asyncio_core::tls::Entropy,
/// # ) -> asyncio_core::Result<()> {
/// use asyncio_core::io::{Read, Write};
/// use asyncio_core::tls::{Config, TlsStream};
///
/// let config = Config::new(ca, "sensor-hub.local");
/// let mut tls = TlsStream::open(socket, &config, csrand).await?; // Err(Certificate) if forged
/// tls.write_all(b"ping\n").await?;
/// tls.flush().await?; // one record on the wire
/// let mut reply = [0; 16];
/// let n = tls.read(&mut reply).await?;
/// # let _ = n; Ok(()) }
/// ```
pub struct TlsStream<T: Read + Write + 'static> {
    /// Borrows `buffers` for its whole life: dropped first (see `Drop`).
    pub(super) connection: ManuallyDrop<TlsConnection<'static, Framed<T>, Suite>>,
    /// Where the transport is in the record stream (for a read after a cancelled one).
    pub(super) framing: Rc<Framing>,
    /// The receive buffer (one full record) followed by the send buffer, one allocation.
    buffers: NonNull<[u8]>,
    pub(super) state: EndState,
}

/// What the stream has met that ends it for good.
#[derive(Clone, Copy, Default)]
pub(super) struct EndState {
    /// The peer closed: reads return 0.
    ended: bool,
    /// A send was cancelled half way: every operation fails.
    broken: bool,
}

impl EndState {
    /// Fails if a cancelled send broke the stream.
    pub(super) fn check(&self) -> Result<()> {
        if self.broken {
            Err(Error::Closed)
        } else {
            Ok(())
        }
    }

    /// Runs a read: the peer's close is the end of the stream, forever after. A read
    /// cancelled before it ends leaves `framing` to start the record over next time.
    pub(super) async fn receive<
        F: core::future::Future<Output = core::result::Result<usize, TlsError>>,
    >(
        &mut self,
        framing: &Framing,
        read: F,
    ) -> Result<usize> {
        self.check()?;
        if self.ended {
            return Ok(0);
        }
        framing.begin_read();
        let read = read.await;
        framing.end_read();
        match read {
            Ok(n) => Ok(n),
            Err(TlsError::ConnectionClosed | TlsError::IoError) => {
                self.ended = true;
                Ok(0)
            }
            Err(error) => Err(tls_error(error)),
        }
    }

    /// Runs a send, marking the stream broken if it is dropped before it finishes.
    pub(super) async fn send<
        F: core::future::Future<Output = core::result::Result<R, TlsError>>,
        R,
    >(
        &mut self,
        send: F,
    ) -> Result<R> {
        self.check()?;
        self.broken = true;
        let result = send.await.map_err(tls_error);
        self.broken = false;
        result
    }
}

impl<T: Read + Write + 'static> TlsStream<T> {
    /// Runs the handshake over `transport` (a connected byte stream) as `config` says, with
    /// random numbers from `entropy`.
    ///
    /// Errors: [`Error::Certificate`] when the server's certificate is not signed by the
    /// config's CA, is for another name, or its signature does not hold;
    /// [`Error::Handshake`] when the server refuses (an alert: it wants a client certificate,
    /// speaks no TLS 1.3...); [`Error::ConnectionReset`] when it hangs up mid-handshake;
    /// [`Error::NoMemory`] when the record buffers do not fit in the heap; the transport's
    /// errors as they are.
    ///
    /// ```no_run
    /// # async fn f<T: asyncio_core::io::Read + asyncio_core::io::Write + 'static>(
    /// #     socket: T, entropy: asyncio_core::tls::Entropy, ca: &[u8],
    /// # ) {
    /// use asyncio_core::{tls::{Config, TlsStream}, Error};
    /// match TlsStream::open(socket, &Config::new(ca, "hub.local"), entropy).await {
    ///     Ok(tls) => drop(tls),
    ///     Err(Error::Certificate) => log::error!("not our hub: nothing sent"),
    ///     Err(e) => log::warn!("no TLS connection: {e}"),
    /// }
    /// # }
    /// ```
    pub async fn open(transport: T, config: &Config, entropy: Entropy) -> Result<Self> {
        let mut buffers = Vec::new();
        buffers
            .try_reserve_exact(RECORD_MAX + config.send_buffer)
            .map_err(|_| Error::NoMemory)?;
        buffers.resize(RECORD_MAX + config.send_buffer, 0);
        let buffers = NonNull::from(Box::leak(buffers.into_boxed_slice()));
        // SAFETY: `buffers` is a live allocation only this stream frees (in `Drop`, after the
        // connection that borrows it is dropped), so both halves outlive every use of them.
        let (receive, send) = unsafe { &mut *buffers.as_ptr() }.split_at_mut(RECORD_MAX);
        let (transport, framing) = Framed::new(transport);
        let mut stream = TlsStream {
            connection: ManuallyDrop::new(TlsConnection::new(transport, receive, send)),
            framing,
            buffers,
            state: EndState::default(),
        };
        let mut tls_config = TlsConfig::new();
        if let Some(name) = config.server_name() {
            tls_config = tls_config.with_server_name(name);
        }
        let provider = Provider {
            rng: EntropyRng(entropy),
            verifier: config
                .ca
                .as_deref()
                .map(|ca| CertVerifier::new(Certificate::X509(ca))),
            client: config.client.as_ref().map(|(c, k)| (&c[..], &k[..])),
        };
        stream
            .connection
            .open(TlsContext::new(&tls_config, provider))
            .await
            .map_err(|error| {
                log::warn!("TLS handshake failed: {error:?}");
                tls_error(error)
            })?;
        Ok(stream)
    }
}

impl<T: Read + Write + 'static> Drop for TlsStream<T> {
    fn drop(&mut self) {
        // SAFETY: the connection is dropped once, here, before the buffers it borrows are
        // freed; `buffers` came from `Box::leak` in `open` and nothing else frees it.
        unsafe {
            ManuallyDrop::drop(&mut self.connection);
            drop(Box::from_raw(self.buffers.as_ptr()));
        }
    }
}

impl<T: Read + Write + 'static> ErrorType for TlsStream<T> {
    type Error = Error;
}

impl<T: Read + Write + 'static> Read for TlsStream<T> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize> {
        let connection = &mut *self.connection;
        self.state
            .receive(&self.framing, connection.read(buf))
            .await
    }
}

impl<T: Read + Write + 'static> Write for TlsStream<T> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize> {
        let connection = &mut *self.connection;
        self.state.send(connection.write(buf)).await
    }

    async fn flush(&mut self) -> Result<()> {
        let connection = &mut *self.connection;
        self.state.send(connection.flush()).await
    }
}

/// What the handshake needs from us: random numbers, the verifier, the client certificate.
struct Provider<'a> {
    rng: EntropyRng,
    verifier: Option<CertVerifier<'a, Suite, NoClock, CERT_MAX>>,
    /// The client certificate and its private key, both DER.
    client: Option<(&'a [u8], &'a [u8])>,
}

impl CryptoProvider for Provider<'_> {
    type CipherSuite = Suite;
    type Signature = DerSignature;

    fn rng(&mut self) -> impl CryptoRngCore {
        &mut self.rng
    }

    fn verifier(&mut self) -> core::result::Result<&mut impl TlsVerifier<Suite>, TlsError> {
        // No verifier (an insecure config): embedded-tls then accepts any certificate.
        self.verifier.as_mut().ok_or(TlsError::Unimplemented)
    }

    fn signer(
        &mut self,
    ) -> core::result::Result<(impl signature::SignerMut<DerSignature>, SignatureScheme), TlsError>
    {
        let (_, key) = self.client.ok_or(TlsError::InvalidPrivateKey)?;
        let key = p256::SecretKey::from_sec1_der(key).map_err(|_| TlsError::InvalidPrivateKey)?;
        Ok((
            SigningKey::from(&key),
            SignatureScheme::EcdsaSecp256r1Sha256,
        ))
    }

    fn client_cert(&mut self) -> Option<Certificate<impl AsRef<[u8]>>> {
        self.client.map(|(cert, _)| Certificate::X509(cert))
    }
}
