//! A camera whose `snapshot()` is awaited: OpenMV's `csi.CSI` on Zephyr's video API, without
//! polling.
//!
//! OpenMV's asyncio wrapper polls `snapshot(blocking=False)` with `sleep_ms(0)`, so the CPU
//! never idles while it waits. Here the driver's own completion signal (`video_set_signal`)
//! joins the loop's `k_poll`; for drivers without one, a helper thread blocking in
//! `video_dequeue()` wakes the loop instead ([`WakeSource`]). Between frames the loop sleeps.
//!
//! ```no_run
//! use asyncio::camera::{Camera, Format, PixelFormat};
//!
//! fn mean(pixels: &[u8]) -> u32 {
//!     pixels.iter().map(|&p| u32::from(p)).sum::<u32>() / pixels.len().max(1) as u32
//! }
//!
//! async fn capture() -> Result<(), asyncio::camera::CameraError> {
//!     let camera = Camera::new()?; // the devicetree's zephyr,camera
//!     camera.set_format(Format::new(PixelFormat::RGB565, 320, 160))?;
//!     camera.set_framerate(30)?;
//!     camera.set_framebuffers(3)?; // triple buffering: the newest frame wins
//!     loop {
//!         let frame = camera.snapshot().await?; // zero-copy
//!         log::info!("brightness {}", mean(frame.data()));
//!         // the buffer goes back to the driver when `frame` drops
//!     }
//! }
//! ```
//!
//! Frame buffers come from Zephyr's video buffer pool (`CONFIG_VIDEO_BUFFER_POOL_SZ_MAX` per
//! buffer, `CONFIG_VIDEO_BUFFER_POOL_NUM_MAX` of them), never from Rust's allocator. See
//! `docs/camera.md` for the mapping from OpenMV's API.

mod driver;
mod error;
mod format;
mod frame;
mod freshness;
mod pump;
mod source;
mod state;
mod stats;
mod stream;

use alloc::rc::Rc;
use core::cell::RefCell;
use core::future::Future;

use asyncio_core::Queue;
use zephyr::raw::device;

pub use error::CameraError;
pub use format::{Format, FormatCap, PixelFormat};
pub use frame::Frame;
pub use freshness::Freshness;
pub use source::WakeSource;
pub use stats::CameraStats;
pub use stream::Frames;

use driver::{BufferPool, Device};
use source::Source;
use state::{Shared, State};

extern "C" {
    /// `c/camera.c`: the devicetree's `zephyr,camera`, or null.
    fn asyncio_camera_chosen() -> *const device;
}

/// A camera on a Zephyr video device. Loop thread only (not `Send`).
///
/// Configure it while stopped ([`set_format`](Self::set_format),
/// [`set_framerate`](Self::set_framerate), [`set_framebuffers`](Self::set_framebuffers)), then
/// [`snapshot`](Self::snapshot) (which starts it) or iterate [`frames`](Self::frames). Dropping
/// the camera stops it; frames still held stay valid.
///
/// ```no_run
/// use asyncio::camera::{Camera, CameraError, Format, PixelFormat};
///
/// async fn one_frame() -> Result<usize, CameraError> {
///     let camera = Camera::new()?; // the devicetree's zephyr,camera
///     camera.set_format(Format::new(PixelFormat::RGB565, 320, 240))?;
///     let frame = camera.snapshot().await?; // other tasks run while it fills
///     Ok(frame.data().len())
/// }
/// ```
pub struct Camera {
    shared: Rc<Shared>,
}

impl Camera {
    /// The devicetree's chosen camera (`zephyr,camera`).
    ///
    /// # Errors
    /// [`CameraError::NoDevice`] without one, [`CameraError::NotReady`] if it failed to
    /// initialise, or the driver's error.
    ///
    /// ```no_run
    /// use asyncio::camera::{Camera, CameraError};
    ///
    /// fn open() -> Option<Camera> {
    ///     match Camera::new() {
    ///         Ok(camera) => Some(camera),
    ///         Err(CameraError::NoDevice) => None, // no zephyr,camera in the devicetree
    ///         Err(e) => {
    ///             log::error!("camera: {e}");
    ///             None
    ///         }
    ///     }
    /// }
    /// ```
    pub fn new() -> Result<Self, CameraError> {
        // SAFETY: the C helper returns null or the chosen video device.
        unsafe { Self::from_raw(asyncio_camera_chosen()) }
    }

