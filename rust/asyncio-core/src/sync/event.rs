//! [`Event`]: wake every waiting task at once.

use core::cell::Cell;

use super::notification::{Forfeited, Notification};
use crate::error::Result;
use crate::raw::wait_list::WaitList;

/// A flag tasks can wait for (Python's `asyncio.Event`).
///
/// [`set`](Event::set) wakes every task waiting at that moment, in the order they started
/// waiting, and leaves the event set, so later waits return at once until
/// [`clear`](Event::clear). `set(); clear()` still wakes the tasks that were waiting.
///
/// Loop-thread only: `Event` is neither `Send` nor `Sync`, so an interrupt handler or another
/// thread cannot touch it (that is a compile error). Use a
/// [`ThreadSafeFlag`](crate::ThreadSafeFlag) there.
///
/// ```compile_fail
/// // An interrupt handler needs a `static`, which needs `Sync`: this does not compile.
/// static DATA_READY: asyncio_core::Event = asyncio_core::Event::new();
/// ```
///
/// ```
/// use asyncio_core::{create_task, run, yield_now, Error, Event};
/// use std::rc::Rc;
///
/// run(async {
///     let ev = Rc::new(Event::new());
///     let waiter = create_task({
///         let ev = ev.clone();
///         async move { ev.wait().await }
///     });
///     yield_now().await?;
///     assert!(!waiter.done());
///     ev.set();
///     assert_eq!(waiter.await, Ok(true));
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Default)]
pub struct Event {
    set: Cell<bool>,
    waiters: WaitList,
}

impl Event {
    /// A new, clear event.
    ///
    /// ```
    /// let ev = asyncio_core::Event::new();
    /// assert!(!ev.is_set());
    /// ```
    pub const fn new() -> Self {
        Event {
            set: Cell::new(false),
            waiters: WaitList::new(),
        }
    }

    /// Whether the event is set.
    pub fn is_set(&self) -> bool {
        self.set.get()
    }

    /// Sets the event and wakes every waiting task. Does not yield.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, yield_now, Event};
    /// use std::rc::Rc;
    ///
    /// run(async {
    ///     let ev = Rc::new(Event::new());
    ///     let waiter = create_task({
    ///         let ev = ev.clone();
    ///         async move { ev.wait().await }
    ///     });
    ///     yield_now().await?;
    ///     ev.set(); // the waiter runs at the next await of this task
    ///     waiter.await
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn set(&self) {
        self.set.set(true);
        self.waiters.notify_all();
    }

    /// Clears the event; tasks already woken by `set` still see it as set.
    ///
    /// ```
    /// let ev = asyncio_core::Event::new();
    /// ev.set();
    /// ev.clear();
    /// assert!(!ev.is_set()); // wait() now waits for the next set()
    /// ```
    pub fn clear(&self) {
        self.set.set(false);
    }

    /// The number of tasks waiting (for diagnostics).
    pub fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// Waits until the event is set; returns `Ok(true)` (Python's `True`) at once if it is.
    ///
    /// `Err(Error::Cancelled)` if the waiting task is cancelled while waiting, even if the event
    /// was set in the meantime (MicroPython: cancel wins over a wake not yet acted on). A
    /// cancelled waiter leaves no trace.
    ///
    /// ```
    /// use asyncio_core::{run, Event};
    ///
    /// run(async {
    ///     let ev = Event::new();
    ///     ev.set();
    ///     assert_eq!(ev.wait().await, Ok(true)); // set: returns at once
    /// })
    /// .unwrap();
    /// ```
    pub async fn wait(&self) -> Result<bool> {
        if !self.is_set() {
            Notification::wait(&self.waiters, "Event", Forfeited::Lost).await?;
        }
        Ok(true)
    }
}
