//! [`Barrier`]: a rendezvous for a fixed number of tasks.

use core::cell::Cell;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::{NodeState, WaitList, WaitNode};
use crate::task::{note_waiting, Waiting};

/// Makes `parties` tasks wait for each other (CPython's `asyncio.Barrier`; micropython-async's
/// `Barrier` without the callback).
///
/// Each task calls [`wait`](Barrier::wait); the last to arrive releases them all and the
/// barrier starts over, so it can be used in a loop. `wait` returns the task's arrival index,
/// 0 for the first. A task cancelled while waiting leaves, and no longer counts as arrived.
///
/// ```
/// use asyncio_core::{create_task, run, Barrier, Error};
/// use std::rc::Rc;
///
/// run(async {
///     let barrier = Rc::new(Barrier::new(3));
///     let tasks: Vec<_> = (0..3)
///         .map(|_| {
///             let barrier = barrier.clone();
///             create_task(async move { barrier.wait().await })
///         })
///         .collect();
///     let mut indices = Vec::new();
///     for t in tasks {
///         indices.push(t.await?);
///     }
///     assert_eq!(indices, [0, 1, 2]);
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct Barrier {
    parties: usize,
    arrived: Cell<usize>,
    waiters: WaitList,
}

impl Barrier {
    /// A barrier for `parties` tasks (at least 1).
    ///
    /// ```
    /// let b = asyncio_core::Barrier::new(3);
    /// assert_eq!(b.parties(), 3);
    /// ```
    pub const fn new(parties: usize) -> Self {
        Barrier {
            parties: if parties == 0 { 1 } else { parties },
            arrived: Cell::new(0),
            waiters: WaitList::new(),
        }
    }

    /// How many tasks must arrive to pass.
    ///
    /// ```
    /// assert_eq!(asyncio_core::Barrier::new(2).parties(), 2);
    /// ```
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// How many tasks are waiting now.
    ///
    /// ```
    /// assert_eq!(asyncio_core::Barrier::new(2).n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        self.arrived.get()
    }

    /// Arrives and waits for the others; returns this task's arrival index.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, Barrier, Error};
    /// use std::rc::Rc;
    ///
    /// run(async {
    ///     let start = Rc::new(Barrier::new(2));
    ///     let other = create_task({
    ///         let start = start.clone();
    ///         async move { start.wait().await.map(drop) }
    ///     });
    ///     start.wait().await?; // both parties arrived
    ///     other.await
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn wait(&self) -> BarrierWait<'_> {
        BarrierWait {
            barrier: self,
            index: Cell::new(0),
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
    }
}

/// The future of [`Barrier::wait`].
///
/// ```
/// use asyncio_core::{create_task, gather, run, Barrier, Error};
/// use std::rc::Rc;
///
/// run(async {
///     let barrier = Rc::new(Barrier::new(2));
///     let parties: Vec<_> = (0..2)
///         .map(|_| {
///             let b = barrier.clone();
///             create_task(async move { b.wait().await.map(drop) })
///         })
///         .collect();
///     gather(parties).await
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct BarrierWait<'a> {
    barrier: &'a Barrier,
    index: Cell<usize>,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl BarrierWait<'_> {
    fn leave(&self) {
        if self.node.state() == NodeState::Waiting {
            self.barrier.waiters.remove(&self.node);
            self.barrier.arrived.set(self.barrier.arrived.get() - 1);
        }
    }
}

impl Future for BarrierWait<'_> {
    type Output = Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<usize>> {
        let this = self.into_ref().get_ref();
        let b = this.barrier;
        if context::take_cancel() {
            this.leave();
            return Poll::Ready(Err(Error::Cancelled));
        }
        match this.node.state() {
            NodeState::Notified => Poll::Ready(Ok(this.index.get())),
            NodeState::Waiting => {
                this.node.set_waker(cx.waker());
                note_waiting(Waiting::On("Barrier"));
                Poll::Pending
            }
            NodeState::Idle => {
                let index = b.arrived.get();
                if index + 1 == b.parties {
                    b.arrived.set(0);
                    b.waiters.notify_all();
                    return Poll::Ready(Ok(index));
                }
                b.arrived.set(index + 1);
                this.index.set(index);
                // SAFETY: the node is pinned inside this future, which leaves in `Drop`.
                unsafe {
                    b.waiters
                        .push_back(Pin::new_unchecked(&this.node), cx.waker())
                };
                note_waiting(Waiting::On("Barrier"));
                Poll::Pending
            }
        }
    }
}

impl Drop for BarrierWait<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}
