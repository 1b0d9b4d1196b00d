//! [`LoopStorage`]: static memory for an event loop, for firmware without a heap.

use static_cell::StaticCell;

use crate::platform::PlatformNotify;
use crate::registry::LoopEntry;
use crate::scheduler::Scheduler;

/// The memory one event loop lives in, for a `static`: a loop made with
/// [`Loop::with_platform_in`](crate::Loop::with_platform_in) needs no heap. Each storage holds
/// one loop, for the rest of the program.
///
/// A thread's default loop (the one [`get_event_loop`](crate::get_event_loop) creates) takes the
/// program's own storage when it is the first, and the heap after that.
///
/// ```
/// use asyncio_core::{host, Error, Loop, LoopStorage};
///
/// static CONTROL_LOOP: LoopStorage = LoopStorage::new();
///
/// let lp = Loop::with_platform_in(host::thread_platform(), &CONTROL_LOOP).unwrap();
/// assert_eq!(lp.run_until_complete(async { 5 }).unwrap(), 5);
/// // One loop per storage.
/// let again = Loop::with_platform_in(host::thread_platform(), &CONTROL_LOOP);
/// assert_eq!(again.map(drop), Err(Error::PoolFull));
/// ```
pub struct LoopStorage {
    pub(crate) notifier: StaticCell<PlatformNotify>,
    pub(crate) entry: StaticCell<LoopEntry>,
    pub(crate) scheduler: StaticCell<Scheduler>,
}

impl LoopStorage {
    /// Empty storage, for a `static`.
    ///
    /// ```
    /// static SENSOR_LOOP: asyncio_core::LoopStorage = asyncio_core::LoopStorage::new();
    /// ```
    pub const fn new() -> Self {
        LoopStorage {
            notifier: StaticCell::new(),
            entry: StaticCell::new(),
            scheduler: StaticCell::new(),
        }
    }
}

impl Default for LoopStorage {
    fn default() -> Self {
        Self::new()
    }
}

/// The storage of the first thread's default loop.
pub(crate) static FIRST_DEFAULT: LoopStorage = LoopStorage::new();
