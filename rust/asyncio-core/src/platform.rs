//! What the event loop needs from the system it runs on.
//!
//! The core never blocks, reads a clock or talks to an interrupt controller itself: it asks a
//! [`Platform`], one per loop. The Zephyr layer's platform is that loop's reactor: its clock is
//! `k_uptime_ticks()`, and it parks in one `k_poll()` on its own `k_poll_signal` and on the kernel
//! objects and sockets the loop's tasks wait on. The host platform (feature `std`) parks on a
//! condition variable, with a virtual or real clock.
//!
//! What the whole program provides once, for all its loops, is a [`System`]: how to tell
//! threads apart and how to make the platform of a thread's default loop.

use core::any::Any;

use crate::diagnostics::Diagnostics;
use crate::raw::wake_queue::Notify;
use crate::time::Instant;

/// The services one event loop needs from its system.
///
/// Each loop has its own platform. It is shared by the loop thread (which calls
/// [`now`](Platform::now) and [`park`](Platform::park)) and by every context that wakes one of
/// the loop's tasks, including other threads and interrupt handlers (which call
/// [`notify`](Platform::notify)); hence `Sync`. It is `Any` so that adapters written for one
/// platform find theirs through the running loop ([`Loop::platform`](crate::Loop::platform)).
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
pub trait Platform: Any + Sync {
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

/// A loop's platform as its wake queue sees it: the one call a wake makes.
pub(crate) struct PlatformNotify(pub(crate) &'static dyn Platform);

impl Notify for PlatformNotify {
    fn notify(&self) {
        self.0.notify();
    }
}

/// What a program provides once for all its loops: the Zephyr layer does, and so does this
/// crate's `std` feature for host builds (named with [`set_system!`](crate::set_system)).
///
/// ```ignore
/// struct Zephyr;
/// impl asyncio_core::System for Zephyr {
///     fn thread_id() -> usize { unsafe { k_current_get() as usize } }
///     fn new_platform() -> &'static dyn asyncio_core::Platform { ZephyrPlatform::leak() }
/// }
/// asyncio_core::set_system!(Zephyr);
/// ```
pub trait System {
    /// An identifier of the calling thread, unique among the threads alive; callable from any
    /// thread (never from an interrupt handler: the loops it finds are threads' loops).
    fn thread_id() -> usize;

    /// A new platform for a thread's default loop, which
    /// [`get_event_loop`](crate::get_event_loop) creates on the thread's first use.
    fn new_platform() -> &'static dyn Platform;
}

extern "Rust" {
    fn __asyncio_thread_id() -> usize;
    fn __asyncio_new_platform() -> &'static dyn Platform;
}

/// The calling thread's identifier ([`System::thread_id`]).
pub(crate) fn thread_id() -> usize {
    // SAFETY: the symbol is a safe Rust function defined by `set_system!`; a missing or
    // duplicate definition is a link error, not undefined behaviour.
    unsafe { __asyncio_thread_id() }
}

/// The platform for a new default loop ([`System::new_platform`]).
pub(crate) fn new_platform() -> &'static dyn Platform {
    // SAFETY: as for `thread_id`.
    unsafe { __asyncio_new_platform() }
}

/// Names the program's [`System`]. Exactly one crate in a program invokes this: the Zephyr
/// layer does, and so does this crate's `std` feature.
#[macro_export]
macro_rules! set_system {
    ($system:ty) => {
        #[no_mangle]
        fn __asyncio_thread_id() -> usize {
            <$system as $crate::System>::thread_id()
        }
        #[no_mangle]
        fn __asyncio_new_platform() -> &'static dyn $crate::Platform {
            <$system as $crate::System>::new_platform()
        }
    };
}
