//! asyncio streams, portable part: [`StreamReader`] and [`StreamWriter`] put MicroPython's
//! `readline()`, `readexactly()`, `write()` + `drain()` on top of any byte transport that
//! implements the ecosystem's [`embedded_io_async`] traits with asyncio's [`Error`].
//!
//! The Zephyr layer's TCP sockets (`asyncio::net`) are one such transport; the framing here
//! knows nothing about them, so it is tested (and property-tested over random chunking) on the
//! host.
//!
//! Both halves are cancel-safe: a `readline()` cancelled while waiting keeps every byte it has
//! buffered for the next read, and a `drain()` cancelled while waiting keeps every byte not yet
//! sent for the next `drain()`. Errors consume nothing either: after `LineTooLong` or
//! `IncompleteRead` the bytes are still in the reader ([`StreamReader::buffered`]).

mod connect;
mod reader;
mod writer;

pub use connect::Connect;

pub use embedded_io_async::{BufRead, ErrorKind, ErrorType, Read, Write};
pub use reader::{StreamReader, DEFAULT_LINE_LIMIT};
pub use writer::{StreamWriter, Transport, WriteNow};

use crate::Error;

/// Transports that cannot fail (in-memory buffers) work under streams too.
impl From<core::convert::Infallible> for Error {
    fn from(never: core::convert::Infallible) -> Self {
        match never {}
    }
}

impl embedded_io_async::Error for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::ConnectionRefused => ErrorKind::ConnectionRefused,
            Error::ConnectionReset => ErrorKind::ConnectionReset,
            Error::Closed => ErrorKind::NotConnected,
            Error::Timeout => ErrorKind::TimedOut,
            Error::Cancelled => ErrorKind::Interrupted,
            Error::LineTooLong { .. }
            | Error::Truncated { .. }
            | Error::TooLarge { .. }
            | Error::Protocol
            | Error::Certificate => ErrorKind::InvalidData,
            Error::HostNotFound | Error::ValueError => ErrorKind::InvalidInput,
            Error::PoolFull | Error::NoMemory => ErrorKind::OutOfMemory,
            _ => ErrorKind::Other,
        }
    }
}

impl Error {
    /// The asyncio error for an `embedded-io` error kind, for protocol crates that keep only
    /// the kind of their transport's error: a cancellation stays one, a connection's end is a
    /// reset.
    #[cfg_attr(
        not(any(feature = "mqtt", feature = "http", feature = "tls")),
        allow(dead_code, reason = "used by the protocol clients")
    )]
    pub(crate) fn from_kind(kind: ErrorKind) -> Error {
        match kind {
            ErrorKind::Interrupted => Error::Cancelled,
            ErrorKind::ConnectionRefused => Error::ConnectionRefused,
            ErrorKind::TimedOut => Error::Timeout,
            ErrorKind::OutOfMemory => Error::NoMemory,
            _ => Error::ConnectionReset,
        }
    }
}
