//! [`KFifo`]: a Zephyr `k_fifo`/`k_queue` a task can await.

use core::ffi::c_void;
use core::ptr::NonNull;

use zephyr::raw::{
    k_queue, k_queue_append, k_queue_get, k_queue_init, ZR_POLL_TYPE_DATA_AVAILABLE,
};
use zephyr::sys::K_NO_WAIT;

use super::object::KernelCell;
use super::ready::when_ready;
use asyncio_core::Result;

/// A Zephyr FIFO (`k_fifo`, which is a `k_queue`) of items owned by their producer, as C
/// drivers use them: each item starts with a word the kernel links it through. Tasks await
/// [`get`](KFifo::get) in the loop's `k_poll`; producers (any context) [`put`](KFifo::put).
///
/// ```no_run
/// use asyncio::kernel::KFifo;
///
/// extern "C" {
///     static mut rx_fifo: zephyr::raw::k_queue; // K_FIFO_DEFINE(rx_fifo) in C
/// }
/// // SAFETY: a FIFO defined in C lives as long as the program.
/// static RX: KFifo = unsafe { KFifo::from_raw(&raw mut rx_fifo) };
///
/// async fn receiver() -> asyncio::Result<()> {
///     let packet = RX.get().await?; // a pointer to the C driver's item
///     # let _ = packet;
///     Ok(())
/// }
/// ```
pub struct KFifo {
    cell: KernelCell<k_queue>,
}

impl Default for KFifo {
    fn default() -> Self {
        Self::new()
    }
}

impl KFifo {
    /// An empty FIFO.
    ///
    /// ```no_run
    /// use asyncio::kernel::KFifo;
    ///
    /// static FREE_BUFFERS: KFifo = KFifo::new();
    /// ```
    pub const fn new() -> Self {
        KFifo {
            cell: KernelCell::new(),
        }
    }

    /// A FIFO or queue defined elsewhere (`K_FIFO_DEFINE`/`K_QUEUE_DEFINE` in C).
    ///
    /// # Safety
    /// `queue` must point to an initialised `k_queue` (a `k_fifo` is one) that outlives the
    /// program's use of it.
    ///
    /// ```no_run
    /// use asyncio::kernel::KFifo;
    ///
    /// extern "C" {
    ///     static mut done_queue: zephyr::raw::k_queue; // K_QUEUE_DEFINE(done_queue) in C
    /// }
    /// // SAFETY: a queue defined in C lives as long as the program.
    /// static DONE: KFifo = unsafe { KFifo::from_raw(&raw mut done_queue) };
    /// ```
    pub const unsafe fn from_raw(queue: *mut k_queue) -> Self {
        KFifo {
            cell: KernelCell::external(queue),
        }
    }

    /// The initialised queue, for C code that fills it.
    pub(crate) fn raw(&'static self) -> *mut k_queue {
        // SAFETY: `k_queue_init` on the cell's storage, once.
        self.cell.get(|q| unsafe { k_queue_init(q) })
    }

    /// Appends `item`. Any context, including interrupt handlers.
    ///
    /// # Safety
    /// `item` must point to memory whose first word the kernel may use as a link, and which
    /// stays valid until a `get` returns it (Zephyr's `k_fifo_put` contract).
    ///
    /// ```no_run
    /// use asyncio::kernel::KFifo;
    /// use core::ffi::c_void;
    /// use core::ptr::NonNull;
    ///
    /// static BLOCKS: KFifo = KFifo::new();
    ///
    /// /// A block the kernel links through its first word.
    /// #[repr(C)]
    /// struct Block {
    ///     link: *mut c_void,
    ///     data: [u8; 64],
    /// }
    ///
    /// static mut POOL: [Block; 2] = [const { Block { link: core::ptr::null_mut(), data: [0; 64] } }; 2];
    ///
    /// fn hand_out() {
    ///     for i in 0..2 {
    ///         // SAFETY: each block is put once and lives for the whole program.
    ///         unsafe { BLOCKS.put(NonNull::new_unchecked((&raw mut POOL[i]).cast())) };
    ///     }
    /// }
    /// ```
    pub unsafe fn put(&'static self, item: NonNull<c_void>) {
        // SAFETY: forwarded from the caller; an initialised queue.
        unsafe { k_queue_append(self.raw(), item.as_ptr()) };
    }

    /// Takes the oldest item if there is one, without waiting. Any context.
    pub fn try_get(&'static self) -> Option<NonNull<c_void>> {
        // SAFETY: an initialised queue; K_NO_WAIT never blocks.
        NonNull::new(unsafe { k_queue_get(self.raw(), K_NO_WAIT) })
    }

    /// Takes the oldest item, waiting (in the loop's `k_poll`) until there is one.
    ///
    /// ```no_run
    /// use asyncio::kernel::KFifo;
    ///
    /// static EVENTS: KFifo = KFifo::new();
    ///
    /// async fn handler() -> asyncio::Result<()> {
    ///     loop {
    ///         let item = EVENTS.get().await?; // the producer's pointer, as put
    ///         # let _ = item;
    ///     }
    /// }
    /// ```
    pub async fn get(&'static self) -> Result<NonNull<c_void>> {
        let q = self.raw();
        when_ready("k_fifo", ZR_POLL_TYPE_DATA_AVAILABLE, q.cast(), || {
            self.try_get()
        })
        .await
    }
}
