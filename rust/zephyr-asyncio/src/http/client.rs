//! Requests by URL: [`get`], [`post`], [`fetch`].

use super::{request, Body, Method, Response};

use crate::net::Tcp;
use asyncio_core::{Error, Result};

/// How large a response may be, header included.
const RESPONSE_MAX: usize = zephyr::kconfig::CONFIG_ASYNCIO_HTTP_RESPONSE_MAX as usize;

/// `GET url` (`urequests.get`).
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// let page = asyncio::http::get("http://192.0.2.1/").await?;
/// assert_eq!(page.status, 200);
/// # Ok(()) }
/// ```
pub async fn get(url: &str) -> Result<Response> {
    fetch(Method::GET, url, Body::Empty).await
}

/// `POST url` with `body` (`urequests.post`).
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// use asyncio::http::{post, Body};
/// let created = post("http://192.0.2.1/readings", Body::Bytes(b"21.5")).await?;
/// # let _ = created; Ok(()) }
/// ```
pub async fn post(url: &str, body: Body<'_>) -> Result<Response> {
    fetch(Method::POST, url, body).await
}

/// `method url` with `body` (`urequests.request`). `Err(ValueError)` for a URL that is not
/// `http://host[:port][/path]`.
///
/// ```no_run
/// # async fn f() -> asyncio::Result<()> {
/// use asyncio::http::{fetch, Body, Method};
/// let gone = fetch(Method::DELETE, "http://192.0.2.1/frames/7", Body::Empty).await?;
/// # let _ = gone; Ok(()) }
/// ```
pub async fn fetch(method: Method, url: &str, body: Body<'_>) -> Result<Response> {
    let (authority, host, port, path) = split_url(url, "http://", 80)?;
    let mut server = Tcp::new(host, port);
    request(&mut server, method, authority, path, body, RESPONSE_MAX).await
}

/// `method url` with `body` over TLS (`urequests` with an `https://` URL), the server verified
/// as `tls` says. `Err(ValueError)` for a URL that is not `https://host[:port][/path]`
/// (port 443 by default); `Err(Certificate)` for a server that is not who `tls` trusts.
///
/// ```no_run
/// # async fn f(ca: &[u8]) -> asyncio::Result<()> {
/// use asyncio::http::{fetch_tls, Body, Method};
/// let tls = asyncio::tls::Config::new(ca, "hub.local");
/// let status = fetch_tls(Method::GET, "https://hub.local/status", Body::Empty, &tls).await?;
/// # let _ = status; Ok(()) }
/// ```
#[cfg(CONFIG_ASYNCIO_TLS)]
pub async fn fetch_tls(
    method: Method,
    url: &str,
    body: Body<'_>,
    tls: &crate::tls::Config,
) -> Result<Response> {
    let (authority, host, port, path) = split_url(url, "https://", 443)?;
    let mut server = crate::tls::connector(host, port, tls.clone());
    request(&mut server, method, authority, path, body, RESPONSE_MAX).await
}

/// `<scheme>host[:port][/path]` as (host[:port], host, port, path).
fn split_url<'a>(
    url: &'a str,
    scheme: &str,
    default_port: u16,
) -> Result<(&'a str, &'a str, u16, &'a str)> {
    let rest = url.strip_prefix(scheme).ok_or(Error::ValueError)?;
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().map_err(|_| Error::ValueError)?),
        None => (authority, default_port),
    };
    if host.is_empty() {
        return Err(Error::ValueError);
    }
    Ok((authority, host, port, path))
}
