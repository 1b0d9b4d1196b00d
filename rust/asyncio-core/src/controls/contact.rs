//! [`Contact`]: what a debounced control reads.

use crate::error::Result;

/// A two-state input the controls debounce: a button's or switch's contact, a pin.
///
/// [`changed`](Contact::changed) completes when the level *may* have changed since it was last
/// called (an edge interrupt fired, possibly many times); [`is_active`](Contact::is_active) reads
/// the level now, already converted to logic: `true` is pressed or closed, whatever the wiring
/// (an active-low button reads `true` when its pin is low).
///
/// ```
/// use asyncio_core::{Contact, Result, ThreadSafeFlag};
/// use std::sync::atomic::{AtomicBool, Ordering};
///
/// /// A contact an interrupt handler (here: any thread) moves.
/// struct Wire {
///     level: AtomicBool,
///     edge: ThreadSafeFlag,
/// }
///
/// impl Contact for &'static Wire {
///     fn is_active(&self) -> bool {
///         self.level.load(Ordering::Acquire)
///     }
///     async fn changed(&mut self) -> Result<()> {
///         self.edge.wait().await
///     }
/// }
/// ```
pub trait Contact {
    /// The level now, as logic (`true`: pressed, closed).
    fn is_active(&self) -> bool;

    /// Waits until the level may have changed since the last call; `Err(Error::Cancelled)` if
    /// the waiting task is cancelled.
    #[allow(async_fn_in_trait)] // controls are used in the loop's own tasks, never across threads
    async fn changed(&mut self) -> Result<()>;
}
