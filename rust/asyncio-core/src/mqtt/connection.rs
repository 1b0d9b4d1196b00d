//! The connection task: connects, keeps the connection alive, sends what the client queued,
//! hands incoming messages over, and reconnects with back-off after any loss. It alone owns
//! the protocol state (`rust-mqtt`'s client); the [`Client`](super::Client) handle only
//! queues requests and waits for their answers in [`Shared`].

use super::client::{Message, Shared};
use super::config::Config;
use super::subscriptions::Grant;
use super::{Connect, QoS};
use crate::io::{ErrorType, Read, Write};
use crate::{check_cancel, drop_after_ms, sleep_ms, ticks_ms, Error, Result};
use alloc::rc::Rc;
use core::num::NonZero;
use futures_util::future::{select, Either};
use rust_mqtt::buffer::AllocBuffer;
use rust_mqtt::client::event::Event as Packet;
use rust_mqtt::client::options::{
    ConnectOptions, DisconnectOptions, PublicationOptions, SubscriptionOptions, TopicReference,
};
use rust_mqtt::client::MqttError;
use rust_mqtt::config::KeepAlive;
use rust_mqtt::types::{MqttString, PacketIdentifier, TopicFilter, TopicName};

/// Publications sent and not yet acknowledged at once, per connection (the protocol client's
/// session size; the broker's receive maximum may be lower).
const IN_FLIGHT: usize = 8;

/// MQTT 5's reason code "topic filter invalid", for a filter refused before it is sent.
const INVALID_TOPIC_FILTER: u8 = 0x8F;

/// The protocol client: at most 8 outstanding SUBSCRIBEs, 8 incoming and `IN_FLIGHT` outgoing
/// QoS > 0 publications, no subscription identifiers, user properties or topic aliases.
type Protocol<'c, N> =
    rust_mqtt::client::Client<'c, 'c, Gathered<N>, AllocBuffer, 8, 8, IN_FLIGHT, 0, 0, 0, 0>;

/// The transport with its writes gathered until a flush. The protocol client writes a packet
/// in pieces and flushes after each packet; a TCP socket sending each piece at once meets
/// Nagle's algorithm and the broker's delayed ACK, 40 ms per packet on Linux.
struct Gathered<N> {
    transport: N,
    pending: alloc::vec::Vec<u8>,
}

impl<N: ErrorType> ErrorType for Gathered<N> {
    type Error = N::Error;
}

impl<N: Read> Read for Gathered<N> {
    async fn read(&mut self, buf: &mut [u8]) -> core::result::Result<usize, N::Error> {
        self.transport.read(buf).await
    }
}

impl<N: Write> Write for Gathered<N> {
    async fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, N::Error> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    async fn flush(&mut self) -> core::result::Result<(), N::Error> {
        self.transport.write_all(&self.pending).await?;
        self.pending.clear();
        self.transport.flush().await
    }
}

/// The connection task's body: until the client closes, a connection after another.
pub(super) async fn maintain<C: Connect>(
    shared: Rc<Shared>,
    mut broker: C,
    config: Config,
) -> Result<()> {
    let mut buffer = AllocBuffer;
    let mut protocol: Protocol<'_, C::Transport> = Protocol::new(&mut buffer);
    let mut backoff = config.backoff_ms;
    while !shared.closing.get() {
        let mut link = Link {
            shared: &shared,
            config: &config,
            protocol: &mut protocol,
            connected: false,
        };
        let ended = link.session(&mut broker).await;
        let was_connected = link.connected;
        match ended {
            Ok(()) => break,
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(error) => {
                log::warn!("mqtt '{}': {error}", config.client_id);
                shared.last_error.set(Some(error));
            }
        }
        // The transport goes with the connection; its error no longer matters.
        let _ = protocol.abort().await;
        shared.connected.set(false);
        shared.outbox.borrow_mut().resend_all();
        if was_connected {
            shared.count(|c| c.losses += 1);
            backoff = config.backoff_ms;
        }
        shared.progressed();
        sleep_ms(backoff).await?;
        backoff = backoff.saturating_mul(2).min(config.backoff_max_ms);
    }
    shared.connected.set(false);
    shared.progressed();
    Ok(())
}

/// One connection's worth of state.
struct Link<'s, 'p, 'c, N: Read + Write> {
    shared: &'s Shared,
    config: &'s Config,
    protocol: &'p mut Protocol<'c, N>,
    /// Whether the broker accepted this connection.
    connected: bool,
}

/// The keep-alive clock of one connection, in loop milliseconds.
struct KeepAliveClock {
    /// Half the keep-alive interval: how long either side may stay quiet before a PINGREQ,
    /// and how long a PINGREQ may go unanswered.
    half_ms: u64,
    last_sent: u64,
    last_heard: u64,
    ping_sent: Option<u64>,
}

/// What the keep-alive clock asks for now.
enum Due {
    Ping,
    /// The broker did not answer a PINGREQ in time.
    Lost,
    /// Nothing until this many milliseconds from now.
    Wait(u32),
}

