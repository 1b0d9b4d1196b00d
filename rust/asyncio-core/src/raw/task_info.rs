//! What a task records only for people looking at it: its given name, poll count, what it
//! waits for and when it was born (the task dump, `TaskRef`'s accessors, the guards' logs).
//!
//! Nothing the loop decides depends on these, so a lean build (the `task-info` feature off:
//! Zephyr's `CONFIG_ASYNCIO_TASK_INFO=n`) leaves them out of every task header. The accessors
//! stay, answering what they can without the record: the future's type name as the name, no
//! polls counted, [`Waiting::Unknown`] and the loop's start as the birth.

#[cfg(feature = "task-info")]
use core::cell::Cell;

use crate::waiting::Waiting;

/// The record (feature `task-info`).
#[cfg(feature = "task-info")]
pub(crate) struct TaskInfo {
    /// The name given with `set_name`, if any.
    name: Cell<Option<&'static str>>,
    /// Number of times the future was polled.
    polls: Cell<u32>,
    /// What the task waits for, as the primitive that made it wait noted.
    waiting: Cell<Noted>,
    /// When it was created, in loop clock ticks (truncated: only its age is shown).
    born: Cell<u32>,
}

#[cfg(feature = "task-info")]
impl TaskInfo {
    pub(crate) const fn new() -> Self {
        TaskInfo {
            name: Cell::new(None),
            polls: Cell::new(0),
            waiting: Cell::new(Noted::Ready),
            born: Cell::new(0),
        }
    }

    pub(crate) fn name(&self) -> Option<&'static str> {
        self.name.get()
    }

    pub(crate) fn set_name(&self, name: &'static str) {
        self.name.set(Some(name));
    }

    pub(crate) fn polls(&self) -> u32 {
        self.polls.get()
    }

    pub(crate) fn count_poll(&self) {
        self.polls.set(self.polls.get().wrapping_add(1));
    }

    pub(crate) fn waiting(&self) -> Waiting {
        self.waiting.get().into()
    }

    pub(crate) fn set_waiting(&self, what: Waiting) {
        self.waiting.set(what.into());
    }

    pub(crate) fn born(&self) -> u32 {
        self.born.get()
    }

    pub(crate) fn set_born(&self, ticks: u32) {
        self.born.set(ticks);
    }
}

/// [`Waiting`] as a task records it: the same, with a sleep's deadline as two words, so that
/// the record (and the header) needs no 8-byte alignment on 32-bit targets.
#[cfg(feature = "task-info")]
#[derive(Clone, Copy)]
enum Noted {
    Ready,
    Done,
    Sleep { until_ms: [u32; 2] },
    Task(&'static str),
    On(&'static str),
    Unknown,
}

#[cfg(feature = "task-info")]
impl From<Waiting> for Noted {
    fn from(what: Waiting) -> Self {
        match what {
            Waiting::Ready => Noted::Ready,
            Waiting::Done => Noted::Done,
            Waiting::Sleep { until_ms } => Noted::Sleep {
                until_ms: [until_ms as u32, (until_ms >> 32) as u32],
            },
            Waiting::Task(name) => Noted::Task(name),
            Waiting::On(name) => Noted::On(name),
            Waiting::Unknown => Noted::Unknown,
        }
    }
}

#[cfg(feature = "task-info")]
impl From<Noted> for Waiting {
    fn from(noted: Noted) -> Self {
        match noted {
            Noted::Ready => Waiting::Ready,
            Noted::Done => Waiting::Done,
            Noted::Sleep {
                until_ms: [low, high],
            } => Waiting::Sleep {
                until_ms: u64::from(low) | u64::from(high) << 32,
            },
            Noted::Task(name) => Waiting::Task(name),
            Noted::On(name) => Waiting::On(name),
            Noted::Unknown => Waiting::Unknown,
        }
    }
}

/// The lean build's stand-in: no fields, the same questions answered without a record.
#[cfg(not(feature = "task-info"))]
pub(crate) struct TaskInfo;

#[cfg(not(feature = "task-info"))]
impl TaskInfo {
    pub(crate) const fn new() -> Self {
        TaskInfo
    }

    pub(crate) fn name(&self) -> Option<&'static str> {
        None
    }

    pub(crate) fn set_name(&self, _: &'static str) {}

    pub(crate) fn polls(&self) -> u32 {
        0
    }

    pub(crate) fn count_poll(&self) {}

    pub(crate) fn waiting(&self) -> Waiting {
        Waiting::Unknown
    }

    pub(crate) fn set_waiting(&self, _: Waiting) {}

    pub(crate) fn born(&self) -> u32 {
        0
    }

    pub(crate) fn set_born(&self, _: u32) {}
}
