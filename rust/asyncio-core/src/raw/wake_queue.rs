//! Where wakes land: a lock-free stack any context can push to, drained by the loop.
//!
//! Pushing is one compare-and-swap, so it is safe from interrupt handlers and other threads.
//! The loop takes the whole stack in one swap and reverses it, which gives wake order (FIFO).
//! The platform's `notify` (a `k_poll_signal_raise` on Zephyr) is only called when the stack
//! goes from empty to non-empty while the loop is parked: a busy loop is never signalled, and a
//! burst of wakes costs one signal.
//!
//! Parking protocol (both sides sequentially consistent, so at least one sees the other):
//! the loop sets `parked` and then checks the stacks; a waker pushes and then checks `parked`.
//!
//! There are two stacks. Wakes that model I/O readiness — a `ThreadSafeFlag` set, later
//! kernel objects and sockets — go on the second one, which the loop serves after the first:
//! as in MicroPython, where the loop polls I/O between tasks, a task woken that way runs behind
//! every task that was already ready, the setter included when it yields right after setting.

use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};

use super::header::{Header, TaskPtr};
use super::run_queue::RunQueue;
use crate::platform::Platform;

/// The part of a loop that wakers reach from any context.
pub(crate) struct WakeQueue {
    head: AtomicPtr<Header>,
    io_head: AtomicPtr<Header>,
    parked: AtomicBool,
    notifies: AtomicU32,
    pub(crate) platform: &'static dyn Platform,
}

impl WakeQueue {
    pub(crate) fn new(platform: &'static dyn Platform) -> Self {
        WakeQueue {
            head: AtomicPtr::new(ptr::null_mut()),
            io_head: AtomicPtr::new(ptr::null_mut()),
            parked: AtomicBool::new(false),
            notifies: AtomicU32::new(0),
            platform,
        }
    }

    /// Queues a task that was just marked scheduled, waking a parked loop if needed.
    pub(crate) fn schedule(&self, task: TaskPtr) {
        self.push_and_notify(&self.head, task);
    }

    /// Like [`schedule`](Self::schedule), for a wake that models I/O readiness.
    pub(crate) fn schedule_io(&self, task: TaskPtr) {
        self.push_and_notify(&self.io_head, task);
    }

    /// Queues a released task for the loop to free; not worth waking the loop for.
    pub(crate) fn defer_free(&self, task: TaskPtr) {
        Self::push(&self.head, task);
    }

    fn push_and_notify(&self, stack: &AtomicPtr<Header>, task: TaskPtr) {
        if Self::push(stack, task) && self.parked.load(Ordering::SeqCst) {
            self.notifies.fetch_add(1, Ordering::Relaxed);
            self.platform.notify();
        }
    }

    /// Pushes `task`; true if the stack was empty.
    fn push(stack: &AtomicPtr<Header>, task: TaskPtr) -> bool {
        let node = task.as_raw() as *mut Header;
        let mut head = stack.load(Ordering::Relaxed);
        loop {
            task.header().next.store(head, Ordering::Relaxed);
            match stack.compare_exchange_weak(head, node, Ordering::SeqCst, Ordering::Relaxed) {
                Ok(_) => return head.is_null(),
                Err(current) => head = current,
            }
        }
    }

    /// Everything scheduled so far, oldest first.
    pub(crate) fn take_all(&self) -> RunQueue {
        Self::take(&self.head)
    }

    /// Everything scheduled as I/O readiness so far, oldest first.
    pub(crate) fn take_io(&self) -> RunQueue {
        Self::take(&self.io_head)
    }

    fn take(stack: &AtomicPtr<Header>) -> RunQueue {
        let mut node = stack.swap(ptr::null_mut(), Ordering::Acquire);
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
        self.head.load(Ordering::SeqCst).is_null() && self.io_head.load(Ordering::SeqCst).is_null()
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
