//! Every loop of the program, each by its [`LoopEntry`]: the part of a loop any thread or
//! interrupt handler may reach. Wakers reach its wake queue; other threads find it to ask for a
//! call on its thread ([`LoopHandle`](crate::LoopHandle)); without `std`, a thread finds its
//! own loops here (see `context`).
//!
//! Loops live for the rest of the program, so the list only grows: a push-only lock-free
//! stack, read without locks.

use core::ptr;
use portable_atomic::{AtomicBool, AtomicPtr, Ordering};

use crate::raw::wake_queue::{Notify, WakeQueue};
use crate::scheduler::Scheduler;

/// The head of the list of every loop.
static LOOPS: AtomicPtr<LoopEntry> = AtomicPtr::new(ptr::null_mut());

/// A loop as any context sees it.
pub(crate) struct LoopEntry {
    pub(crate) wake_queue: WakeQueue,
    /// The thread the loop belongs to ([`System::thread_id`](crate::System::thread_id)).
    // With `std` the threads find their loops in thread-locals instead (see `context`).
    #[cfg_attr(feature = "std", allow(dead_code))]
    pub(crate) owner_thread: usize,
    /// Whether it is its thread's default loop (the one `get_event_loop()` returns).
    #[cfg_attr(feature = "std", allow(dead_code))]
    pub(crate) is_default: bool,
    /// Whether `run_until_complete` or `run_forever` is on its thread's stack.
    pub(crate) running: AtomicBool,
    /// Set once, when the loop is published; only its own thread dereferences it.
    scheduler: AtomicPtr<Scheduler>,
    next: AtomicPtr<LoopEntry>,
}

impl LoopEntry {
    pub(crate) fn new(
        notifier: &'static dyn Notify,
        owner_thread: usize,
        is_default: bool,
    ) -> Self {
        LoopEntry {
            wake_queue: WakeQueue::new(notifier),
            owner_thread,
            is_default,
            running: AtomicBool::new(false),
            scheduler: AtomicPtr::new(ptr::null_mut()),
            next: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Links the entry of `scheduler` (which owns it) into the list of every loop.
    pub(crate) fn publish(&'static self, scheduler: &'static Scheduler) {
        self.scheduler.store(
            scheduler as *const Scheduler as *mut Scheduler,
            Ordering::Release,
        );
        let raw = self as *const LoopEntry as *mut LoopEntry;
        let mut head = LOOPS.load(Ordering::Relaxed);
        loop {
            self.next.store(head, Ordering::Relaxed);
            match LOOPS.compare_exchange_weak(head, raw, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }

    /// The loop itself. Only for the loop's own thread: the scheduler is not thread-safe.
    #[cfg_attr(feature = "std", allow(dead_code))]
    pub(crate) fn scheduler_on_own_thread(&self) -> &'static Scheduler {
        // SAFETY: published entries point at their leaked, never-freed scheduler; the caller is
        // on the loop's thread (the contract), the only one that uses it.
        unsafe { &*self.scheduler.load(Ordering::Acquire) }
    }
}

/// Every published loop, newest first.
pub(crate) fn loops() -> impl Iterator<Item = &'static LoopEntry> {
    let mut next = LOOPS.load(Ordering::Acquire);
    core::iter::from_fn(move || {
        // SAFETY: published entries are leaked and never freed.
        let entry = unsafe { next.as_ref() }?;
        next = entry.next.load(Ordering::Acquire);
        Some(entry)
    })
}
