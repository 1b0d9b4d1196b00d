//! `multi_net/asyncio_tls_server_client_verify_error.py`: the client expects another name
//! than the server's certificate carries. This device plays the client.
//!
//! Difference: the handshake runs inside `open_connection` (as CPython's does), not at the
//! first `drain()` (MicroPython's lazy handshake), so the error comes from there, before
//! `write:` and `drain` are printed, and reads `the peer's TLS certificate failed
//! verification` where mbedTLS says the Common Name does not match.

use super::prelude::*;

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let message = b"client data";
    // incorrect server_hostname
    match tls_connection(mt, "foobar.local").await {
        Ok((_reader, mut writer)) => {
            say!(out, "write: {}", py_bytes(message));
            writer.write(message);
            say!(out, "drain");
            writer.drain().await?;
        }
        Err(e) => say!(out, "{e}"),
    }
    say!(out, "client done");
    Ok(())
}
