//! An MQTT 5 client on the loop, in the shape of MicroPython's `mqtt_as` (Peter Hinch's
//! asyncio MQTT client): one [`Client`] that stays connected by itself, `publish` and
//! `subscribe` that are awaited, and a stream of incoming [`Message`]s.
//!
//! The protocol is the `rust-mqtt` crate's, run over any transport a [`Connect`] opens (on
//! Zephyr, a TCP socket: `asyncio::net::Tcp`). A connection task, created with the
//! client, owns the protocol state and does all the talking:
//!
//! - it connects, and after any loss reconnects with a back-off that doubles from
//!   [`Config::backoff_ms`] up to [`Config::backoff_max_ms`];
//! - it keeps the connection alive with the loop's timers: a PINGREQ after half the keep-alive
//!   interval of quiet, and the connection counts as lost when half an interval more passes
//!   without a word from the broker;
//! - it subscribes again after each reconnect (every connection starts a clean session), and
//!   resends every QoS 1 message the broker has not acknowledged (QoS 1's contract: nothing
//!   lost, a duplicate possible);
//! - incoming messages go to a bounded queue that [`Client::recv`] takes from; while it is
//!   full the task stops reading, so the broker holds what is not taken.
//!
//! A publication while the broker is away waits in the outbox ([`Config::outbox`] messages).
//! When that is full, [`Client::publish`] fails at once with `Error::QueueFull`: nothing is
//! dropped silently. A broker's refusal (a CONNACK, SUBACK or PUBACK with an error reason code)
//! is `Error::Rejected`; a malformed packet is `Error::Protocol` and costs the connection,
//! never the firmware.
//!
//! ```no_run
//! use asyncio_core::mqtt::{Client, Config, Connect, QoS};
//!
//! async fn node(broker: impl Connect + 'static) -> asyncio_core::Result<()> {
//!     let mqtt = Client::new(broker, Config::new("node-1"));
//!     mqtt.subscribe("node-1/cmd", QoS::AtLeastOnce).await?;
//!     mqtt.publish("node-1/status", b"up", QoS::AtLeastOnce).await?; // after the PUBACK
//!     loop {
//!         let message = mqtt.recv().await?;
//!         log::info!("{}: {:?}", message.topic, message.payload);
//!     }
//! }
//! ```

mod client;
mod config;
mod connection;
mod outbox;
mod subscriptions;

pub use client::{Client, Counts, Message};
pub use config::Config;
pub use rust_mqtt::types::QoS;

pub use crate::io::Connect;
