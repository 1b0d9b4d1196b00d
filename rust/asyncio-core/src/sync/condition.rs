//! [`Condition`]: wait for a change announced by another task, under a lock.

use super::lock::{Lock, LockGuard};
use super::notification::{Forfeited, Notification};
use super::permits::Acquire;
use crate::error::{Error, Result};
use crate::raw::wait_list::WaitList;

/// A condition variable for tasks (micropython-async's and CPython's `asyncio.Condition`).
///
/// Tasks hold the condition's lock to look at shared state; [`wait`](Condition::wait)
/// releases it, waits for a [`notify`](Condition::notify), and takes it again before
/// returning. [`wait_for`](Condition::wait_for) loops until a predicate holds.
///
/// ```
/// use asyncio_core::{create_task, run, yield_now, Condition, Error};
/// use std::cell::Cell;
/// use std::rc::Rc;
///
/// run(async {
///     let cond = Rc::new(Condition::new());
///     let ready = Rc::new(Cell::new(false));
///     let waiter = create_task({
///         let (cond, ready) = (cond.clone(), ready.clone());
///         async move {
///             let held = cond.lock().await?;
///             let _held = cond.wait_for(held, || ready.get()).await?;
///             Ok::<_, Error>("ready")
///         }
///     });
///     yield_now().await?;
///     {
///         let _held = cond.lock().await?;
///         ready.set(true);
///         cond.notify_all()?;
///     }
///     assert_eq!(waiter.await, Ok("ready"));
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Default)]
pub struct Condition {
    lock: Lock,
    waiters: WaitList,
}

impl Condition {
    /// A condition with its own lock.
    ///
    /// ```
    /// let cond = asyncio_core::Condition::new();
    /// assert!(!cond.locked());
    /// ```
    pub const fn new() -> Self {
        Condition {
            lock: Lock::new(),
            waiters: WaitList::new(),
        }
    }

    /// Takes the condition's lock (`async with cond:`).
    ///
    /// ```
    /// use asyncio_core::{run, Condition};
    ///
    /// run(async {
    ///     let cond = Condition::new();
    ///     let held = cond.lock().await.unwrap(); // `async with cond:`
    ///     assert!(cond.locked());
    ///     drop(held);
    /// })
    /// .unwrap();
    /// ```
    pub fn lock(&self) -> Acquire<'_, LockGuard<'_>> {
        self.lock.acquire()
    }

    /// Whether the condition's lock is held.
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }

    /// The number of tasks waiting for a notification (for diagnostics).
    pub fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// Releases the lock (`held`), waits for a notification, then takes the lock again and
    /// returns it. If the task is cancelled it returns `Err(Error::Cancelled)` without the
    /// lock (which a Python `async with` would also have released on the way out).
    ///
    /// ```
    /// use asyncio_core::{create_task, run, yield_now, Condition, Error};
    /// use std::rc::Rc;
    ///
    /// run(async {
    ///     let cond = Rc::new(Condition::new());
    ///     let waiter = create_task({
    ///         let cond = cond.clone();
    ///         async move {
    ///             let held = cond.lock().await?;
    ///             let _held = cond.wait(held).await?; // the lock is released while waiting
    ///             Ok::<_, Error>("notified")
    ///         }
    ///     });
    ///     yield_now().await?;
    ///     let held = cond.lock().await?;
    ///     cond.notify(1)?;
    ///     drop(held);
    ///     waiter.await
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn wait<'a>(&'a self, held: LockGuard<'a>) -> Result<LockGuard<'a>> {
        drop(held);
        Notification::wait(&self.waiters, "Condition", Forfeited::PassedOn).await?;
        self.lock.acquire().await
    }

    /// Waits until `predicate` holds, checking it with the lock held on entry and after every
    /// notification; returns the lock.
    ///
    /// ```
    /// use asyncio_core::{create_task, run, yield_now, Condition, Error};
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    ///
    /// run(async {
    ///     let (cond, level) = (Rc::new(Condition::new()), Rc::new(Cell::new(0)));
    ///     let waiter = create_task({
    ///         let (cond, level) = (cond.clone(), level.clone());
    ///         async move {
    ///             let held = cond.lock().await?;
    ///             let _held = cond.wait_for(held, || level.get() >= 3).await?;
    ///             Ok::<_, Error>(level.get())
    ///         }
    ///     });
    ///     for _ in 0..3 {
    ///         yield_now().await?;
    ///         let _held = cond.lock().await?;
    ///         level.set(level.get() + 1);
    ///         cond.notify_all()?;
    ///     }
    ///     waiter.await
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub async fn wait_for<'a>(
        &'a self,
        mut held: LockGuard<'a>,
        mut predicate: impl FnMut() -> bool,
    ) -> Result<LockGuard<'a>> {
        while !predicate() {
            held = self.wait(held).await?;
        }
        Ok(held)
    }

    /// Wakes up to `n` waiting tasks, oldest first. A notified task that is cancelled before it
    /// runs passes its notification to the next waiter (as CPython 3.13), so none is lost.
    ///
    /// # Errors
    /// [`Error::LockNotHeld`] if the condition's lock is not held (Python's `RuntimeError`).
    ///
    /// ```
    /// use asyncio_core::{Condition, Error};
    ///
    /// let cond = Condition::new();
    /// assert_eq!(cond.notify(1), Err(Error::LockNotHeld)); // as Python's RuntimeError
    /// ```
    pub fn notify(&self, n: usize) -> Result<()> {
        if !self.lock.locked() {
            return Err(Error::LockNotHeld);
        }
        for _ in 0..n {
            if !self.waiters.notify_one() {
                break;
            }
        }
        Ok(())
    }

    /// Wakes every waiting task.
    ///
    /// # Errors
    /// [`Error::LockNotHeld`] if the condition's lock is not held.
    ///
    /// ```
    /// use asyncio_core::{run, Condition};
    ///
    /// run(async {
    ///     let cond = Condition::new();
    ///     let _held = cond.lock().await.unwrap();
    ///     assert_eq!(cond.notify_all(), Ok(())); // nobody waits: nothing happens
    /// })
    /// .unwrap();
    /// ```
    pub fn notify_all(&self) -> Result<()> {
        self.notify(usize::MAX)
    }
}
