//! [`CameraError`]: what can go wrong with a camera, each case saying what to do about it.

use alloc::vec::Vec;
use core::fmt;

use asyncio_core::{Error, TaskError};

use super::format::{Format, FormatCap};

/// A camera operation failed. Bad requests are refused before the driver is touched and leave
/// the camera as it was.
///
/// Loop errors (a cancelled task, a `wait_for` timeout) arrive as [`CameraError::Asyncio`], so
/// `?` works on both kinds inside a function returning `Result<_, CameraError>`.
///
/// ```no_run
/// use asyncio::camera::{Camera, CameraError, Frame};
/// use asyncio::TaskError; // is_cancelled()
///
/// # fn process(_: &Frame) {}
/// async fn next_frame(camera: &Camera) -> Result<(), CameraError> {
///     match camera.snapshot().await {
///         Ok(frame) => process(&frame),
///         Err(CameraError::Stopped) => {}            // camera.stop() was called
///         Err(CameraError::FrameFailed { .. }) => {} // counted in camera.stats().failed
///         Err(e) if e.is_cancelled() => return Err(e), // pass cancellation on
///         Err(e) => log::warn!("camera: {e}"),
///     }
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CameraError {
    /// An asyncio error: the task was cancelled, a `wait_for` timed out...
    Asyncio(Error),
    /// The devicetree chooses no camera (`zephyr,camera`): pass a device instead.
    NoDevice,
    /// The video device did not initialise (`device_is_ready()` is false).
    NotReady,
    /// The driver does not produce this format; `supported` lists what it does.
    Unsupported {
        /// What was asked for.
        requested: Format,
        /// The driver's capabilities.
        supported: Vec<FormatCap>,
    },
    /// The driver does not implement this operation (it returned `-ENOSYS`).
    NotSupported(&'static str),
    /// A frame buffer count below what the driver needs (at least 1, or the driver's minimum).
    BufferCount {
        /// What was asked for.
        requested: usize,
        /// The least the driver accepts.
        minimum: usize,
    },
    /// Zephyr's video buffer pool cannot hold this many frames of this size: raise
    /// `CONFIG_VIDEO_BUFFER_POOL_SZ_MAX` (per buffer, plus a little heap overhead) or
    /// `CONFIG_VIDEO_BUFFER_POOL_NUM_MAX`, or use fewer or smaller frames.
    OutOfBufferMemory {
        /// Buffers asked for.
        count: usize,
        /// Bytes per buffer.
        size: usize,
    },
    /// Not while the camera streams (or while frames are still held): stop it first (and drop
    /// the frames).
    Busy,
    /// The camera was stopped while this snapshot waited.
    Stopped,
    /// The driver delivered a buffer without a frame: aborted (`VIDEO_BUF_ABORTED`) or failed
    /// (`VIDEO_BUF_ERROR`). The next snapshot may succeed.
    FrameFailed {
        /// Aborted rather than failed.
        aborted: bool,
    },
    /// The driver refused `operation` with this (negative) errno.
    Driver {
        /// The video API call.
        operation: &'static str,
        /// Its result.
        errno: i32,
    },
}

impl From<Error> for CameraError {
    fn from(e: Error) -> Self {
        CameraError::Asyncio(e)
    }
}

impl TaskError for CameraError {
    fn is_cancelled(&self) -> bool {
        matches!(self, CameraError::Asyncio(e) if e.is_cancelled())
    }
}

impl fmt::Display for CameraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CameraError::Asyncio(e) => write!(f, "{e}"),
            CameraError::NoDevice => {
                f.write_str("no camera: the devicetree chooses no zephyr,camera")
            }
            CameraError::NotReady => f.write_str("the video device is not ready"),
            CameraError::Unsupported {
                requested,
                supported,
            } => {
                write!(f, "{requested} is not supported; the driver offers:")?;
                for cap in supported {
                    write!(f, " {cap};")?;
                }
                Ok(())
            }
            CameraError::NotSupported(op) => write!(f, "the driver does not support {op}"),
            CameraError::BufferCount { requested, minimum } => {
                write!(
                    f,
                    "{requested} frame buffers: the driver needs at least {minimum}"
                )
            }
            CameraError::OutOfBufferMemory { count, size } => write!(
                f,
                "the video buffer pool cannot hold {count} buffers of {size} bytes \
                 (CONFIG_VIDEO_BUFFER_POOL_SZ_MAX, CONFIG_VIDEO_BUFFER_POOL_NUM_MAX)"
            ),
            CameraError::Busy => {
                f.write_str("the camera is streaming or frames are held: stop it first")
            }
            CameraError::Stopped => f.write_str("the camera was stopped"),
            CameraError::FrameFailed { aborted: true } => f.write_str("the frame was aborted"),
            CameraError::FrameFailed { aborted: false } => {
                f.write_str("the driver failed the frame")
            }
            CameraError::Driver { operation, errno } => write!(f, "{operation} failed ({errno})"),
        }
    }
}
