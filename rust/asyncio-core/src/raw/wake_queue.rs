//! Where wakes land: a lock-free stack any context can push to, drained by the loop.
//!
//! Pushing is one compare-and-swap, so it is safe from interrupt handlers and other threads.
//! The loop takes the whole stack in one swap and reverses it, which gives wake order (FIFO).
//! The platform's `notify` (a `k_poll_signal_raise` on Zephyr) is only called when the stack
//! goes from empty to non-empty while the loop is parked: a busy loop is never signalled, and a
//! burst of wakes costs one signal.
//!
//! Parking protocol (both sides sequentially consistent, so at least one sees the other):
//! the loop sets `parked` and then checks the stack; a waker pushes and then checks `parked`.

use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};

use super::header::{Header, TaskPtr};
use super::run_queue::RunQueue;
use crate::platform::Platform;

/// The part of a loop that wakers reach from any context.
pub(crate) struct WakeQueue {
    head: AtomicPtr<Header>,
    parked: AtomicBool,
    notifies: AtomicU32,
    pub(crate) platform: &'static dyn Platform,
}

impl WakeQueue {
    pub(crate) fn new(platform: &'static dyn Platform) -> Self {
        WakeQueue {
            head: AtomicPtr::new(ptr::null_mut()),
            parked: AtomicBool::new(false),
            notifies: AtomicU32::new(0),
            platform,
        }
    }

    /// Queues a task that was just marked scheduled, waking a parked loop if needed.
    pub(crate) fn schedule(&self, task: TaskPtr) {
        if self.push(task) && self.parked.load(Ordering::SeqCst) {
            self.notifies.fetch_add(1, Ordering::Relaxed);
            self.platform.notify();
        }
    }

    /// Queues a released task for the loop to free; not worth waking the loop for.
    pub(crate) fn defer_free(&self, task: TaskPtr) {
        self.push(task);
    }

    /// Pushes `task`; true if the stack was empty.
    fn push(&self, task: TaskPtr) -> bool {
        let node = task.as_raw() as *mut Header;
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            task.header().next.store(head, Ordering::Relaxed);
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) => return head.is_null(),
                Err(current) => head = current,
            }
        }
    }

    /// Everything pushed so far, oldest first.
    pub(crate) fn take_all(&self) -> RunQueue {
        let mut node = self.head.swap(ptr::null_mut(), Ordering::Acquire);
        let mut fifo = RunQueue::new();
        while !node.is_null() {
            // SAFETY: every pushed node is a live task: it owns the reference the push carried.
            let task = unsafe { TaskPtr::from_raw(node as *const ()) };
            node = task.header().next.load(Ordering::Relaxed);
            fifo.push_front(task);
        }
        fifo
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.head.load(Ordering::SeqCst).is_null()
    }

    /// Announces (or retracts) that the loop is about to block in `park`.
    pub(crate) fn set_parked(&self, parked: bool) {
        self.parked.store(parked, Ordering::SeqCst);
    }

    /// How many times a waker had to signal a parked loop.
    pub(crate) fn notifies(&self) -> u32 {
        self.notifies.load(Ordering::Relaxed)
    }
}
