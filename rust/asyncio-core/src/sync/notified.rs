//! [`Notified`]: wait on a [`WaitList`] until notified, the building block of primitives whose
//! waiters are released by a notification (Event, Condition).

use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::{NodeState, WaitList, WaitNode};
use crate::task::{note_waiting, Waiting};

/// Joins `list` at the first poll and completes when notified; `Err(Error::Cancelled)` (and out
/// of the list) if the waiting task is cancelled first.
pub(crate) struct Notified<'a> {
    list: &'a WaitList,
    what: &'static str,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl<'a> Notified<'a> {
    /// A wait on `list`; `what` names the primitive in task listings.
    pub(crate) fn new(list: &'a WaitList, what: &'static str) -> Self {
        Notified {
            list,
            what,
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
    }
}

impl Future for Notified<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.into_ref().get_ref();
        if context::take_cancel() {
            this.list.remove(&this.node);
            return Poll::Ready(Err(Error::Cancelled));
        }
        match this.node.state() {
            NodeState::Notified => Poll::Ready(Ok(())),
            NodeState::Waiting => {
                this.node.set_waker(cx.waker());
                note_waiting(Waiting::On(this.what));
                Poll::Pending
            }
            NodeState::Idle => {
                // SAFETY: the node is pinned inside this future, which unlinks it in `Drop`.
                unsafe {
                    this.list
                        .push_back(Pin::new_unchecked(&this.node), cx.waker())
                };
                note_waiting(Waiting::On(this.what));
                Poll::Pending
            }
        }
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        self.list.remove(&self.node);
    }
}
