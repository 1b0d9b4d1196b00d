//! The host platform (feature `std`): runs the loop on a desktop thread, for tests and
//! benchmarks.
//!
//! Two clocks, both in milliseconds:
//! - **virtual** (the default loop's): time stands still while tasks run and jumps to the next
//!   deadline when the loop would block, exactly like Zephyr's `native_sim`. Timing tests are
//!   then deterministic and instant: a one-hour sleep takes microseconds.
//! - **real**: `std::time::Instant`, for tests that race real threads against deadlines.
//!
//! Parking blocks on a condition variable that [`Platform::notify`] signals, so wakes from other
//! threads work with either clock.

extern crate std;

use std::boxed::Box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

use crate::platform::Platform;
use crate::time::Instant;

enum Clock {
    Virtual(AtomicU64),
    Real(std::time::Instant),
}

/// A [`Platform`] for desktop threads.
///
/// ```
/// use asyncio_core::host::HostPlatform;
/// use asyncio_core::{sleep_ms, Loop};
///
/// let platform = HostPlatform::leak_virtual();
/// let lp = Loop::with_platform(platform);
/// lp.run_until_complete(async { sleep_ms(3_600_000).await.unwrap() }).unwrap();
/// assert_eq!(lp.time().ticks(), 3_600_000); // an hour, instantly
/// assert_eq!(lp.stats().parks, 1);
/// ```
pub struct HostPlatform {
    clock: Clock,
    notified: Mutex<bool>,
    wakeup: Condvar,
}

impl HostPlatform {
    fn leak(clock: Clock) -> &'static HostPlatform {
        Box::leak(Box::new(HostPlatform {
            clock,
            notified: Mutex::new(false),
            wakeup: Condvar::new(),
        }))
    }

    /// A platform with a virtual clock starting at 0, living for the rest of the program.
    ///
    /// ```
    /// use asyncio_core::{host::HostPlatform, sleep_ms, Loop};
    ///
    /// let lp = Loop::with_platform(HostPlatform::leak_virtual());
    /// lp.run_until_complete(async { sleep_ms(60_000).await.unwrap() }).unwrap(); // no real wait
    /// assert_eq!(lp.time_ms(), 60_000);
    /// ```
    pub fn leak_virtual() -> &'static HostPlatform {
        Self::leak(Clock::Virtual(AtomicU64::new(0)))
    }

    /// A platform on the real monotonic clock, living for the rest of the program.
    ///
    /// ```
    /// use asyncio_core::{host::HostPlatform, sleep_ms, Loop};
    ///
    /// let lp = Loop::with_platform(HostPlatform::leak_real_time());
    /// let start = std::time::Instant::now();
    /// lp.run_until_complete(async { sleep_ms(5).await.unwrap() }).unwrap();
    /// assert!(start.elapsed() >= std::time::Duration::from_millis(5));
    /// ```
    pub fn leak_real_time() -> &'static HostPlatform {
        Self::leak(Clock::Real(std::time::Instant::now()))
    }

    /// Moves a virtual clock forward by `ticks`, as if the running code took that long (code
    /// takes no time on a virtual clock). No effect on a real clock.
    ///
    /// ```
    /// use asyncio_core::{host, run};
    ///
    /// run(async {
    ///     let before = asyncio_core::get_event_loop().time_ms();
    ///     host::thread_platform().advance(30); // as if this code ran for 30 ms
    ///     assert_eq!(asyncio_core::get_event_loop().time_ms(), before + 30);
    /// })
    /// .unwrap();
    /// ```
    pub fn advance(&self, ticks: u64) {
        if let Clock::Virtual(now) = &self.clock {
            now.fetch_add(ticks, Ordering::Relaxed);
        }
    }
}

impl Platform for HostPlatform {
    fn now(&self) -> Instant {
        Instant::from_ticks(match &self.clock {
            Clock::Virtual(now) => now.load(Ordering::Relaxed),
            Clock::Real(origin) => origin.elapsed().as_millis() as u64,
        })
    }

    fn ticks_per_second(&self) -> u32 {
        1000
    }

    fn park(&self, deadline: Option<Instant>) {
        let mut notified = self.notified.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if *notified {
                *notified = false;
                return;
            }
            let Some(deadline) = deadline else {
                notified = self
                    .wakeup
                    .wait(notified)
                    .unwrap_or_else(|e| e.into_inner());
                continue;
            };
            match &self.clock {
                Clock::Virtual(now) => {
                    now.fetch_max(deadline.ticks(), Ordering::Relaxed);
                    return;
                }
                Clock::Real(_) => {
                    let left = deadline.ticks_since(self.now());
                    if left == 0 {
                        return;
                    }
                    let wait = std::time::Duration::from_millis(left);
                    notified = self
                        .wakeup
                        .wait_timeout(notified, wait)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
    }

    fn notify(&self) {
        *self.notified.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.wakeup.notify_one();
    }
}

std::thread_local! {
    static THREAD_PLATFORM: &'static HostPlatform = HostPlatform::leak_virtual();
}

/// The virtual-clock platform of the calling thread's default loop.
///
/// ```
/// use asyncio_core::{get_event_loop, host};
///
/// let before = get_event_loop().time();
/// host::thread_platform().advance(5);
/// assert_eq!(get_event_loop().time().ticks_since(before), 5);
/// ```
pub fn thread_platform() -> &'static HostPlatform {
    THREAD_PLATFORM.with(|p| *p)
}

/// The host as the program's [`System`](crate::System): std threads, each with a default loop
/// on its own virtual-clock platform ([`thread_platform`]).
struct HostSystem;

impl crate::System for HostSystem {
    fn thread_id() -> usize {
        std::thread_local!(static MARKER: u8 = const { 0 });
        MARKER.with(|m| m as *const u8 as usize)
    }

    fn new_platform() -> &'static dyn Platform {
        thread_platform()
    }
}

crate::set_system!(crate::host::HostSystem);
