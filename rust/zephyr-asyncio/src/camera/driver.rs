//! The video driver, through Zephyr's video API: safe calls on a device, and frame buffers from
//! Zephyr's video buffer pool (DMA-aligned; never Rust's allocator). No camera logic here.

use alloc::vec::Vec;
use core::ptr::NonNull;

use zephyr::raw::{device, device_is_ready, k_timeout_t};
use zephyr::sys::K_NO_WAIT;
use zephyr_asyncio_sys as sys;

use super::error::CameraError;
use super::format::{Format, FormatCap, PixelFormat};

extern "C" {
    /// `c/camera.c`: ENOSYS as the drivers see it (the C library's value, e.g. 38 with glibc
    /// on native_sim, 88 with Zephyr's minimal libc).
    static asyncio_camera_enosys: i32;
}

/// Turns a video API result into `Ok` or the matching error.
fn check(operation: &'static str, result: i32) -> Result<(), CameraError> {
    // SAFETY: a constant.
    let enosys = unsafe { asyncio_camera_enosys };
    match result {
        0.. => Ok(()),
        e if e == -enosys => Err(CameraError::NotSupported(operation)),
        errno => Err(CameraError::Driver { operation, errno }),
    }
}

/// A frame buffer: Zephyr's `struct video_buffer`, from the pool.
pub(super) type BufferPtr = NonNull<sys::video_buffer>;

/// What the driver reports about a format it accepted.
#[derive(Clone, Copy)]
pub(super) struct Layout {
    pub(super) format: Format,
    pub(super) pitch: u32,
    pub(super) size: u32,
}

/// A ready video device.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Device(NonNull<device>);

impl Device {
    /// `dev` if it is a ready device.
    ///
    /// # Safety
    /// `dev` is null or points to a video device (it lives as long as the program).
    pub(super) unsafe fn new(dev: *const device) -> Result<Self, CameraError> {
        let dev = NonNull::new(dev as *mut device).ok_or(CameraError::NoDevice)?;
        // SAFETY: a device pointer, per the contract.
        if unsafe { device_is_ready(dev.as_ptr()) } {
            Ok(Device(dev))
        } else {
            Err(CameraError::NotReady)
        }
    }

    pub(super) fn as_ptr(self) -> *const device {
        self.0.as_ptr()
    }

    /// The formats the driver produces, and the fewest buffers it streams with.
    pub(super) fn caps(self) -> Result<(Vec<FormatCap>, usize), CameraError> {
        let mut caps = sys::video_caps {
            type_: sys::video_buf_type_VIDEO_BUF_TYPE_OUTPUT,
            ..Default::default()
        };
        // SAFETY: a ready video device; `caps` outlives the call.
        check("video_get_caps", unsafe {
            sys::video_get_caps(self.as_ptr(), &mut caps)
        })?;
        let mut list = Vec::new();
        let mut cap = caps.format_caps;
        // SAFETY: the driver's list is static and ends with a zero pixel format.
        while let Some(c) = unsafe { cap.as_ref() }.filter(|c| c.pixelformat != 0) {
            list.push(FormatCap {
                pixel_format: PixelFormat::from_raw(c.pixelformat),
                width: (c.width_min, c.width_max),
                height: (c.height_min, c.height_max),
                step: (c.width_step, c.height_step),
            });
            // SAFETY: not past the terminator, which was checked above.
            cap = unsafe { cap.add(1) };
        }
        Ok((list, usize::from(caps.min_vbuf_count).max(1)))
    }

    /// The current format.
    pub(super) fn layout(self) -> Result<Layout, CameraError> {
        let mut fmt = sys::video_format {
            type_: sys::video_buf_type_VIDEO_BUF_TYPE_OUTPUT,
            ..Default::default()
        };
        // SAFETY: a ready video device; `fmt` outlives the call.
        check("video_get_format", unsafe {
            sys::video_get_format(self.as_ptr(), &mut fmt)
        })?;
        Ok(Layout {
            format: Format::new(
                PixelFormat::from_raw(fmt.pixelformat),
                fmt.width,
                fmt.height,
            ),
            pitch: fmt.pitch,
            size: fmt.size,
        })
    }

    pub(super) fn set_format(self, format: Format) -> Result<Layout, CameraError> {
        let mut fmt = sys::video_format {
            type_: sys::video_buf_type_VIDEO_BUF_TYPE_OUTPUT,
            pixelformat: format.pixel_format.raw(),
            width: format.width,
            height: format.height,
            ..Default::default()
        };
        // SAFETY: a ready video device; `fmt` outlives the call.
        check("video_set_format", unsafe {
            sys::video_set_format(self.as_ptr(), &mut fmt)
        })?;
        self.layout()
    }

