//! Where a streaming camera learns that the driver finished a frame, without polling:
//!
//! - [`Source::Signal`]: the driver raises a `k_poll_signal` (`video_set_signal`) that joins the
//!   loop's `k_poll`; the task then dequeues without waiting.
//! - [`Source::Helper`]: for drivers without it (STM32 DCMI, the emulated imager...), a helper
//!   thread (`c/camera.c`) blocks in `video_dequeue()` and hands each frame to a `k_fifo` the
//!   task awaits in the loop's `k_poll`.
//!
//! The choice is made once per device, when its first camera is created: Zephyr cannot
//! unregister a driver's signal, so each device keeps the one it was given.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cell::RefCell;

use asyncio_core::Result;
use critical_section::Mutex;

use super::driver::{BufferPtr, Device};
use super::error::CameraError;
use crate::kernel::{KFifo, KPollSignal};

// A `k_queue` holds a `k_spinlock`, an empty struct in C on uniprocessor builds, which rustc
// cannot vouch for across FFI; only the queue's address is passed on.
#[allow(improper_ctypes)]
extern "C" {
    fn asyncio_camera_helper_start(
        dev: *const zephyr::raw::device,
        out: *mut zephyr::raw::k_queue,
    ) -> i32;
    fn asyncio_camera_helper_stop();
}

/// The driver's signal result for a buffer returned by a cancelling flush.
pub(super) const VIDEO_BUF_ABORTED: i32 =
    zephyr_asyncio_sys::video_signal_result_VIDEO_BUF_ABORTED as i32;

/// The helper thread's hand-over queue (one helper: one such camera streams at a time).
static HELPER_FRAMES: KFifo = KFifo::new();

/// The signal given to each device so far.
static SIGNALS: Mutex<RefCell<Vec<(usize, &'static KPollSignal)>>> =
    Mutex::new(RefCell::new(Vec::new()));

/// How a camera's frames reach its task.
#[derive(Clone, Copy)]
pub(super) enum Source {
    Signal(&'static KPollSignal),
    Helper,
}

/// How frames reach the task, as [`Camera::wake_source`](super::Camera::wake_source) reports.
///
/// ```no_run
/// # use asyncio::camera::Camera;
/// use asyncio::camera::WakeSource;
///
/// # fn f(camera: &Camera) {
/// if camera.wake_source() == WakeSource::HelperThread {
///     log::info!("this video driver has no k_poll signal: a helper thread waits for frames");
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WakeSource {
    /// The driver's `video_set_signal()` signal, in the loop's `k_poll`.
    Signal,
    /// A helper thread blocking in `video_dequeue()` (the driver has no signal).
    HelperThread,
}

impl Source {
    /// The source for `dev`: its signal, registering one the first time, or the helper.
    pub(super) fn for_device(dev: Device) -> Result<Source, CameraError> {
        let key = dev.as_ptr() as usize;
        let known = critical_section::with(|cs| {
            let signals = SIGNALS.borrow_ref(cs);
            signals.iter().find(|(d, _)| *d == key).map(|(_, s)| *s)
        });
        if let Some(signal) = known {
            return Ok(Source::Signal(signal));
        }
        let signal: &'static KPollSignal = Box::leak(Box::new(KPollSignal::new()));
        match dev.set_signal(signal.raw()) {
            Ok(()) => {
                critical_section::with(|cs| SIGNALS.borrow_ref_mut(cs).push((key, signal)));
                Ok(Source::Signal(signal))
            }
            Err(CameraError::NotSupported(_)) => Ok(Source::Helper),
            Err(e) => Err(e),
        }
    }

    pub(super) fn kind(self) -> WakeSource {
        match self {
            Source::Signal(_) => WakeSource::Signal,
            Source::Helper => WakeSource::HelperThread,
        }
    }

    /// Prepares to receive `dev`'s frames (before the stream starts).
    pub(super) fn start(self, dev: Device) -> Result<(), CameraError> {
        match self {
            Source::Signal(signal) => {
                signal.reset();
                Ok(())
            }
            Source::Helper => {
                // SAFETY: a ready device and a static queue, used until `stop`.
                let result =
                    unsafe { asyncio_camera_helper_start(dev.as_ptr(), HELPER_FRAMES.raw()) };
                match result {
                    0 => Ok(()),
                    errno => Err(CameraError::Driver {
                        operation:
                            "start the camera helper thread (one camera without a signal at a time)",
                        errno,
                    }),
                }
            }
        }
    }

    /// Stops receiving (before the stream stops); buffers already handed over stay for `take_now`.
    pub(super) fn stop(self) {
        if let Source::Helper = self {
            // SAFETY: a plain C call; it waits for the helper to end (at most one slice).
            unsafe { asyncio_camera_helper_stop() };
        }
    }

    /// A finished buffer, if one is waiting (never waits).
    pub(super) fn take_now(self, dev: Device) -> Option<BufferPtr> {
        match self {
            Source::Signal(_) => dev.dequeue_now(),
            Source::Helper => HELPER_FRAMES.try_get().map(|item| item.cast()),
        }
    }

    /// Waits for the driver's next finished buffer. `last_signal` keeps the driver's most
    /// recent signal result (`VIDEO_BUF_DONE`, `_ABORTED`, `_ERROR`) across calls; it explains
    /// a buffer without data. The helper cannot tell, and leaves it.
    pub(super) async fn next(self, dev: Device, last_signal: &mut i32) -> Result<BufferPtr> {
        match self {
            Source::Signal(signal) => loop {
                // Dequeue first: a frame that lands after this keeps the signal raised.
                if let Some(buffer) = dev.dequeue_now() {
                    return Ok(buffer);
                }
                *last_signal = signal.wait().await?;
            },
            Source::Helper => Ok(HELPER_FRAMES.get().await?.cast()),
        }
    }
}
