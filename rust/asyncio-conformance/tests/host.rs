//! The conformance suite on the host: each MicroPython test is one `#[test]`, on the host's
//! virtual clock (time moves only while the loop is parked, as on native_sim).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use asyncio_conformance::{cases::CASES, check, Hooks};

/// Counts this thread's allocations (for the heaplock test).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts calls on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

struct Host;

impl Hooks for Host {
    fn burn_ms(&self, ms: u32) {
        asyncio_core::host::thread_platform().advance(ms.into());
    }

    fn later(&self, ms: u32, f: fn()) {
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(ms.into()));
            f();
        });
    }

    fn allocations(&self) -> Option<u64> {
        Some(ALLOCATIONS.with(Cell::get))
    }
}

fn run_case(name: &str) {
    let case = CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"));
    if let Err(diff) = check(case, &Host) {
        panic!("{diff}");
    }
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name));
            }
        )*

        #[test]
        fn every_case_has_a_test() {
            let listed = [$(stringify!($name)),*];
            for case in CASES {
                assert!(listed.contains(&case.name), "{} has no #[test] here", case.name);
            }
            assert_eq!(CASES.len(), 33, "MicroPython has 33 asyncio tests");
        }
    };
}

cases!(
    asyncio_as_uasyncio,
    asyncio_await_return,
    asyncio_basic,
    asyncio_basic2,
    asyncio_cancel_fair,
    asyncio_cancel_fair2,
    asyncio_cancel_self,
    asyncio_cancel_task,
    asyncio_cancel_wait_on_finished,
    asyncio_current_task,
    asyncio_event,
    asyncio_event_fair,
    asyncio_event_queue,
    asyncio_exception,
    asyncio_fair,
    asyncio_gather,
    asyncio_gather_finished_early,
    asyncio_gather_notimpl,
    asyncio_get_event_loop,
    asyncio_heaplock,
    asyncio_iterator_event,
    asyncio_lock,
    asyncio_lock_cancel,
    asyncio_loop_stop,
    asyncio_micropython,
    asyncio_new_event_loop,
    asyncio_set_exception_handler,
    asyncio_task_done,
    asyncio_threadsafeflag,
    asyncio_wait_for,
    asyncio_wait_for_fwd,
    asyncio_wait_for_linked_task,
    asyncio_wait_task,
);
