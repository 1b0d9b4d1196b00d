//! [`KSem`]: a Zephyr `k_sem` a task can await.

use zephyr::raw::{
    k_sem, k_sem_count_get, k_sem_give, k_sem_init, k_sem_take, ZR_POLL_TYPE_SEM_AVAILABLE,
};
use zephyr::sys::K_NO_WAIT;

use super::object::KernelCell;
use super::ready::when_ready;
use asyncio_core::Result;

/// A Zephyr counting semaphore (`k_sem`) that tasks await in the loop's `k_poll` — no thread
/// blocks on it. [`give`](KSem::give) works from any thread or interrupt handler.
///
/// Declare one as a `static` (initialised on first use), or wrap one defined in C with
/// [`from_raw`](KSem::from_raw).
///
/// ```no_run
/// use asyncio::kernel::KSem;
///
/// static DATA_READY: KSem = KSem::new(0, 10);
///
/// // An interrupt handler (here a k_timer's expiry function) or another thread gives...
/// extern "C" fn on_data(_timer: *mut zephyr::raw::k_timer) {
///     DATA_READY.give();
/// }
///
/// // ...and a task takes: returns once a count is available, Err(Error::Cancelled) if
/// // cancelled first.
/// async fn consumer() -> asyncio::Result<()> {
///     loop {
///         DATA_READY.take().await?;
///     }
/// }
/// ```
pub struct KSem {
    cell: KernelCell<k_sem>,
    initial: u32,
    limit: u32,
}

impl KSem {
    /// A semaphore with `initial` counts, at most `limit`.
    ///
    /// ```no_run
    /// use asyncio::kernel::KSem;
    ///
    /// static SLOTS: KSem = KSem::new(4, 4); // four free slots, as K_SEM_DEFINE(slots, 4, 4)
    /// ```
    pub const fn new(initial: u32, limit: u32) -> Self {
        KSem {
            cell: KernelCell::new(),
            initial,
            limit,
        }
    }

    /// A semaphore defined elsewhere (`K_SEM_DEFINE` in C).
    ///
    /// # Safety
    /// `sem` must point to an initialised `k_sem` that outlives the program's use of it.
    ///
    /// ```no_run
    /// use asyncio::kernel::KSem;
    ///
    /// extern "C" {
    ///     static mut tx_done: zephyr::raw::k_sem; // K_SEM_DEFINE(tx_done, 0, 1) in C
    /// }
    /// // SAFETY: a semaphore defined in C lives as long as the program.
    /// static TX_DONE: KSem = unsafe { KSem::from_raw(&raw mut tx_done) };
    /// ```
    pub const unsafe fn from_raw(sem: *mut k_sem) -> Self {
        KSem {
            cell: KernelCell::external(sem),
            initial: 0,
            limit: 0,
        }
    }

    fn raw(&'static self) -> *mut k_sem {
        // SAFETY: `k_sem_init` on the cell's zeroed storage, once.
        self.cell.get(|sem| unsafe {
            k_sem_init(sem, self.initial, self.limit);
        })
    }

    /// Adds a count, waking a waiting task. Any context, including interrupt handlers.
    ///
    /// ```no_run
    /// use asyncio::kernel::KSem;
    ///
    /// static BUTTON: KSem = KSem::new(0, 10);
    ///
    /// extern "C" fn on_press(_timer: *mut zephyr::raw::k_timer) {
    ///     BUTTON.give(); // ISR-safe, as k_sem_give
    /// }
    /// ```
    pub fn give(&'static self) {
        // SAFETY: an initialised semaphore; k_sem_give is ISR-safe.
        unsafe { k_sem_give(self.raw()) };
    }

    /// The current count.
    pub fn count(&'static self) -> u32 {
        // SAFETY: an initialised semaphore.
        unsafe { k_sem_count_get(self.raw()) }
    }

    /// Takes a count, waiting (in the loop's `k_poll`) until one is available.
    ///
    /// ```no_run
    /// use asyncio::kernel::KSem;
    /// use asyncio::{wait_for_ms, Error};
    ///
    /// static BUTTON: KSem = KSem::new(0, 10);
    ///
    /// async fn wait_for_press() -> asyncio::Result<bool> {
    ///     match wait_for_ms(BUTTON.take(), 5000).await {
    ///         Ok(()) => Ok(true),
    ///         Err(Error::Timeout) => Ok(false), // nobody pressed within 5 s
    ///         Err(e) => Err(e),
    ///     }
    /// }
    /// ```
    pub async fn take(&'static self) -> Result<()> {
        let sem = self.raw();
        when_ready("k_sem", ZR_POLL_TYPE_SEM_AVAILABLE, sem.cast(), || {
            // SAFETY: an initialised semaphore; K_NO_WAIT never blocks.
            (unsafe { k_sem_take(sem, K_NO_WAIT) } == 0).then_some(())
        })
        .await
    }
}
