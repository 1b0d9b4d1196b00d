//! What the camera cases share: the clock, running a case, and a configured camera.

use alloc::string::{String, ToString};

use asyncio::camera::{Camera, CameraError, Format, Freshness, PixelFormat};
use asyncio::{get_event_loop, run, LoopStats};

/// The generator's format in these cases.
pub const FORMAT: Format = Format::new(PixelFormat::RGB565, 320, 160);
pub const FPS: u32 = 30;

pub fn now_ms() -> u32 {
    // SAFETY: plain syscall.
    unsafe { zephyr::raw::k_uptime_get() as u32 }
}

pub fn stats() -> LoopStats {
    get_event_loop().stats()
}

/// Runs `future` as the main task, turning a loop error into a failure message.
pub fn run_case<F>(future: F) -> Result<(), String>
where
    F: core::future::Future<Output = Result<(), String>> + 'static,
{
    run(future).map_err(|e| alloc::format!("run failed: {e}"))?
}

/// A camera error as a case failure.
pub fn failed(e: CameraError) -> String {
    e.to_string()
}

/// The chosen camera (the software generator) at 320x160 RGB565, 30 fps.
pub fn generator(buffers: usize, freshness: Freshness) -> Result<Camera, String> {
    let camera = Camera::new().map_err(failed)?;
    camera.set_format(FORMAT).map_err(failed)?;
    camera.set_framerate(FPS).map_err(failed)?;
    camera.set_framebuffers(buffers).map_err(failed)?;
    camera.set_freshness(freshness);
    Ok(camera)
}
