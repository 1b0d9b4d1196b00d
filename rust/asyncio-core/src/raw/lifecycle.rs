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
//! Cancellation runs beside that cycle, on its own bits. A request is delivered once, at the
//! task's next await of a loop primitive; after that the task may await freely (its cleanup),
//! and a later request is delivered again:
//!
//! ```text
//!            request_cancel              take_cancel → true
//!   (none) ─────────────────> Requested ──────────────────────> Seen ──request_cancel──> Requested
//!     ▲                           │                              │
//!     └───── uncancel, the last ──┴──────────────────────────────┘
//!
//!   Each request_cancel (and each forwarded one, count_forwarded) adds one to the count of
//!   requests (CPython's `cancelling()`); each uncancel takes one away, and the last one takes
//!   the task back to (none), withdrawing a request not yet delivered. The scopes that cancel
//!   their own task (timeout, TaskGroup) compare the count with what it was when they began,
//!   to tell their own cancellation from somebody else's.
//!
//!   Watched (the grace guard): from request_cancel until finish, uncancel or stop_watching.
//!   request_abort (a task aborting itself): end_poll → Finish, and finish drops the output.
//!   finish: a request still pending wins over the output (as in CPython); Finish says whether
//!   the task was watched and whether it had seen a cancellation it did not pass on.
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
/// A loop primitive told the task it was cancelled (it may have caught that, to clean up).
const CANCEL_SEEN: u16 = 1 << 3;
/// Cancelled and not finished yet: the grace guard watches how long it takes.
const CANCEL_WATCHED: u16 = 1 << 4;
/// The task aborted itself: drop its future when the current poll returns.
const ABORT: u16 = 1 << 5;
/// The task ended cancelled (kept after the output is handed over).
const CANCELLED: u16 = 1 << 6;
/// The task ended with a failure nobody awaited: report it at its next turn unless someone
/// retrieves it first (MicroPython's one-round grace).
const REPORT_PENDING: u16 = 1 << 7;
/// `run()`'s main task: its caller receives the result, the handler never does.
const MAIN: u16 = 1 << 8;
/// The task ended with a failure (kept after the output is handed over).
const FAILED: u16 = 1 << 9;
/// An awaiter received the task's output (a shared task's awaiters keep it in place).
const RECEIVED: u16 = 1 << 10;
/// The count of cancellation requests not withdrawn by `uncancel` lives in the bits from here
/// up (saturating at [`MAX_CANCELS`]: 31 scopes deep is beyond any real nesting).
const CANCELS_SHIFT: u16 = 11;
const ONE_CANCEL: u16 = 1 << CANCELS_SHIFT;
/// The largest count the bits hold.
pub(crate) const MAX_CANCELS: u16 = u16::MAX >> CANCELS_SHIFT;

/// What [`Lifecycle::begin_poll`] found.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum BeginPoll {
    /// Cancelled before it ever ran: like MicroPython, the body never starts; finish it.
    CancelledBeforeStart,
    /// Poll it. `may_be_cancelled`: a cancellation waits to be taken during this poll.
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

/// What [`Lifecycle::request_cancel`] did.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CancelRequest {
    /// The task has finished: nothing to cancel.
    Refused,
    /// Requested; `newly_watched`: the task was not under the grace guard's watch yet.
    Requested { newly_watched: bool },
}

/// What [`Lifecycle::uncancel`] did.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Uncancel {
    /// Requests still counted after this one was withdrawn (CPython's return value).
    pub(crate) remaining: u16,
    /// The last one went and the grace guard had been watching the task: the watch ends.
    pub(crate) was_watched: bool,
}

