//! Points in time on the loop's clock, and conversions from human units to ticks.
//!
//! The loop counts in the platform's ticks (Zephyr's system clock ticks, or milliseconds on the
//! host) as a `u64` that never wraps in practice: 2^64 ticks at 1 MHz is half a million years.
//! Durations are always rounded *up* to whole ticks, so a sleep never ends early.

use core::time::Duration;

/// A point in time on the loop's monotonic clock, in platform ticks.
///
/// ```
/// use asyncio_core::Instant;
/// let t = Instant::from_ticks(100);
/// assert_eq!(t.ticks(), 100);
/// assert!(t < Instant::from_ticks(101));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    /// The instant `ticks` ticks after the clock's origin.
    ///
    /// ```
    /// let t = asyncio_core::Instant::from_ticks(250);
    /// assert_eq!(t.ticks(), 250);
    /// ```
    pub const fn from_ticks(ticks: u64) -> Self {
        Instant(ticks)
    }

    /// Ticks since the clock's origin.
    ///
    /// ```
    /// assert_eq!(asyncio_core::Instant::from_ticks(7).ticks(), 7);
    /// ```
    pub const fn ticks(self) -> u64 {
        self.0
    }

    /// `self + ticks`, saturating at the end of time.
    ///
    /// ```
    /// use asyncio_core::Instant;
    ///
    /// assert_eq!(Instant::from_ticks(100).add_ticks(50), Instant::from_ticks(150));
    /// ```
    pub const fn add_ticks(self, ticks: u64) -> Self {
        Instant(self.0.saturating_add(ticks))
    }

    /// Ticks from `earlier` to `self`, or 0 if `earlier` is later.
    ///
    /// ```
    /// use asyncio_core::Instant;
    ///
    /// assert_eq!(Instant::from_ticks(150).ticks_since(Instant::from_ticks(100)), 50);
    /// ```
    pub const fn ticks_since(self, earlier: Instant) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// `ms` milliseconds in ticks of a `hz` clock, rounded up.
pub(crate) fn ms_to_ticks(ms: u64, hz: u32) -> u64 {
    (ms.saturating_mul(hz as u64)).div_ceil(1000)
}

/// `d` in ticks of a `hz` clock, rounded up; saturates for durations beyond the clock's range.
pub(crate) fn duration_to_ticks(d: Duration, hz: u32) -> u64 {
    let whole = d.as_secs().saturating_mul(hz as u64);
    // subsec_nanos < 10^9 and hz < 2^32, so the product fits in a u64.
    let part = (d.subsec_nanos() as u64 * hz as u64).div_ceil(1_000_000_000);
    whole.saturating_add(part)
}

/// `ticks` of a `hz` clock in milliseconds, rounded down, saturating.
pub(crate) fn ticks_to_ms(ticks: u64, hz: u32) -> u64 {
    u64::try_from(ticks as u128 * 1000 / hz as u128).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_up() {
        assert_eq!(ms_to_ticks(1, 100), 1);
        assert_eq!(ms_to_ticks(10, 100), 1);
        assert_eq!(ms_to_ticks(11, 100), 2);
        assert_eq!(ms_to_ticks(5, 1000), 5);
        assert_eq!(duration_to_ticks(Duration::from_micros(1), 1000), 1);
        assert_eq!(duration_to_ticks(Duration::from_millis(1500), 1000), 1500);
        assert_eq!(duration_to_ticks(Duration::MAX, 1000), u64::MAX);
        assert_eq!(ticks_to_ms(1500, 1000), 1500);
        assert_eq!(ticks_to_ms(3, 100), 30);
        assert_eq!(ticks_to_ms(u64::MAX, 1), u64::MAX);
    }
}
