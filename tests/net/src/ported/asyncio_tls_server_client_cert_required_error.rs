//! `multi_net/asyncio_tls_server_client_cert_required_error.py`: the server requires a
//! client certificate and the client has none. This device plays the client.
//!
//! Difference: in TLS 1.3 the client's side of the handshake ends before the server judges
//! its (empty) certificate, so `open_connection`, `write` and `drain` succeed and the
//! server's alert arrives after them; the port reads once after `drain` to meet it, and
//! prints `the TLS handshake failed` where mbedTLS names its fatal-alert error.

use super::prelude::*;

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let message = b"client data";
    let (mut reader, mut writer) = tls_connection(mt, "micropython.local").await?;
    let sent: Result<()> = async {
        say!(out, "write: {}", py_bytes(message));
        writer.write(message);
        say!(out, "drain");
        writer.drain().await?;
        reader.read(100).await.map(drop)
    }
    .await;
    if let Err(e) = sent {
        say!(out, "{e}");
    }
    say!(out, "client done");
    Ok(())
}
