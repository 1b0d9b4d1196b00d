//! [`Config`]: what an MQTT [`Client`](super::Client) is told once, at its creation.

use alloc::string::String;

/// How an MQTT [`Client`](super::Client) connects and how much it holds.
///
/// ```
/// use asyncio_core::mqtt::Config;
///
/// let config = Config {
///     keep_alive_s: 30, // a PINGREQ after 15 s of quiet; lost after 15 s more
///     backoff_ms: 250,  // reconnect after 250 ms, 500 ms, ...
///     backoff_max_ms: 8000, // ... at most 8 s apart
///     outbox: 32, // QoS 1 messages held while the broker is away
///     ..Config::new("camera-7")
/// };
/// assert_eq!(config.client_id, "camera-7");
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// The client identifier the broker knows this device by (unique per broker).
    pub client_id: String,
    /// The keep-alive interval in seconds (at least 1).
    pub keep_alive_s: u16,
    /// The first reconnect delay, in milliseconds; it doubles after each failed attempt.
    pub backoff_ms: u32,
    /// The longest reconnect delay, in milliseconds (no shorter than the first).
    pub backoff_max_ms: u32,
    /// How many publications wait for the broker at most (sent or not, not yet acknowledged;
    /// at least 1).
    pub outbox: usize,
    /// How many incoming messages wait for [`Client::recv`](super::Client::recv) at most (at
    /// least 1).
    pub inbox: usize,
}

impl Config {
    /// Defaults: keep-alive 60 s, back-off 500 ms to 30 s, outbox 16, inbox 16.
    ///
    /// ```
    /// let config = asyncio_core::mqtt::Config::new("node-1");
    /// assert_eq!((config.keep_alive_s, config.outbox), (60, 16));
    /// ```
    pub fn new(client_id: &str) -> Self {
        Config {
            client_id: client_id.into(),
            keep_alive_s: 60,
            backoff_ms: 500,
            backoff_max_ms: 30_000,
            outbox: 16,
            inbox: 16,
        }
    }

    /// The configuration with each value in its range: a keep-alive of at least 1 s, a first
    /// back-off of at least 1 ms and a longest one no shorter, room for one message each way.
    pub(super) fn in_range(mut self) -> Self {
        self.keep_alive_s = self.keep_alive_s.max(1);
        self.backoff_ms = self.backoff_ms.max(1);
        self.backoff_max_ms = self.backoff_max_ms.max(self.backoff_ms);
        self.outbox = self.outbox.max(1);
        self.inbox = self.inbox.max(1);
        self
    }
}
