//! [`Freshness`]: which frame a snapshot gets when several are waiting.

/// Which frame a snapshot gets when several are waiting.
///
/// ```no_run
/// # use asyncio::camera::Camera;
/// use asyncio::camera::Freshness;
///
/// # fn f(camera: &Camera) {
/// camera.set_freshness(Freshness::Fifo); // every frame, in order (default: the newest wins)
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Freshness {
    /// The newest: an older finished frame nobody took goes straight back to the driver (and
    /// counts as dropped), so the driver always has a buffer to fill. OpenMV's triple
    /// buffering.
    #[default]
    NewestWins,
    /// Every frame, oldest first; the driver waits for a buffer when the application holds or
    /// queues them all. OpenMV's FIFO mode (four or more buffers).
    Fifo,
}
