//! Addresses: numeric ones parsed on the spot, host names resolved on the offload work queue
//! (a DNS lookup blocks; MicroPython's `getaddrinfo` stalls its whole loop for it).

use alloc::ffi::CString;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use asyncio_core::{Error, Result};
use zephyr_asyncio_sys as sys;

/// The C glue's address type from a Rust one.
pub(super) fn to_c(addr: SocketAddr) -> sys::asyncio_sockaddr {
    let mut out = sys::asyncio_sockaddr {
        port: addr.port(),
        ..Default::default()
    };
    match addr.ip() {
        IpAddr::V4(ip) => {
            out.family = 4;
            out.addr[..4].copy_from_slice(&ip.octets());
        }
        IpAddr::V6(ip) => {
            out.family = 6;
            out.addr.copy_from_slice(&ip.octets());
        }
    }
    out
}

/// A Rust address from the C glue's.
pub(super) fn from_c(addr: &sys::asyncio_sockaddr) -> SocketAddr {
    let ip = if addr.family == 6 {
        IpAddr::V6(Ipv6Addr::from(addr.addr))
    } else {
        let [a, b, c, d, ..] = addr.addr;
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    };
    SocketAddr::new(ip, addr.port)
}

/// `host` and `port` as a socket address: a numeric address directly, `""` as every IPv4
/// interface (for servers), a name through `getaddrinfo` on the offload work queue.
pub(super) async fn resolve(host: &str, port: u16) -> Result<SocketAddr> {
    if host.is_empty() {
        return Ok(SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), port));
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    let name = CString::new(host).map_err(|_| Error::ValueError)?;
    let found = crate::offload(move || {
        let mut out = sys::asyncio_sockaddr::default();
        // SAFETY: `name` is a NUL-terminated string and `out` a valid address, both alive
        // for the call.
        let result = unsafe { sys::asyncio_socket_resolve(name.as_ptr(), port, &mut out) };
        (result == 0).then_some(out)
    })
    .await?;
    found.map(|addr| from_c(&addr)).ok_or(Error::HostNotFound)
}
