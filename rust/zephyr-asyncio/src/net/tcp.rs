//! [`Tcp`]: a host and port to open TCP connections to, one per [`Connect::connect`], for
//! clients that reconnect by themselves (`asyncio::mqtt::Client`).

use super::addr;
use super::socket::Socket;
use crate::io::Connect;
use alloc::string::String;
use asyncio_core::Result;

/// Where a reconnecting client opens its TCP connections: the name is resolved again for
/// every connection (a broker that moved is found).
///
/// ```no_run
/// use asyncio::mqtt::{Client, Config};
/// use asyncio::net::Tcp;
///
/// # fn f() {
/// let mqtt = Client::new(Tcp::new("192.0.2.10", 1883), Config::new("node-1"));
/// # let _ = mqtt; }
/// ```
#[derive(Clone, Debug)]
pub struct Tcp {
    host: String,
    port: u16,
}

impl Tcp {
    /// Connections to `host` (a name or a numeric address) on `port`.
    ///
    /// ```no_run
    /// # fn f() {
    /// let broker = asyncio::net::Tcp::new("broker.local", 1883); // resolved per connection
    /// # let _ = broker; }
    /// ```
    pub fn new(host: &str, port: u16) -> Self {
        Tcp {
            host: host.into(),
            port,
        }
    }
}

impl Connect for Tcp {
    type Transport = Socket;

    async fn connect(&mut self) -> Result<Socket> {
        let to = addr::resolve(&self.host, self.port).await?;
        Socket::connect(to).await
    }
}
