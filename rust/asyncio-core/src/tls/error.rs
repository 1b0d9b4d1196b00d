//! How `embedded-tls`'s errors map onto asyncio's [`Error`].

use crate::Error;
use embedded_tls::TlsError;

/// The asyncio error for a TLS failure. The transport's own errors keep their meaning (a
/// cancellation stays one); the server's certificate failing verification is
/// [`Error::Certificate`]; an alert from the peer or a message we cannot accept ends the
/// handshake with [`Error::Handshake`]; a peer that hangs up mid-handshake is a reset.
pub(super) fn tls_error(error: TlsError) -> Error {
    match error {
        TlsError::Io(kind) => Error::from_kind(kind),
        TlsError::IoError | TlsError::ConnectionClosed => Error::ConnectionReset,
        TlsError::InvalidCertificate
        | TlsError::InvalidCertificateEntry
        | TlsError::InvalidSignature
        | TlsError::InvalidSignatureScheme => Error::Certificate,
        TlsError::OutOfMemory | TlsError::InsufficientSpace => Error::NoMemory,
        TlsError::MissingHandshake => Error::Closed,
        _ => Error::Handshake,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_io_async::ErrorKind;

    #[test]
    fn the_transport_errors_keep_their_meaning() {
        assert_eq!(
            tls_error(TlsError::Io(ErrorKind::Interrupted)),
            Error::Cancelled
        );
        assert_eq!(tls_error(TlsError::Io(ErrorKind::TimedOut)), Error::Timeout);
        assert_eq!(tls_error(TlsError::IoError), Error::ConnectionReset);
    }

    #[test]
    fn a_bad_certificate_is_told_apart_from_a_failed_handshake() {
        assert_eq!(tls_error(TlsError::InvalidCertificate), Error::Certificate);
        assert_eq!(tls_error(TlsError::InvalidSignature), Error::Certificate);
        assert_eq!(tls_error(TlsError::InvalidCipherSuite), Error::Handshake);
    }
}
