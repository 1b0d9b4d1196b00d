//! Waiting for a task to finish: [`Join`] (awaiting a [`Task`], which yields its result),
//! [`Wait`] (waiting through a [`TaskRef`]), and the [`Completion`] both are made of, which
//! `gather` and `wait_for` use too.

use core::cell::Cell;
use core::future::{Future, IntoFuture};
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::handle::{Task, TaskRef};
use super::waiting::{note_waiting, Waiting};
use crate::context;
use crate::error::{Error, Result, TaskOutput};
use crate::raw::header::{flags, TaskPtr};
use crate::raw::wait_list::{Inbox, NodeState, WaitNode};

/// Registration to be woken when a task finishes. Checks no cancellation itself: its users
/// decide what a cancellation of the waiting task means for them.
pub(crate) struct Completion {
    target: TaskPtr,
    node: WaitNode,
    /// The task recorded as awaiting `target` (see `poll_done`'s `forward`).
    awaiter: Cell<Option<TaskPtr>>,
    _pin: PhantomPinned,
}

impl Completion {
    /// A registration for `target`, whose owner must keep a reference to it.
    pub(crate) fn new(target: TaskPtr) -> Self {
        Completion {
            target,
            node: WaitNode::new(),
            awaiter: Cell::new(None),
            _pin: PhantomPinned,
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        self.target.local().has(flags::COMPLETE)
    }

    /// Registers to be reported in `inbox` when the target finishes, unless it has already
    /// finished; returns whether it had.
    pub(crate) fn report_to(self: Pin<&Self>, inbox: Pin<&Inbox>) -> bool {
        let this = self.get_ref();
        if this.is_done() {
            return true;
        }
        this.node.reset();
        // SAFETY: the node is pinned inside this completion, unlinked in `Drop`; the inbox
        // belongs to the completion's owner, which drops both together.
        unsafe {
            this.target
                .local()
                .awaiters
                .push_back_reporting(Pin::new_unchecked(&this.node), inbox)
        };
        false
    }

    /// Which of `all` a node popped from an [`Inbox`] belongs to.
    pub(crate) fn position_in(all: &[Completion], node: *const WaitNode) -> Option<usize> {
        let first = all.as_ptr() as usize + core::mem::offset_of!(Completion, node);
        let offset = (node as usize).checked_sub(first)?;
        let i = offset / core::mem::size_of::<Completion>();
        (offset % core::mem::size_of::<Completion>() == 0 && i < all.len()).then_some(i)
    }

    /// `Ready` once the target has finished; otherwise registers to be woken.
    ///
    /// With `forward`, the running task is recorded as awaiting the target, so that cancelling
    /// it is passed on to the target (MicroPython's `await task`). `gather` and `wait_for` pass
    /// `false`: they cancel their children themselves.
    pub(crate) fn poll_done(self: Pin<&Self>, cx: &mut Context<'_>, forward: bool) -> Poll<()> {
        let this = self.get_ref();
        if this.is_done() {
            this.unregister();
            return Poll::Ready(());
        }
        match this.node.state() {
            NodeState::Waiting => this.node.set_waker(cx.waker()),
            _ => {
                this.node.reset();
                // SAFETY: the node is pinned inside this completion, unlinked in `Drop`.
                unsafe {
                    this.target
                        .local()
                        .awaiters
                        .push_back(Pin::new_unchecked(&this.node), cx.waker())
                };
                if forward {
                    if let Some(current) = context::running_loop().and_then(|l| l.current_task()) {
                        current.local().awaiting.set(Some(this.target));
                        this.awaiter.set(Some(current));
                    }
                }
            }
        }
        Poll::Pending
    }

    pub(crate) fn unregister(&self) {
        self.target.local().awaiters.remove(&self.node);
        if let Some(awaiter) = self.awaiter.take() {
            if awaiter.local().awaiting.get() == Some(self.target) {
                awaiter.local().awaiting.set(None);
            }
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        self.unregister();
    }
}

impl<O: TaskOutput> IntoFuture for Task<O> {
    type Output = core::result::Result<O::Ok, O::Err>;
    type IntoFuture = Join<O>;

    fn into_future(self) -> Join<O> {
        let completion = Completion::new(self.ptr());
        Join {
            completion,
            task: self,
        }
    }
}

pin_project! {
    /// The future of awaiting a [`Task`]: the task's result, or `Err(Error::Cancelled)` if the
    /// *awaiting* task is cancelled first (the awaited task's result is then left in it).
    ///
    /// Cancelling the awaiting task while it waits is forwarded to the awaited task, which
    /// decides for both (MicroPython and CPython do the same).
    ///
    /// ```
    /// use asyncio_core::{create_task, run, Error, Join};
    /// use std::future::IntoFuture;
    ///
    /// run(async {
    ///     let t = create_task(async { Ok::<_, Error>("done") });
    ///     let joining: Join<_> = t.into_future(); // what `t.await` does
    ///     assert_eq!(joining.await, Ok("done"));
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Join<O> {
        // Declared before `task`, so it unregisters while the handle still keeps the task alive.
        #[pin]
        completion: Completion,
        task: Task<O>,
    }
}

impl<O: TaskOutput> Future for Join<O> {
    type Output = core::result::Result<O::Ok, O::Err>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if context::take_cancel() {
            this.completion.unregister();
            return Poll::Ready(Err(Error::Cancelled.into()));
        }
        match this.completion.into_ref().poll_done(cx, true) {
            Poll::Ready(()) => Poll::Ready(this.task.take_result()),
            Poll::Pending => {
                note_waiting(Waiting::Task(this.task.name()));
                Poll::Pending
            }
        }
    }
}

pin_project! {
    /// The future of [`TaskRef::wait`].
    ///
    /// ```
    /// use asyncio_core::{create_task, run, sleep_ms, Error};
    ///
    /// run(async {
    ///     let t = create_task(sleep_ms(10));
    ///     let r = t.to_ref();
    ///     r.wait().await?; // any number of waiters, without the value
    ///     assert!(r.done());
    ///     Ok::<_, Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Wait<'a> {
        task: &'a TaskRef,
        #[pin]
        completion: Completion,
    }
}

impl<'a> Wait<'a> {
    pub(crate) fn new(task: &'a TaskRef) -> Self {
        Wait {
            completion: Completion::new(task.ptr()),
            task,
        }
    }
}

impl Future for Wait<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.project();
        if context::take_cancel() {
            this.completion.unregister();
            return Poll::Ready(Err(Error::Cancelled));
        }
        let done = this.completion.into_ref().poll_done(cx, true);
        if done.is_pending() {
            note_waiting(Waiting::Task(this.task.name()));
        }
        done.map(Ok)
    }
}
