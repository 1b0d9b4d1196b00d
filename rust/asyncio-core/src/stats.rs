//! Counters the loop keeps about itself: what tests use to prove an idle loop costs nothing and
//! what benchmarks divide by.

use core::cell::Cell;

/// A snapshot of a loop's counters, from [`Loop::stats`](crate::Loop::stats).
///
/// ```
/// use asyncio_core::{get_event_loop, run, sleep_ms};
///
/// run(async {
///     sleep_ms(10).await.unwrap();
/// })
/// .unwrap();
/// let stats = get_event_loop().stats();
/// assert_eq!(stats.timers_fired, 1);
/// assert!(stats.parks >= 1); // the loop blocked while the timer ran
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoopStats {
    /// Tasks created and not yet finished.
    pub tasks_alive: u32,
    /// Tasks created since the loop was made.
    pub tasks_created: u64,
    /// Times a task's future was polled.
    pub polls: u64,
    /// Scheduling rounds: each runs the tasks that were ready when it started.
    pub rounds: u64,
    /// Times the loop blocked in the platform's `park` (on Zephyr: calls to `k_poll` that found
    /// nothing ready). An idle loop adds one per timer deadline, nothing per tick.
    pub parks: u64,
    /// Times a waker had to signal a parked loop (on Zephyr: `k_poll_signal_raise` calls).
    pub notifies: u32,
    /// Times the loop woke from a park and found nothing to do: no task ready, no timer due,
    /// no call to make, and no waker of its own had signalled it. A loop woken only for its own
    /// work keeps this at 0; a wake meant for another loop, or a spurious return of `k_poll`,
    /// counts here. (A signal of its own that finds nothing is a waker racing the loop's park:
    /// the loop took the task without blocking while the waker saw it about to, and signalled;
    /// `notifies` counts that.)
    pub idle_wakeups: u64,
    /// Timers that expired and woke their task.
    pub timers_fired: u64,
    /// Times an urgent task was moved ahead of the tasks already ready (see
    /// [`TaskRef::set_urgent`](crate::TaskRef::set_urgent)).
    pub urgent_runs: u64,
    /// Timers currently armed.
    pub timers_armed: u32,
    /// Polls that held the loop longer than the slow-task threshold (each one logged with the
    /// task's name; see [`Diagnostics`](crate::Diagnostics)).
    pub slow_polls: u64,
    /// Cancelled tasks still running after `Diagnostics::cancel_grace_ms` (each one logged by
    /// name): what a shutdown would wait for.
    pub overdue_cancels: u32,
    /// Cancelled tasks that ended normally without passing the cancellation on (each one
    /// logged by name).
    pub swallowed_cancels: u32,
}

/// The loop's live counters (loop-thread only).
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) tasks_created: Cell<u64>,
    pub(crate) polls: Cell<u64>,
    pub(crate) rounds: Cell<u64>,
    pub(crate) parks: Cell<u64>,
    pub(crate) idle_wakeups: Cell<u64>,
    pub(crate) timers_fired: Cell<u64>,
    pub(crate) urgent_runs: Cell<u64>,
}

impl Counters {
    pub(crate) fn bump(counter: &Cell<u64>) {
        counter.set(counter.get() + 1);
    }
}
