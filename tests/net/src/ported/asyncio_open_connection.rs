//! `net_inet/asyncio_open_connection.py`: an HTTP GET with `open_connection`. The server is a
//! local HTTP server on the host's port instead of micropython.org:80.

use super::prelude::*;

pub async fn run(mt: &mut Multitest<'_>) -> Result<()> {
    let out = mt.out.clone();
    let (mut reader, mut writer) = http_get(mt).await?;
    say!(out, "read response");
    let data = reader.read(100).await?;
    let first = data.split(|&b| b == b'\r').next().unwrap_or_default();
    say!(out, "read: {}", py_bytes(first));
    say!(out, "close");
    writer.close();
    writer.wait_closed().await?;
    say!(out, "done");
    Ok(())
}
