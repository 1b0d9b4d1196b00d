//! The task life cycle: every state a task passes through, and the only code that changes it.
//!
//! ```text
//!             spawn                  begin_poll → Run                 end_poll → Finish
//!   (new) ─────────────> Queued ─────────────────────> Polled ───────────────────────────┐
//!                         ▲  │                           │                               │
//!                  wake   │  │ begin_poll →              │ end_poll → Pending            │
//!                         │  │ CancelledBeforeStart      ▼                               ▼
//!                       Waiting <──────────────────── (parked in a primitive)   finish ──> Complete
//!                                                                                ▲   (Succeeded |
//!                          request_cancel, on any unfinished task ───────────────┘    Failed |
//!                          (delivered by take_cancel at the task's next await)         Cancelled)
//! ```
//!
//! Cancellation runs beside that cycle, on its own bits:
//!
//! ```text
//!            request_cancel              take_cancel → Delivered
//!   (none) ─────────────────> Requested ─────────────────────────> Seen
//!     ▲                                                             │ take_cancel → Redelivered
//!     │                     uncancel                                ▼   (once: the swallowed-
//!     └──────────────────────────────────────────────────────── Redelivered   cancel guard)
//!
//!   request_abort (a task aborting itself): end_poll → Finish, and finish drops the output.
//!   finish: a request still pending wins over the output (as in CPython).
//! ```
//!
//! Every transition is a method of [`Lifecycle`] that returns what the caller must act on
//! (`#[must_use]`), as tokio's `task/state.rs` does. The loop thread is the only one that
//! touches a task's life cycle (it sits in the header's loop-local part).

use core::cell::Cell;

/// The future was polled at least once.
const STARTED: u16 = 1 << 0;
/// The future finished or was dropped; no more polls.
const COMPLETE: u16 = 1 << 1;
/// `cancel()` was called and the task has not yet been told.
const CANCEL_REQUESTED: u16 = 1 << 2;
/// A loop primitive told the task it was cancelled (it may have caught that).
const CANCEL_SEEN: u16 = 1 << 3;
/// It caught the cancellation and waited again: told once more.
const CANCEL_REDELIVERED: u16 = 1 << 4;
/// The task aborted itself: drop its future when the current poll returns.
const ABORT: u16 = 1 << 5;
/// The task ended cancelled (kept after the output is handed over).
const CANCELLED: u16 = 1 << 6;
/// The task ended with a failure nobody awaited: report it at its next turn unless someone
/// retrieves it first (MicroPython's one-round grace).
const REPORT_PENDING: u16 = 1 << 7;
/// `run()`'s main task: its caller receives the result, the handler never does.
const MAIN: u16 = 1 << 8;

/// What [`Lifecycle::begin_poll`] found.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BeginPoll {
    /// Cancelled before it ever ran: like MicroPython, the body never starts; finish it.
    CancelledBeforeStart,
    /// Poll it. `may_be_cancelled`: a cancellation may wait to be taken during this poll.
    Run { may_be_cancelled: bool },
}

/// What [`Lifecycle::end_poll`] decided.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum EndPoll {
    /// It waits for a wake.
    Pending,
    /// It returned, or aborted itself: finish it.
    Finish,
}

/// What [`Lifecycle::take_cancel`] delivers to the task's await.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Delivery {
    /// Nothing to deliver: the await goes on.
    None,
    /// A requested cancellation: the await returns `Cancelled`.
    Delivered,
    /// The task caught its cancellation and awaits again: told once more (the caller warns).
    Redelivered,
}

/// What [`Lifecycle::finish`] requires of the loop.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Finish {
    /// A cancellation was still pending: drop the output (the task ends cancelled).
    pub(crate) discard_output: bool,
}

/// A task's life-cycle bits.
pub(crate) struct Lifecycle(Cell<u16>);

impl Lifecycle {
    pub(crate) const fn new() -> Self {
        Lifecycle(Cell::new(0))
    }

    fn has(&self, bits: u16) -> bool {
        self.0.get() & bits != 0
    }

    fn set(&self, bits: u16) {
        self.0.set(self.0.get() | bits);
    }

    fn clear(&self, bits: u16) {
        self.0.set(self.0.get() & !bits);
    }

    /// Whether the task has finished (returned, failed or been cancelled).
    pub(crate) fn is_complete(&self) -> bool {
        self.has(COMPLETE)
    }

    /// Whether the task finished by being cancelled.
    pub(crate) fn ended_cancelled(&self) -> bool {
        self.has(CANCELLED)
    }

    /// Whether this is `run()`'s main task.
    pub(crate) fn is_main(&self) -> bool {
        self.has(MAIN)
    }

    /// Marks `run()`'s main task (at creation).
    pub(crate) fn mark_main(&self) {
        self.set(MAIN);
    }

    /// The loop takes the task off its queue to poll it.
    pub(crate) fn begin_poll(&self) -> BeginPoll {
        if self.has(CANCEL_REQUESTED) && !self.has(STARTED) {
            return BeginPoll::CancelledBeforeStart;
        }
        self.set(STARTED);
        BeginPoll::Run {
            may_be_cancelled: self.has(CANCEL_REQUESTED | CANCEL_SEEN),
        }
    }

    /// The task's poll returned (`ready`: its future finished).
    pub(crate) fn end_poll(&self, ready: bool) -> EndPoll {
        if self.has(ABORT) {
            // Finishing drops the future, as for any pending cancellation.
            self.set(CANCEL_REQUESTED);
            return EndPoll::Finish;
        }
        if ready {
            EndPoll::Finish
        } else {
            EndPoll::Pending
        }
    }

    /// `cancel()`: false if the task has already finished.
    pub(crate) fn request_cancel(&self) -> bool {
        if self.is_complete() {
            return false;
        }
        self.set(CANCEL_REQUESTED);
        true
    }

    /// The running task aborts itself: it ends when its poll returns.
    pub(crate) fn request_abort(&self) {
        self.set(ABORT);
    }

    /// A loop primitive the task awaits asks whether it was cancelled.
    pub(crate) fn take_cancel(&self) -> Delivery {
        if self.has(CANCEL_REQUESTED) {
            self.clear(CANCEL_REQUESTED);
            self.set(CANCEL_SEEN);
            Delivery::Delivered
        } else if self.has(CANCEL_SEEN) && !self.has(CANCEL_REDELIVERED) {
            self.set(CANCEL_REDELIVERED);
            Delivery::Redelivered
        } else {
            Delivery::None
        }
    }

    /// `uncancel()`: the task goes on waiting after catching its cancellation on purpose.
    pub(crate) fn uncancel(&self) {
        self.clear(CANCEL_SEEN | CANCEL_REDELIVERED);
    }

    /// The task ends: no more polls.
    pub(crate) fn finish(&self) -> Finish {
        let discard_output = self.has(CANCEL_REQUESTED);
        self.clear(CANCEL_REQUESTED);
        self.set(COMPLETE);
        Finish { discard_output }
    }

    /// After [`finish`](Self::finish): the task's outcome was a cancellation.
    pub(crate) fn mark_cancelled(&self) {
        self.set(CANCELLED);
    }

    /// After [`finish`](Self::finish): a failure nobody awaits, to report next round.
    pub(crate) fn mark_report_pending(&self) {
        self.set(REPORT_PENDING);
    }

    /// Takes the pending report, if any: true if the failure must now go to the handler.
    pub(crate) fn take_report(&self) -> bool {
        let pending = self.has(REPORT_PENDING);
        self.clear(REPORT_PENDING);
        pending
    }
}
