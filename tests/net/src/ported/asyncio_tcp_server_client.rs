//! `multi_net/asyncio_tcp_server_client.py`: a server echoing a client's message, with
//! `get_extra_info("peername")` (here `peername()`). Both instances are ported.

use super::prelude::*;

async fn handle_connection(
    out: Out,
    ev: Rc<Event>,
    mut reader: StreamReader,
    mut writer: StreamWriter,
) -> Result<()> {
    // Test that peername exists (but don't check its value, it changes)
    if writer.peername().is_none() {
        return Err(Error::ValueError);
    }
    let data = reader.read(100).await?;
    say!(out, "echo: {}", py_bytes(&data));
    writer.write(&data);
    writer.drain().await?;
    close_and_finish(&out, &mut writer, &ev).await
}

pub async fn instance0(mt: &mut Multitest<'_>) -> Result<()> {
    serve_until_done(mt, true, handle_connection).await
}

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let message = b"client data";
    let (mut reader, mut writer) = open_connection("127.0.0.1", mt.port).await?;
    say!(out, "write: {}", py_bytes(message));
    writer.write(message);
    writer.drain().await?;
    let data = reader.read(100).await?;
    say!(out, "read: {}", py_bytes(&data));
    Ok(())
}
