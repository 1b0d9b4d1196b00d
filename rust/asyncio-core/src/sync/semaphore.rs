//! [`Semaphore`] and [`BoundedSemaphore`]: a pool of permits for tasks.

use core::fmt;

use super::permits::{Acquire, Permits};
use crate::error::{Error, Result};

/// A counting semaphore for tasks (micropython-async's and CPython's `Semaphore`).
///
/// [`acquire`](Semaphore::acquire) takes a permit, waiting in first-come first-served order if
/// none is free, and returns a [`Permit`] that gives it back when dropped (`async with sem:`).
/// [`release`](Semaphore::release) adds a permit without a guard, for signalling between
/// tasks. Cancel-safe in the same way as [`Lock`](crate::Lock).
///
/// ```
/// use asyncio_core::{create_task, run, sleep_ms, Error, Semaphore};
/// use std::rc::Rc;
///
/// run(async {
///     let pool = Rc::new(Semaphore::new(2)); // at most two at a time
///     let workers: Vec<_> = (0..4)
///         .map(|_| {
///             let pool = pool.clone();
///             create_task(async move {
///                 let _permit = pool.acquire().await?;
///                 sleep_ms(10).await
///             })
///         })
///         .collect();
///     for w in workers {
///         w.await?;
///     }
///     assert_eq!(pool.value(), 2);
///     Ok::<_, Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub struct Semaphore {
    permits: Permits,
    /// `BoundedSemaphore`'s ceiling.
    bound: Option<usize>,
}

impl Semaphore {
    /// A semaphore with `value` free permits.
    ///
    /// ```
    /// let sem = asyncio_core::Semaphore::new(2); // two holders at a time
    /// assert_eq!(sem.value(), 2);
    /// ```
    pub const fn new(value: usize) -> Self {
        Semaphore {
            permits: Permits::new(value),
            bound: None,
        }
    }

    /// The number of free permits.
    pub fn value(&self) -> usize {
        self.permits.available()
    }

    /// Whether `acquire` would have to wait.
    pub fn locked(&self) -> bool {
        !self.permits.can_take()
    }

    /// The number of tasks waiting for a permit (for diagnostics).
    pub fn waiting(&self) -> usize {
        self.permits.waiting()
    }

    /// Waits for a permit; `Err(Error::Cancelled)` if the waiting task is cancelled first.
    ///
    /// ```
    /// use asyncio_core::{run, Semaphore};
    ///
    /// run(async {
    ///     let uplinks = Semaphore::new(2);
    ///     let (a, b) = (uplinks.acquire().await?, uplinks.acquire().await?);
    ///     assert_eq!(uplinks.value(), 0);
    ///     drop((a, b));
    ///     assert_eq!(uplinks.value(), 2);
    ///     Ok::<_, asyncio_core::Error>(())
    /// })
    /// .unwrap()
    /// .unwrap();
    /// ```
    pub fn acquire(&self) -> Acquire<'_, Permit<'_>> {
        let what = if self.bound.is_some() {
            "BoundedSemaphore"
        } else {
            "Semaphore"
        };
        self.permits.acquire(what, |permits| Permit { permits })
    }

    /// Adds a permit, waking the oldest waiter if any.
    ///
    /// # Errors
    /// For a [`BoundedSemaphore`], [`Error::ValueError`] if that would exceed its initial
    /// value (nothing changes then).
    ///
    /// ```
    /// let sem = asyncio_core::Semaphore::new(0);
    /// sem.release().unwrap(); // a plain semaphore has no upper bound
    /// assert_eq!(sem.value(), 1);
    /// ```
    pub fn release(&self) -> Result<()> {
        if let Some(bound) = self.bound {
            // A permit on its way to a waiter counts: it is not back yet, but it is not held.
            if self.permits.available() + self.permits.in_transit() >= bound {
                return Err(Error::ValueError);
            }
        }
        self.permits.give();
        Ok(())
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("value", &self.value())
            .finish()
    }
}

/// A [`Semaphore`] whose [`release`](Semaphore::release) refuses to go above its initial
/// value (micropython-async's and CPython's `BoundedSemaphore`), which catches releasing more
/// often than acquiring.
///
/// ```
/// use asyncio_core::{BoundedSemaphore, Error};
///
/// let sem = BoundedSemaphore::new(1);
/// assert_eq!(sem.release(), Err(Error::ValueError));
/// ```
pub struct BoundedSemaphore(Semaphore);

impl BoundedSemaphore {
    /// A semaphore with `value` free permits, never more.
    ///
    /// ```
    /// use asyncio_core::{BoundedSemaphore, Error};
    ///
    /// let sem = BoundedSemaphore::new(2);
    /// assert_eq!(sem.value(), 2);
    /// assert_eq!(sem.release(), Err(Error::ValueError)); // never above its initial value
    /// ```
    pub const fn new(value: usize) -> Self {
        BoundedSemaphore(Semaphore {
            permits: Permits::new(value),
            bound: Some(value),
        })
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("value", &self.value())
            .finish()
    }
}

impl core::ops::Deref for BoundedSemaphore {
    type Target = Semaphore;

    fn deref(&self) -> &Semaphore {
        &self.0
    }
}

/// The future of [`Semaphore::acquire`].
///
/// ```
/// use asyncio_core::{run, Semaphore, SemaphoreAcquire};
///
/// run(async {
///     let sem = Semaphore::new(1);
///     let acquiring: SemaphoreAcquire<'_> = sem.acquire(); // nothing happens until awaited
///     let _permit = acquiring.await.unwrap();
/// })
/// .unwrap();
/// ```
pub type SemaphoreAcquire<'a> = Acquire<'a, Permit<'a>>;

/// A permit of a [`Semaphore`]; given back when dropped.
///
/// ```
/// use asyncio_core::{run, Permit, Semaphore};
///
/// run(async {
///     let sem = Semaphore::new(1);
///     let permit: Permit<'_> = sem.acquire().await.unwrap();
///     assert!(sem.locked());
///     drop(permit);
///     assert!(!sem.locked());
/// })
/// .unwrap();
/// ```
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct Permit<'a> {
    permits: &'a Permits,
}

impl Permit<'_> {
    /// Keeps the permit taken: it will not be given back on drop (release it later with
    /// [`Semaphore::release`]).
    ///
    /// ```
    /// use asyncio_core::{run, Semaphore};
    ///
    /// run(async {
    ///     let sem = Semaphore::new(1);
    ///     sem.acquire().await.unwrap().forget(); // handed to an ISR, say
    ///     assert!(sem.locked());
    ///     sem.release().unwrap(); // given back explicitly
    ///     assert!(!sem.locked());
    /// })
    /// .unwrap();
    /// ```
    pub fn forget(self) {
        core::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // A permit taken from a semaphore always fits back under its bound.
        self.permits.give();
    }
}
