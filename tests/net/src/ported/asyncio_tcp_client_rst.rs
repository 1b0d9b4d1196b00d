//! `multi_net/asyncio_tcp_client_rst.py`: a server whose client resets the connection (TCP
//! RST, `SO_LINGER` 0) part way through a read. This device plays instance 0, the server; the
//! host plays instance 1 (a raw socket; this module has no socket options to play it).
//!
//! One difference: the original's `.exp` comes from a board whose TCP stack (lwIP) drops the
//! bytes not read yet when the reset arrives, so its second read raises at once. native_sim's
//! sockets are Linux's, which still delivers the bytes that arrived before the reset: the
//! port's second read returns them (printed), and the reset comes with the read after it.

use super::prelude::*;

/// The errno a Zephyr socket (and the host's, under NSOS) reports for a reset.
const ECONNRESET: i32 = 104;

async fn handle_connection(
    out: Out,
    ev: Rc<Event>,
    mut reader: StreamReader,
    mut writer: StreamWriter,
) -> Result<()> {
    let data = reader.read(10).await?; // should succeed
    say!(out, "{}", py_bytes(&data));
    sleep_ms(200).await?; // wait for client to drop connection
    loop {
        match reader.read(100).await {
            // What arrived before the reset, then (on Linux) the reset.
            Ok(data) if !data.is_empty() => say!(out, "{}", py_bytes(&data)),
            Ok(_) => {
                writer.close();
                writer.wait_closed().await?;
                break;
            }
            Err(Error::ConnectionReset) => {
                say!(out, "OSError {ECONNRESET}");
                break;
            }
            Err(Error::Os(errno)) => {
                say!(out, "OSError {}", -errno);
                break;
            }
            Err(e) => return Err(e),
        }
    }
    ev.set();
    Ok(())
}

pub async fn instance0(mt: &mut Multitest<'_>) -> Result<()> {
    serve_until_done(mt, false, handle_connection).await
}
