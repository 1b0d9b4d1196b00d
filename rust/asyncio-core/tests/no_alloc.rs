//! Scheduling never allocates: once tasks exist, switching, sleeping, waking, awaiting another
//! task and cancelling cost no heap allocation. (Creating a task allocates its cell.)
//!
//! A separate test binary, because it installs a counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use asyncio_core::{create_task, run, sleep_ms, yield_now, Error};

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

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn switching_sleeping_waking_awaiting_and_cancelling_do_not_allocate() {
    let counted = run(async {
        let workers: Vec<_> = (1..=20u32)
            .map(|i| {
                create_task(async move {
                    loop {
                        sleep_ms(i).await?;
                        yield_now().await?;
                    }
                    #[allow(unreachable_code)]
                    Ok::<(), Error>(())
                })
            })
            .collect();
        let (short, long) = (
            create_task(async { sleep_ms(30).await }),
            create_task(async { sleep_ms(60).await }),
        );
        let victims: Vec<_> = (0..5).map(|_| create_task(sleep_ms(1_000))).collect();
        yield_now().await.unwrap(); // every task has started and armed its first timer

        let before = allocations();
        short.await.unwrap();
        for v in &victims {
            v.cancel();
        }
        for v in victims {
            assert_eq!(v.await, Err(Error::Cancelled));
        }
        long.await.unwrap();
        let counted = allocations() - before;

        for w in &workers {
            w.cancel();
        }
        counted
    })
    .unwrap();
    assert_eq!(counted, 0, "the scheduling path allocated");
}
