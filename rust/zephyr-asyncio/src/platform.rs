//! The loop's Zephyr platform: `k_uptime_ticks()` for time, one `k_poll()` to block, one
//! `k_poll_signal` to be woken, and the kernel objects tasks wait on in the same `k_poll`
//! (see [`poll_set`](crate::poll_set)).
//!
//! Parking follows Zephyr's k_poll rules (kernel docs and zephyr#40189, #44649):
//! - the deadline is absolute (`K_TIMEOUT_ABS_TICKS`), so no drift accumulates, and a deadline
//!   already passed becomes `K_NO_WAIT` (an absolute timeout in the past would still wait for
//!   the next tick);
//! - after `k_poll` returns, the tasks of ready kernel objects are woken, then the signal is
//!   reset and the event states cleared *before* the loop drains its wake queue, so a raise
//!   that lands after the reset re-arms the next `k_poll` (and those wakes cost no extra one);
//! - `k_poll_signal_raise` may return `-EAGAIN` when it races an expiring poll; the signal stays
//!   raised, so the result is ignored.
//!
//! The slow-task detector times polls with the hardware cycle counter (`k_cycle_get_32`), and
//! the guards' settings come from Kconfig (`CONFIG_ASYNCIO_SLOW_TASK_MS`,
//! `CONFIG_ASYNCIO_SWALLOWED_CANCEL_ABORTS`).
//!
//! No scheduling logic lives here: the core decides when to park and until when.

use core::cell::UnsafeCell;
use core::ptr::addr_of_mut;
use core::sync::atomic::{AtomicBool, Ordering};

use asyncio_core::{Diagnostics, Instant, Platform};
use zephyr::raw::{
    k_current_get, k_cycle_get_32, k_poll, k_poll_signal, k_poll_signal_init, k_poll_signal_raise,
    k_poll_signal_reset, k_timeout_t, k_uptime_ticks, ZR_POLL_TYPE_SIGNAL,
};
use zephyr::sys::{K_FOREVER, K_NO_WAIT};

use crate::poll_set::PollSet;

/// The kernel objects of the loop's wait.
struct Objects {
    signal: k_poll_signal,
    poll_set: PollSet,
}

/// The [`Platform`] of a loop on a Zephyr thread.
///
/// ```no_run
/// // Every loop on Zephyr runs on `ZEPHYR`; an explicit loop for a thread of your own:
/// fn worker_thread() -> asyncio::Result<()> {
///     let lp = asyncio::Loop::with_platform(&asyncio::ZEPHYR);
///     lp.run_until_complete(async { asyncio::sleep_ms(10).await })?
/// }
/// ```
pub struct ZephyrPlatform {
    objects: UnsafeCell<Objects>,
    initialised: AtomicBool,
}

// SAFETY: the signal is only touched through Zephyr's `k_poll_signal_*` calls, which are
// thread- and ISR-safe; the poll set only by the loop thread (see `with_poll_set`).
unsafe impl Sync for ZephyrPlatform {}

/// The platform of every loop on this Zephyr system.
///
/// ```no_run
/// use asyncio::Platform;
///
/// fn tick_rate() -> u32 {
///     asyncio::ZEPHYR.ticks_per_second() // CONFIG_SYS_CLOCK_TICKS_PER_SEC
/// }
/// ```
pub static ZEPHYR: ZephyrPlatform = ZephyrPlatform {
    objects: UnsafeCell::new(Objects {
        // SAFETY: all-zero is a valid (uninitialised) k_poll_signal; `init` initialises it
        // before any use.
        signal: unsafe { core::mem::zeroed() },
        poll_set: PollSet::new(),
    }),
    initialised: AtomicBool::new(false),
};

/// `K_TIMEOUT_ABS_TICKS(t)`: Zephyr encodes absolute deadlines as negative tick counts below
/// `K_FOREVER` (`Z_TICK_ABS` in sys/clock.h); needs `CONFIG_TIMEOUT_64BIT`, Zephyr's default.
fn abs_ticks(deadline: Instant) -> k_timeout_t {
    match i64::try_from(deadline.ticks()) {
        Ok(ticks) if ticks < i64::MAX - 2 => k_timeout_t { ticks: -2 - ticks },
        // Beyond the clock's range: as good as never.
        _ => K_FOREVER,
    }
}

impl ZephyrPlatform {
    /// Initialises the signal and its poll event, once. Called when the first loop is created.
    pub(crate) fn init(&'static self) -> &'static Self {
        if !self.initialised.swap(true, Ordering::AcqRel) {
            let objects = self.objects.get();
            // SAFETY: the first caller initialises before anyone can notify (wakers only exist
            // once tasks exist, which needs a loop, which needs this call to have returned).
            unsafe {
                let signal = addr_of_mut!((*objects).signal);
                k_poll_signal_init(signal);
                (*objects)
                    .poll_set
                    .set_loop_signal(ZR_POLL_TYPE_SIGNAL, signal.cast());
            }
        }
        self
    }

    /// Runs `f` on the poll set. Loop thread only, outside `park`: the futures that wait on
    /// kernel objects call it from their `poll`.
    pub(crate) fn with_poll_set<R>(&self, f: impl FnOnce(&mut PollSet) -> R) -> R {
        // SAFETY: only the loop thread reaches the poll set (from `park`, `poll_io` and the
        // polls of its tasks), never concurrently with itself; the kernel reads the events only
        // inside `k_poll`, while that thread is blocked there.
        f(unsafe { &mut (*self.objects.get()).poll_set })
    }

    /// `k_poll` over the loop's events, then the bookkeeping every return needs.
    fn poll(&self, with_signal: bool, timeout: k_timeout_t) {
        let objects = self.objects.get();
        self.with_poll_set(|set| {
            let (events, count) = set.events(with_signal);
            // SAFETY: the events stay valid and untouched by others for the call (see
            // `with_poll_set`). The result (0, -EAGAIN, -EINTR) needs no handling: the states
            // say what is ready, and the loop re-checks its queues whatever woke it.
            unsafe { k_poll(events, count, timeout) };
            // Wake the tasks of ready objects first: the loop still counts as parked, so those
            // wakes raise the signal, which the reset below takes back. A wake from elsewhere
            // after the reset raises it again; none is lost, the core drains its queues next.
            set.dispatch();
            if with_signal {
                // SAFETY: as above; only the loop thread resets the signal.
                unsafe { k_poll_signal_reset(addr_of_mut!((*objects).signal)) };
                set.clear_loop_signal_state();
            }
        });
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
        self.poll(true, timeout);
    }

    fn notify(&self) {
        // SAFETY: ISR- and thread-safe Zephyr call on an initialised signal.
        unsafe { k_poll_signal_raise(addr_of_mut!((*self.objects.get()).signal), 0) };
    }

    fn thread_id(&self) -> usize {
        // SAFETY: a plain syscall with no arguments.
        unsafe { k_current_get() as usize }
    }

    fn poll_io(&self) {
        if self.with_poll_set(|set| set.has_armed()) {
            self.poll(false, K_NO_WAIT);
        }
        #[cfg(CONFIG_ASYNCIO_SHELL)]
        crate::shell::serve_dump_request();
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
            swallowed_cancel_aborts: cfg!(CONFIG_ASYNCIO_SWALLOWED_CANCEL_ABORTS),
        }
    }
}

asyncio_core::set_default_platform!(ZEPHYR.init());