    /// A camera on `dev`, e.g. `DEVICE_DT_GET(DT_NODELABEL(...))` handed over from C.
    ///
    /// # Safety
    /// `dev` is null or points to a video device.
    ///
    /// ```no_run
    /// use asyncio::camera::{Camera, CameraError};
    ///
    /// extern "C" {
    ///     /// C: returns DEVICE_DT_GET(DT_NODELABEL(rear_camera)).
    ///     fn rear_camera() -> *const zephyr::raw::device;
    /// }
    ///
    /// fn open_rear() -> Result<Camera, CameraError> {
    ///     // SAFETY: the C helper returns a video device (or null, which is an error here).
    ///     unsafe { Camera::from_raw(rear_camera()) }
    /// }
    /// ```
    pub unsafe fn from_raw(dev: *const device) -> Result<Self, CameraError> {
        // SAFETY: per the contract.
        let dev = unsafe { Device::new(dev) }?;
        let (caps, min_buffers) = dev.caps()?;
        let layout = dev.layout()?;
        let source = Source::for_device(dev)?;
        Ok(Camera {
            shared: Rc::new(Shared {
                dev,
                source,
                caps,
                min_buffers,
                initial: layout,
                ready: Queue::new(0),
                state: RefCell::new(State {
                    layout,
                    buffer_count: None,
                    freshness: Freshness::default(),
                    pool: BufferPool::empty(),
                    idle: alloc::vec::Vec::new(),
                    held: 0,
                    streaming: false,
                    closed: false,
                    pump: None,
                    sequence: 0,
                    stats: CameraStats::default(),
                }),
            }),
        })
    }

    /// How frames reach the loop: the driver's signal, or the helper thread.
    pub fn wake_source(&self) -> WakeSource {
        self.shared.source.kind()
    }

    /// The formats the driver produces.
    pub fn supported_formats(&self) -> &[FormatCap] {
        &self.shared.caps
    }

    /// The current format.
    pub fn format(&self) -> Format {
        self.shared.state.borrow().layout.format
    }

    /// Bytes from one line to the next in the current format.
    pub fn pitch(&self) -> u32 {
        self.shared.state.borrow().layout.pitch
    }

    /// Bytes per frame buffer in the current format.
    pub fn frame_size(&self) -> usize {
        self.shared.state.borrow().layout.size as usize
    }

    /// Sets the pixel format and size (OpenMV's `pixformat` and `framesize`).
    ///
    /// # Errors
    /// [`CameraError::Unsupported`], listing what the driver offers, for a format outside its
    /// capabilities; [`CameraError::Busy`] while streaming.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// use asyncio::camera::{Format, PixelFormat};
    ///
    /// # fn f(camera: &Camera) -> Result<(), CameraError> {
    /// match camera.set_format(Format::new(PixelFormat::GREY, 160, 120)) {
    ///     Ok(()) => {}
    ///     Err(CameraError::Unsupported { supported, .. }) => {
    ///         log::warn!("not offered; the driver has {} formats", supported.len());
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn set_format(&self, format: Format) -> Result<(), CameraError> {
        let mut st = self.stopped()?;
        if !self.shared.caps.iter().any(|cap| cap.covers(&format)) {
            return Err(CameraError::Unsupported {
                requested: format,
                supported: self.shared.caps.clone(),
            });
        }
        st.layout = self.shared.dev.set_format(format)?;
        Ok(())
    }

    /// Asks for `fps` frames per second (OpenMV's `framerate`); returns the rate the driver
    /// chose.
    ///
    /// # Errors
    /// [`CameraError::NotSupported`] if the driver has no frame rate control;
    /// [`CameraError::Busy`] while streaming.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// # fn f(camera: &Camera) -> Result<(), CameraError> {
    /// let chosen = camera.set_framerate(30)?;
    /// log::info!("{chosen} fps");
    /// # Ok(()) }
    /// ```
    pub fn set_framerate(&self, fps: u32) -> Result<u32, CameraError> {
        let _st = self.stopped()?;
        if fps == 0 {
            return Err(CameraError::NotSupported("a frame rate of 0"));
        }
        self.shared.dev.set_framerate(fps)
    }

    /// The driver's frame rate, frames per second.
    pub fn framerate(&self) -> Result<u32, CameraError> {
        self.shared.dev.framerate()
    }

    /// How many frame buffers to stream with (OpenMV's `framebuffers`): 1 (single), 2 (double),
    /// 3 (triple), more for a deeper [`Freshness::Fifo`]. Without a call: 3, else 2, else 1,
    /// whatever the pool holds. Allocated at the next start.
    ///
    /// # Errors
    /// [`CameraError::BufferCount`] below the driver's minimum (and for 0);
    /// [`CameraError::Busy`] while streaming.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// # fn f(camera: &Camera) -> Result<(), CameraError> {
    /// camera.set_framebuffers(2)?; // double buffering: one filling, one being processed
    /// # Ok(()) }
    /// ```
    pub fn set_framebuffers(&self, count: usize) -> Result<(), CameraError> {
        let mut st = self.stopped()?;
        if count < self.shared.min_buffers {
            return Err(CameraError::BufferCount {
                requested: count,
                minimum: self.shared.min_buffers,
            });
        }
        st.buffer_count = Some(count);
        Ok(())
    }

    /// The frame buffers allocated (0 before the first start).
    pub fn framebuffers(&self) -> usize {
        self.shared.state.borrow().pool.buffers().len()
    }

