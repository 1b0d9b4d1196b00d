//! What the event loop needs from the system it runs on.
//!
//! The core never blocks, reads a clock or talks to an interrupt controller itself: it asks a
//! [`Platform`]. The Zephyr layer implements it with `k_uptime_ticks()`, one `k_poll()` and a
//! `k_poll_signal`; the host platform (feature `std`) with a condition variable and a virtual or
//! real clock.

use crate::diagnostics::Diagnostics;
use crate::time::Instant;

/// The services one event loop needs from its system.
///
/// A platform object is shared by the loop thread (which calls [`now`](Platform::now) and
/// [`park`](Platform::park)) and by every context that wakes a task, including other threads and
/// interrupt handlers (which call [`notify`](Platform::notify)); hence `Sync`.
///
/// # Example
///
/// A minimal platform that spins instead of sleeping (a real one blocks in `park`):
///
/// ```
/// use asyncio_core::{Instant, Platform};
/// use core::sync::atomic::{AtomicU64, Ordering};
///
/// struct Spin(AtomicU64);
///
/// impl Platform for Spin {
///     fn now(&self) -> Instant {
///         Instant::from_ticks(self.0.load(Ordering::Relaxed))
///     }
///     fn ticks_per_second(&self) -> u32 {
///         1000
///     }
///     fn park(&self, deadline: Option<Instant>) {
///         // Nothing else can happen here: jump to the deadline.
///         if let Some(d) = deadline {
///             self.0.fetch_max(d.ticks(), Ordering::Relaxed);
///         }
///     }
///     fn notify(&self) {}
///     fn thread_id(&self) -> usize {
///         0
///     }
/// }
///
/// static SPIN: Spin = Spin(AtomicU64::new(0));
/// let lp = asyncio_core::Loop::with_platform(&SPIN);
/// let out = lp.run_until_complete(async {
///     asyncio_core::sleep_ms(250).await.unwrap();
///     7
/// });
/// assert_eq!(out.unwrap(), 7);
/// assert_eq!(SPIN.now().ticks(), 250);
/// ```
pub trait Platform: Sync {
    /// The monotonic clock the loop's deadlines are measured on.
    fn now(&self) -> Instant;

    /// How many [`Instant`] ticks make one second.
    fn ticks_per_second(&self) -> u32;

    /// Blocks the loop thread until [`notify`](Platform::notify) is called or `deadline` (if any)
    /// is reached. Returning early is allowed; the loop re-checks its queues either way.
    ///
    /// A `deadline` that has already passed must not block.
    fn park(&self, deadline: Option<Instant>);

    /// Ends a [`park`](Platform::park) in progress, or makes the next one return at once.
    ///
    /// Called from any thread or interrupt handler, so it must be lock-free.
    fn notify(&self);

    /// An identifier of the calling thread, used to bind a loop to the thread that owns it.
    fn thread_id(&self) -> usize;

    /// Looks, without blocking, for I/O sources that became ready and wakes their tasks (with
    /// [`wake_io`](crate::wake_io)). Called once per scheduling round, so that a busy loop
    /// still notices them (MicroPython polls I/O between tasks); `park` does the same when it
    /// returns. The default has no I/O sources.
    fn poll_io(&self) {}

    /// A cheap free-running counter, read once after each poll by the slow-task detector
    /// (wrapping is fine: only differences are used). The default is the loop clock's ticks;
    /// Zephyr's is the hardware cycle counter (`k_cycle_get_32`).
    fn cycles(&self) -> u32 {
        self.now().ticks() as u32
    }

    /// How many [`cycles`](Platform::cycles) make one second.
    fn cycles_per_second(&self) -> u32 {
        self.ticks_per_second()
    }

    /// The run-time guards' settings for loops on this platform (Zephyr's come from Kconfig).
    fn diagnostics(&self) -> Diagnostics {
        Diagnostics::DEFAULT
    }
}

extern "Rust" {
    /// Supplied by exactly one crate of the program (the Zephyr layer, or this crate's `std`
    /// feature): the platform for the loop that [`crate::get_event_loop`] creates on demand.
    fn __asyncio_default_platform() -> &'static dyn Platform;
}

/// The platform a thread's default loop is created with.
pub(crate) fn default_platform() -> &'static dyn Platform {
    // SAFETY: the symbol is a safe Rust function defined with `set_default_platform!`; a missing
    // or duplicate definition is a link error, not undefined behaviour.
    unsafe { __asyncio_default_platform() }
}

/// Names the platform that [`get_event_loop`](crate::get_event_loop) creates loops with.
///
/// Exactly one crate in a program invokes this: the Zephyr layer does, and so does this crate's
/// `std` feature for host builds. The expression is evaluated once per created loop.
///
/// ```ignore
/// asyncio_core::set_default_platform!(&ZEPHYR_PLATFORM);
/// ```
#[macro_export]
macro_rules! set_default_platform {
    ($platform:expr) => {
        #[no_mangle]
        fn __asyncio_default_platform() -> &'static dyn $crate::Platform {
            $platform
        }
    };
}
