//! [`HandOff`]: a wait list whose notifier hands each picked waiter something directly (a
//! permit, a queued item, room in a full queue), and counts what is in transit until the waiter
//! resumes.
//!
//! Handing over directly is what keeps these primitives first-come first-served, as
//! MicroPython's `Lock.release()` does: a task arriving later cannot take what is already on its
//! way to the oldest waiter. The count lets the primitive tell what is still free from what is
//! promised ([`in_transit`](HandOff::in_transit)).

use core::cell::Cell;

use crate::raw::wait_list::WaitList;

pub(crate) struct HandOff {
    waiters: WaitList,
    in_transit: Cell<usize>,
}

impl HandOff {
    pub(crate) const fn new() -> Self {
        HandOff {
            waiters: WaitList::new(),
            in_transit: Cell::new(0),
        }
    }

    pub(crate) fn list(&self) -> &WaitList {
        &self.waiters
    }

    /// Picks the oldest waiter and hands it one; false if nobody waits.
    pub(crate) fn hand_one(&self) -> bool {
        let handed = self.waiters.notify_one();
        if handed {
            self.in_transit.set(self.in_transit.get() + 1);
        }
        handed
    }

    /// A picked waiter resumed, or gave back what it was handed: no longer in transit.
    pub(crate) fn arrived(&self) {
        self.in_transit.set(self.in_transit.get() - 1);
    }

    /// How many hand-offs are on their way to waiters that have not resumed yet.
    pub(crate) fn in_transit(&self) -> usize {
        self.in_transit.get()
    }

    /// Whether anyone waits (a newcomer must then queue behind them).
    pub(crate) fn has_waiters(&self) -> bool {
        !self.waiters.is_empty()
    }

    /// How many wait, counted (for diagnostics).
    pub(crate) fn waiting(&self) -> usize {
        self.waiters.len()
    }
}
