//! What a UART's interrupt handler and its two halves share: the receive and transmit rings,
//! the flags that wake the reading and the writing task, and the overrun count.
//!
//! The handler drains the receive FIFO into the receive ring and fills the transmit FIFO from
//! the transmit ring. The rings are heapless deques behind a critical section (Zephyr's
//! `irq_lock`, or a spinlock on SMP), held only to copy a FIFO's worth of bytes.
//!
//! An overrun leaves one gap, at a known place (a [`GapRing`]).

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use core::ffi::c_void;
use core::ptr;
use zephyr::sync::atomic::{AtomicU32, Ordering};

use asyncio_core::{Error, Result, ThreadSafeFlag};
use critical_section::Mutex;
use heapless::Deque;
use zephyr::raw::device;
use zephyr_asyncio_sys as sys;

use crate::gap_ring::GapRing;
use crate::open_list::OpenList;

/// `CONFIG_ASYNCIO_UART_RX_RING`: bytes kept for a reader that is not reading.
pub const RX_RING: usize = zephyr::kconfig::CONFIG_ASYNCIO_UART_RX_RING as usize;
/// `CONFIG_ASYNCIO_UART_TX_RING`: bytes a writer may hand over before waiting.
pub const TX_RING: usize = zephyr::kconfig::CONFIG_ASYNCIO_UART_TX_RING as usize;

/// UARTs opened now: (device address, its `Shared`'s address), where the handler finds its
/// state. One adapter per UART (a second would take over the first's interrupt callback).
static OPEN: OpenList<(usize, usize), 8> = OpenList::new();

/// The state of one open UART.
pub(crate) struct Shared {
    dev: &'static device,
    pub(crate) label: &'static str,
    rx: Mutex<RefCell<GapRing<u8, RX_RING>>>,
    tx: Mutex<RefCell<Deque<u8, TX_RING>>>,
    /// Set by the handler when bytes arrived.
    pub(crate) received: ThreadSafeFlag,
    /// Set by the handler when it took bytes from the transmit ring.
    pub(crate) sent: ThreadSafeFlag,
    lost_total: AtomicU32,
    line_errors: AtomicU32,
    /// Whether the transmit interrupt is enabled (it is while the ring holds bytes).
    tx_enabled: Mutex<Cell<bool>>,
}

impl Shared {
    /// Claims `dev` and registers the handler, receive interrupt enabled.
    pub(crate) fn open(dev: &'static device, label: &'static str) -> Result<Rc<Shared>> {
        let shared = Rc::new(Shared {
            dev,
            label,
            rx: Mutex::new(RefCell::new(GapRing::new())),
            tx: Mutex::new(RefCell::new(Deque::new())),
            received: ThreadSafeFlag::new(),
            sent: ThreadSafeFlag::new(),
            lost_total: AtomicU32::new(0),
            line_errors: AtomicU32::new(0),
            tx_enabled: Mutex::new(Cell::new(false)),
        });
        let entry = (device_address(dev), Rc::as_ptr(&shared) as usize);
        OPEN.add(entry, |open| {
            if open.iter().any(|&(device, _)| device == entry.0) {
                return Err(Error::Busy { label });
            }
            Ok(())
        })?;
        // SAFETY: the handler reaches `shared` only through `OPEN`, which `Drop` empties of it
        // before it is freed. Should registering fail, `Drop` releases the claim.
        let registered = unsafe {
            sys::uart_irq_callback_user_data_set(dev, Some(on_interrupt), ptr::null_mut())
        };
        if registered != 0 {
            return Err(Error::Os(registered));
        }
        // SAFETY: a ready UART whose handler is ours.
        unsafe { sys::uart_irq_rx_enable(dev) };
        Ok(shared)
    }

