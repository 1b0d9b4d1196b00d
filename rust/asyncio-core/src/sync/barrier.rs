//! [`Barrier`]: a rendezvous for a fixed number of tasks.

use core::cell::Cell;

use super::waiter::{WaitPolicy, Waiter};
use crate::error::Result;
use crate::raw::wait_list::WaitList;
use crate::waiting::Waiting;

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
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// How many tasks are waiting now.
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
        Waiter::new(Arrival {
            barrier: self,
            index: Cell::new(0),
        })
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
pub type BarrierWait<'a> = Waiter<Arrival<'a>>;

/// One party's arrival at the barrier (see [`Waiter`]).
#[doc(hidden)]
pub struct Arrival<'a> {
    barrier: &'a Barrier,
    /// The order it arrived in, 0 for the first.
    index: Cell<usize>,
}

impl WaitPolicy for Arrival<'_> {
    type Output = usize;

    fn list(&self) -> &WaitList {
        &self.barrier.waiters
    }

    fn waiting(&self) -> Waiting {
        Waiting::On("Barrier")
    }

    fn try_now(&self) -> Result<Option<usize>> {
        let b = self.barrier;
        let index = b.arrived.get();
        if index + 1 == b.parties {
            // The last party releases everyone and passes straight through.
            b.arrived.set(0);
            b.waiters.notify_all();
            return Ok(Some(index));
        }
        b.arrived.set(index + 1);
        self.index.set(index);
        Ok(None)
    }

    fn accept(&self) -> usize {
        self.index.get()
    }

    fn leave(&self, _was_head: bool) {
        let b = self.barrier;
        b.arrived.set(b.arrived.get() - 1);
    }
}
