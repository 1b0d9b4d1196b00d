//! The loop's list of unfinished tasks, linked through the task headers.
//!
//! Membership is the loop's own reference to a task: an unfinished task stays allocated even if
//! every handle and waker is gone. The list lets the loop count, list and discard its tasks.

use core::cell::Cell;

use super::header::TaskPtr;

pub(crate) struct TaskLinks {
    prev: Cell<Option<TaskPtr>>,
    next: Cell<Option<TaskPtr>>,
}

impl TaskLinks {
    pub(crate) const fn new() -> Self {
        TaskLinks {
            prev: Cell::new(None),
            next: Cell::new(None),
        }
    }
}

pub(crate) struct TaskList {
    head: Cell<Option<TaskPtr>>,
    len: Cell<u32>,
}

impl TaskList {
    pub(crate) const fn new() -> Self {
        TaskList {
            head: Cell::new(None),
            len: Cell::new(0),
        }
    }

    pub(crate) fn len(&self) -> u32 {
        self.len.get()
    }

    pub(crate) fn head(&self) -> Option<TaskPtr> {
        self.head.get()
    }

    pub(crate) fn next(task: TaskPtr) -> Option<TaskPtr> {
        task.local().links.next.get()
    }

    /// Adds `task`, which must not be in a list.
    pub(crate) fn insert(&self, task: TaskPtr) {
        let links = &task.local().links;
        links.prev.set(None);
        links.next.set(self.head.get());
        if let Some(head) = self.head.get() {
            head.local().links.prev.set(Some(task));
        }
        self.head.set(Some(task));
        self.len.set(self.len.get() + 1);
    }

    /// Removes `task`, which must be in this list.
    pub(crate) fn remove(&self, task: TaskPtr) {
        let links = &task.local().links;
        let (prev, next) = (links.prev.take(), links.next.take());
        match prev {
            Some(prev) => prev.local().links.next.set(next),
            None => self.head.set(next),
        }
        if let Some(next) = next {
            next.local().links.prev.set(prev);
        }
        self.len.set(self.len.get() - 1);
    }
}
