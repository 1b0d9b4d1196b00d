//! [`Waiter`]: one task's wait on a primitive, the protocol every loop primitive shares.
//!
//! A waiter is a [`WaitNode`] inside the awaiting future. Each poll:
//!
//! 1. a pending cancellation of the task wins: the waiter withdraws and returns `Cancelled`;
//! 2. *notified* (a notifier picked it): it takes what it was handed ([`WaitPolicy::accept`]);
//! 3. *idle* (first poll): it completes at once if it can ([`WaitPolicy::try_now`]), else it
//!    queues on the primitive's [`WaitList`];
//! 4. *queued*: it keeps the task's latest waker, gives the primitive a chance to complete it
//!    ([`WaitPolicy::while_queued`]), and notes what the task waits for.
//!
//! Withdrawing (a cancellation, or the future dropped) is where hand-offs are kept whole: a
//! waiter that was picked but goes away passes what it was handed on
//! ([`WaitPolicy::forfeit`]); one that leaves the queue unpicked tells the primitive
//! ([`WaitPolicy::leave`]). So no notification, permit or item is ever lost with a cancelled
//! waiter, for every primitive alike.

use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::{NodeState, WaitList, WaitNode};
use crate::task::note_waiting;
use crate::waiting::Waiting;

/// What a primitive decides at each step of a [`Waiter`]'s wait.
#[doc(hidden)]
pub trait WaitPolicy {
    /// What the wait yields.
    type Output;

    /// The list waiters queue on. Called only on the loop's thread, and (for a primitive that
    /// guards its list, such as `ThreadSafeFlag`) only after `try_now` let the waiter in.
    fn list(&self) -> &WaitList;

    /// What the task listing shows while the waiter is queued.
    fn waiting(&self) -> Waiting;

    /// Before queueing: the output if the wait can end now (`None`: queue), or an error.
    fn try_now(&self) -> Result<Option<Self::Output>>;

    /// The waiter was just queued.
    fn queued(&self) {}

    /// Whether the waiter's owner takes what it waits for (a task's result), which its node
    /// then says while it is queued.
    fn takes_result(&self) -> bool {
        false
    }

    /// At each poll while queued, after the waker is stored (`is_head`: the waiter is the
    /// oldest): the output if the wait can end now (the waiter then leaves the list, as if by
    /// [`leave`](Self::leave)).
    fn while_queued(&self, _is_head: bool, _cx: &Context<'_>) -> Option<Self::Output> {
        None
    }

    /// A notifier picked the waiter, which now resumes: what it gets.
    fn accept(&self) -> Self::Output;

    /// The waiter was picked but goes away instead of resuming (cancelled or dropped): pass on
    /// what it was handed.
    fn forfeit(&self) {}

    /// The waiter left the list unpicked; `was_head`: it was the oldest waiter.
    fn leave(&self, _was_head: bool) {}
}

/// The future of one task's wait under policy `P` (each primitive names its own: [`Get`](crate::Get),
/// [`FlagWait`](crate::FlagWait), ...).
#[doc(hidden)]
#[must_use = "futures do nothing unless awaited"]
pub struct Waiter<P: WaitPolicy> {
    policy: P,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl<P: WaitPolicy> Waiter<P> {
    pub(crate) fn new(policy: P) -> Self {
        Waiter {
            policy,
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
    }

    pub(crate) fn policy(&self) -> &P {
        &self.policy
    }

    /// Whether the waiter, queued, is the oldest.
    fn is_head(&self) -> bool {
        let head = self.policy.list().front();
        head.is_some_and(|head| core::ptr::eq(head, &self.node))
    }

    /// Takes the waiter out of the primitive's books, passing on anything it was handed.
    fn withdraw(&self) {
        match self.node.state() {
            NodeState::Notified => {
                self.node.reset();
                self.policy.forfeit();
            }
            NodeState::Waiting => {
                let was_head = self.is_head();
                self.policy.list().remove(&self.node);
                self.policy.leave(was_head);
            }
            NodeState::Idle => {}
        }
    }
}

impl<P: WaitPolicy> Future for Waiter<P> {
    type Output = Result<P::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.into_ref().get_ref();
        if context::take_cancel() {
            this.withdraw();
            return Poll::Ready(Err(Error::Cancelled));
        }
        match this.node.state() {
            NodeState::Notified => {
                this.node.reset();
                return Poll::Ready(Ok(this.policy.accept()));
            }
            NodeState::Waiting => this.node.set_waker(cx.waker()),
            NodeState::Idle => {
                if let Some(output) = this.policy.try_now()? {
                    return Poll::Ready(Ok(output));
                }
                if this.policy.takes_result() {
                    this.node.mark_takes_result();
                }
                // SAFETY: the node is pinned inside this future, which withdraws it in `Drop`.
                unsafe {
                    this.policy
                        .list()
                        .push_back(Pin::new_unchecked(&this.node), cx.waker())
                };
                this.policy.queued();
            }
        }
        if let Some(output) = this.policy.while_queued(this.is_head(), cx) {
            this.withdraw();
            return Poll::Ready(Ok(output));
        }
        note_waiting(this.policy.waiting());
        Poll::Pending
    }
}

impl<P: WaitPolicy> Drop for Waiter<P> {
    fn drop(&mut self) {
        self.withdraw();
    }
}
