//! TLS 1.3 on any transport (feature `tls`): [`TlsStream`] encrypts a byte stream that
//! implements the `embedded-io-async` traits (a TCP socket, on Zephyr), and [`Tls`] is a
//! [`Connect`](crate::io::Connect) that opens such streams, one per connection, for the clients
//! that reconnect by themselves (MQTT) or open one connection per request (HTTP).
//!
//! The protocol is drogue-iot's `embedded-tls` (pure Rust, `no_std`, written against the same
//! `embedded-io-async` traits as our streams): no C library to port, nothing blocking the loop,
//! and the same code on every board. It speaks TLS 1.3 only, with AES-128-GCM and P-256
//! (ECDSA) certificates; a TLS 1.2-only peer fails the handshake with [`Error::Handshake`](crate::Error::Handshake).
//!
//! The server's certificate is verified by default: [`Config::new`] takes the CA certificate
//! (DER) that must have signed it and the name it must carry; a certificate from another CA,
//! for another name, or with a bad signature fails the connection with
//! [`Error::Certificate`](crate::Error::Certificate). Only [`Config::insecure`], named so on purpose, turns that off.
//! Without a wall clock the certificate's validity dates are not checked (devices rarely know
//! the date before they are online; see `docs/semantics.md`).
//!
//! ```
//! use asyncio_core::tls::Config;
//!
//! # let ca_der: &[u8] = &[];
//! // Verified against our CA, for the name the broker's certificate carries.
//! let config = Config::new(ca_der, "broker.local");
//! assert!(config.verifies());
//! ```

mod config;
mod connect;
mod entropy;
mod error;
mod framing;
mod halves;
mod stream;

pub use config::Config;
pub use connect::Tls;
pub use entropy::Entropy;
pub use halves::{TlsReadHalf, TlsWriteHalf};
pub use stream::TlsStream;

/// The one cipher suite offered: mandatory for every TLS 1.3 implementation (RFC 8446, 9.1).
type Suite = embedded_tls::Aes128GcmSha256;
