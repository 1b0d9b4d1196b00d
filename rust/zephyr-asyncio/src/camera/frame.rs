//! [`Frame`]: a finished frame, zero-copy; its buffer goes back to the driver when dropped.

use alloc::rc::Rc;
use core::fmt;

use super::driver::{BufferPtr, Layout};
use super::format::PixelFormat;
use super::state::Shared;

/// A frame from [`Camera::snapshot`](super::Camera::snapshot): a view of the driver's buffer,
/// not a copy. Dropping it hands the buffer back to the driver for a later frame, so hold it
/// only as long as needed (OpenMV's image is valid until the next snapshot; here the borrow
/// is explicit). It may be kept after the camera stopped or was dropped.
///
/// ```no_run
/// # use asyncio::camera::{Camera, CameraError};
/// # async fn f(camera: &Camera) -> Result<(), CameraError> {
/// let frame = camera.snapshot().await?;
/// let (w, h, pitch) = (frame.width(), frame.height(), frame.pitch());
/// let first_row = &frame.data()[..pitch as usize];
/// # let _ = (w, h, first_row);
/// drop(frame); // the buffer goes back to the driver
/// # Ok(()) }
/// ```
pub struct Frame {
    shared: Rc<Shared>,
    buffer: BufferPtr,
    sequence: u32,
    layout: Layout,
}

impl Frame {
    pub(super) fn new(
        shared: Rc<Shared>,
        buffer: BufferPtr,
        sequence: u32,
        layout: Layout,
    ) -> Self {
        Frame {
            shared,
            buffer,
            sequence,
            layout,
        }
    }

    fn raw(&self) -> &zephyr_asyncio_sys::video_buffer {
        // SAFETY: the buffer is this frame's until it drops; the driver does not touch it.
        unsafe { self.buffer.as_ref() }
    }

    /// The frame's bytes (`bytesused` of them: all of a raw frame, the data of a JPEG).
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// # async fn f(camera: &Camera) -> Result<(), CameraError> {
    /// let frame = camera.snapshot().await?;
    /// let checksum = frame.data().iter().fold(0u8, |sum, &b| sum.wrapping_add(b));
    /// # let _ = checksum; Ok(()) }
    /// ```
    pub fn data(&self) -> &[u8] {
        let raw = self.raw();
        let len = (raw.bytesused as usize).min(raw.size as usize);
        // SAFETY: the buffer holds `size` bytes, of which the driver filled `bytesused`.
        unsafe { core::slice::from_raw_parts(raw.buffer, len) }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.layout.format.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.layout.format.height
    }

    /// Bytes from one line to the next.
    pub fn pitch(&self) -> u32 {
        self.layout.pitch
    }

    /// The pixel format.
    pub fn pixel_format(&self) -> PixelFormat {
        self.layout.format.pixel_format
    }

    /// When the driver finished the frame, in milliseconds of uptime (`video_buffer.timestamp`).
    pub fn timestamp_ms(&self) -> u32 {
        self.raw().timestamp
    }

    /// The frame's number among all the frames the driver finished since the camera was
    /// created, counting from 1: a gap means frames were dropped in between.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        self.shared.give_back(self.buffer);
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Frame #{} {} {}x{} at {} ms>",
            self.sequence,
            self.pixel_format(),
            self.width(),
            self.height(),
            self.timestamp_ms()
        )
    }
}
