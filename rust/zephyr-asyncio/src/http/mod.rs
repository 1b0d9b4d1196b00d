//! HTTP on Zephyr sockets.
//!
//! - Requests by URL, as MicroPython's `urequests` makes them (`CONFIG_ASYNCIO_HTTP`):
//!   [`get`], [`post`] and [`fetch`] open a TCP connection to the URL's host
//!   (`asyncio::net::Tcp`), send one request and read the response whole, at most
//!   `CONFIG_ASYNCIO_HTTP_RESPONSE_MAX` bytes. The codec is the portable core's
//!   (`asyncio_core::http`, on `reqwless`). [`fetch_tls`] does the same over TLS
//!   (`CONFIG_ASYNCIO_TLS`) for `https://` URLs.
//! - A server (`CONFIG_ASYNCIO_HTTP_SERVER`): [`serve`] serves a `picoserve` router, one task per
//!   connection.
//!
//! ```no_run
//! use asyncio::http::{self, Body};
//!
//! async fn report(frame: &[u8]) -> asyncio::Result<()> {
//!     let status = http::get("http://192.0.2.1:8080/status").await?;
//!     log::info!("{} {}", status.status, core::str::from_utf8(&status.body).unwrap_or("?"));
//!     // A frame, chunked (one chunk per 640-byte row), straight from its buffer.
//!     let rows: alloc::vec::Vec<&[u8]> = frame.chunks(640).collect();
//!     let stored = http::post("http://192.0.2.1:8080/frames", Body::Chunks(&rows)).await?;
//!     log::info!("upload: {}", stored.status);
//!     Ok(())
//! }
//! ```

pub use asyncio_core::http::*;

#[cfg(all(feature = "http", CONFIG_ASYNCIO_HTTP))]
mod client;
#[cfg(all(feature = "http-server", CONFIG_ASYNCIO_HTTP_SERVER))]
mod serve;

#[cfg(all(feature = "http", CONFIG_ASYNCIO_HTTP, CONFIG_ASYNCIO_TLS))]
pub use client::fetch_tls;
#[cfg(all(feature = "http", CONFIG_ASYNCIO_HTTP))]
pub use client::{fetch, get, post};
#[cfg(all(feature = "http-server", CONFIG_ASYNCIO_HTTP_SERVER))]
pub use serve::serve;