    /// In interrupt context: drains the receive FIFO.
    fn receive(&self) {
        let mut chunk = [0u8; 16];
        loop {
            // SAFETY: `chunk` is valid for writes of its length.
            let n =
                unsafe { sys::uart_fifo_read(self.dev, chunk.as_mut_ptr(), chunk.len() as i32) };
            let Ok(n @ 1..) = usize::try_from(n) else {
                break;
            };
            critical_section::with(|cs| {
                let mut rx = self.rx.borrow_ref_mut(cs);
                for &byte in &chunk[..n] {
                    if !rx.push(byte) {
                        self.lost_total.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        self.received.set();
    }

    /// In interrupt context: fills the transmit FIFO, or disables the transmit interrupt
    /// once nothing is left.
    fn transmit(&self) {
        critical_section::with(|cs| {
            let mut tx = self.tx.borrow_ref_mut(cs);
            let (front, _) = tx.as_slices();
            if front.is_empty() {
                // SAFETY: our UART; allowed from its interrupt.
                unsafe { sys::uart_irq_tx_disable(self.dev) };
                self.tx_enabled.borrow(cs).set(false);
                return;
            }
            // SAFETY: `front` is valid for reads of its length.
            let n = unsafe { sys::uart_fifo_fill(self.dev, front.as_ptr(), front.len() as i32) };
            for _ in 0..n.max(0) {
                tx.pop_front();
            }
        });
        self.sent.set();
    }

    /// Takes received bytes into `buf`: how many, or the overrun at this place in the stream.
    /// `Ok(0)` if nothing is there.
    pub(crate) fn take_received(&self, buf: &mut [u8]) -> Result<usize> {
        critical_section::with(|cs| self.rx.borrow_ref_mut(cs).pop_into(buf))
    }

    /// Hands as much of `data` as fits to the transmit ring, enabling the transmit interrupt:
    /// how many bytes were taken.
    pub(crate) fn queue_for_sending(&self, data: &[u8]) -> usize {
        let queued = critical_section::with(|cs| {
            let mut tx = self.tx.borrow_ref_mut(cs);
            let n = data
                .iter()
                .take_while(|&&b| tx.push_back(b).is_ok())
                .count();
            let enabled = self.tx_enabled.borrow(cs);
            if n > 0 && !enabled.get() {
                enabled.set(true);
                // SAFETY: our UART; its handler fills the FIFO from the ring.
                unsafe { sys::uart_irq_tx_enable(self.dev) };
            }
            n
        });
        queued
    }

    /// Whether the transmit ring is empty (all handed to the UART).
    pub(crate) fn all_sent(&self) -> bool {
        critical_section::with(|cs| self.tx.borrow_ref(cs).is_empty())
    }

    pub(crate) fn lost_total(&self) -> u32 {
        self.lost_total.load(Ordering::Relaxed)
    }

    pub(crate) fn line_errors(&self) -> u32 {
        self.line_errors.load(Ordering::Relaxed)
    }

    /// In interrupt context: counts the line errors (framing, parity, FIFO overruns) the
    /// driver reports.
    fn check_errors(&self) {
        // SAFETY: our UART.
        if unsafe { sys::uart_err_check(self.dev) } > 0 {
            self.line_errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The UART's interrupt handler. It runs inside a critical section, which keeps `Drop` from
/// freeing the state meanwhile.
unsafe extern "C" fn on_interrupt(dev: *const device, _user_data: *mut c_void) {
    critical_section::with(|cs| {
        let open = OPEN.entries(cs);
        let Some(&(_, shared)) = open.iter().find(|&&(device, _)| device == dev as usize) else {
            return; // closed: a late call from the driver
        };
        // SAFETY: entries of `OPEN` point at live `Shared`s (removed before they are freed,
        // which the critical section holds off).
        let shared = unsafe { &*(shared as *const Shared) };
        // SAFETY: `dev` is the UART the handler was registered on; the driver calls us from
        // its interrupt, where these calls are meant to be made.
        unsafe {
            sys::uart_irq_update(dev);
            if sys::uart_irq_rx_ready(dev) > 0 {
                shared.check_errors();
                shared.receive();
            }
            if sys::uart_irq_tx_ready(dev) > 0 {
                shared.transmit();
            }
        }
    });
}

impl Drop for Shared {
    fn drop(&mut self) {
        let entry = (device_address(self.dev), self as *const Shared as usize);
        if OPEN.remove(entry) {
            // SAFETY: our UART (a `Shared` that lost the claim to another never touches it).
            unsafe {
                sys::uart_irq_rx_disable(self.dev);
                sys::uart_irq_tx_disable(self.dev);
                sys::uart_irq_callback_user_data_set(self.dev, None, ptr::null_mut());
            }
        }
    }
}

fn device_address(dev: &device) -> usize {
    dev as *const device as usize
}

/// How many UARTs are open now (their interrupt handlers registered).
///
/// ```no_run
/// use asyncio::uart::{open_uarts, Uart};
///
/// fn closes_on_drop() -> asyncio::Result<()> {
///     let (rx, tx) = Uart::from_dt(asyncio::dt_node!(uart1))?.split();
///     assert_eq!(open_uarts(), 1);
///     drop((rx, tx)); // both halves gone: handler unregistered, interrupts off
///     assert_eq!(open_uarts(), 0);
///     Ok(())
/// }
/// ```
pub fn open_uarts() -> usize {
    OPEN.len()
}
