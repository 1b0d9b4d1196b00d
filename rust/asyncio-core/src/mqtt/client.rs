//! [`Client`]: the application's handle on an MQTT connection, and what it shares with the
//! connection task that does the talking (`connection.rs`).

use super::config::Config;
use super::connection::maintain;
use super::outbox::Outbox;
use super::subscriptions::{Grant, Subscriptions};
use super::{Connect, QoS};
use crate::{create_task, Error, Event, Queue, Result, Task};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use rust_mqtt::types::{MqttString, TopicFilter, TopicName};

/// A message that came in on a subscribed topic.
///
/// ```no_run
/// # async fn f(mqtt: asyncio_core::mqtt::Client) -> asyncio_core::Result<()> {
/// let message = mqtt.recv().await?;
/// if message.topic == "node-1/cmd" && message.payload == b"reboot" {
///     log::warn!("reboot requested (retained: {})", message.retain);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The topic it was published on.
    pub topic: String,
    /// Its payload.
    pub payload: Vec<u8>,
    /// The QoS it was delivered with.
    pub qos: QoS,
    /// Whether the broker kept it as the topic's retained message.
    pub retain: bool,
}

/// What a [`Client`] has done so far, for logs and tests.
///
/// ```no_run
/// # fn f(mqtt: &asyncio_core::mqtt::Client) {
/// let counts = mqtt.counts();
/// log::info!("{} connects, {} lost, {} resent", counts.connects, counts.losses, counts.resent);
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Connection attempts (successful or not).
    pub attempts: u32,
    /// Connections the broker accepted.
    pub connects: u32,
    /// Accepted connections that were lost (not closed by [`Client::close`]).
    pub losses: u32,
    /// Publications the broker took: QoS 0 written, QoS 1 and 2 acknowledged.
    pub published: u32,
    /// Publications sent again on a new connection because the old one lost them.
    pub resent: u32,
    /// Publications the broker refused.
    pub rejected: u32,
    /// Messages received on subscribed topics.
    pub received: u32,
    /// PINGREQs sent to keep the connection alive.
    pub pings: u32,
}

/// What the client and its connection task share.
pub(super) struct Shared {
    pub(super) outbox: RefCell<Outbox>,
    pub(super) subscriptions: RefCell<Subscriptions>,
    pub(super) inbox: Queue<Message>,
    /// Set by the client's calls: there is something for the connection task to send.
    pub(super) requests: Event,
    /// Pulsed by the connection task whenever a call may have got its answer.
    progress: Event,
    pub(super) connected: Cell<bool>,
    pub(super) closing: Cell<bool>,
    counts: Cell<Counts>,
    pub(super) last_error: Cell<Option<Error>>,
}

impl Shared {
    pub(super) fn count(&self, change: impl FnOnce(&mut Counts)) {
        let mut counts = self.counts.get();
        change(&mut counts);
        self.counts.set(counts);
    }

    /// Wakes every call waiting for an answer; each looks whether it got its own.
    pub(super) fn progressed(&self) {
        self.progress.set();
        self.progress.clear();
    }

    /// Waits until `answer` has one.
    async fn until<T>(&self, mut answer: impl FnMut() -> Option<T>) -> Result<T> {
        loop {
            if let Some(value) = answer() {
                return Ok(value);
            }
            self.progress.wait().await?;
        }
    }
}

/// An MQTT client that stays connected by itself (MicroPython's `mqtt_as.MQTTClient`): see
/// the [module](super) for what its connection task does.
///
/// ```no_run
/// use asyncio_core::mqtt::{Client, Config, Connect, QoS};
/// use asyncio_core::{sleep_ms, Error};
///
/// async fn telemetry(broker: impl Connect + 'static) -> asyncio_core::Result<()> {
///     let mqtt = Client::new(broker, Config { keep_alive_s: 20, ..Config::new("sensor-3") });
///     mqtt.wait_connected().await?;
///     for reading in 0u32.. {
///         match mqtt.publish("sensor-3/t", reading.to_string().as_bytes(), QoS::AtLeastOnce).await {
///             Err(Error::QueueFull) => log::warn!("broker away too long: reading {reading} lost"),
///             other => other?,
///         }
///         sleep_ms(1000).await?;
///     }
///     mqtt.close().await
/// }
/// ```
pub struct Client {
    shared: Rc<Shared>,
    task: Task<Result<()>>,
}

impl Client {
    /// Creates the client and its connection task, which starts connecting through
    /// `broker` at once (in the running loop, or the loop that runs next).
    ///
    /// ```no_run
    /// # fn f(broker: impl asyncio_core::io::Connect + 'static) {
    /// use asyncio_core::mqtt::{Client, Config};
    ///
    /// let mqtt = Client::new(broker, Config { outbox: 64, ..Config::new("logger") });
    /// # let _ = mqtt; }
    /// ```
    pub fn new(broker: impl Connect + 'static, config: Config) -> Client {
        let config = config.in_range();
        let shared = Rc::new(Shared {
            outbox: RefCell::new(Outbox::new(config.outbox)),
            subscriptions: RefCell::default(),
            inbox: Queue::new(config.inbox),
            requests: Event::new(),
            progress: Event::new(),
            connected: Cell::new(false),
            closing: Cell::new(false),
            counts: Cell::default(),
            last_error: Cell::new(None),
        });
        let task = create_task(maintain(shared.clone(), broker, config));
        Client { shared, task }
    }

