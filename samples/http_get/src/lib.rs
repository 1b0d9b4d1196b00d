//! An HTTP/1.0 GET over asyncio streams: connect, send the request, read the status line and
//! headers line by line, then the body, while a heartbeat task keeps running.
//!
//! On native_sim the sockets are host sockets: serve something on the host first, e.g.
//! `python3 -m http.server 8080 --bind 127.0.0.1`. The sample retries while nobody listens.

#![no_std]

extern crate alloc;

use alloc::string::String;

use asyncio::net::open_connection;
use asyncio::{create_task, run, sleep_ms, timeout_ms, Error, Result};
use zephyr::printkln;

const HOST: &str = "127.0.0.1";
const PORT: u16 = 8080;
const PATH: &str = "/index.txt";

fn text(line: &[u8]) -> String {
    String::from(String::from_utf8_lossy(line).trim_end())
}

/// One GET: prints the status line and headers; returns the body's length.
async fn get(path: &str) -> Result<usize> {
    let (mut reader, mut writer) = open_connection(HOST, PORT).await?;
    writer.write(b"GET ");
    writer.write(path.as_bytes());
    writer.write(b" HTTP/1.0\r\nHost: ");
    writer.write(HOST.as_bytes());
    writer.write(b"\r\n\r\n");
    writer.drain().await?;

    printkln!("status: {}", text(&reader.readline().await?));
    loop {
        let header = reader.readline().await?;
        if header == b"\r\n" || header.is_empty() {
            break;
        }
        printkln!("header: {}", text(&header));
    }
    let body = reader.read_to_end().await?;
    writer.close();
    Ok(body.len())
}

async fn heartbeat() -> Result<()> {
    for beat in 1.. {
        printkln!("heartbeat {beat}");
        sleep_ms(250).await?;
    }
    Ok(())
}

async fn main_task() -> Result<()> {
    let _heartbeat = create_task(heartbeat());
    loop {
        // A bounded wait: a server that accepts and then says nothing cannot hang the sample.
        match timeout_ms(5000, get(PATH)).await {
            Ok(length) => {
                printkln!("body: {length} bytes");
                return Ok(());
            }
            Err(Error::ConnectionRefused) => {
                printkln!("nobody listens on {HOST}:{PORT} yet; retrying");
                sleep_ms(500).await?;
            }
            Err(e) => {
                printkln!("GET failed: {e}");
                return Err(e);
            }
        }
    }
}

#[no_mangle]
extern "C" fn rust_main() {
    let _ = run(main_task());
    printkln!("done");
}
