//! [`ThreadSafeFlag`]: the one primitive an interrupt handler or another thread may set.

use core::cell::UnsafeCell;
use core::task::Context;
use portable_atomic::{AtomicUsize, Ordering};

use futures_util::task::AtomicWaker;

use super::waiter::{WaitPolicy, Waiter};
use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::WaitList;
use crate::raw::waker;
use crate::scheduler::Scheduler;
use crate::waiting::Waiting;

/// A flag set from anywhere — an interrupt handler, another thread, C code — and awaited by
/// tasks (MicroPython's `asyncio.ThreadSafeFlag`).
///
/// [`set`](ThreadSafeFlag::set) is an atomic update plus a lock-free waker call: no lock, no
/// `irq_lock`, safe in an ISR. It wakes the waiting task at once: on Zephyr the loop's
/// `k_poll_signal` is raised, where MicroPython only writes a bit that the loop may notice
/// late. [`wait`](ThreadSafeFlag::wait) takes one set as it returns (auto-clear).
///
/// How sets count, in one rule: **each set releases one waiting task, oldest first; sets made
/// while nobody waits count as one.** So two sets while two tasks wait release both, even if
/// neither has run in between; two sets before anyone waits let one wait through, as
/// MicroPython's flag does (which serves only one waiter and silently loses the others).
/// Waiting tasks must all belong to one loop: a wait from another loop while they wait
/// returns [`Error::WrongLoop`].
///
/// ```
/// use asyncio_core::{create_task, run, Error, ThreadSafeFlag};
///
/// static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
///
/// run(async {
///     let waiter = create_task(async { FLAG.wait().await });
///     // An interrupt handler or another thread:
///     std::thread::spawn(|| FLAG.set()).join().unwrap();
///     waiter.await?;
///     assert!(!FLAG.is_set()); // cleared by the wait
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct ThreadSafeFlag {
    /// Sets not taken yet: at most one while nobody waits, at most one per waiting task.
    sets: AtomicUsize,
    /// How many tasks wait in `waiters` (kept by their loop's thread, read by `set`).
    queued: AtomicUsize,
    /// The waker of the oldest waiter: the task the next `set` releases.
    next: AtomicWaker,
    /// Waiting tasks, oldest first. Only touched on the thread of the loop in `owner`.
    waiters: UnsafeCell<WaitList>,
    /// The loop the waiters run on, while there are waiters (0: none).
    owner: AtomicUsize,
}

// SAFETY: `sets`, `queued`, `next` and `owner` are atomics, safe from any context. `waiters` is only
// touched by `FlagWait`, and only on the thread of the loop recorded in `owner` (claimed with
// a compare-and-swap before the first access, released when the list is empty; a loop never
// leaves its thread).
unsafe impl Sync for ThreadSafeFlag {}

// SAFETY: as for `Sync`; the flag holds no thread-bound data while nobody waits.
unsafe impl Send for ThreadSafeFlag {}

impl Default for ThreadSafeFlag {
    fn default() -> Self {
        Self::new()
    }
}

impl ThreadSafeFlag {
    /// A new, clear flag; usable as a `static`.
    ///
    /// ```
    /// static BUTTON: asyncio_core::ThreadSafeFlag = asyncio_core::ThreadSafeFlag::new();
    /// assert!(!BUTTON.is_set());
    /// ```
    pub const fn new() -> Self {
        ThreadSafeFlag {
            sets: AtomicUsize::new(0),
            queued: AtomicUsize::new(0),
            next: AtomicWaker::new(),
            waiters: UnsafeCell::new(WaitList::new()),
            owner: AtomicUsize::new(0),
        }
    }

