//! [`Link`]: the uploader's line to the receiver at 127.0.0.1:4400, over a TCP stream where
//! the board has a network (native_sim's host sockets); on a board without one (the Nicla
//! Vision's Wi-Fi module has no Zephyr driver) every frame counts as not uploaded.

use asyncio::Result;

#[cfg(CONFIG_ASYNCIO_NET)]
pub use tcp::Link;

#[cfg(not(CONFIG_ASYNCIO_NET))]
/// No network: nothing is ever sent.
pub struct Link;

#[cfg(not(CONFIG_ASYNCIO_NET))]
impl Link {
    pub fn new() -> Link {
        Link
    }

    /// Sends nothing: `Ok(false)`.
    pub async fn send(&mut self, _line: &str) -> Result<bool> {
        Ok(false)
    }
}

#[cfg(CONFIG_ASYNCIO_NET)]
mod tcp {
    use asyncio::net::{open_connection, StreamWriter};
    use asyncio::{ticks_ms, timeout_ms, Error, Result};
    use zephyr::printkln;

    const RECEIVER: (&str, u16) = ("127.0.0.1", 4400);
    const RECONNECT_MS: u64 = 1000;

    /// A TCP stream to the receiver, reconnecting once a second while there is none.
    pub struct Link {
        writer: Option<StreamWriter>,
        last_attempt: Option<u64>,
    }

    impl Link {
        pub fn new() -> Link {
            Link {
                writer: None,
                last_attempt: None,
            }
        }

        /// Sends `line`: whether it reached the receiver's socket.
        pub async fn send(&mut self, line: &str) -> Result<bool> {
            if self.writer.is_none()
                && self
                    .last_attempt
                    .is_none_or(|t| ticks_ms() - t >= RECONNECT_MS)
            {
                self.last_attempt = Some(ticks_ms());
                match open_connection(RECEIVER.0, RECEIVER.1).await {
                    Ok((_reader, writer)) => self.writer = Some(writer),
                    Err(Error::ConnectionRefused) => {} // no receiver yet
                    Err(e) => printkln!("uploader: {e}"),
                }
            }
            let Some(writer) = self.writer.as_mut() else {
                return Ok(false);
            };
            writer.write(line.as_bytes());
            // A receiver that stops reading must not hold frames back for long.
            match timeout_ms(1000, writer.drain()).await {
                Ok(()) => Ok(true),
                Err(Error::Cancelled) => Err(Error::Cancelled),
                Err(e) => {
                    printkln!("uploader: {e}; reconnecting");
                    self.writer = None;
                    Ok(false)
                }
            }
        }
    }
}
