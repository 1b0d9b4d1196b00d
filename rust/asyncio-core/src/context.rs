//! Which loop the calling thread is using.
//!
//! Two per-thread slots, as in CPython: the *running* loop (while `run_until_complete` or
//! `run_forever` is on the thread's stack) and the thread's *default* loop (what
//! `get_event_loop()` returns when none is running; created on first use, on a new platform
//! from the program's [`System`](crate::System)). Loop primitives use the running loop,
//! falling back to the default one, so tasks may be created before the loop runs. Every thread
//! has its own: several loops run at once, one per thread.
//!
//! With `std` the slots are thread-locals. Without it (Zephyr), a thread finds its loops in
//! the program's list of loops by its thread id: each loop records its thread, whether it is
//! that thread's default and whether it runs.

use crate::scheduler::{CancelHints, Scheduler};

#[cfg(feature = "std")]
mod slots {
    use super::Scheduler;
    use core::cell::Cell;

    std::thread_local! {
        static RUNNING: Cell<Option<&'static Scheduler>> = const { Cell::new(None) };
        static DEFAULT: Cell<Option<&'static Scheduler>> = const { Cell::new(None) };
    }

    pub(super) fn running() -> Option<&'static Scheduler> {
        RUNNING.with(Cell::get)
    }
    pub(super) fn set_running(core: Option<&'static Scheduler>) {
        RUNNING.with(|c| c.set(core));
    }
    pub(super) fn default() -> Option<&'static Scheduler> {
        DEFAULT.with(Cell::get)
    }
    pub(super) fn set_default(core: &'static Scheduler) {
        DEFAULT.with(|c| c.set(Some(core)));
    }
}

#[cfg(not(feature = "std"))]
mod slots {
    use super::Scheduler;
    use crate::registry::{loops, LoopEntry};
    use portable_atomic::Ordering;

    /// The first loop of this thread that `pick` accepts.
    fn find(pick: impl Fn(&LoopEntry) -> bool) -> Option<&'static Scheduler> {
        let thread = crate::platform::thread_id();
        loops()
            .find(|entry| entry.owner_thread == thread && pick(entry))
            .map(LoopEntry::scheduler_on_own_thread)
    }

    pub(super) fn running() -> Option<&'static Scheduler> {
        find(|entry| entry.running.load(Ordering::Relaxed))
    }
    /// The loop's own `running` flag is the slot (set by `enter`).
    pub(super) fn set_running(_: Option<&'static Scheduler>) {}
    pub(super) fn default() -> Option<&'static Scheduler> {
        find(|entry| entry.is_default)
    }
    /// The loop's `is_default` is the slot (set when it was created).
    pub(super) fn set_default(_: &'static Scheduler) {}
}

/// The loop running on this thread, if any.
pub(crate) fn running_loop() -> Option<&'static Scheduler> {
    slots::running()
}

/// The running loop, else this thread's default loop if it has one yet (creating none).
pub(crate) fn this_threads_loop() -> Option<&'static Scheduler> {
    slots::running().or_else(slots::default)
}

/// The running loop, else the thread's default loop (created on first use).
pub(crate) fn current_loop() -> &'static Scheduler {
    if let Some(core) = this_threads_loop() {
        return core;
    }
    let platform = crate::platform::new_platform();
    // The first default loop lives in a static, so a program with one loop needs no heap for
    // it; later ones on the heap.
    let core = Scheduler::place(&crate::loop_storage::FIRST_DEFAULT, platform, true)
        .unwrap_or_else(|| Scheduler::leak(platform, true));
    slots::set_default(core);
    core
}

/// Marks `core` as this thread's running loop until the guard drops (also across an unwinding
/// panic, on hosts that unwind).
pub(crate) struct Running {
    core: &'static Scheduler,
}

impl Running {
    pub(crate) fn enter(core: &'static Scheduler) -> Self {
        core.set_running(true);
        slots::set_running(Some(core));
        Running { core }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        slots::set_running(None);
        self.core.set_running(false);
    }
}

/// Consumes a pending cancellation of the running task: true if it was cancelled since it last
/// looked. Every loop primitive asks this first when polled, so a cancel wins over a wake that
/// has not been acted on yet (as in MicroPython).
pub(crate) fn take_cancel() -> bool {
    // Every primitive's every poll asks, so the common answer comes first and cheap: one atomic
    // load says that no loop is polling a task that may be cancelled. Only otherwise does the
    // thread look for its loop (a kernel call on Zephyr) and the loop at its task.
    CancelHints::any() && running_loop().is_some_and(Scheduler::take_cancel)
}

/// A cancellation point for primitives written outside this crate: `Err(Error::Cancelled)` if
/// the running task has been cancelled since it last looked (the request is then consumed), as
/// every loop primitive does first when polled.
///
/// ```
/// use asyncio_core::{check_cancel, create_task, run, yield_now, Error, Result};
/// use std::future::poll_fn;
/// use std::task::Poll;
///
/// /// Yields to the other tasks without being a loop primitive (like many foreign futures, it
/// /// cannot report a cancellation).
/// async fn foreign_yield() {
///     let mut yielded = false;
///     poll_fn(|cx| {
///         if yielded {
///             return Poll::Ready(());
///         }
///         yielded = true;
///         cx.waker().wake_by_ref();
///         Poll::Pending
///     })
///     .await
/// }
///
/// async fn crunch() -> Result<()> {
///     loop {
///         check_cancel()?; // so this loop still ends when cancelled
///         foreign_yield().await;
///     }
/// }
///
/// run(async {
///     let t = create_task(crunch());
///     yield_now().await?;
///     t.cancel();
///     assert_eq!(t.await, Err(Error::Cancelled));
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub fn check_cancel() -> crate::Result<()> {
    if take_cancel() {
        Err(crate::Error::Cancelled)
    } else {
        Ok(())
    }
}
