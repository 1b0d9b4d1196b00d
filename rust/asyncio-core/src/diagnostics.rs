//! Run-time guards against the traps of cooperative scheduling that the compiler cannot catch:
//! a task that holds the loop too long in one poll (a tight loop, a long synchronous call), and
//! a cancelled task that does not end (the application that will not shut down): one still
//! running long after it was cancelled, or one that ended normally without passing its
//! cancellation on. Each names the task, counts in [`LoopStats`](crate::LoopStats) and logs a
//! warning. The guards only watch: they never change what a task does.

use core::cell::Cell;

use crate::platform::Platform;
use crate::raw::header::TaskPtr;
use crate::time::{ms_to_ticks, Instant};

/// The guards' settings. A platform gives the defaults ([`Platform::diagnostics`]; on Zephyr
/// from Kconfig); [`Loop::set_diagnostics`](crate::Loop::set_diagnostics) changes them.
///
/// ```
/// use asyncio_core::{get_event_loop, Diagnostics};
///
/// let lp = get_event_loop();
/// assert_eq!(lp.diagnostics().slow_poll_ms, 20);
/// assert_eq!(lp.diagnostics().cancel_grace_ms, 1000);
/// lp.set_diagnostics(Diagnostics { slow_poll_ms: 0, ..lp.diagnostics() }); // detector off
/// # lp.set_diagnostics(Diagnostics::default());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnostics {
    /// Warn when one poll of a task holds the loop longer than this, in milliseconds; 0 turns
    /// the detector off (and its clock read per poll).
    pub slow_poll_ms: u32,
    /// Warn when a task is still running this long after it was cancelled, in milliseconds
    /// (its cleanup may await; a shutdown waiting longer than this is worth knowing about); 0
    /// turns the watch off. A task that calls `uncancel()` is not watched.
    pub cancel_grace_ms: u32,
}

impl Diagnostics {
    /// The defaults: a 20 ms slow-poll threshold, a cancelled task's cleanup may take 1 s.
    pub const DEFAULT: Diagnostics = Diagnostics {
        slow_poll_ms: 20,
        cancel_grace_ms: 1000,
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
    /// `cancel_grace_ms` in loop ticks (0: off).
    cancel_grace_ticks: Cell<u64>,
    /// Tasks under the grace watch, and when the earliest of them overstays.
    watched: Cell<u32>,
    next_review: Cell<Option<Instant>>,
    pub(crate) slow_polls: Cell<u64>,
    pub(crate) overdue_cancels: Cell<u32>,
    pub(crate) swallowed_cancels: Cell<u32>,
}

impl Guards {
    pub(crate) fn new(platform: &dyn Platform) -> Self {
        let guards = Guards {
            settings: Cell::new(Diagnostics::DEFAULT),
            slow_poll_cycles: Cell::new(0),
            stamp: Cell::new(0),
            cancel_grace_ticks: Cell::new(0),
            watched: Cell::new(0),
            next_review: Cell::new(None),
            slow_polls: Cell::new(0),
            overdue_cancels: Cell::new(0),
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
        let grace = ms_to_ticks(
            u64::from(settings.cancel_grace_ms),
            platform.ticks_per_second(),
        );
        self.cancel_grace_ticks.set(grace);
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
            task.name(),
            held_ms,
            self.settings.get().slow_poll_ms
        );
    }

    /// `task` was just cancelled at `now` and was not watched yet: the watch starts.
    pub(crate) fn watch_cancelled(&self, task: TaskPtr, now: Instant) {
        let grace = self.cancel_grace_ticks.get();
        if grace == 0 {
            task.local().lifecycle.stop_watching();
            return;
        }
        task.local().cancelled_at.set(now.ticks() as u32);
        self.watched.set(self.watched.get() + 1);
        if self.next_review.get().is_none() {
            self.next_review.set(Some(now.add_ticks(grace)));
        }
    }

    /// A watched task ended, or declared its wait deliberate (`uncancel`).
    pub(crate) fn unwatch(&self) {
        let watched = self.watched.get() - 1;
        self.watched.set(watched);
        if watched == 0 {
            self.next_review.set(None);
        }
    }

    /// When the loop must wake to look at the watched tasks, if it must.
    pub(crate) fn next_review(&self) -> Option<Instant> {
        self.next_review.get()
    }

    /// At `now`, past [`next_review`](Self::next_review): warns about every watched task that
    /// has overstayed its grace (`for_each_task` walks the loop's tasks), then sets the next
    /// review for the earliest one still within it.
    #[cold]
    pub(crate) fn review(&self, now: Instant, for_each_task: impl FnOnce(&mut dyn FnMut(TaskPtr))) {
        let grace = self.cancel_grace_ticks.get();
        let now_ticks = now.ticks() as u32;
        let mut earliest_left: Option<u32> = None;
        for_each_task(&mut |task| {
            let local = task.local();
            if !local.lifecycle.is_watched() {
                return;
            }
            let waited = u64::from(now_ticks.wrapping_sub(local.cancelled_at.get()));
            if waited >= grace {
                local.lifecycle.stop_watching();
                self.unwatch();
                self.overdue_cancels.set(self.overdue_cancels.get() + 1);
                log::warn!(
                    "asyncio: task '{}' is still running {} ms after it was cancelled: a \
                     shutdown waits for it. End its cleanup, pass the Cancelled error on (or \
                     call uncancel() if it goes on deliberately).",
                    task.name(),
                    self.settings.get().cancel_grace_ms
                );
            } else {
                let left = (grace - waited) as u32;
                earliest_left = Some(earliest_left.map_or(left, |e| e.min(left)));
            }
        });
        self.next_review
            .set(earliest_left.map(|left| now.add_ticks(u64::from(left))));
    }

    /// `task` was told of its cancellation, did not uncancel, and ended other than cancelled.
    #[cold]
    pub(crate) fn swallowed(&self, task: TaskPtr) {
        self.swallowed_cancels.set(self.swallowed_cancels.get() + 1);
        log::warn!(
            "asyncio: task '{}' was cancelled and ended without passing the cancellation on: \
             whoever cancelled it may wait for its end in vain. Return the Cancelled error (or \
             call uncancel() if it goes on deliberately).",
            task.name()
        );
    }
}
