//! `net_inet/asyncio_tls_open_connection_readline.py`: an HTTP/1.0 GET over TLS, the
//! response read line by line to its end. Against the host's HTTPS server (Python's
//! `http.server` in an `ssl` context, with the run's certificate) instead of
//! micropython.org:443 and its Let's Encrypt root.

use super::prelude::*;

pub async fn run(mt: &mut Multitest<'_>) -> Result<()> {
    let out = mt.out.clone();
    let (mut reader, mut writer) = tls_connection(mt, "micropython.local").await?;
    say!(out, "write GET");
    writer.write(b"GET / HTTP/1.0\r\n\r\n");
    writer.drain().await?;
    say!(out, "read response");
    loop {
        let data = reader.readline().await?;
        // avoid printing datetime which makes the test fail
        if !data.windows(3).any(|w| w == b"GMT") {
            say!(out, "read: {}", py_bytes(&data));
        }
        if data.is_empty() {
            break;
        }
    }
    say!(out, "close");
    writer.close();
    writer.wait_closed().await?;
    say!(out, "done");
    Ok(())
}
