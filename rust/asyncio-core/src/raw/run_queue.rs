//! The loop's FIFO of tasks ready to run, linked through the task headers (no allocation).
//!
//! Only the loop thread touches a `RunQueue`; the tasks in it are the ones whose SCHEDULED bit
//! is set: that bit keeps each of them allocated, as a reference would.

use super::atomic::Ordering;
use core::ptr;

use super::header::{Header, TaskPtr};

pub(crate) struct RunQueue {
    head: Option<TaskPtr>,
    tail: Option<TaskPtr>,
}

impl RunQueue {
    pub(crate) const fn new() -> Self {
        RunQueue {
            head: None,
            tail: None,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    fn set_next(task: TaskPtr, next: Option<TaskPtr>) {
        let next = next.map_or(ptr::null_mut(), |t| t.as_raw() as *mut Header);
        task.header().next.store(next, Ordering::Relaxed);
    }

    fn next_of(task: TaskPtr) -> Option<TaskPtr> {
        let next = task.header().next.load(Ordering::Relaxed);
        // SAFETY: queue links only ever point at queued tasks, which the queue keeps alive.
        (!next.is_null()).then(|| unsafe { TaskPtr::from_raw(next as *const ()) })
    }

    pub(crate) fn push_front(&mut self, task: TaskPtr) {
        Self::set_next(task, self.head);
        if self.tail.is_none() {
            self.tail = Some(task);
        }
        self.head = Some(task);
    }

    pub(crate) fn push_back(&mut self, task: TaskPtr) {
        Self::set_next(task, None);
        match self.tail {
            Some(tail) => Self::set_next(tail, Some(task)),
            None => self.head = Some(task),
        }
        self.tail = Some(task);
    }

    pub(crate) fn pop_front(&mut self) -> Option<TaskPtr> {
        let task = self.head?;
        self.head = Self::next_of(task);
        if self.head.is_none() {
            self.tail = None;
        }
        Some(task)
    }

    /// Moves all of `other` to the end of `self`.
    pub(crate) fn append(&mut self, mut other: RunQueue) {
        let Some(other_head) = other.head.take() else {
            return;
        };
        match self.tail {
            Some(tail) => Self::set_next(tail, Some(other_head)),
            None => self.head = Some(other_head),
        }
        self.tail = other.tail.take();
    }

    /// Empties the queue, returning its contents.
    pub(crate) fn take(&mut self) -> RunQueue {
        core::mem::replace(self, RunQueue::new())
    }
}

impl Drop for RunQueue {
    fn drop(&mut self) {
        // A queue must be drained by the loop: dropping one with tasks in it would leak their
        // references (or, worse, free tasks still linked elsewhere).
        debug_assert!(self.is_empty(), "run queue dropped with tasks in it");
    }
}
