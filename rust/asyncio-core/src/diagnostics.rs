//! Run-time guards against the traps of cooperative scheduling that the compiler cannot catch:
//! a task that holds the loop too long in one poll (a tight loop, a long synchronous call), and
//! a task that swallows its cancellation and waits again (the application that will not shut
//! down). Each names the task, counts in [`LoopStats`](crate::LoopStats) and logs a warning.

use core::cell::Cell;

use crate::platform::Platform;
use crate::raw::header::TaskPtr;

/// The guards' settings. A platform gives the defaults ([`Platform::diagnostics`]; on Zephyr
/// from Kconfig); [`Loop::set_diagnostics`](crate::Loop::set_diagnostics) changes them.
///
/// ```
/// use asyncio_core::{get_event_loop, Diagnostics};
///
/// let lp = get_event_loop();
/// assert_eq!(lp.diagnostics().slow_poll_ms, 20);
/// lp.set_diagnostics(Diagnostics { slow_poll_ms: 0, ..lp.diagnostics() }); // detector off
/// # lp.set_diagnostics(Diagnostics::default());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnostics {
    /// Warn when one poll of a task holds the loop longer than this, in milliseconds; 0 turns
    /// the detector off (and its clock read per poll).
    pub slow_poll_ms: u32,
    /// A task that caught its cancellation and waits again is told once more, with a warning;
    /// with this set it is also aborted (its future dropped) when that poll returns.
    pub swallowed_cancel_aborts: bool,
}

impl Diagnostics {
    /// The defaults: a 20 ms slow-poll threshold; a swallowed cancellation warns, no abort.
    ///
    /// ```
    /// use asyncio_core::Diagnostics;
    ///
    /// assert_eq!(Diagnostics::DEFAULT.slow_poll_ms, 20);
    /// assert!(!Diagnostics::DEFAULT.swallowed_cancel_aborts);
    /// ```
    pub const DEFAULT: Diagnostics = Diagnostics {
        slow_poll_ms: 20,
        swallowed_cancel_aborts: false,
    };
}

impl Default for Diagnostics {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A loop's guards: their settings and counts (loop-thread only).
pub(crate) struct Guards {
    settings: Cell<Diagnostics>,
    /// `slow_poll_ms` in the platform's stopwatch cycles (0: off).
    slow_poll_cycles: Cell<u32>,
    /// The stopwatch's reading when the loop last started something it measures: running,
    /// the first poll after a park, or the next poll after the previous one. One reading per poll ends one poll and starts the
    /// next.
    stamp: Cell<u32>,
    pub(crate) slow_polls: Cell<u64>,
    pub(crate) swallowed_cancels: Cell<u32>,
}

impl Guards {
    pub(crate) fn new(platform: &dyn Platform) -> Self {
        let guards = Guards {
            settings: Cell::new(Diagnostics::DEFAULT),
            slow_poll_cycles: Cell::new(0),
            stamp: Cell::new(0),
            slow_polls: Cell::new(0),
            swallowed_cancels: Cell::new(0),
        };
        guards.configure(platform, platform.diagnostics());
        guards
    }

    pub(crate) fn settings(&self) -> Diagnostics {
        self.settings.get()
    }

    pub(crate) fn configure(&self, platform: &dyn Platform, settings: Diagnostics) {
        let cycles = u64::from(settings.slow_poll_ms) * u64::from(platform.cycles_per_second());
        self.slow_poll_cycles
            .set(u32::try_from(cycles / 1000).unwrap_or(u32::MAX));
        self.settings.set(settings);
    }

    fn enabled(&self) -> bool {
        self.slow_poll_cycles.get() != 0
    }

    /// Restarts the stopwatch: the next poll is timed from now. The loop calls this when it
    /// starts running, after it parked, and after work between polls that is no poll's fault
    /// (finishing a task, reporting its failure).
    pub(crate) fn restart(&self, platform: &dyn Platform) {
        if self.enabled() {
            self.stamp.set(platform.cycles());
        }
    }

    /// Ends timing a poll of `task` (started at the last reading) and starts timing the next:
    /// warns if this one was slow.
    #[inline]
    pub(crate) fn poll_ended(&self, platform: &dyn Platform, task: TaskPtr) {
        if !self.enabled() {
            return;
        }
        let now = platform.cycles();
        let held = now.wrapping_sub(self.stamp.replace(now));
        if held > self.slow_poll_cycles.get() {
            self.report_slow_poll(platform, task, held);
        }
    }

    #[cold]
    fn report_slow_poll(&self, platform: &dyn Platform, task: TaskPtr, held: u32) {
        self.slow_polls.set(self.slow_polls.get() + 1);
        let held_ms = u64::from(held) * 1000 / u64::from(platform.cycles_per_second().max(1));
        log::warn!(
            "asyncio: task '{}' held the loop for {} ms in one poll (threshold {} ms): every \
             other task waited. Await between steps of a long loop (yield_now), or move a \
             blocking call to offload().",
            task.local().name.get(),
            held_ms,
            self.settings.get().slow_poll_ms
        );
    }

    /// Called when `task`, which had been told of its cancellation, awaited again and was told
    /// once more: counts and warns. Returns whether the settings say to abort it.
    #[cold]
    pub(crate) fn cancelled_again(&self, task: TaskPtr) -> bool {
        self.swallowed_cancels.set(self.swallowed_cancels.get() + 1);
        let name = task.local().name.get();
        let abort = self.settings.get().swallowed_cancel_aborts;
        if abort {
            log::error!(
                "asyncio: task '{name}' caught its cancellation and awaited again: aborting it. \
                 Return the Cancelled error (or call uncancel() to wait on deliberately)."
            );
        } else {
            log::warn!(
                "asyncio: task '{name}' caught its cancellation and awaited again: telling it \
                 once more. Return the Cancelled error (or call uncancel() to wait on \
                 deliberately)."
            );
        }
        abort
    }
}
