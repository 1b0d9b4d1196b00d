//! `multi_net/asyncio_tcp_close_write.py`: writing to a stream after closing it. MicroPython
//! raises `OSError` from the write; here `drain` returns `Error::Closed`, printed as the
//! `OSError` it stands for. Both instances are ported.

use super::prelude::*;

async fn handle_connection(
    out: Out,
    ev: Rc<Event>,
    mut reader: StreamReader,
    mut writer: StreamWriter,
) -> Result<()> {
    // Write data to ensure connection
    writer.write(b"x");
    writer.drain().await?;
    // Read, should return nothing
    say!(out, "read: {}", py_bytes(&reader.read(100).await?));
    // Close connection
    close_and_finish(&out, &mut writer, &ev).await
}

pub async fn instance0(mt: &mut Multitest<'_>) -> Result<()> {
    serve_until_done(mt, true, handle_connection).await
}

pub async fn instance1(mt: &mut Multitest<'_>) -> Result<()> {
    mt.next().await?;
    let out = mt.out.clone();
    let (mut reader, mut writer) = open_connection("127.0.0.1", mt.port).await?;
    // Read data to ensure connection
    say!(out, "read: {}", py_bytes(&reader.read(1).await?));
    // Close connection
    say!(out, "close");
    writer.close();
    writer.wait_closed().await?;
    // Try writing data to the closed connection
    say!(out, "write");
    writer.write(b"x");
    match writer.drain().await {
        Err(Error::Closed | Error::Os(_) | Error::ConnectionReset) => say!(out, "OSError"),
        other => other?,
    }
    Ok(())
}
