//! [`CameraStats`]: what a camera counts.

/// A camera's frame counts since it was created.
///
/// ```no_run
/// # use asyncio::camera::Camera;
/// # fn f(camera: &Camera) {
/// let stats = camera.stats();
/// log::info!("{} frames, {} dropped, {} failed", stats.frames, stats.dropped, stats.failed);
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CameraStats {
    /// Frames handed to the application.
    pub frames: u32,
    /// Finished frames replaced by a newer one before anyone took them ([`Freshness::NewestWins`](super::Freshness::NewestWins)).
    pub dropped: u32,
    /// Buffers the driver returned without a frame (aborted or failed).
    pub failed: u32,
}
