//! [`KMsgq`]: a Zephyr `k_msgq` a task can await.

use core::cell::UnsafeCell;
use core::mem::{size_of, MaybeUninit};

use zephyr::raw::{k_msgq, k_msgq_get, k_msgq_init, k_msgq_num_used_get, k_msgq_put};
use zephyr::sys::K_NO_WAIT;
use zephyr_asyncio_sys::ZA_POLL_TYPE_MSGQ_DATA_AVAILABLE;

use super::object::KernelCell;
use super::ready::when_ready;
use asyncio_core::Result;

/// A Zephyr message queue (`k_msgq`) of `N` messages of type `T`, copied in and out. Interrupt
/// handlers and threads [`put`](KMsgq::put) without blocking; tasks await
/// [`get`](KMsgq::get) in the loop's `k_poll`.
///
/// A queue defined in C (`K_MSGQ_DEFINE`) is a `KMsgq<T>` made with
/// [`from_raw`](KMsgq::from_raw): its buffer is C's, so `N` stays 0.
///
/// ```no_run
/// use asyncio::kernel::KMsgq;
///
/// static SAMPLES: KMsgq<u16, 32> = KMsgq::new();
///
/// // The ADC's interrupt handler:
/// fn on_conversion(reading: u16) {
///     SAMPLES.put(reading).ok(); // Err(reading) if full: the ISR decides what to drop
/// }
///
/// // A task:
/// async fn averager() -> asyncio::Result<u32> {
///     let mut sum = 0;
///     for _ in 0..16 {
///         sum += u32::from(SAMPLES.get().await?);
///     }
///     Ok(sum / 16)
/// }
/// ```
pub struct KMsgq<T: Copy, const N: usize = 0> {
    cell: KernelCell<k_msgq>,
    buffer: UnsafeCell<[MaybeUninit<T>; N]>,
}

// SAFETY: the buffer is only accessed by Zephyr's k_msgq calls, which serialise access.
unsafe impl<T: Copy + Send, const N: usize> Sync for KMsgq<T, N> {}

impl<T: Copy, const N: usize> Default for KMsgq<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy> KMsgq<T> {
    /// A queue defined elsewhere (`K_MSGQ_DEFINE(name, sizeof(T), ...)` in C).
    ///
    /// ```no_run
    /// use asyncio::kernel::KMsgq;
    ///
    /// #[repr(C)]
    /// #[derive(Clone, Copy)]
    /// struct Line {
    ///     len: u8,
    ///     text: [u8; 63],
    /// }
    ///
    /// // C: K_MSGQ_DEFINE(serial_lines, sizeof(struct line), 4, 4);
    /// extern "C" {
    ///     static mut serial_lines: zephyr::raw::k_msgq;
    /// }
    /// // SAFETY: C's queue holds `struct line`s, laid out as `Line`, for the whole program.
    /// static LINES: KMsgq<Line> = unsafe { KMsgq::from_raw(&raw mut serial_lines) };
    /// ```
    ///
    /// # Safety
    /// `queue` must point to an initialised `k_msgq` whose messages are `T`s (same size and
    /// layout: `#[repr(C)]`) and that outlives the program's use of it.
    pub const unsafe fn from_raw(queue: *mut k_msgq) -> Self {
        KMsgq {
            cell: KernelCell::external(queue),
            buffer: UnsafeCell::new([]),
        }
    }
}

impl<T: Copy, const N: usize> KMsgq<T, N> {
    /// An empty queue for `N` messages (`N` > 0).
    ///
    /// ```no_run
    /// use asyncio::kernel::KMsgq;
    ///
    /// static COMMANDS: KMsgq<[u8; 8], 4> = KMsgq::new(); // four 8-byte messages
    /// ```
    pub const fn new() -> Self {
        const { assert!(N > 0, "a KMsgq of its own needs room: N > 0") };
        KMsgq {
            cell: KernelCell::new(),
            buffer: UnsafeCell::new([const { MaybeUninit::uninit() }; N]),
        }
    }

    fn raw(&'static self) -> *mut k_msgq {
        // SAFETY: `k_msgq_init` on the cell's storage, once, with this queue's buffer.
        self.cell.get(|q| unsafe {
            k_msgq_init(q, self.buffer.get().cast(), size_of::<T>(), N as u32);
        })
    }

    /// Queues `msg` without waiting; gives it back if the queue is full. Any context,
    /// including interrupt handlers.
    ///
    /// ```no_run
    /// use asyncio::kernel::KMsgq;
    ///
    /// static KEYS: KMsgq<u8, 16> = KMsgq::new();
    ///
    /// fn on_key(code: u8) {
    ///     if KEYS.put(code).is_err() {
    ///         // full: this key is dropped, the queued ones are kept
    ///     }
    /// }
    /// ```
    pub fn put(&'static self, msg: T) -> core::result::Result<(), T> {
        // SAFETY: an initialised queue of `T`-sized messages; K_NO_WAIT is ISR-safe.
        match unsafe { k_msgq_put(self.raw(), (&msg as *const T).cast(), K_NO_WAIT) } {
            0 => Ok(()),
            _ => Err(msg),
        }
    }

    /// The number of queued messages.
    pub fn len(&'static self) -> usize {
        // SAFETY: an initialised queue.
        unsafe { k_msgq_num_used_get(self.raw()) as usize }
    }

    /// Whether no message is queued.
    pub fn is_empty(&'static self) -> bool {
        self.len() == 0
    }

    /// Takes the oldest message, waiting (in the loop's `k_poll`) until there is one.
    ///
    /// ```no_run
    /// use asyncio::kernel::KMsgq;
    ///
    /// static KEYS: KMsgq<u8, 16> = KMsgq::new();
    ///
    /// async fn keypad() -> asyncio::Result<()> {
    ///     loop {
    ///         let key = KEYS.get().await?;
    ///         log::info!("key {key}");
    ///     }
    /// }
    /// ```
    pub async fn get(&'static self) -> Result<T> {
        let q = self.raw();
        when_ready("k_msgq", ZA_POLL_TYPE_MSGQ_DATA_AVAILABLE, q.cast(), || {
            let mut msg = MaybeUninit::<T>::uninit();
            // SAFETY: an initialised queue of `T`-sized messages; K_NO_WAIT never blocks, and a
            // return of 0 means the message was copied into `msg`.
            (unsafe { k_msgq_get(q, msg.as_mut_ptr().cast(), K_NO_WAIT) } == 0)
                .then(|| unsafe { msg.assume_init() })
        })
        .await
    }
}
