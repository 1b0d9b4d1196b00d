//! The loop's Zephyr platform: `k_uptime_ticks()` for time and, to block and be woken, the
//! loop's own [`Reactor`]: one `k_poll()` on the loop's `k_poll_signal` and on the kernel
//! objects and sockets its tasks wait on. And the program's [`System`]: Zephyr threads, each
//! with a default loop on a platform of its own.
//!
//! Parking turns the loop's next deadline into an absolute timeout (`K_TIMEOUT_ABS_TICKS`),
//! so no drift accumulates; a deadline already passed becomes `K_NO_WAIT` (an absolute timeout
//! in the past would still wait for the next tick).
//!
//! The slow-task detector times polls with the hardware cycle counter (`k_cycle_get_32`), and
//! the guards' settings come from Kconfig (`CONFIG_ASYNCIO_SLOW_TASK_MS`,
//! `CONFIG_ASYNCIO_CANCEL_GRACE_MS`).
//!
//! No scheduling logic lives here: the core decides when to park and until when.

use alloc::boxed::Box;
use static_cell::StaticCell;

use asyncio_core::{Diagnostics, Instant, Platform, System};
use zephyr::raw::{k_current_get, k_cycle_get_32, k_timeout_t, k_uptime_ticks};
use zephyr::sys::{K_FOREVER, K_NO_WAIT};

use crate::reactor::Reactor;

/// The [`Platform`] of a loop on a Zephyr thread: the loop's clock and its reactor.
///
/// Every thread's default loop gets one of its own (`asyncio::run()` on any thread just works,
/// each loop idle in its own `k_poll`); an explicit loop takes a new one:
///
/// ```no_run
/// use asyncio::{Loop, ZephyrPlatform};
///
/// fn control_thread() -> asyncio::Result<()> {
///     let lp = Loop::with_platform(ZephyrPlatform::leak());
///     lp.run_until_complete(async { asyncio::sleep_ms(10).await })?
/// }
/// ```
pub struct ZephyrPlatform {
    reactor: Reactor,
}

impl ZephyrPlatform {
    /// A platform for a new loop on the calling thread, with a reactor of its own. Like the
    /// loop, it lives for the rest of the program.
    ///
    /// ```no_run
    /// fn on_a_thread_of_its_own() {
    ///     let lp = asyncio::Loop::with_platform(asyncio::ZephyrPlatform::leak());
    ///     lp.run_forever().ok();
    /// }
    /// ```
    pub fn leak() -> &'static ZephyrPlatform {
        let storage = Box::leak(Box::new(PlatformStorage::new()));
        ZephyrPlatform::place(storage).expect("new storage is empty")
    }

    /// Like [`leak`](Self::leak), in `storage` rather than on the heap: with a
    /// [`LoopStorage`](asyncio_core::LoopStorage), a loop on a thread of its own that needs no
    /// heap.
    ///
    /// # Errors
    /// [`Error::PoolFull`](asyncio_core::Error::PoolFull) if `storage` already holds a platform.
    ///
    /// ```no_run
    /// use asyncio::{Loop, LoopStorage, PlatformStorage, ZephyrPlatform};
    ///
    /// static CONTROL_PLATFORM: PlatformStorage = PlatformStorage::new();
    /// static CONTROL_LOOP: LoopStorage = LoopStorage::new();
    ///
    /// fn control_thread() -> asyncio::Result<()> {
    ///     let platform = ZephyrPlatform::place(&CONTROL_PLATFORM)?;
    ///     let lp = Loop::with_platform_in(platform, &CONTROL_LOOP)?;
    ///     lp.run_until_complete(async { asyncio::sleep_ms(10).await })?
    /// }
    /// ```
    pub fn place(storage: &'static PlatformStorage) -> asyncio_core::Result<&'static Self> {
        let platform = storage
            .0
            .try_init(ZephyrPlatform {
                reactor: Reactor::new(),
            })
            .ok_or(asyncio_core::Error::PoolFull)?;
        platform.reactor.init();
        Ok(platform)
    }

    pub(crate) fn reactor(&self) -> &Reactor {
        &self.reactor
    }
}

/// Static memory for one [`ZephyrPlatform`] (see [`ZephyrPlatform::place`]).
///
/// The first thread's default loop takes the module's own, so firmware with one loop needs no
/// heap for its loop or its platform.
///
/// ```
/// static SENSOR_PLATFORM: asyncio::PlatformStorage = asyncio::PlatformStorage::new();
/// ```
pub struct PlatformStorage(StaticCell<ZephyrPlatform>);

impl PlatformStorage {
    /// Empty storage, for a `static`.
    ///
    /// ```
    /// static CONTROL_PLATFORM: asyncio::PlatformStorage = asyncio::PlatformStorage::new();
    /// ```
    pub const fn new() -> Self {
        PlatformStorage(StaticCell::new())
    }
}

impl Default for PlatformStorage {
    fn default() -> Self {
        Self::new()
    }
}

/// The platform of the first thread's default loop.
static FIRST_DEFAULT: PlatformStorage = PlatformStorage::new();

/// `K_TIMEOUT_ABS_TICKS(t)`: Zephyr encodes absolute deadlines as negative tick counts below
/// `K_FOREVER` (`Z_TICK_ABS` in sys/clock.h); needs `CONFIG_TIMEOUT_64BIT`, Zephyr's default.
fn abs_ticks(deadline: Instant) -> k_timeout_t {
    match i64::try_from(deadline.ticks()) {
        Ok(ticks) if ticks < i64::MAX - 2 => k_timeout_t { ticks: -2 - ticks },
        // Beyond the clock's range: as good as never.
        _ => K_FOREVER,
    }
}

impl Platform for ZephyrPlatform {
    fn now(&self) -> Instant {
        // SAFETY: a plain syscall with no arguments.
        Instant::from_ticks(unsafe { k_uptime_ticks() } as u64)
    }

    fn ticks_per_second(&self) -> u32 {
        zephyr::time::SYS_FREQUENCY
    }

    fn park(&self, deadline: Option<Instant>) {
        let timeout = match deadline {
            None => K_FOREVER,
            Some(deadline) if deadline <= self.now() => K_NO_WAIT,
            Some(deadline) => abs_ticks(deadline),
        };
        self.reactor.park(timeout);
    }

    fn notify(&self) {
        self.reactor.raise();
    }

    fn poll_io(&self) {
        self.reactor.poll_ready();
    }

    fn cycles(&self) -> u32 {
        // SAFETY: a plain syscall with no arguments.
        unsafe { k_cycle_get_32() }
    }

    fn cycles_per_second(&self) -> u32 {
        zephyr::kconfig::CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC as u32
    }

    fn diagnostics(&self) -> Diagnostics {
        Diagnostics {
            slow_poll_ms: zephyr::kconfig::CONFIG_ASYNCIO_SLOW_TASK_MS as u32,
            cancel_grace_ms: zephyr::kconfig::CONFIG_ASYNCIO_CANCEL_GRACE_MS as u32,
        }
    }
}

/// Zephyr as the program's [`System`]: threads are told apart by `k_current_get()`, and each
/// thread's default loop runs on a new [`ZephyrPlatform`].
struct ZephyrSystem;

impl System for ZephyrSystem {
    fn thread_id() -> usize {
        // SAFETY: a plain syscall with no arguments.
        unsafe { k_current_get() as usize }
    }

    fn new_platform() -> &'static dyn Platform {
        ZephyrPlatform::place(&FIRST_DEFAULT).unwrap_or_else(|_| ZephyrPlatform::leak())
    }
}

asyncio_core::set_system!(ZephyrSystem);
