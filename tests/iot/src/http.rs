//! HTTP commands, against the host's HTTP server on 127.0.0.1:`port`:
//!
//! - `http-get <port> <path>`: `status <code> <content type or -> <body>` (the body as text);
//! - `http-upload <port> <bytes> <chunk>`: POSTs a frame of `bytes` bytes (byte `i` is
//!   `i % 251`) to `/frames`, chunked in slices of `chunk` bytes, straight from its buffer;
//!   answers as `http-get`;
//! - `https-upload <port> <bytes> <chunk> <server name> <CA hex>`: the same upload over TLS
//!   (`fetch_tls`), trusting the CA for the server name;
//! - `http-serve <port>`: the server side, see [`crate::web`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use asyncio::http::{self, Body, Response};
use asyncio::tls::Config as TlsConfig;
use asyncio::{Error, Result};

fn number<T: core::str::FromStr>(word: &str) -> Result<T> {
    word.parse().map_err(|_| Error::ValueError)
}

fn answer(response: Response) -> String {
    format!(
        "status {} {} {}",
        response.status,
        response.content_type.as_deref().unwrap_or("-"),
        String::from_utf8_lossy(&response.body)
    )
}

/// Runs `words` if it is an HTTP command.
pub async fn command(words: &[&str]) -> Option<Result<String>> {
    Some(match *words {
        ["http-get", port, path] => get(port, path).await,
        ["http-upload", port, bytes, chunk] => upload(port, bytes, chunk, None).await,
        ["https-upload", port, bytes, chunk, name, ca] => match zephyr_testkit::from_hex(ca) {
            Some(ca) => upload(port, bytes, chunk, Some(TlsConfig::new(&ca, name))).await,
            None => Err(Error::ValueError),
        },
        ["http-serve", port] => crate::web::serve(port).await,
        _ => return None,
    })
}

async fn get(port: &str, path: &str) -> Result<String> {
    let port: u16 = number(port)?;
    Ok(answer(
        http::get(&format!("http://127.0.0.1:{port}{path}")).await?,
    ))
}

async fn upload(port: &str, bytes: &str, chunk: &str, tls: Option<TlsConfig>) -> Result<String> {
    let (port, bytes, chunk): (u16, usize, usize) = (number(port)?, number(bytes)?, number(chunk)?);
    let frame: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
    let slices: Vec<&[u8]> = frame.chunks(chunk.max(1)).collect();
    let body = Body::Chunks(&slices);
    let response = match tls {
        None => http::post(&format!("http://127.0.0.1:{port}/frames"), body).await?,
        Some(tls) => {
            let url = format!("https://127.0.0.1:{port}/frames");
            http::fetch_tls(http::Method::POST, &url, body, &tls).await?
        }
    };
    Ok(answer(response))
}
