//! HTTP commands, against the host's HTTP server on 127.0.0.1:`port`:
//!
//! - `http-get <port> <path>`: `status <code> <content type or -> <body>` (the body as text);
//! - `http-upload <port> <bytes> <chunk>`: POSTs a frame of `bytes` bytes (byte `i` is
//!   `i % 251`) to `/frames`, chunked in slices of `chunk` bytes, straight from its buffer;
//!   answers as `http-get`;
//! - `http-serve <port>`: the server side, see [`crate::web`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use asyncio::http::{self, Body, Response};
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
        ["http-upload", port, bytes, chunk] => upload(port, bytes, chunk).await,
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

async fn upload(port: &str, bytes: &str, chunk: &str) -> Result<String> {
    let (port, bytes, chunk): (u16, usize, usize) = (number(port)?, number(bytes)?, number(chunk)?);
    let frame: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
    let slices: Vec<&[u8]> = frame.chunks(chunk.max(1)).collect();
    let url = format!("http://127.0.0.1:{port}/frames");
    Ok(answer(http::post(&url, Body::Chunks(&slices)).await?))
}
