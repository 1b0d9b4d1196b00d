//! MicroPython's asyncio test suite (`rust/asyncio-conformance`) on Zephyr: each ported test
//! is a case of the `asyncio_conformance` suite.

#![no_std]

extern crate alloc;

// The cases use the portable core; this links the Zephyr platform that runs it.
extern crate asyncio;

use core::ffi::c_void;
use zephyr::sync::atomic::{AtomicUsize, Ordering};

use asyncio_conformance::{cases::CASES, check, Hooks};
use zephyr::raw::{k_busy_wait, k_timer};
use zephyr_testkit::{check_eq, run_suite, IsrTimer};

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

extern "C" {
    fn __real_malloc(size: usize) -> *mut c_void;
}

/// Every `malloc` of the firmware comes here (`-Wl,--wrap=malloc` in CMakeLists.txt).
#[no_mangle]
extern "C" fn __wrap_malloc(size: usize) -> *mut c_void {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    // SAFETY: the real malloc, with the caller's argument.
    unsafe { __real_malloc(size) }
}

static LATER: IsrTimer = IsrTimer::new();
static LATER_FN: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn run_later(_: *mut k_timer) {
    let f = LATER_FN.load(Ordering::Acquire);
    if f != 0 {
        // SAFETY: only `fn()` pointers are stored in LATER_FN.
        let f: fn() = unsafe { core::mem::transmute::<usize, fn()>(f) };
        f();
    }
}

struct Zephyr;

impl Hooks for Zephyr {
    fn burn_ms(&self, ms: u32) {
        // SAFETY: plain busy-wait; on native_sim it advances simulated time.
        unsafe { k_busy_wait(ms * 1000) };
    }

    /// From a `k_timer` expiry function: interrupt context.
    fn later(&self, ms: u32, f: fn()) {
        LATER_FN.store(f as usize, Ordering::Release);
        let ticks = (ms as u64 * zephyr::time::SYS_FREQUENCY as u64).div_ceil(1000);
        LATER.start(ticks as i64, run_later);
    }

    fn allocations(&self) -> Option<u64> {
        Some(ALLOCATIONS.load(Ordering::Relaxed) as u64)
    }
}

/// The heaplock case is only as good as the counter: it must see an allocation.
fn the_allocation_counter_counts() -> Result<(), alloc::string::String> {
    let before = Zephyr.allocations();
    let boxed = core::hint::black_box(alloc::boxed::Box::new(0u64));
    let after = Zephyr.allocations();
    drop(boxed);
    check_eq!(after.zip(before).map(|(a, b)| a - b), Some(1));
    Ok(())
}

#[no_mangle]
extern "C" fn rust_main() {
    run_suite("asyncio_conformance", |suite| {
        suite.case(
            "the_allocation_counter_counts",
            the_allocation_counter_counts,
        );
        for case in CASES {
            suite.case(case.name, || check(case, &Zephyr));
        }
    });
}
