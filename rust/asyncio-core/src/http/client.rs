//! The client: [`request`], its [`Body`] and [`Response`].

use crate::io::{Connect, Write};
use crate::{Error, Result};
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use reqwless::client::HttpConnection;
use reqwless::request::{Request, RequestBody, RequestBuilder};

pub use reqwless::request::Method;

/// What a request sends after its header.
///
/// ```
/// use asyncio_core::http::Body;
///
/// let frame = vec![0u8; 320 * 160 * 2];
/// let rows: Vec<&[u8]> = frame.chunks(640).collect();
/// let _upload = Body::Chunks(&rows); // 160 chunks, no copy of the frame
/// let _reading = Body::Bytes(b"21.5"); // Content-Length: 4
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Body<'a> {
    /// Nothing (a GET).
    Empty,
    /// These bytes, with a `Content-Length`.
    Bytes(&'a [u8]),
    /// These slices one after the other, chunked: the length need not be known up front, and
    /// nothing is copied into one buffer first.
    Chunks(&'a [&'a [u8]]),
}

impl RequestBody for Body<'_> {
    fn len(&self) -> Option<usize> {
        match self {
            Body::Empty => Some(0),
            Body::Bytes(bytes) => Some(<[u8]>::len(bytes)),
            Body::Chunks(_) => None,
        }
    }

    async fn write<W: Write>(&self, writer: &mut W) -> core::result::Result<(), W::Error> {
        match self {
            Body::Empty => Ok(()),
            Body::Bytes(bytes) => writer.write_all(bytes).await,
            Body::Chunks(chunks) => {
                for chunk in chunks.iter().filter(|c| !c.is_empty()) {
                    writer.write_all(chunk).await?;
                }
                Ok(())
            }
        }
    }
}

/// A response, read whole.
///
/// ```
/// use asyncio_core::http::Response;
///
/// fn summary(response: &Response) -> String {
///     match (response.status, response.content_type.as_deref()) {
///         (200, Some("application/json")) => String::from_utf8_lossy(&response.body).into(),
///         (status, _) => format!("HTTP {status}, {} bytes", response.body.len()),
///     }
/// }
/// # let _ = summary;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code (200, 404...).
    pub status: u16,
    /// The `Content-Type` header, if the server sent one.
    pub content_type: Option<String>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

/// Sends `method path` to `host` with `body` on a new connection from `server`, and reads
/// the response whole (`limit` bytes at most, header included). One connection per request,
/// closed after it (MicroPython's `urequests` does the same).
///
/// Errors: the connection's (`ConnectionRefused`, `ConnectionReset`, `HostNotFound`...);
/// `Protocol` for a response that is not HTTP; `TooLarge { limit }` for one larger
/// than `limit`.
///
/// ```no_run
/// use asyncio_core::http::{request, Body, Method};
///
/// async fn status(server: &mut impl asyncio_core::io::Connect) -> asyncio_core::Result<bool> {
///     let response = request(server, Method::GET, "sensor.local", "/status", Body::Empty, 4096).await?;
///     Ok(response.status == 200)
/// }
/// ```
pub async fn request<C: Connect>(
    server: &mut C,
    method: Method,
    host: &str,
    path: &str,
    body: Body<'_>,
    limit: usize,
) -> Result<Response> {
    let mut transport = server.connect().await?;
    let mut connection = HttpConnection::Plain(&mut transport);
    let request: Request<'_, Body<'_>> = Request::new(method, path).host(host).body(body).build();
    let mut buffer = vec![0; limit];
    let response = connection
        .send(request, &mut buffer)
        .await
        .map_err(|e| http_error(e, limit))?;
    let status = response.status.0;
    let content_type = response
        .content_type
        .as_ref()
        .map(|t| String::from(t.as_str()));
    let body = response
        .body()
        .read_to_end()
        .await
        .map_err(|e| http_error(e, limit))?;
    Ok(Response {
        status,
        content_type,
        body: body.to_vec(),
    })
}

/// The asyncio error for the HTTP codec's.
fn http_error(error: reqwless::Error, limit: usize) -> Error {
    match error {
        reqwless::Error::Network(kind) => Error::from_kind(kind),
        reqwless::Error::ConnectionAborted => Error::ConnectionReset,
        reqwless::Error::BufferTooSmall => Error::TooLarge { limit },
        reqwless::Error::Dns => Error::HostNotFound,
        reqwless::Error::InvalidUrl(_) => Error::ValueError,
        _ => Error::Protocol,
    }
}
