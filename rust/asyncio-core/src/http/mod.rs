//! An HTTP/1.1 client in the shape of MicroPython's `urequests`: one call per request, the
//! whole response back (`Response`), over a connection the caller's [`Connect`](crate::io::Connect) opens (on
//! Zephyr, `asyncio::http::get` and friends open a TCP connection from the URL).
//!
//! Requests and responses are the `reqwless` crate's codec: a body of known length goes with a
//! `Content-Length`, a body of `Body::Chunks` with `Transfer-Encoding: chunked`, one chunk
//! per slice, so a camera frame goes out of its buffer without being copied; responses of
//! either kind are read whole into a buffer of the size the caller allows.
//!
//! ```no_run
//! use asyncio_core::http::{request, Body, Method};
//! use asyncio_core::io::Connect;
//!
//! async fn upload(server: &mut impl Connect, frame: &[u8]) -> asyncio_core::Result<u16> {
//!     let rows: Vec<&[u8]> = frame.chunks(640).collect(); // one chunk per row
//!     let response = request(server, Method::POST, "camera.local", "/frames", Body::Chunks(&rows), 1024).await?;
//!     Ok(response.status) // e.g. 201
//! }
//! ```
//!
//! The server (`server`, feature `http-server`) serves `picoserve` routers on the streams.

#[cfg(feature = "http")]
mod client;
#[cfg(feature = "http-server")]
pub mod server;

#[cfg(feature = "http")]
pub use client::{request, Body, Method, Response};