    /// Which frame a snapshot gets when several are finished; any time.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// use asyncio::camera::Freshness;
    ///
    /// # fn f(camera: &Camera) {
    /// camera.set_freshness(Freshness::Fifo); // every frame, in order (default: the newest wins)
    /// # }
    /// ```
    pub fn set_freshness(&self, freshness: Freshness) {
        self.shared.state.borrow_mut().freshness = freshness;
    }

    /// The freshness policy.
    pub fn freshness(&self) -> Freshness {
        self.shared.state.borrow().freshness
    }

    /// Allocates the buffers (if needed), hands them to the driver and starts the stream.
    ///
    /// # Errors
    /// [`CameraError::OutOfBufferMemory`] if the pool cannot hold the buffers, or the driver's
    /// error; the camera then stays stopped.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// # fn f(camera: &Camera) -> Result<(), CameraError> {
    /// // Optional: snapshot() starts a stopped camera; starting early gets the first frame sooner.
    /// camera.start()?;
    /// # Ok(()) }
    /// ```
    pub fn start(&self) -> Result<(), CameraError> {
        self.shared.start()
    }

    /// Stops the stream and takes the buffers back; snapshots still waiting return
    /// [`CameraError::Stopped`]. Frames held stay valid.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// # async fn f(camera: &Camera) -> Result<(), CameraError> {
    /// let frame = camera.snapshot().await?;
    /// camera.stop()?; // the sensor idles; `frame` stays valid
    /// # let _ = frame; Ok(()) }
    /// ```
    pub fn stop(&self) -> Result<(), CameraError> {
        self.shared.stop()
    }

    /// Stops, frees the frame buffers and returns to the driver's initial format, automatic
    /// buffer count and [`Freshness::NewestWins`] (OpenMV's `reset`).
    ///
    /// # Errors
    /// [`CameraError::Busy`] while frames are held.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// # fn f(camera: &Camera) -> Result<(), CameraError> {
    /// camera.reset()?; // as after Camera::new(): initial format, automatic buffers, newest wins
    /// # Ok(()) }
    /// ```
    pub fn reset(&self) -> Result<(), CameraError> {
        self.stop()?;
        let mut st = self.shared.state.borrow_mut();
        if st.held > 0 {
            return Err(CameraError::Busy);
        }
        st.idle.clear();
        st.pool = BufferPool::empty();
        st.buffer_count = None;
        st.freshness = Freshness::default();
        st.layout = self.shared.dev.set_format(self.shared.initial.format)?;
        Ok(())
    }

    /// Whether the camera streams.
    pub fn is_streaming(&self) -> bool {
        self.shared.state.borrow().streaming
    }

    /// Whether a finished frame is waiting, so that a snapshot would not wait (OpenMV's
    /// `readable`; true only for a frame not yet taken).
    pub fn readable(&self) -> bool {
        self.shared.ready.qsize() > self.shared.ready.waiting().0
    }

    /// The next frame (per the [`Freshness`] policy), starting the camera if it is stopped.
    /// `'static`, so it works with `wait_for` and in other tasks.
    ///
    /// # Errors
    /// [`CameraError::Asyncio`] if cancelled (or timed out under `wait_for`),
    /// [`CameraError::FrameFailed`] for a buffer without a frame, [`CameraError::Stopped`] if
    /// the camera stops meanwhile, or a start error.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// use asyncio::wait_for_ms;
    ///
    /// # async fn f(camera: &Camera) -> Result<(), CameraError> {
    /// // At most 500 ms: a timeout cancels the snapshot and gives CameraError::Asyncio(Error::Timeout).
    /// let frame = wait_for_ms(camera.snapshot(), 500).await?;
    /// log::info!("frame {} at {} ms", frame.sequence(), frame.timestamp_ms());
    /// # Ok(()) }
    /// ```
    pub fn snapshot(&self) -> impl Future<Output = Result<Frame, CameraError>> + 'static {
        self.shared.clone().snapshot()
    }

    /// Every frame as a stream (`while let Some(frame) = frames.next().await`), starting the
    /// camera if needed. Ends after the camera is dropped.
    ///
    /// ```no_run
    /// # use asyncio::camera::{Camera, CameraError};
    /// use futures_util::StreamExt;
    ///
    /// # async fn f(camera: &Camera) -> Result<(), CameraError> {
    /// let mut frames = camera.frames();
    /// while let Some(frame) = frames.next().await {
    ///     let frame = frame?;
    ///     # let _ = frame;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn frames(&self) -> Frames {
        Frames::new(self.shared.clone())
    }

    /// Frames delivered, dropped and failed since the camera was created.
    pub fn stats(&self) -> CameraStats {
        self.shared.state.borrow().stats
    }

    /// The state, if the camera is stopped.
    fn stopped(&self) -> Result<core::cell::RefMut<'_, State>, CameraError> {
        let st = self.shared.state.borrow_mut();
        if st.streaming {
            Err(CameraError::Busy)
        } else {
            Ok(st)
        }
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        if let Err(e) = self.shared.stop() {
            log::warn!("camera: stopping on drop: {e}");
        }
        self.shared.state.borrow_mut().closed = true;
    }
}
