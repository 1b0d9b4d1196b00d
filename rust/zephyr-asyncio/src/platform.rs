//! The loop's Zephyr platform: `k_uptime_ticks()` for time, one `k_poll()` to block, one
//! `k_poll_signal` to be woken.
//!
//! Parking follows Zephyr's k_poll rules (kernel docs and zephyr#40189, #44649):
//! - the deadline is absolute (`K_TIMEOUT_ABS_TICKS`), so no drift accumulates, and a deadline
//!   already passed becomes `K_NO_WAIT` (an absolute timeout in the past would still wait for
//!   the next tick);
//! - after `k_poll` returns, the signal is reset and the event state cleared *before* the loop
//!   drains its wake queue, so a raise that lands after the reset re-arms the next `k_poll`;
//! - `k_poll_signal_raise` may return `-EAGAIN` when it races an expiring poll; the signal stays
//!   raised, so the result is ignored.
//!
//! No scheduling logic lives here: the core decides when to park and until when.

use core::cell::UnsafeCell;
use core::ptr::addr_of_mut;
use core::sync::atomic::{AtomicBool, Ordering};

use asyncio_core::{Instant, Platform};
use zephyr::raw::{
    k_current_get, k_poll, k_poll_event, k_poll_event_init, k_poll_modes_K_POLL_MODE_NOTIFY_ONLY,
    k_poll_signal, k_poll_signal_init, k_poll_signal_raise, k_poll_signal_reset, k_timeout_t,
    k_uptime_ticks, K_POLL_STATE_NOT_READY, ZR_POLL_TYPE_SIGNAL,
};
use zephyr::sys::{K_FOREVER, K_NO_WAIT};

/// The kernel objects of the loop's wait.
struct Objects {
    signal: k_poll_signal,
    event: k_poll_event,
}

/// The [`Platform`] of a loop on a Zephyr thread.
pub struct ZephyrPlatform {
    objects: UnsafeCell<Objects>,
    initialised: AtomicBool,
}

// SAFETY: the signal is only touched through Zephyr's `k_poll_signal_*` calls, which are
// thread- and ISR-safe; the event only by the loop thread in `park` (see `park`).
unsafe impl Sync for ZephyrPlatform {}

/// The platform of every loop on this Zephyr system.
pub static ZEPHYR: ZephyrPlatform = ZephyrPlatform {
    // SAFETY: both are plain C structs for which all-zero is a valid (uninitialised) value;
    // `init` runs the Zephyr initialisers before any use.
    objects: UnsafeCell::new(unsafe { core::mem::zeroed() }),
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
    /// Initialises the signal and the poll event, once. Called when the first loop is created.
    pub(crate) fn init(&'static self) -> &'static Self {
        if !self.initialised.swap(true, Ordering::AcqRel) {
            let objects = self.objects.get();
            // SAFETY: the first caller initialises before anyone can notify (wakers only exist
            // once tasks exist, which needs a loop, which needs this call to have returned).
            unsafe {
                k_poll_signal_init(addr_of_mut!((*objects).signal));
                k_poll_event_init(
                    addr_of_mut!((*objects).event),
                    ZR_POLL_TYPE_SIGNAL,
                    k_poll_modes_K_POLL_MODE_NOTIFY_ONLY as i32,
                    addr_of_mut!((*objects).signal) as *mut core::ffi::c_void,
                );
            }
        }
        self
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
        let objects = self.objects.get();
        // SAFETY: only the loop thread calls `park`, so nothing else touches the event; the
        // signal is only accessed through Zephyr calls that are safe against concurrent raises.
        // The return value (0, -EAGAIN on timeout, -EINTR) needs no handling: the loop re-checks
        // its queues whatever woke it.
        unsafe {
            k_poll(addr_of_mut!((*objects).event), 1, timeout);
            k_poll_signal_reset(addr_of_mut!((*objects).signal));
            (*objects).event.set_state(K_POLL_STATE_NOT_READY);
        }
    }

    fn notify(&self) {
        // SAFETY: ISR- and thread-safe Zephyr call on an initialised signal.
        unsafe { k_poll_signal_raise(addr_of_mut!((*self.objects.get()).signal), 0) };
    }

    fn thread_id(&self) -> usize {
        // SAFETY: a plain syscall with no arguments.
        unsafe { k_current_get() as usize }
    }
}

asyncio_core::set_default_platform!(ZEPHYR.init());