/// What [`Lifecycle::finish`] requires of the loop.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Finish {
    /// A cancellation was still pending: drop the output (the task ends cancelled).
    pub(crate) discard_output: bool,
    /// It was under the grace guard's watch, which now ends.
    pub(crate) was_watched: bool,
    /// It had been told of a cancellation and not uncancelled: if it ends anything but
    /// cancelled, it swallowed it.
    pub(crate) had_seen_cancel: bool,
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

    /// Whether the task finished with a failure.
    pub(crate) fn ended_failed(&self) -> bool {
        self.has(FAILED)
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
            may_be_cancelled: self.has(CANCEL_REQUESTED),
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

    /// `cancel()`, or a loop's own cancellation of a task it discards.
    pub(crate) fn request_cancel(&self) -> CancelRequest {
        if self.is_complete() {
            return CancelRequest::Refused;
        }
        let newly_watched = !self.has(CANCEL_WATCHED);
        self.set(CANCEL_REQUESTED | CANCEL_WATCHED);
        self.count_forwarded();
        CancelRequest::Requested { newly_watched }
    }

    /// A `cancel()` of this task passed on to the task it awaits (which is told, and decides
    /// for both): counted here too, so that this task's scopes see that it was cancelled.
    pub(crate) fn count_forwarded(&self) {
        if self.cancelling() < MAX_CANCELS {
            self.0.set(self.0.get() + ONE_CANCEL);
        }
    }

    /// The cancellation requests not withdrawn (CPython's `Task.cancelling()`).
    pub(crate) fn cancelling(&self) -> u16 {
        self.0.get() >> CANCELS_SHIFT
    }

    /// [`request_cancel`](Self::request_cancel) where no grace guard watches: the task ends at
    /// once, or its loop is not at hand. False if it has finished.
    pub(crate) fn request_cancel_unwatched(&self) -> bool {
        match self.request_cancel() {
            CancelRequest::Refused => false,
            CancelRequest::Requested { newly_watched } => {
                if newly_watched {
                    self.stop_watching();
                }
                true
            }
        }
    }

    /// The running task aborts itself: it ends when its poll returns.
    pub(crate) fn request_abort(&self) {
        self.set(ABORT);
    }

    /// A loop primitive the task awaits asks whether it was cancelled: true once per request
    /// (the request is then delivered).
    #[must_use]
    pub(crate) fn take_cancel(&self) -> bool {
        let requested = self.has(CANCEL_REQUESTED);
        if requested {
            self.clear(CANCEL_REQUESTED);
            self.set(CANCEL_SEEN);
        }
        requested
    }

    /// `uncancel()`: one cancellation request is withdrawn (CPython's `Task.uncancel()`). The
    /// last one takes the task out of cancellation altogether: a request not delivered yet is
    /// called off, and the task goes on as if never cancelled (the grace guard's watch ends).
    pub(crate) fn uncancel(&self) -> Uncancel {
        let remaining = self.cancelling().saturating_sub(1);
        self.0
            .set((self.0.get() & (ONE_CANCEL - 1)) | (remaining << CANCELS_SHIFT));
        let mut was_watched = false;
        if remaining == 0 {
            was_watched = self.has(CANCEL_WATCHED);
            self.clear(CANCEL_REQUESTED | CANCEL_SEEN | CANCEL_WATCHED);
        }
        Uncancel {
            remaining,
            was_watched,
        }
    }

    /// Whether the grace guard watches this task.
    pub(crate) fn is_watched(&self) -> bool {
        self.has(CANCEL_WATCHED)
    }

    /// The grace guard is done with this task (it warned about it).
    pub(crate) fn stop_watching(&self) {
        self.clear(CANCEL_WATCHED);
    }

    /// The task ends: no more polls.
    pub(crate) fn finish(&self) -> Finish {
        let finish = Finish {
            discard_output: self.has(CANCEL_REQUESTED),
            was_watched: self.has(CANCEL_WATCHED),
            had_seen_cancel: self.has(CANCEL_SEEN),
        };
        self.clear(CANCEL_REQUESTED | CANCEL_WATCHED);
        self.set(COMPLETE);
        finish
    }

    /// After [`finish`](Self::finish): the task's outcome was a cancellation.
    pub(crate) fn mark_cancelled(&self) {
        self.set(CANCELLED);
    }

    /// After [`finish`](Self::finish): the task's outcome was a failure.
    pub(crate) fn mark_failed(&self) {
        self.set(FAILED);
    }

    /// After [`finish`](Self::finish): a failure nobody awaiting will receive, to report next
    /// round unless somebody receives it first.
    pub(crate) fn mark_report_pending(&self) {
        self.set(REPORT_PENDING);
    }

    /// An awaiter received the output (the error, if it failed): nothing left to report.
    pub(crate) fn mark_received(&self) {
        self.set(RECEIVED);
    }

    /// Takes the pending report, if any: true if the failure must now go to the handler.
    pub(crate) fn take_report(&self) -> bool {
        let report = self.has(REPORT_PENDING) && !self.has(RECEIVED);
        self.clear(REPORT_PENDING);
        report
    }
}
