//! A one-shot `k_timer` whose expiry function runs in interrupt context (the system clock ISR
//! on native_sim and on Cortex-M), to drive wake-ups from a real ISR.

use core::cell::UnsafeCell;

use zephyr::raw::{k_timeout_t, k_timer, k_timer_init, k_timer_start, k_timer_stop};
use zephyr::sys::K_NO_WAIT;

/// A static `k_timer`; [`start`](IsrTimer::start) arms it once.
pub struct IsrTimer(UnsafeCell<k_timer>);

// SAFETY: the timer is only handed to Zephyr's k_timer calls, which synchronise internally.
unsafe impl Sync for IsrTimer {}

impl Default for IsrTimer {
    fn default() -> Self {
        Self::new()
    }
}

impl IsrTimer {
    /// A timer for a `static`.
    pub const fn new() -> Self {
        // SAFETY: all-zero is a valid value for the C struct; `start` initialises it.
        IsrTimer(UnsafeCell::new(unsafe { core::mem::zeroed() }))
    }

    /// Runs `expiry` in interrupt context once, `ticks` ticks from now.
    pub fn start(&'static self, ticks: i64, expiry: unsafe extern "C" fn(*mut k_timer)) {
        self.start_periodic(ticks, 0, expiry);
    }

    /// Runs `expiry` in interrupt context `ticks` ticks from now, then every `period` ticks
    /// (never again if `period` is 0) until [`stop`](IsrTimer::stop).
    pub fn start_periodic(
        &'static self,
        ticks: i64,
        period: i64,
        expiry: unsafe extern "C" fn(*mut k_timer),
    ) {
        let period = if period == 0 {
            K_NO_WAIT
        } else {
            k_timeout_t { ticks: period }
        };
        // SAFETY: the timer is static; re-initialising it is what Zephyr requires before reuse,
        // and the callers start it only after its previous run ended.
        unsafe {
            k_timer_init(self.0.get(), Some(expiry), None);
            k_timer_start(self.0.get(), k_timeout_t { ticks }, period);
        }
    }

    /// Stops the timer; allowed from its own expiry function.
    pub fn stop(&'static self) {
        // SAFETY: an initialised timer (`start` ran); k_timer_stop is ISR-safe.
        unsafe { k_timer_stop(self.0.get()) };
    }
}
