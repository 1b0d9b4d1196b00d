//! `Waker`s for tasks: one pointer to the task header plus a static vtable.
//!
//! A waker owns one reference to its task, so waking it after the task finished (or after the
//! loop stopped) is harmless: the task stays allocated until the waker is dropped, and a wake of
//! a finished task is ignored by the loop. Every operation is atomics plus, at most, the
//! platform's `notify`, so wakers are `Send + Sync` and callable from interrupt handlers.

use core::cell::Cell;
use core::mem::ManuallyDrop;
use core::task::{RawWaker, RawWakerVTable, Waker};

use super::header::TaskPtr;

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

unsafe fn clone(ptr: *const ()) -> RawWaker {
    // SAFETY: `ptr` comes from a waker, which holds a reference to a live task.
    unsafe { TaskPtr::from_raw(ptr) }.ref_inc();
    RawWaker::new(ptr, &VTABLE)
}

unsafe fn wake(ptr: *const ()) {
    // SAFETY: as in `clone`; the waker's reference is handed to the wake.
    unsafe { TaskPtr::from_raw(ptr) }.wake();
}

unsafe fn wake_by_ref(ptr: *const ()) {
    // SAFETY: as in `clone`.
    unsafe { TaskPtr::from_raw(ptr) }.wake_by_ref();
}

unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: as in `clone`; this gives up the waker's reference, possibly in an interrupt
    // handler, which `release` allows.
    unsafe { TaskPtr::from_raw(ptr) }.release();
}

/// A waker for `task` that borrows the caller's reference instead of owning one: it is not
/// dropped, so it costs no reference-count traffic while the loop polls the task.
pub(crate) fn borrowed(task: TaskPtr) -> ManuallyDrop<Waker> {
    // SAFETY: the vtable's functions uphold the `RawWaker` contract for task pointers, and the
    // `ManuallyDrop` keeps this waker from releasing a reference it never took. Clones take
    // their own reference.
    ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(task.as_raw(), &VTABLE)) })
}

/// Wakes a task because an I/O source it waits for became ready: the task then runs after the
/// tasks woken otherwise, as MicroPython orders I/O (see `wake_queue`). A waker that is not one
/// of the loop's is simply woken. Callable from any context.
///
/// For platform adapters and custom primitives that wait on interrupts, kernel objects or
/// sockets.
///
/// ```
/// use asyncio_core::{create_task, run, wake_io, yield_now, Error};
/// use std::future::poll_fn;
/// use std::task::Poll;
///
/// run(async {
///     let mut woken = false;
///     poll_fn(|cx| {
///         if woken {
///             return Poll::Ready(());
///         }
///         woken = true;
///         wake_io(cx.waker().clone()); // as a ready I/O source would
///         Poll::Pending
///     })
///     .await;
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub fn wake_io(waker: Waker) {
    if core::ptr::eq(waker.vtable(), &VTABLE) {
        // SAFETY: only task pointers are paired with this vtable; the waker's reference keeps
        // the task alive for the call and is released when `waker` drops.
        unsafe { TaskPtr::from_raw(waker.data()) }.wake_io();
    } else {
        waker.wake();
    }
}

/// Puts `waker` in `slot`, keeping the one there if it wakes the same task (no clone): what
/// every waiting node (wait list, timer, inbox) does on each poll.
pub(crate) fn store_waker(slot: &Cell<Option<Waker>>, waker: &Waker) {
    let current = slot.take();
    slot.set(Some(match current {
        Some(w) if w.will_wake(waker) => w,
        _ => waker.clone(),
    }));
}