impl KeepAliveClock {
    fn new(keep_alive_s: u16, now: u64) -> Self {
        KeepAliveClock {
            half_ms: u64::from(keep_alive_s) * 500,
            last_sent: now,
            last_heard: now,
            ping_sent: None,
        }
    }

    fn due(&self, now: u64) -> Due {
        let (at, missed) = match self.ping_sent {
            Some(sent) => (sent + self.half_ms, Due::Lost),
            None => (
                self.last_sent.min(self.last_heard) + self.half_ms,
                Due::Ping,
            ),
        };
        match at.checked_sub(now) {
            Some(wait) if wait > 0 => Due::Wait(wait.min(u64::from(u32::MAX)) as u32),
            _ => missed,
        }
    }
}

impl<N: Read + Write> Link<'_, '_, '_, N> {
    /// Connects and serves the connection until the client closes (`Ok`) or it is lost.
    async fn session(&mut self, broker: &mut impl Connect<Transport = N>) -> Result<()> {
        self.shared.count(|c| c.attempts += 1);
        let transport = broker.connect().await?;
        let keep_alive = NonZero::new(self.config.keep_alive_s).ok_or(Error::ValueError)?;
        let options = ConnectOptions::new()
            .clean_start()
            .keep_alive(KeepAlive::Seconds(keep_alive));
        let id = MqttString::from_str(&self.config.client_id).map_err(|_| Error::ValueError)?;
        // A broker that accepts the TCP connection but never answers it is given up after a
        // keep-alive interval, as a silent one is later.
        let keep_alive_ms = u32::from(self.config.keep_alive_s) * 1000;
        let transport = Gathered {
            transport,
            pending: alloc::vec::Vec::new(),
        };
        drop_after_ms(
            keep_alive_ms,
            self.protocol.connect(transport, &options, Some(id)),
        )
        .await?
        .map_err(protocol_error)?;
        self.connected = true;
        self.shared.connected.set(true);
        self.shared.count(|c| c.connects += 1);
        self.shared.subscriptions.borrow_mut().renew_all();
        self.shared.progressed();
        let mut clock = KeepAliveClock::new(self.config.keep_alive_s, ticks_ms());
        loop {
            check_cancel()?;
            // Requests made while this round sends are seen by the next.
            self.shared.requests.clear();
            if self.shared.closing.get() {
                let _ = self.protocol.disconnect(&DisconnectOptions::new()).await;
                return Ok(());
            }
            if self.send_requests().await? {
                clock.last_sent = ticks_ms();
            }
            let wait_ms = match clock.due(ticks_ms()) {
                Due::Lost => return Err(Error::Timeout),
                Due::Ping => {
                    self.protocol.ping().await.map_err(protocol_error)?;
                    self.shared.count(|c| c.pings += 1);
                    let now = ticks_ms();
                    clock.ping_sent = Some(now);
                    clock.last_sent = now;
                    continue;
                }
                Due::Wait(ms) => ms,
            };
            let heard = {
                let shared = self.shared;
                let header = core::pin::pin!(self.protocol.poll_header());
                let request = core::pin::pin!(shared.requests.wait());
                match drop_after_ms(wait_ms, select(header, request)).await {
                    Ok(Either::Left((header, _))) => header.map_err(protocol_error)?,
                    Err(Error::Timeout) | Ok(Either::Right(_)) => continue,
                    Err(other) => return Err(other),
                }
            };
            let packet = self.protocol.poll_body(heard).await;
            clock.last_heard = ticks_ms();
            clock.ping_sent = None;
            self.take(packet.map_err(protocol_error)?).await?;
        }
    }

    /// Sends the subscriptions and publications waiting to go; whether it sent anything.
    async fn send_requests(&mut self) -> Result<bool> {
        let mut sent = false;
        loop {
            let next = self.shared.subscriptions.borrow().next_wanted();
            let Some((filter, qos)) = next else { break };
            let grant = match self.subscribe(&filter, qos).await {
                Ok(pid) => Grant::Sent(pid),
                Err(Error::ValueError) => Grant::Refused(INVALID_TOPIC_FILTER),
                Err(other) => return Err(other),
            };
            self.shared.subscriptions.borrow_mut().set(&filter, grant);
            self.shared.progressed();
            sent = true;
        }
        while self.shared.outbox.borrow().in_flight() < IN_FLIGHT {
            let next = self.shared.outbox.borrow_mut().next_unsent();
            let Some(next) = next else { break };
            if next.resend {
                self.shared.count(|c| c.resent += 1);
            }
            let outcome = self.publish(&next.topic, &next.payload, next.qos).await;
            let mut outbox = self.shared.outbox.borrow_mut();
            match outcome {
                Ok(Some(pid)) => outbox.mark_sent(next.seq, pid.get().get()),
                Ok(None) => {
                    outbox.finish(next.seq, Ok(()));
                    self.shared.count(|c| c.published += 1);
                }
                Err(Error::ValueError) => outbox.finish(next.seq, Err(Error::ValueError)),
                Err(other) => return Err(other),
            }
            drop(outbox);
            self.shared.progressed();
            sent = true;
        }
        Ok(sent)
    }

    /// Sends one SUBSCRIBE: its packet identifier. `ValueError` for an invalid filter.
    async fn subscribe(&mut self, filter: &str, qos: QoS) -> Result<PacketIdentifier> {
        let name = MqttString::from_str(filter).map_err(|_| Error::ValueError)?;
        let filter = TopicFilter::new(name).ok_or(Error::ValueError)?;
        let options = SubscriptionOptions::new().qos(qos);
        match self.protocol.subscribe(filter, &options).await {
            Ok(pid) => Ok(pid),
            Err(e) if e.is_recoverable() => Err(Error::ValueError),
            Err(e) => Err(protocol_error(e)),
        }
    }

    /// Sends one publication: its packet identifier for QoS 1 and 2. `ValueError` for one the
    /// broker can never take (an invalid topic, too long for the broker's packet size).
    async fn publish(
        &mut self,
        topic: &str,
        payload: &[u8],
        qos: QoS,
    ) -> Result<Option<PacketIdentifier>> {
        let name = MqttString::from_str(topic).map_err(|_| Error::ValueError)?;
        let name = TopicName::new(name).ok_or(Error::ValueError)?;
        let options = PublicationOptions::new(TopicReference::Name(name)).qos(qos);
        match self.protocol.publish(&options, payload.into()).await {
            Ok(pid) => Ok(pid),
            Err(e) if e.is_recoverable() => Err(Error::ValueError),
            Err(e) => Err(protocol_error(e)),
        }
    }

    /// Acts on a packet from the broker.
    async fn take(&mut self, packet: Packet<'_, 0, 0>) -> Result<()> {
        let shared = self.shared;
        match packet {
            Packet::Publish(publish) => {
                let topic = match &publish.topic {
                    TopicReference::Name(name) | TopicReference::Mapping(name, _) => {
                        name.as_ref().as_ref()
                    }
                    // No topic aliases are offered, so the broker sends none.
                    TopicReference::Alias(_) => return Err(Error::Protocol),
                };
                let message = Message {
                    topic: topic.into(),
                    payload: publish.message.as_bytes().into(),
                    qos: publish.identified_qos.into(),
                    retain: publish.retain,
                };
                shared.count(|c| c.received += 1);
                // While the application does not take them, the broker keeps the rest.
                shared.inbox.put(message).await?;
            }
            Packet::Suback(suback) => {
                let grant = match suback.reason_code.is_success() {
                    true => Grant::Granted,
                    false => Grant::Refused(suback.reason_code.value()),
                };
                shared
                    .subscriptions
                    .borrow_mut()
                    .answered(suback.packet_identifier, grant);
                shared.progressed();
            }
            Packet::PublishAcknowledged(ack) | Packet::PublishComplete(ack) => {
                let pid = ack.packet_identifier.get().get();
                shared.outbox.borrow_mut().finish_sent(pid, Ok(()));
                shared.count(|c| c.published += 1);
                shared.progressed();
            }
            Packet::PublishRejected(refusal) => {
                let code = refusal.reason_code.value();
                let refused = Err(Error::Rejected { code });
                let pid = refusal.packet_identifier.get().get();
                shared.outbox.borrow_mut().finish_sent(pid, refused);
                shared.count(|c| c.rejected += 1);
                shared.progressed();
            }
            _ => {}
        }
        Ok(())
    }
}