    /// Asks for `fps` frames per second; the rate the driver chose.
    pub(super) fn set_framerate(self, fps: u32) -> Result<u32, CameraError> {
        let mut interval = sys::video_frmival {
            numerator: 1,
            denominator: fps,
        };
        // SAFETY: a ready video device; `interval` outlives the call.
        let result = unsafe { sys::video_set_frmival(self.as_ptr(), &mut interval) };
        check("video_set_frmival (frame rate)", result)?;
        Ok(interval.denominator / interval.numerator.max(1))
    }

    pub(super) fn framerate(self) -> Result<u32, CameraError> {
        let mut interval = sys::video_frmival::default();
        // SAFETY: a ready video device; `interval` outlives the call.
        let result = unsafe { sys::video_get_frmival(self.as_ptr(), &mut interval) };
        check("video_get_frmival (frame rate)", result)?;
        Ok(interval.denominator / interval.numerator.max(1))
    }

    /// Registers the signal the driver raises at each frame; `Err(NotSupported)` if it has none.
    pub(super) fn set_signal(
        self,
        signal: *mut zephyr::raw::k_poll_signal,
    ) -> Result<(), CameraError> {
        // SAFETY: a ready video device; the signal is static.
        check("video_set_signal", unsafe {
            sys::video_set_signal(self.as_ptr(), signal)
        })
    }

    /// Hands `buffer` to the driver to fill.
    pub(super) fn enqueue(self, buffer: BufferPtr) -> Result<(), CameraError> {
        // SAFETY: a pool buffer that nobody else holds; the driver owns it until dequeued.
        unsafe {
            (*buffer.as_ptr()).bytesused = 0;
            check(
                "video_enqueue",
                sys::video_enqueue(self.as_ptr(), buffer.as_ptr()),
            )
        }
    }

    /// A buffer the driver has finished with, if any (never waits).
    pub(super) fn dequeue_now(self) -> Option<BufferPtr> {
        let mut buffer = core::ptr::null_mut();
        let timeout: k_timeout_t = K_NO_WAIT;
        // SAFETY: a ready video device; `buffer` outlives the call.
        let result = unsafe { sys::video_dequeue(self.as_ptr(), &mut buffer, timeout) };
        if result == 0 {
            NonNull::new(buffer)
        } else {
            None
        }
    }

    pub(super) fn stream_start(self) -> Result<(), CameraError> {
        let output = sys::video_buf_type_VIDEO_BUF_TYPE_OUTPUT;
        // SAFETY: a ready video device.
        check("video_stream_start", unsafe {
            sys::video_stream_start(self.as_ptr(), output)
        })
    }

    /// Stops streaming; the driver hands back its buffers (aborted) for `dequeue_now`.
    pub(super) fn stream_stop(self) -> Result<(), CameraError> {
        let output = sys::video_buf_type_VIDEO_BUF_TYPE_OUTPUT;
        // SAFETY: a ready video device.
        check("video_stream_stop", unsafe {
            sys::video_stream_stop(self.as_ptr(), output)
        })
    }
}

/// Frame buffers from Zephyr's video buffer pool, released when dropped.
pub(super) struct BufferPool {
    buffers: Vec<BufferPtr>,
    size: usize,
}

impl BufferPool {
    pub(super) const fn empty() -> Self {
        BufferPool {
            buffers: Vec::new(),
            size: 0,
        }
    }

    /// `count` buffers of `size` bytes, aligned as the pool is configured; all or nothing.
    pub(super) fn allocate(count: usize, size: usize) -> Result<Self, CameraError> {
        let mut pool = BufferPool {
            buffers: Vec::with_capacity(count),
            size,
        };
        for index in 0..count {
            let align = sys::ZA_VIDEO_BUFFER_POOL_ALIGN as usize;
            // SAFETY: a plain allocation call (loop thread: the pool is not locked).
            let raw = unsafe { sys::video_buffer_aligned_alloc(size, align, K_NO_WAIT) };
            let buffer = NonNull::new(raw).ok_or(CameraError::OutOfBufferMemory { count, size })?;
            // SAFETY: a fresh buffer only this pool holds.
            unsafe {
                (*raw).type_ = sys::video_buf_type_VIDEO_BUF_TYPE_OUTPUT;
                (*raw).index = index as u8;
            }
            pool.buffers.push(buffer);
        }
        Ok(pool)
    }

    pub(super) fn buffers(&self) -> &[BufferPtr] {
        &self.buffers
    }

    pub(super) fn size(&self) -> usize {
        self.size
    }
}

impl Drop for BufferPool {
    fn drop(&mut self) {
        for buffer in self.buffers.drain(..) {
            // SAFETY: pool buffers, back from the driver (the owner stops the stream first).
            unsafe { sys::video_buffer_release(buffer.as_ptr()) };
        }
    }
}
