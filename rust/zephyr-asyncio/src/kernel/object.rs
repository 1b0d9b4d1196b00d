//! [`KernelCell`]: a kernel object declared in Rust and initialised on first use, or one
//! defined in C and borrowed.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::ptr;
use zephyr::sync::atomic::{AtomicPtr, Ordering};

/// A Zephyr kernel object for a `static`: zeroed storage, initialised by the first user (in a
/// critical section, so an interrupt handler and a thread cannot both initialise it), never
/// moved after that. Or, for an object defined in C, just its address.
pub(crate) struct KernelCell<T> {
    storage: UnsafeCell<MaybeUninit<T>>,
    /// Null until initialised; then the object's address.
    ptr: AtomicPtr<T>,
}

// SAFETY: the storage is written once, under a critical section, before `ptr` publishes it;
// afterwards it is only used through Zephyr's own (thread- and ISR-safe) calls.
unsafe impl<T> Sync for KernelCell<T> {}

impl<T> KernelCell<T> {
    pub(crate) const fn new() -> Self {
        KernelCell {
            storage: UnsafeCell::new(MaybeUninit::zeroed()),
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// A cell for an object that lives (initialised) elsewhere, e.g. defined in C.
    pub(crate) const fn external(object: *mut T) -> Self {
        KernelCell {
            storage: UnsafeCell::new(MaybeUninit::zeroed()),
            ptr: AtomicPtr::new(object),
        }
    }

    /// The object; `init` initialises it the first time (with interrupts locked out briefly).
    pub(crate) fn get(&'static self, init: impl FnOnce(*mut T)) -> *mut T {
        let object = self.ptr.load(Ordering::Acquire);
        if !object.is_null() {
            return object;
        }
        critical_section::with(|_| {
            let object = self.ptr.load(Ordering::Acquire);
            if !object.is_null() {
                return object;
            }
            let object = self.storage.get() as *mut T;
            init(object);
            self.ptr.store(object, Ordering::Release);
            object
        })
    }
}
