//! [`Config`]: what a TLS client trusts, the name it expects, and what it shows.

use alloc::string::String;
use alloc::vec::Vec;

/// The largest TLS record (2^14 bytes of data plus the record's overhead, RFC 8446 5.2): a
/// peer may send records this large, so the receive buffer must hold one.
pub(super) const RECORD_MAX: usize = 16_640;

/// The default send buffer: records up to this size are sent, larger writes are cut.
pub(super) const SEND_BUFFER: usize = 4096;

/// How a TLS client connects: the CA it trusts and the server name it expects (verification
/// is on unless the config says [`insecure`](Self::insecure)), optionally a client certificate
/// for servers that ask for one.
///
/// ```
/// use asyncio_core::tls::Config;
///
/// # let (ca, cert, key): (&[u8], &[u8], &[u8]) = (&[], &[], &[]);
/// let config = Config::new(ca, "camera.example")
///     .with_client_certificate(cert, key) // for a broker that requires one
///     .with_send_buffer(1024);            // smaller records, less RAM
/// assert_eq!(config.server_name(), Some("camera.example"));
///
/// let lab = Config::insecure(); // encrypts, trusts anyone: for a bench, never a product
/// assert!(!lab.verifies());
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    pub(super) ca: Option<Vec<u8>>,
    pub(super) server_name: Option<String>,
    pub(super) client: Option<(Vec<u8>, Vec<u8>)>,
    pub(super) send_buffer: usize,
}

impl Config {
    /// Verifies the server: its certificate must be signed by `ca_der` (a DER certificate;
    /// the server's own self-signed one works too) and carry `server_name`, which is also sent
    /// as the handshake's SNI.
    ///
    /// ```
    /// # let ca_der: &[u8] = &[];
    /// let config = asyncio_core::tls::Config::new(ca_der, "broker.local");
    /// assert!(config.verifies());
    /// ```
    pub fn new(ca_der: &[u8], server_name: &str) -> Self {
        Config {
            ca: Some(ca_der.into()),
            server_name: Some(server_name.into()),
            client: None,
            send_buffer: SEND_BUFFER,
        }
    }

    /// Encrypts without verifying who the server is: anyone on the path can pose as it.
    /// For a lab bench; MicroPython's `ssl.CERT_NONE`.
    ///
    /// ```
    /// let bench = asyncio_core::tls::Config::insecure();
    /// assert!(!bench.verifies() && bench.server_name().is_none());
    /// ```
    pub fn insecure() -> Self {
        Config {
            ca: None,
            server_name: None,
            client: None,
            send_buffer: SEND_BUFFER,
        }
    }

    /// Shows the server this certificate (DER) and proves it with `key_der` (a SEC1 DER P-256
    /// private key), for servers that require client certificates.
    ///
    /// ```
    /// # let (ca, cert, key): (&[u8], &[u8], &[u8]) = (&[], &[], &[]);
    /// use asyncio_core::tls::Config;
    /// let config = Config::new(ca, "broker.local").with_client_certificate(cert, key);
    /// # let _ = config;
    /// ```
    pub fn with_client_certificate(mut self, cert_der: &[u8], key_der: &[u8]) -> Self {
        self.client = Some((cert_der.into(), key_der.into()));
        self
    }

    /// The send buffer's size in bytes (default 4096, at least 256): each record sent holds at
    /// most this much. The receive buffer is always one full record (16 640 bytes), as a
    /// server may send that much at once.
    ///
    /// ```
    /// let small = asyncio_core::tls::Config::insecure().with_send_buffer(1024);
    /// # let _ = small;
    /// ```
    pub fn with_send_buffer(mut self, bytes: usize) -> Self {
        self.send_buffer = bytes.max(256);
        self
    }

    /// Whether the server's certificate is verified.
    pub fn verifies(&self) -> bool {
        self.ca.is_some()
    }

    /// The name the server's certificate must carry, if any.
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }
}