    /// Publishes `payload` on `topic`, and returns when the broker has taken it: for QoS 0
    /// when it is written, for QoS 1 and 2 when the broker acknowledges it. While the broker is
    /// away the message waits in the outbox and goes out after the next connect.
    ///
    /// `Err(ValueError)` at once for a topic that is not a valid topic name (empty, with a
    /// wildcard); `Err(QueueFull)` at once if the outbox is full (nothing was queued);
    /// `Err(Rejected)` if the broker refused it. Cancelling the call does not withdraw an
    /// accepted message: it is still delivered, only nobody waits for it.
    ///
    /// ```no_run
    /// # async fn f(mqtt: asyncio_core::mqtt::Client) -> asyncio_core::Result<()> {
    /// use asyncio_core::mqtt::QoS;
    ///
    /// mqtt.publish("node-1/frames", b"{\"n\": 17}", QoS::AtMostOnce).await?; // written
    /// mqtt.publish("node-1/alarm", b"door open", QoS::AtLeastOnce).await?; // acknowledged
    /// # Ok(()) }
    /// ```
    pub async fn publish(&self, topic: &str, payload: &[u8], qos: QoS) -> Result<()> {
        if !valid(topic, TopicName::new) {
            return Err(Error::ValueError);
        }
        let seq = self.shared.outbox.borrow_mut().push(topic, payload, qos)?;
        self.shared.requests.set();
        let forget = Forget {
            shared: &self.shared,
            seq,
        };
        // Cancelled here, the guard tells the outbox that nobody collects the outcome.
        let outcome = self
            .shared
            .until(|| self.shared.outbox.borrow_mut().take_outcome(seq))
            .await?;
        core::mem::forget(forget);
        outcome
    }

    /// Subscribes to `filter` (wildcards allowed) and returns when the broker has granted it;
    /// it is renewed after every reconnect. `Err(ValueError)` at once for an invalid filter
    /// (`a/#/b`), `Err(Rejected)` if the broker refused it.
    ///
    /// ```no_run
    /// # async fn f(mqtt: asyncio_core::mqtt::Client) -> asyncio_core::Result<()> {
    /// use asyncio_core::mqtt::QoS;
    ///
    /// mqtt.subscribe("node-1/cmd/#", QoS::AtLeastOnce).await?;
    /// let command = mqtt.recv().await?; // e.g. on node-1/cmd/led
    /// # let _ = command; Ok(()) }
    /// ```
    pub async fn subscribe(&self, filter: &str, qos: QoS) -> Result<()> {
        if !valid(filter, TopicFilter::new) {
            return Err(Error::ValueError);
        }
        self.shared.subscriptions.borrow_mut().want(filter, qos);
        self.shared.requests.set();
        let grant =
            self.shared.until(
                || match self.shared.subscriptions.borrow().grant_of(filter) {
                    Some(Grant::Granted) => Some(Ok(())),
                    Some(Grant::Refused(code)) => Some(Err(Error::Rejected { code })),
                    _ => None,
                },
            );
        grant.await?
    }

    /// The next message on a subscribed topic, waiting for one.
    ///
    /// ```no_run
    /// # async fn f(mqtt: asyncio_core::mqtt::Client) -> asyncio_core::Result<()> {
    /// use asyncio_core::timeout_ms;
    ///
    /// match timeout_ms(5000, mqtt.recv()).await {
    ///     Ok(message) => log::info!("{}", message.topic),
    ///     Err(asyncio_core::Error::Timeout) => log::info!("quiet for 5 s"),
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn recv(&self) -> Result<Message> {
        self.shared.inbox.get().await
    }

    /// Whether the broker has accepted the current connection.
    pub fn is_connected(&self) -> bool {
        self.shared.connected.get()
    }

    /// Waits until the client is connected (at once if it is).
    ///
    /// ```no_run
    /// # async fn f(mqtt: asyncio_core::mqtt::Client) -> asyncio_core::Result<()> {
    /// asyncio_core::timeout_ms(10_000, mqtt.wait_connected()).await?; // Err(Timeout): no broker
    /// # Ok(()) }
    /// ```
    pub async fn wait_connected(&self) -> Result<()> {
        self.shared
            .until(|| self.shared.connected.get().then_some(()))
            .await
    }

    /// Why the last failed connection attempt failed or the last lost connection was lost, if
    /// one did (kept after a successful reconnect):
    /// `ConnectionRefused` (no broker), `Rejected` (the broker refused the CONNECT),
    /// `Timeout` (a silent broker), `Protocol` (a malformed packet)...
    pub fn last_error(&self) -> Option<Error> {
        self.shared.last_error.get()
    }

    /// What the client has done so far.
    pub fn counts(&self) -> Counts {
        self.shared.counts.get()
    }

    /// How many publications are in the outbox (not yet taken by the broker).
    pub fn queued(&self) -> usize {
        self.shared.outbox.borrow().len()
    }

    /// Disconnects (a DISCONNECT if connected) and ends the connection task. Publications
    /// still in the outbox are not sent.
    ///
    /// ```no_run
    /// # async fn f(mqtt: asyncio_core::mqtt::Client) -> asyncio_core::Result<()> {
    /// if mqtt.queued() == 0 {
    ///     mqtt.close().await?; // everything was delivered
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn close(self) -> Result<()> {
        self.shared.closing.set(true);
        self.shared.requests.set();
        self.task.wait().await?;
        Ok(())
    }
}

impl Drop for Client {
    /// A client dropped without [`close`](Client::close) cancels its connection task.
    fn drop(&mut self) {
        self.task.cancel();
    }
}

/// Whether `topic` makes a valid topic name or filter (`make` is the protocol's check).
fn valid<'t, T>(topic: &'t str, make: impl FnOnce(MqttString<'t>) -> Option<T>) -> bool {
    MqttString::from_str(topic).ok().and_then(make).is_some()
}

/// Tells the outbox that a cancelled [`Client::publish`] no longer waits for its outcome.
struct Forget<'a> {
    shared: &'a Shared,
    seq: u32,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.shared.outbox.borrow_mut().forget(self.seq);
    }
}
