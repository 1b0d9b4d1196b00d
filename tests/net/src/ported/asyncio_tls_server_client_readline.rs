//! `multi_net/asyncio_tls_server_client_readline.py`: two lines over TLS, read back with
//! `readline()`. This device plays the client, as in `asyncio_tls_server_client`.

use super::prelude::*;

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let message = b"client data\nclient data2\n";
    let (mut reader, mut writer) = tls_connection(mt, "micropython.local").await?;
    say!(out, "write: {}", py_bytes(message));
    writer.write(message);
    writer.drain().await?;
    let data = reader.readline().await?;
    say!(out, "read: {}", py_bytes(&data));
    let data2 = reader.readline().await?;
    say!(out, "read: {}", py_bytes(&data2));
    Ok(())
}
