//! The permit count behind [`Lock`](crate::Lock), [`Semaphore`](crate::Semaphore) and
//! [`BoundedSemaphore`](crate::BoundedSemaphore): first-come first-served, with direct hand-off.
//!
//! A released permit goes straight to the oldest waiter (it is *handed off*, not put back), so a
//! task arriving later cannot overtake the queue, as in MicroPython's `Lock.release()`. A waiter
//! that is cancelled, or dropped, after the hand-off but before it resumed passes the permit on,
//! so no permit is ever lost with a waiter.

use core::cell::Cell;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::{NodeState, WaitList, WaitNode};
use crate::task::{note_waiting, Waiting};

pub(crate) struct Permits {
    available: Cell<usize>,
    /// Permits handed to notified waiters that have not resumed yet.
    handed_off: Cell<usize>,
    waiters: WaitList,
}

impl Permits {
    pub(crate) const fn new(available: usize) -> Self {
        Permits {
            available: Cell::new(available),
            handed_off: Cell::new(0),
            waiters: WaitList::new(),
        }
    }

    pub(crate) fn available(&self) -> usize {
        self.available.get()
    }

    pub(crate) fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// Whether a permit is on its way to a waiter that has not resumed yet.
    pub(crate) fn handing_off(&self) -> bool {
        self.handed_off.get() > 0
    }

    /// Whether a permit is free and nobody is queued for it.
    pub(crate) fn can_take(&self) -> bool {
        self.available.get() > 0 && self.waiters.is_empty()
    }

    /// Takes a permit now if [`can_take`](Self::can_take).
    pub(crate) fn try_take(&self) -> bool {
        let free = self.can_take();
        if free {
            self.available.set(self.available.get() - 1);
        }
        free
    }

    /// Returns a permit: to the oldest waiter if there is one, else to the pool.
    pub(crate) fn give(&self) {
        if self.waiters.notify_one() {
            self.handed_off.set(self.handed_off.get() + 1);
        } else {
            self.available.set(self.available.get() + 1);
        }
    }

    /// A wait for a permit; `what` names the primitive in task listings.
    pub(crate) fn take(&self, what: &'static str) -> Take<'_> {
        Take {
            permits: self,
            what,
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
    }

    /// A hand-off that will not be claimed: pass the permit on.
    fn forfeit(&self) {
        self.handed_off.set(self.handed_off.get() - 1);
        self.give();
    }
}

/// Waits for a permit; `Ok(())` means the caller now holds one.
pub(crate) struct Take<'a> {
    permits: &'a Permits,
    what: &'static str,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl Take<'_> {
    fn withdraw(&self) {
        match self.node.state() {
            NodeState::Notified => {
                self.node.reset();
                self.permits.forfeit();
            }
            NodeState::Waiting => self.permits.waiters.remove(&self.node),
            NodeState::Idle => {}
        }
    }
}

impl Future for Take<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.into_ref().get_ref();
        if context::take_cancel() {
            this.withdraw();
            return Poll::Ready(Err(Error::Cancelled));
        }
        match this.node.state() {
            NodeState::Notified => {
                this.node.reset();
                let p = this.permits;
                p.handed_off.set(p.handed_off.get() - 1);
                Poll::Ready(Ok(()))
            }
            NodeState::Waiting => {
                this.node.set_waker(cx.waker());
                note_waiting(Waiting::On(this.what));
                Poll::Pending
            }
            NodeState::Idle if this.permits.try_take() => Poll::Ready(Ok(())),
            NodeState::Idle => {
                // SAFETY: the node is pinned inside this future, which withdraws it in `Drop`.
                unsafe {
                    this.permits
                        .waiters
                        .push_back(Pin::new_unchecked(&this.node), cx.waker())
                };
                note_waiting(Waiting::On(this.what));
                Poll::Pending
            }
        }
    }
}

impl Drop for Take<'_> {
    fn drop(&mut self) {
        self.withdraw();
    }
}
