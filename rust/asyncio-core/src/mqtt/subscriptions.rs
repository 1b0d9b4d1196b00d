//! [`Subscriptions`]: the topic filters a client has asked for, and how far each has got on
//! the current connection. Every connection starts a clean session, so each is sent again.

use super::QoS;
use alloc::string::String;
use alloc::vec::Vec;
use rust_mqtt::types::PacketIdentifier;

/// Where one subscription is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Grant {
    /// To be sent on this connection.
    Wanted,
    /// Sent with this packet identifier; the SUBACK has not come.
    Sent(PacketIdentifier),
    /// The broker granted it.
    Granted,
    /// The broker refused it with this reason code (it is not sent again).
    Refused(u8),
}

struct Subscription {
    filter: String,
    qos: QoS,
    grant: Grant,
}

#[derive(Default)]
pub(super) struct Subscriptions(Vec<Subscription>);

impl Subscriptions {
    /// Asks for `filter` (again, if it was refused or with another QoS).
    pub(super) fn want(&mut self, filter: &str, qos: QoS) {
        match self.0.iter_mut().find(|s| s.filter == filter) {
            Some(s) if s.qos == qos && !refused(s.grant) => {}
            Some(s) => {
                s.qos = qos;
                s.grant = Grant::Wanted;
            }
            None => self.0.push(Subscription {
                filter: filter.into(),
                qos,
                grant: Grant::Wanted,
            }),
        }
    }

    pub(super) fn grant_of(&self, filter: &str) -> Option<Grant> {
        self.0.iter().find(|s| s.filter == filter).map(|s| s.grant)
    }

    /// The first subscription to send on this connection.
    pub(super) fn next_wanted(&self) -> Option<(String, QoS)> {
        let wanted = self.0.iter().find(|s| s.grant == Grant::Wanted)?;
        Some((wanted.filter.clone(), wanted.qos))
    }

    /// Records how far the subscription to `filter` has got.
    pub(super) fn set(&mut self, filter: &str, grant: Grant) {
        if let Some(s) = self.0.iter_mut().find(|s| s.filter == filter) {
            s.grant = grant;
        }
    }

    /// The broker answered the SUBSCRIBE sent under `pid`.
    pub(super) fn answered(&mut self, pid: PacketIdentifier, grant: Grant) {
        if let Some(s) = self.0.iter_mut().find(|s| s.grant == Grant::Sent(pid)) {
            s.grant = grant;
        }
    }

    /// A new connection (a clean session): every subscription not refused is sent again.
    pub(super) fn renew_all(&mut self) {
        for s in &mut self.0 {
            if !refused(s.grant) {
                s.grant = Grant::Wanted;
            }
        }
    }
}

fn refused(grant: Grant) -> bool {
    matches!(grant, Grant::Refused(_))
}
