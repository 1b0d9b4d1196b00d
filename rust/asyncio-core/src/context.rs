//! Which loop the calling thread is using.
//!
//! Two per-thread slots, as in CPython: the *running* loop (set while `run_until_complete` or
//! `run_forever` is on the stack) and the thread's *default* loop (what `get_event_loop()`
//! returns when none is running; created on first use). Loop primitives use the running loop,
//! falling back to the default one, so tasks may be created before the loop runs.
//!
//! With `std` the slots are thread-locals. Without it (Zephyr), they are single globals and a
//! loop belongs to the thread that created it: asking for it from another thread panics, because
//! asyncio objects are not thread-safe (use a `ThreadSafeFlag` or a waker to cross threads).

use crate::event_loop::LoopCore;

#[cfg(feature = "std")]
mod slots {
    use super::LoopCore;
    use core::cell::Cell;

    std::thread_local! {
        static RUNNING: Cell<Option<&'static LoopCore>> = const { Cell::new(None) };
        static DEFAULT: Cell<Option<&'static LoopCore>> = const { Cell::new(None) };
    }

    pub(super) fn running() -> Option<&'static LoopCore> {
        RUNNING.with(Cell::get)
    }
    pub(super) fn running_any_thread() -> Option<&'static LoopCore> {
        running()
    }
    pub(super) fn set_running(core: Option<&'static LoopCore>) {
        RUNNING.with(|c| c.set(core));
    }
    pub(super) fn default() -> Option<&'static LoopCore> {
        DEFAULT.with(Cell::get)
    }
    pub(super) fn set_default(core: &'static LoopCore) {
        DEFAULT.with(|c| c.set(Some(core)));
    }
}

#[cfg(not(feature = "std"))]
mod slots {
    use super::LoopCore;
    use core::ptr;
    use core::sync::atomic::{AtomicPtr, Ordering};

    static RUNNING: AtomicPtr<LoopCore> = AtomicPtr::new(ptr::null_mut());
    static DEFAULT: AtomicPtr<LoopCore> = AtomicPtr::new(ptr::null_mut());

    fn load(slot: &AtomicPtr<LoopCore>) -> Option<&'static LoopCore> {
        let core = load_any_thread(slot)?;
        assert!(
            core.owner_thread == core.wake_queue.platform.thread_id(),
            "asyncio: the event loop belongs to another thread"
        );
        Some(core)
    }
    /// The loop in `slot` without checking that it belongs to this thread: only for its
    /// thread-safe parts.
    fn load_any_thread(slot: &AtomicPtr<LoopCore>) -> Option<&'static LoopCore> {
        // SAFETY: slots only ever hold null or a leaked, never-freed `LoopCore`.
        unsafe { slot.load(Ordering::Acquire).as_ref() }
    }
    fn store(slot: &AtomicPtr<LoopCore>, core: Option<&'static LoopCore>) {
        let raw = core.map_or(ptr::null_mut(), |c| c as *const LoopCore as *mut LoopCore);
        slot.store(raw, Ordering::Release);
    }

    pub(super) fn running() -> Option<&'static LoopCore> {
        load(&RUNNING)
    }
    /// The running loop, maybe another thread's (only for its thread-safe parts).
    pub(super) fn running_any_thread() -> Option<&'static LoopCore> {
        load_any_thread(&RUNNING)
    }
    pub(super) fn set_running(core: Option<&'static LoopCore>) {
        store(&RUNNING, core);
    }
    pub(super) fn default() -> Option<&'static LoopCore> {
        load(&DEFAULT)
    }
    pub(super) fn set_default(core: &'static LoopCore) {
        store(&DEFAULT, Some(core));
    }
}

/// The loop running on this thread, if any.
pub(crate) fn running_loop() -> Option<&'static LoopCore> {
    slots::running()
}

pub(crate) fn set_running_loop(core: Option<&'static LoopCore>) {
    slots::set_running(core);
}

/// The running loop, else the thread's default loop (created on first use).
pub(crate) fn current_loop() -> &'static LoopCore {
    if let Some(core) = slots::running().or_else(slots::default) {
        return core;
    }
    let core = LoopCore::leak(crate::platform::default_platform());
    slots::set_default(core);
    core
}

/// Consumes a pending cancellation of the running task: true if it was cancelled since it last
/// looked. Every loop primitive asks this first when polled, so a cancel wins over a wake that
/// has not been acted on yet (as in MicroPython).
pub(crate) fn take_cancel() -> bool {
    // Every primitive's every poll asks, so the common answer comes first and cheap: an atomic
    // flag of the loop, readable from any thread. Only if it may be yes does the loop check that
    // this is its thread (a kernel call on Zephyr) and look at the task.
    slots::running_any_thread().is_some_and(LoopCore::may_be_cancelled)
        && running_loop().is_some_and(LoopCore::take_cancel)
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
