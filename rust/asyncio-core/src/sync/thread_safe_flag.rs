//! [`ThreadSafeFlag`]: the one primitive an interrupt handler or another thread may set.

use core::cell::UnsafeCell;
use core::future::Future;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use core::task::{Context, Poll};

use futures_util::task::AtomicWaker;

use crate::context;
use crate::error::{Error, Result};
use crate::raw::wait_list::{NodeState, WaitList, WaitNode};
use crate::raw::waker;
use crate::task::{note_waiting, Waiting};

/// A flag set from anywhere — an interrupt handler, another thread, C code — and awaited by
/// tasks (MicroPython's `asyncio.ThreadSafeFlag`).
///
/// [`set`](ThreadSafeFlag::set) is an atomic store plus a lock-free waker call: no lock, no
/// `irq_lock`, safe in an ISR. It wakes the waiting task at once: on Zephyr the loop's
/// `k_poll_signal` is raised, where MicroPython only writes a bit that the loop may notice
/// late. [`wait`](ThreadSafeFlag::wait) clears the flag as it returns (auto-clear); sets do not
/// count, so two sets before a wait are seen once.
///
/// Several tasks may wait; each set releases one, oldest first (MicroPython silently loses all
/// but the last waiter). Waiting tasks must all belong to one loop: a wait from another
/// thread's loop returns [`Error::WrongLoop`].
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
    set: AtomicBool,
    /// The waker of the oldest waiter: the task the next `set` releases.
    next: AtomicWaker,
    /// Waiting tasks, oldest first. Only touched on the thread recorded in `owner`.
    waiters: UnsafeCell<WaitList>,
    /// The thread whose loop the waiters run on, while there are waiters (0: none).
    owner: AtomicUsize,
}

// SAFETY: `set`, `next` and `owner` are atomics, safe from any context. `waiters` is only
// touched by `FlagWait`, and only on the thread recorded in `owner` (claimed with a
// compare-and-swap before the first access, released when the list is empty).
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
            set: AtomicBool::new(false),
            next: AtomicWaker::new(),
            waiters: UnsafeCell::new(WaitList::new()),
            owner: AtomicUsize::new(0),
        }
    }

    /// Sets the flag and wakes the oldest waiting task. Callable from any thread or interrupt
    /// handler.
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
        self.set.store(true, Ordering::Release);
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
        self.set.store(false, Ordering::Release);
    }

    /// Whether the flag is set.
    ///
    /// ```
    /// let flag = asyncio_core::ThreadSafeFlag::new();
    /// assert!(!flag.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.set.load(Ordering::Acquire)
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
        let thread = context::current_loop().platform().thread_id();
        if self.owner.load(Ordering::Acquire) == thread {
            // SAFETY: this thread owns the list (see the `Sync` impl).
            unsafe { &*self.waiters.get() }.len()
        } else {
            0
        }
    }

    fn take(&self) -> bool {
        self.set.swap(false, Ordering::AcqRel)
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
        FlagWait {
            flag: self,
            node: WaitNode::new(),
            _pin: PhantomPinned,
        }
    }
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
#[must_use = "futures do nothing unless awaited"]
pub struct FlagWait<'a> {
    flag: &'a ThreadSafeFlag,
    node: WaitNode,
    _pin: PhantomPinned,
}

impl FlagWait<'_> {
    /// The waiter list; callers have checked that this thread owns it.
    fn waiters(&self) -> &WaitList {
        // SAFETY: only called on the owner thread (see the `Sync` impl), where the list is
        // never borrowed across a call that could reach another `FlagWait` of the same flag.
        unsafe { &*self.flag.waiters.get() }
    }

    fn is_head(&self) -> bool {
        self.waiters()
            .front()
            .is_some_and(|head| core::ptr::eq(head, &self.node))
    }

    /// Claims the waiter list for this thread, if it is free or already ours.
    fn claim(&self, thread: usize) -> bool {
        match self
            .flag
            .owner
            .compare_exchange(0, thread, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(owner) => owner == thread,
        }
    }

    /// Leaves the queue; the next waiter (if any) becomes the one `set` releases.
    fn leave(&self) {
        if self.node.state() != NodeState::Waiting {
            return;
        }
        let was_head = self.is_head();
        self.waiters().remove(&self.node);
        if !was_head {
            return;
        }
        match self.waiters().front().and_then(|next| next.waker()) {
            Some(waker) => {
                self.flag.next.register(&waker);
                if self.flag.is_set() {
                    self.flag.wake_next();
                }
            }
            None => self.release_if_unused(),
        }
    }

    /// Gives the waiter list back once nobody waits.
    fn release_if_unused(&self) {
        if self.waiters().is_empty() {
            self.flag.owner.store(0, Ordering::Release);
        }
    }
}

impl Future for FlagWait<'_> {
    type Output = Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.into_ref().get_ref();
        if this.node.state() == NodeState::Idle {
            let thread = context::current_loop().platform().thread_id();
            if !this.claim(thread) {
                return Poll::Ready(Err(Error::WrongLoop));
            }
            let outcome = if context::take_cancel() {
                Some(Err(Error::Cancelled))
            } else if this.waiters().is_empty() && this.flag.take() {
                Some(Ok(()))
            } else {
                None
            };
            if let Some(outcome) = outcome {
                this.release_if_unused();
                return Poll::Ready(outcome);
            }
            // SAFETY: the node is pinned inside this future, which leaves the list in `Drop`.
            unsafe {
                this.waiters()
                    .push_back(Pin::new_unchecked(&this.node), cx.waker())
            };
        } else if context::take_cancel() {
            this.leave();
            return Poll::Ready(Err(Error::Cancelled));
        } else {
            this.node.set_waker(cx.waker());
        }
        if this.is_head() {
            // Register, then look: a set in between wakes us, so none is missed.
            this.flag.next.register(cx.waker());
            if this.flag.take() {
                this.leave();
                return Poll::Ready(Ok(()));
            }
        }
        note_waiting(Waiting::On("ThreadSafeFlag"));
        Poll::Pending
    }
}

impl Drop for FlagWait<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}
