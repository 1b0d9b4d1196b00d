//! [`KPollSignal`]: a Zephyr `k_poll_signal` a task can await.

use core::ptr::addr_of_mut;

use zephyr::raw::{
    k_poll_signal, k_poll_signal_check, k_poll_signal_init, k_poll_signal_raise,
    k_poll_signal_reset, ZR_POLL_TYPE_SIGNAL,
};

use super::object::KernelCell;
use super::ready::when_ready;
use asyncio_core::Result;

/// A Zephyr poll signal (`k_poll_signal`), the kernel's own "event with a result" that many
/// drivers raise (e.g. `video_set_signal`). [`raise`](KPollSignal::raise) works from any
/// context; a task [`wait`](KPollSignal::wait)s for it in the loop's `k_poll` and gets the
/// result. Raises coalesce: the last result wins.
///
/// The loop must be the signal's only poller: Zephyr wakes only the first thread polling it.
///
/// ```no_run
/// use asyncio::kernel::KPollSignal;
///
/// static DONE: KPollSignal = KPollSignal::new();
///
/// fn on_transfer_complete(status: i32) {
///     DONE.raise(status); // a driver callback, an ISR
/// }
///
/// async fn transfer() -> asyncio::Result<i32> {
///     DONE.wait().await // the status; the signal is reset for the next raise
/// }
/// ```
pub struct KPollSignal {
    cell: KernelCell<k_poll_signal>,
}

impl Default for KPollSignal {
    fn default() -> Self {
        Self::new()
    }
}

impl KPollSignal {
    /// A signal, not raised.
    ///
    /// ```no_run
    /// use asyncio::kernel::KPollSignal;
    ///
    /// static FRAME_DONE: KPollSignal = KPollSignal::new();
    /// ```
    pub const fn new() -> Self {
        KPollSignal {
            cell: KernelCell::new(),
        }
    }

    /// A signal defined elsewhere (`K_POLL_SIGNAL_INITIALIZER` in C, or a driver's).
    ///
    /// # Safety
    /// `signal` must point to an initialised `k_poll_signal` that outlives the program's use
    /// of it.
    ///
    /// ```no_run
    /// use asyncio::kernel::KPollSignal;
    ///
    /// extern "C" {
    ///     static mut dma_signal: zephyr::raw::k_poll_signal; // K_POLL_SIGNAL_INITIALIZER in C
    /// }
    /// // SAFETY: a signal defined in C lives as long as the program.
    /// static DMA: KPollSignal = unsafe { KPollSignal::from_raw(&raw mut dma_signal) };
    /// ```
    pub const unsafe fn from_raw(signal: *mut k_poll_signal) -> Self {
        KPollSignal {
            cell: KernelCell::external(signal),
        }
    }

    /// The raw signal, e.g. to hand to a driver (`video_set_signal`).
    pub fn raw(&'static self) -> *mut k_poll_signal {
        // SAFETY: `k_poll_signal_init` on the cell's storage, once.
        self.cell
            .get(|signal| unsafe { k_poll_signal_init(signal) })
    }

    /// Raises the signal with `result`. Any context, including interrupt handlers.
    ///
    /// ```no_run
    /// use asyncio::kernel::KPollSignal;
    ///
    /// static DONE: KPollSignal = KPollSignal::new();
    ///
    /// extern "C" fn on_timer(_timer: *mut zephyr::raw::k_timer) {
    ///     DONE.raise(1); // ISR-safe, as k_poll_signal_raise
    /// }
    /// ```
    pub fn raise(&'static self, result: i32) {
        // SAFETY: an initialised signal; raising is ISR-safe. -EAGAIN (racing a poll that
        // is timing out) still leaves the signal raised.
        unsafe { k_poll_signal_raise(self.raw(), result) };
    }

    /// Forgets a raise nobody waited for. Loop thread (the signal's only poller).
    ///
    /// ```no_run
    /// use asyncio::kernel::KPollSignal;
    ///
    /// static DONE: KPollSignal = KPollSignal::new();
    ///
    /// async fn fresh_wait() -> asyncio::Result<i32> {
    ///     DONE.reset(); // a raise from before this call does not count
    ///     DONE.wait().await
    /// }
    /// ```
    pub fn reset(&'static self) {
        // SAFETY: an initialised signal.
        unsafe { k_poll_signal_reset(self.raw()) };
    }

    /// Waits until the signal is raised, resets it, and returns the last raise's result.
    ///
    /// ```no_run
    /// use asyncio::kernel::KPollSignal;
    ///
    /// static DONE: KPollSignal = KPollSignal::new();
    ///
    /// async fn worker() -> asyncio::Result<()> {
    ///     loop {
    ///         let result = DONE.wait().await?;
    ///         log::info!("raised with {result}");
    ///     }
    /// }
    /// ```
    pub async fn wait(&'static self) -> Result<i32> {
        let signal = self.raw();
        when_ready("k_poll_signal", ZR_POLL_TYPE_SIGNAL, signal.cast(), || {
            let (mut signaled, mut result) = (0u32, 0i32);
            // SAFETY: an initialised signal, read and reset from the loop thread only.
            unsafe {
                k_poll_signal_check(signal, addr_of_mut!(signaled), addr_of_mut!(result));
                (signaled != 0).then(|| {
                    k_poll_signal_reset(signal);
                    result
                })
            }
        })
        .await
    }
}
