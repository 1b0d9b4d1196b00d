//! [`OpenList`]: the adapters open now, as their interrupt handlers and callbacks find them.
//!
//! A handler finds its adapter's state here, inside a critical section, rather than through a
//! pointer handed to the driver: a driver may call a handler it has just been told to forget
//! (Zephyr's UART emulator, whose work item reads the callback once and then loops), and the
//! handler must then find nothing rather than freed memory. An adapter leaves the list in its
//! `Drop`, before its state is freed, which the handler's critical section holds off.

use core::cell::RefCell;

use asyncio_core::{Error, Result};
use critical_section::{CriticalSection, Mutex};
use heapless::Vec;

/// Up to `N` entries (an address, or an address and its device), behind a critical section.
pub(crate) struct OpenList<T, const N: usize> {
    entries: Mutex<RefCell<Vec<T, N>>>,
}

impl<T: Copy + PartialEq, const N: usize> OpenList<T, N> {
    pub(crate) const fn new() -> Self {
        OpenList {
            entries: Mutex::new(RefCell::new(Vec::new())),
        }
    }

    /// Adds `entry` unless `refuse` finds a reason among those open:
    /// `Err(Error::PoolFull)` if `N` are open.
    pub(crate) fn add(&self, entry: T, refuse: impl FnOnce(&[T]) -> Result<()>) -> Result<()> {
        critical_section::with(|cs| {
            let mut entries = self.entries.borrow_ref_mut(cs);
            refuse(&entries)?;
            entries.push(entry).map_err(|_| Error::PoolFull)
        })
    }

    /// Removes `entry`: whether it was there.
    pub(crate) fn remove(&self, entry: T) -> bool {
        critical_section::with(|cs| {
            let mut entries = self.entries.borrow_ref_mut(cs);
            let before = entries.len();
            entries.retain(|&e| e != entry);
            entries.len() < before
        })
    }

    /// The entries, inside the caller's critical section (a handler's lookup).
    pub(crate) fn entries<'cs>(
        &'cs self,
        cs: CriticalSection<'cs>,
    ) -> core::cell::Ref<'cs, Vec<T, N>> {
        self.entries.borrow_ref(cs)
    }

    /// How many are open.
    pub(crate) fn len(&self) -> usize {
        critical_section::with(|cs| self.entries.borrow_ref(cs).len())
    }
}