/// The asyncio error for a protocol client's error.
fn protocol_error<const P: usize, A>(error: MqttError<'_, P, A>) -> Error {
    match error {
        MqttError::Network(kind) => Error::from_kind(kind),
        MqttError::Disconnect { reason, .. } => Error::Rejected {
            code: reason.value(),
        },
        MqttError::Alloc => Error::NoMemory,
        _ => Error::Protocol,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(clock: &KeepAliveClock, now: u64) -> &'static str {
        match clock.due(now) {
            Due::Ping => "ping",
            Due::Lost => "lost",
            Due::Wait(_) => "wait",
        }
    }

    #[test]
    fn pings_after_half_an_interval_of_quiet_and_gives_up_after_half_more() {
        let mut clock = KeepAliveClock::new(10, 1000); // half: 5 s
        assert!(matches!(clock.due(1000), Due::Wait(5000)));
        // Sending alone is not enough: the broker must be heard from too.
        clock.last_sent = 5000;
        assert_eq!(due(&clock, 6000), "ping");
        clock.ping_sent = Some(6000);
        assert!(matches!(clock.due(9000), Due::Wait(2000)));
        assert_eq!(due(&clock, 11_000), "lost");
        // An answer in time starts the quiet over.
        clock.ping_sent = None;
        clock.last_heard = 10_000;
        clock.last_sent = 10_000;
        assert!(matches!(clock.due(11_000), Due::Wait(4000)));
    }
}
