//! Counts the bytes the process allocates, to measure what the loop costs per task beyond the
//! task's own future.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use asyncio_core::{create_task, run, Error};

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes allocated per `create_task` minus the size of the task's future, averaged over many
/// tasks (the task list's growth is amortised in).
pub fn task_overhead_bytes() -> usize {
    const TASKS: usize = 1000;
    // What the task's own work needs: its future, or its output, whichever is larger (the task
    // holds one, then the other, in the same bytes).
    let future = async { Ok::<u64, Error>(7) };
    let work_size = std::mem::size_of_val(&future).max(std::mem::size_of::<Result<u64, Error>>());
    drop(future);
    run(async move {
        // The handles' Vec is allocated before counting: it is the benchmark's, not the loop's.
        let mut tasks = Vec::with_capacity(TASKS);
        let before = ALLOCATED.load(Ordering::Relaxed);
        for _ in 0..TASKS {
            tasks.push(create_task(async { Ok::<u64, Error>(7) }));
        }
        let per_task = (ALLOCATED.load(Ordering::Relaxed) - before) / TASKS;
        for t in tasks {
            t.await?;
        }
        Ok::<_, Error>(per_task - work_size)
    })
    .expect("the loop runs")
    .expect("no task fails")
}
