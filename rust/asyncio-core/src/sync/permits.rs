//! The permit count behind [`Lock`](crate::Lock), [`Semaphore`](crate::Semaphore) and
//! [`BoundedSemaphore`](crate::BoundedSemaphore): first-come first-served, with direct hand-off.
//!
//! A released permit goes straight to the oldest waiter (it is *handed off*, not put back), so a
//! task arriving later cannot overtake the queue, as in MicroPython's `Lock.release()`. A waiter
//! that is cancelled, or dropped, after the hand-off but before it resumed passes the permit on,
//! so no permit is ever lost with a waiter.

use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::hand_off::HandOff;
use super::waiter::{WaitPolicy, Waiter};
use crate::error::Result;
use crate::raw::wait_list::WaitList;
use crate::waiting::Waiting;

pub(crate) struct Permits {
    available: Cell<usize>,
    waiters: HandOff,
}

impl Permits {
    pub(crate) const fn new(available: usize) -> Self {
        Permits {
            available: Cell::new(available),
            waiters: HandOff::new(),
        }
    }

    pub(crate) fn available(&self) -> usize {
        self.available.get()
    }

    pub(crate) fn waiting(&self) -> usize {
        self.waiters.waiting()
    }

    /// Permits handed to waiters that have not resumed yet.
    pub(crate) fn in_transit(&self) -> usize {
        self.waiters.in_transit()
    }

    pub(crate) fn can_take(&self) -> bool {
        self.available.get() > 0 && !self.waiters.has_waiters()
    }

    pub(crate) fn try_take(&self) -> bool {
        let free = self.can_take();
        if free {
            self.available.set(self.available.get() - 1);
        }
        free
    }

    /// Gives a permit back: to the oldest waiter if there is one.
    pub(crate) fn give(&self) {
        if !self.waiters.hand_one() {
            self.available.set(self.available.get() + 1);
        }
    }

    /// Waits for a permit, which `guard` wraps; `what` names the primitive in task listings.
    pub(crate) fn acquire<'a, G>(
        &'a self,
        what: &'static str,
        guard: fn(&'a Permits) -> G,
    ) -> Acquire<'a, G> {
        Acquire {
            take: Waiter::new(TakePolicy {
                permits: self,
                what,
            }),
            guard,
        }
    }
}

pin_project! {
    /// The future of [`Lock::acquire`](crate::Lock::acquire) (`G` is a
    /// [`LockGuard`](crate::LockGuard)) and of
    /// [`Semaphore::acquire`](crate::Semaphore::acquire) (`G` is a [`Permit`](crate::Permit)).
    ///
    /// ```
    /// use asyncio_core::{run, Lock};
    ///
    /// run(async {
    ///     let lock = Lock::new();
    ///     let acquiring = lock.acquire(); // nothing happens until awaited
    ///     let _held = acquiring.await.unwrap();
    /// })
    /// .unwrap();
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    pub struct Acquire<'a, G> {
        #[pin]
        take: Waiter<TakePolicy<'a>>,
        guard: fn(&'a Permits) -> G,
    }
}

impl<G> Future for Acquire<'_, G> {
    type Output = Result<G>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (permits, guard) = (this.take.policy().permits, *this.guard);
        this.take.poll(cx).map_ok(|()| guard(permits))
    }
}

pub(crate) struct TakePolicy<'a> {
    permits: &'a Permits,
    what: &'static str,
}

impl WaitPolicy for TakePolicy<'_> {
    type Output = ();

    fn list(&self) -> &WaitList {
        self.permits.waiters.list()
    }

    fn waiting(&self) -> Waiting {
        Waiting::On(self.what)
    }

    fn try_now(&self) -> Result<Option<()>> {
        Ok(self.permits.try_take().then_some(()))
    }

    fn accept(&self) {
        self.permits.waiters.arrived();
    }

    fn forfeit(&self) {
        self.permits.waiters.arrived();
        self.permits.give();
    }
}
