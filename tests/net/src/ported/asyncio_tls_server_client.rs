//! `multi_net/asyncio_tls_server_client.py`: a TLS client sends a message and reads the
//! echo. This device plays the client (instance 1); the server is CPython's `ssl` (TLS here
//! is a client only, embedded-tls's), with a certificate the host made for the run in place
//! of MicroPython's `ec_cert.der`.

use super::prelude::*;

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let message = b"client data";
    let (mut reader, mut writer) = tls_connection(mt, "micropython.local").await?;
    say!(out, "write: {}", py_bytes(message));
    writer.write(message);
    writer.drain().await?;
    let data = reader.read(100).await?;
    say!(out, "read: {}", py_bytes(&data));
    Ok(())
}