    /// Sets the flag and wakes the oldest waiting task: each set releases one waiting task;
    /// while nobody waits, sets count as one. Callable from any thread or interrupt handler.
    ///
    /// The wake is I/O readiness, as in MicroPython: the waiter runs after the tasks that are
    /// already ready, the setter included if it yields right away.
    ///
    /// ```
    /// use asyncio_core::ThreadSafeFlag;
    ///
    /// static DONE: ThreadSafeFlag = ThreadSafeFlag::new();
    /// std::thread::spawn(|| DONE.set()).join().unwrap(); // any thread or ISR
    /// assert!(DONE.is_set());
    /// ```
    pub fn set(&self) {
        let _ = self
            .sets
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |sets| {
                let limit = self.queued.load(Ordering::Acquire).max(1);
                (sets < limit).then_some(sets + 1)
            });
        self.wake_next();
    }

    fn wake_next(&self) {
        if let Some(waker) = self.next.take() {
            waker::wake_io(waker);
        }
    }

    /// Clears the flag (for a flag that may have been set before anyone waited).
    ///
    /// ```
    /// let flag = asyncio_core::ThreadSafeFlag::new();
    /// flag.set();
    /// flag.clear();
    /// assert!(!flag.is_set());
    /// ```
    pub fn clear(&self) {
        self.sets.store(0, Ordering::Release);
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.sets.load(Ordering::Acquire) > 0
    }

    /// The number of tasks waiting (for diagnostics); 0 when asked from a thread other than
    /// the waiters' loop.
    ///
    /// ```
    /// use asyncio_core::{run, ThreadSafeFlag};
    ///
    /// static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
    /// run(async { assert_eq!(FLAG.waiting(), 0) }).unwrap();
    /// ```
    pub fn waiting(&self) -> usize {
        let owner = self.owner.load(Ordering::Acquire);
        match context::this_threads_loop() {
            Some(core) if owner == loop_id(core) => {
                // SAFETY: this thread's loop owns the list (see the `Sync` impl).
                unsafe { &*self.waiters.get() }.len()
            }
            _ => 0,
        }
    }

    /// Takes one set, if there is one.
    fn take(&self) -> bool {
        self.sets
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |sets| {
                sets.checked_sub(1)
            })
            .is_ok()
    }

    /// Waits for the flag and clears it. Returns at once if it is already set and nobody else
    /// is waiting. `Err(Error::Cancelled)` if the waiting task is cancelled first.
    ///
    /// ```
    /// use asyncio_core::{run, ThreadSafeFlag};
    ///
    /// static RX: ThreadSafeFlag = ThreadSafeFlag::new();
    /// run(async {
    ///     std::thread::spawn(|| RX.set()); // the receive interrupt
    ///     RX.wait().await.unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn wait(&self) -> FlagWait<'_> {
        Waiter::new(FlagPolicy { flag: self })
    }
}

/// How a flag names the loop its waiters belong to.
fn loop_id(core: &Scheduler) -> usize {
    core.entry as *const _ as usize
}

/// The future of [`ThreadSafeFlag::wait`].
///
/// ```
/// use asyncio_core::{run, ThreadSafeFlag};
///
/// static READY: ThreadSafeFlag = ThreadSafeFlag::new();
/// READY.set(); // before anyone waits: kept
/// run(async { READY.wait().await.unwrap() }).unwrap();
/// assert!(!READY.is_set()); // wait() cleared it
/// ```
pub type FlagWait<'a> = Waiter<FlagPolicy<'a>>;

/// A task's wait on a flag (see [`Waiter`]): the oldest waiter's waker sits in the flag's
/// `next`, where `set` finds it from any context; the others wait their turn in the list.
#[doc(hidden)]
pub struct FlagPolicy<'a> {
    flag: &'a ThreadSafeFlag,
}

impl FlagPolicy<'_> {
    /// Claims the flag's list for the running loop; false if another loop's tasks wait on it.
    fn claim(&self) -> bool {
        let id = loop_id(context::current_loop());
        match self
            .flag
            .owner
            .compare_exchange(0, id, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(owner) => owner == id,
        }
    }

    fn release_if_unused(&self) {
        if self.list().is_empty() {
            self.flag.owner.store(0, Ordering::Release);
        }
    }
}

impl WaitPolicy for FlagPolicy<'_> {
    type Output = ();

    fn list(&self) -> &WaitList {
        // SAFETY: the `Waiter` asks only after `try_now` claimed the list for this loop, on its
        // thread (see the `Sync` impl); no borrow of the list outlives a call.
        unsafe { &*self.flag.waiters.get() }
    }

    fn waiting(&self) -> Waiting {
        Waiting::On("ThreadSafeFlag")
    }

    fn try_now(&self) -> Result<Option<()>> {
        if !self.claim() {
            return Err(Error::WrongLoop);
        }
        if self.list().is_empty() && self.flag.take() {
            self.release_if_unused();
            return Ok(Some(()));
        }
        Ok(None)
    }

    fn queued(&self) {
        self.flag.queued.fetch_add(1, Ordering::AcqRel);
    }

    fn while_queued(&self, is_head: bool, cx: &Context<'_>) -> Option<()> {
        if !is_head {
            return None;
        }
        // Already set (the usual case once woken): taken, and nothing to register.
        if self.flag.take() {
            return Some(());
        }
        // Register, then look: a set in between wakes us, so none is missed.
        self.flag.next.register(cx.waker());
        if !self.flag.take() {
            return None;
        }
        // Set before the registration: our waker is still there, and would keep this task
        // allocated until the next set(), which may never come.
        drop(self.flag.next.take());
        Some(())
    }

    fn accept(&self) {
        unreachable!("a flag's waiters are never notified through the list")
    }

    fn leave(&self, was_head: bool) {
        self.flag.queued.fetch_sub(1, Ordering::AcqRel);
        if !was_head {
            return;
        }
        match self.list().front().and_then(|next| next.waker()) {
            Some(waker) => {
                self.flag.next.register(&waker);
                if self.flag.is_set() {
                    self.flag.wake_next();
                }
            }
            None => self.release_if_unused(),
        }
    }
}
