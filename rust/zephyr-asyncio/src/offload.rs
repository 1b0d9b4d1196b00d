//! [`offload`]: run a blocking call on the module's work queue and await its result.
//!
//! A blocking call made inside a task stops the whole loop (every task, the heartbeat, the
//! network) for as long as it blocks. Offloaded, it runs on the `asyncio_offload` work queue
//! thread (`c/offload.c`, sized and prioritised from Kconfig) while the loop keeps going.

use core::cell::UnsafeCell;
use core::future::poll_fn;
use core::task::Poll;
use zephyr::sync::atomic::{AtomicBool, Ordering};
use zephyr::sync::Arc;

use asyncio_core::{check_cancel, note_waiting, wake_io, Error, Result, Waiting};
use futures_util::task::AtomicWaker;
use zephyr::raw::{k_work, k_work_init, k_work_q, k_work_submit_to_queue};

// Only the queue's address is used; its `k_spinlock` is an empty struct in some configurations
// (no spinlock validation), which the lint cannot know is fine.
#[allow(improper_ctypes)]
extern "C" {
    /// `c/offload.c`.
    static mut asyncio_offload_queue: k_work_q;
}

/// One offloaded call, shared by the awaiting future and the work queue.
#[repr(C)]
struct Job<F, T> {
    /// First, so the `k_work` the handler receives is the job's address.
    work: k_work,
    call: UnsafeCell<Option<F>>,
    result: UnsafeCell<Option<T>>,
    done: AtomicBool,
    waker: AtomicWaker,
}

// SAFETY: `call` is only touched by the work queue thread (which takes it once), `result` by
// the work queue thread before `done` is set and by the awaiting task after it sees `done`.
unsafe impl<F: Send, T: Send> Sync for Job<F, T> {}
// SAFETY: as for `Sync`.
unsafe impl<F: Send, T: Send> Send for Job<F, T> {}

/// The work queue's entry point for jobs of this type.
unsafe extern "C" fn run_job<F: FnOnce() -> T, T>(work: *mut k_work) {
    // SAFETY: `work` is the first field of a `Job<F, T>` whose `Arc` reference was handed to
    // the queue in `offload` (`Arc::into_raw`); this takes that reference back.
    let job = unsafe { Arc::from_raw(work as *const Job<F, T>) };
    // SAFETY: only this thread touches `call`, once.
    if let Some(call) = unsafe { (*job.call.get()).take() } {
        let result = call();
        // SAFETY: the awaiting side reads `result` only after seeing `done`.
        unsafe { *job.result.get() = Some(result) };
    }
    job.done.store(true, Ordering::Release);
    if let Some(waker) = job.waker.take() {
        wake_io(waker);
    }
}

/// Runs `call` on the offload work queue and returns its result, without blocking the loop.
///
/// The call cannot be interrupted: if the awaiting task is cancelled, `offload` returns
/// `Err(Error::Cancelled)` at once and the result is dropped when the call finishes. Several
/// offloads may be pending; the queue runs them one after the other.
///
/// ```no_run
/// use asyncio::offload;
///
/// # fn read_blocking() -> u16 { 0 }
/// async fn sample() -> asyncio::Result<u16> {
///     // A driver call that blocks for 200 ms, without stalling the other tasks:
///     offload(read_blocking).await
/// }
/// ```
pub async fn offload<F, T>(call: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    check_cancel()?;
    let job = Arc::new(Job {
        // SAFETY: all-zero is a valid k_work before `k_work_init`.
        work: unsafe { core::mem::zeroed() },
        call: UnsafeCell::new(Some(call)),
        result: UnsafeCell::new(None),
        done: AtomicBool::new(false),
        waker: AtomicWaker::new(),
    });
    let handed = Arc::into_raw(job.clone()) as *mut Job<F, T>;
    // SAFETY: the job is pinned in its `Arc` allocation, which the queue's reference keeps
    // alive until `run_job` drops it; the queue is started at boot (c/offload.c).
    let submitted = unsafe {
        let work = core::ptr::addr_of_mut!((*handed).work);
        k_work_init(work, Some(run_job::<F, T>));
        k_work_submit_to_queue(core::ptr::addr_of_mut!(asyncio_offload_queue), work)
    };
    if submitted < 0 {
        // SAFETY: the queue did not take the job: take its reference back.
        drop(unsafe { Arc::from_raw(handed) });
        return Err(Error::Os(submitted));
    }
    poll_fn(|cx| {
        if let Err(e) = check_cancel() {
            return Poll::Ready(Err(e));
        }
        job.waker.register(cx.waker());
        if job.done.load(Ordering::Acquire) {
            // SAFETY: `done` was set after the result was written, and nothing writes it again.
            Poll::Ready(unsafe { (*job.result.get()).take() }.ok_or(Error::Cancelled))
        } else {
            note_waiting(Waiting::On("offload"));
            Poll::Pending
        }
    })
    .await
}
