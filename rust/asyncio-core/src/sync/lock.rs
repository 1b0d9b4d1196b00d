//! [`Lock`]: mutual exclusion between tasks, first come first served.

use super::permits::{Acquire, Permits};

/// A lock for tasks (Python's `asyncio.Lock`).
///
/// [`acquire`](Lock::acquire) returns a [`LockGuard`]; the lock is released when the guard is
/// dropped (Python's `async with lock:`) or [released](LockGuard::release) explicitly. Waiters
/// get the lock in the order they asked, each handed the lock directly by the releasing task.
///
/// Cancel-safe: a task cancelled while waiting leaves the queue, and one cancelled just after
/// the lock was handed to it passes the lock on to the next waiter.
///
/// Unlike MicroPython, a lock can only be released by its holder: there is no `release()`
/// without the guard, so releasing a lock one does not hold cannot be written.
///
/// Loop-thread only, like every primitive but [`ThreadSafeFlag`](crate::ThreadSafeFlag):
///
/// ```compile_fail
/// fn shared_with_an_isr<T: Sync>() {}
/// shared_with_an_isr::<asyncio_core::Lock>();
/// ```
///
/// ```
/// use asyncio_core::{run, sleep_ms, Error, Lock};
///
/// run(async {
///     let lock = Lock::new();
///     {
///         let _held = lock.acquire().await?; // `async with lock:`
///         assert!(lock.locked());
///         sleep_ms(1).await?;
///     }
///     assert!(!lock.locked());
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct Lock {
    permits: Permits,
}

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

impl Lock {
    /// A new, unlocked lock.
    ///
    /// ```
    /// let lock = asyncio_core::Lock::new();
    /// assert!(!lock.locked());
    /// ```
    pub const fn new() -> Self {
        Lock {
            permits: Permits::new(1),
        }
    }

    /// Whether the lock is held. While the lock is being handed from a releasing task to the
    /// next waiter (which has not resumed yet) this is `false`, as in MicroPython and CPython.
    pub fn locked(&self) -> bool {
        self.permits.available() == 0 && self.permits.in_transit() == 0
    }

    /// The number of tasks waiting for the lock (for diagnostics).
    pub fn waiting(&self) -> usize {
        self.permits.waiting()
    }

    /// Waits for the lock; `Err(Error::Cancelled)` if the waiting task is cancelled first.
    ///
    /// ```
    /// use asyncio_core::{run, Lock};
    ///
    /// run(async {
    ///     let lock = Lock::new();
    ///     {
    ///         let _held = lock.acquire().await.unwrap(); // held until the end of this block
    ///     }
    ///     assert!(!lock.locked());
    /// })
    /// .unwrap();
    /// ```
    pub fn acquire(&self) -> Acquire<'_, LockGuard<'_>> {
        self.permits
            .acquire("Lock", |permits| LockGuard { permits })
    }
}

/// Holds a [`Lock`]; releases it when dropped.
///
/// ```
/// use asyncio_core::{run, Lock, LockGuard};
///
/// run(async {
///     let lock = Lock::new();
///     let guard: LockGuard<'_> = lock.acquire().await.unwrap();
///     assert!(lock.locked());
///     drop(guard);
///     assert!(!lock.locked());
/// })
/// .unwrap();
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard<'a> {
    permits: &'a Permits,
}

impl LockGuard<'_> {
    /// Releases the lock now (the same as dropping the guard).
    ///
    /// ```
    /// use asyncio_core::{run, Lock};
    ///
    /// run(async {
    ///     let lock = Lock::new();
    ///     let held = lock.acquire().await.unwrap();
    ///     held.release();
    ///     assert!(!lock.locked());
    /// })
    /// .unwrap();
    /// ```
    pub fn release(self) {}
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        self.permits.give();
    }
}
