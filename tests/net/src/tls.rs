//! TLS against the host's peers: the CA the host made for this run (`ca <hex>`), and
//! `tls-fetch <port> <server name>`: a TLS client conversation (connect, send `hello`, read
//! one line back), answered with `got <line>` or the error, so that the host can offer a good
//! certificate, one from another CA, a server that hangs up mid-handshake or one without TLS
//! 1.3; and `tls-cancel-read <port> <server name>`: readlines cut by a 50 ms timeout over and
//! over while the host sends a record in pieces, until one returns: `line <text> cut=<n>`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use asyncio::tls::{open_connection, Config};
use asyncio::{drop_after_ms, Error, Result};

struct Trust(RefCell<Vec<u8>>);

// SAFETY: only the loop's thread runs tasks in this app; nothing else touches it.
unsafe impl Sync for Trust {}

static CA: Trust = Trust(RefCell::new(Vec::new()));

/// `ca <hex>`: the DER certificate the TLS clients trust from now on.
pub fn set_ca(hex: &str) -> Result<String> {
    let der = zephyr_testkit::from_hex(hex).ok_or(Error::ValueError)?;
    let n = der.len();
    *CA.0.borrow_mut() = der;
    Ok(format!("ca {n} bytes"))
}

/// The client config of this run: the host's CA, for `server_name`.
pub fn config(server_name: &str) -> Config {
    Config::new(&CA.0.borrow(), server_name)
}

/// `tls-fetch`: the TLS twin of `fetch`.
pub async fn fetch(port: u16, server_name: &str) -> Result<String> {
    let (mut reader, mut writer) = open_connection("127.0.0.1", port, &config(server_name)).await?;
    writer.write(b"hello\n");
    writer.drain().await?;
    let line = reader.readline().await?;
    writer.wait_closed().await?;
    Ok(format!("got {}", String::from_utf8_lossy(&line).trim_end()))
}

/// `tls-cancel-read`: every cancelled readline leaves the stream whole, even one cut in the
/// middle of a record.
pub async fn cancel_read(port: u16, server_name: &str) -> Result<String> {
    let (mut reader, writer) = open_connection("127.0.0.1", port, &config(server_name)).await?;
    let mut cut = 0;
    let line = loop {
        match drop_after_ms(50, reader.readline()).await {
            Err(Error::Timeout) => cut += 1,
            Ok(line) => break line?,
            Err(e) => return Err(e),
        }
    };
    drop(writer);
    Ok(format!(
        "line {} cut={cut}",
        String::from_utf8_lossy(&line).trim_end()
    ))
}
