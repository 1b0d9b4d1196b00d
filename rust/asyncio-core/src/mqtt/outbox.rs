//! [`Outbox`]: the publications a client has accepted and the broker has not yet taken, in
//! order, bounded. QoS 0 leaves it once written; QoS 1 and 2 once the broker acknowledges
//! them, so a lost connection sends them again on the next.

use super::QoS;
use crate::{Error, Result};
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

/// One accepted publication.
struct Pending {
    /// Its number in the order of acceptance: how its publisher finds its outcome.
    seq: u32,
    topic: String,
    payload: Vec<u8>,
    qos: QoS,
    /// The packet identifier it was sent with on the current connection; `None` until sent.
    sent: Option<u16>,
    /// Whether an earlier connection sent it (and lost it).
    sent_before: bool,
    /// Whether a publisher waits for its outcome (else the outcome is only counted).
    awaited: bool,
}

/// A publication to send, copied out so that the outbox is not borrowed while it goes.
pub(super) struct Unsent {
    pub seq: u32,
    pub topic: String,
    pub payload: Vec<u8>,
    pub qos: QoS,
    /// Whether this is a second (or later) sending.
    pub resend: bool,
}

/// The bounded queue of [`Pending`] publications, and the outcomes their publishers have not
/// collected yet.
pub(super) struct Outbox {
    capacity: usize,
    entries: VecDeque<Pending>,
    outcomes: Vec<(u32, Result<()>)>,
    next_seq: u32,
}

impl Outbox {
    pub(super) fn new(capacity: usize) -> Self {
        Outbox {
            capacity,
            entries: VecDeque::new(),
            outcomes: Vec::new(),
            next_seq: 0,
        }
    }

    /// Accepts a publication, or refuses it with `QueueFull` (and keeps nothing of it).
    pub(super) fn push(&mut self, topic: &str, payload: &[u8], qos: QoS) -> Result<u32> {
        if self.entries.len() >= self.capacity {
            return Err(Error::QueueFull);
        }
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.entries.push_back(Pending {
            seq,
            topic: topic.into(),
            payload: payload.into(),
            qos,
            sent: None,
            sent_before: false,
            awaited: true,
        });
        Ok(seq)
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many are sent on this connection and wait for their acknowledgement.
    pub(super) fn in_flight(&self) -> usize {
        self.entries.iter().filter(|p| p.sent.is_some()).count()
    }

    /// The oldest publication not yet sent on this connection.
    pub(super) fn next_unsent(&self) -> Option<Unsent> {
        let p = self.entries.iter().find(|p| p.sent.is_none())?;
        Some(Unsent {
            seq: p.seq,
            topic: p.topic.clone(),
            payload: p.payload.clone(),
            qos: p.qos,
            resend: p.sent_before,
        })
    }

    /// The publication `seq` went out under `pid` and waits for its acknowledgement.
    pub(super) fn mark_sent(&mut self, seq: u32, pid: u16) {
        if let Some(p) = self.entries.iter_mut().find(|p| p.seq == seq) {
            p.sent = Some(pid);
        }
    }

    /// Ends the publication `seq` with `outcome` (written, acknowledged, or refused).
    pub(super) fn finish(&mut self, seq: u32, outcome: Result<()>) {
        if let Some(at) = self.entries.iter().position(|p| p.seq == seq) {
            let pending = self.entries.remove(at).expect("position is in range");
            if pending.awaited {
                self.outcomes.push((seq, outcome));
            }
        }
    }

    /// Ends the publication the broker acknowledged (or refused) under `pid`. An identifier
    /// not in flight (a late duplicate acknowledgement) ends nothing.
    pub(super) fn finish_sent(&mut self, pid: u16, outcome: Result<()>) {
        if let Some(seq) = self
            .entries
            .iter()
            .find(|p| p.sent == Some(pid))
            .map(|p| p.seq)
        {
            self.finish(seq, outcome);
        }
    }

    /// The connection was lost: whatever was sent and not acknowledged goes again.
    pub(super) fn resend_all(&mut self) {
        for pending in &mut self.entries {
            if pending.sent.take().is_some() {
                pending.sent_before = true;
            }
        }
    }

    /// Takes the outcome of `seq` if it has one.
    pub(super) fn take_outcome(&mut self, seq: u32) -> Option<Result<()>> {
        let at = self.outcomes.iter().position(|(s, _)| *s == seq)?;
        Some(self.outcomes.swap_remove(at).1)
    }

    /// The publisher of `seq` stopped waiting: the publication stays (it was accepted) but its
    /// outcome is no longer kept.
    pub(super) fn forget(&mut self, seq: u32) {
        if let Some(pending) = self.entries.iter_mut().find(|p| p.seq == seq) {
            pending.awaited = false;
        }
        self.take_outcome(seq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_refuses_and_keeps_nothing() {
        let mut outbox = Outbox::new(2);
        assert_eq!(outbox.push("t", b"a", QoS::AtLeastOnce), Ok(0));
        assert_eq!(outbox.push("t", b"b", QoS::AtLeastOnce), Ok(1));
        assert_eq!(
            outbox.push("t", b"c", QoS::AtLeastOnce),
            Err(Error::QueueFull)
        );
        assert_eq!(outbox.len(), 2);
    }

    #[test]
    fn a_lost_connection_sends_the_unacknowledged_again_in_order() {
        let mut outbox = Outbox::new(4);
        for payload in [b"a", b"b", b"c"] {
            outbox.push("t", payload, QoS::AtLeastOnce).unwrap();
        }
        outbox.mark_sent(0, 1);
        outbox.mark_sent(1, 2);
        outbox.finish_sent(1, Ok(()));
        assert_eq!(outbox.in_flight(), 1);
        outbox.resend_all();
        let next = outbox.next_unsent().unwrap();
        assert_eq!(
            (next.seq, next.payload.as_slice(), next.resend),
            (1, &b"b"[..], true)
        );
        outbox.mark_sent(1, 1);
        let next = outbox.next_unsent().unwrap();
        assert_eq!((next.seq, next.resend), (2, false));
        assert_eq!(outbox.take_outcome(0), Some(Ok(())));
    }

    #[test]
    fn a_forgotten_publication_is_still_sent_but_keeps_no_outcome() {
        let mut outbox = Outbox::new(4);
        outbox.push("t", b"a", QoS::AtLeastOnce).unwrap();
        outbox.forget(0);
        assert_eq!(outbox.len(), 1);
        outbox.mark_sent(0, 7);
        outbox.finish_sent(7, Err(Error::Rejected { code: 0x87 }));
        assert_eq!((outbox.len(), outbox.take_outcome(0)), (0, None));
    }
}
