//! Scheduling never allocates: once tasks exist, switching, sleeping, waking, awaiting another
//! task and cancelling cost no heap allocation. Creating a task allocates its cell, unless it
//! comes from a `TaskPool`; and a heap with no room is an error for `try_create_task`.
//!
//! A separate test binary, because it installs a counting global allocator, which can also be
//! told to refuse every allocation of the calling thread (an exhausted heap).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use std::rc::Rc;

use asyncio_core::{
    create_task, get_event_loop, new_event_loop, run, sleep_ms, try_create_task, yield_now, Error,
    Event, TaskPool,
};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static REFUSE: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: forwards to the system allocator; only counts calls on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        if REFUSE.try_with(Cell::get).unwrap_or(false) {
            return std::ptr::null_mut();
        }
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

/// Runs `f` with every allocation of this thread refused.
fn with_heap_exhausted<T>(f: impl FnOnce() -> T) -> T {
    REFUSE.with(|r| r.set(true));
    let out = f();
    REFUSE.with(|r| r.set(false));
    out
}

/// Counts its drops: a future refused a task must still be dropped, once.
struct DropCount(Rc<Cell<u32>>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn an_exhausted_heap_is_no_memory_for_try_create_task_and_nothing_is_spawned() {
    let out = run(async {
        let drops = Rc::new(Cell::new(0));
        let created = get_event_loop().stats().tasks_created;
        let future = {
            let guard = DropCount(drops.clone());
            async move {
                let _guard = guard;
                Ok::<_, Error>(1)
            }
        };
        let refused = with_heap_exhausted(|| try_create_task(future).map(drop));
        assert_eq!(refused, Err(Error::NoMemory));
        assert_eq!(drops.get(), 1, "the refused future was dropped once");
        assert_eq!(get_event_loop().stats().tasks_created, created);
        // Room again: the same call succeeds and the loop is unharmed.
        try_create_task(async { Ok::<_, Error>(2) })?.await
    })
    .unwrap();
    assert_eq!(out, Ok(2));
}

static WORKERS: TaskPool<512, 3> = TaskPool::new();

#[test]
fn pooled_tasks_allocate_nothing_and_a_full_pool_is_an_error() {
    let out = run(async {
        let ready = Rc::new(Event::new());
        let drops = Rc::new(Cell::new(0));
        let before = allocations();
        let workers: Vec<_> = (0..3u32)
            .map(|i| {
                let ready = ready.clone();
                WORKERS.create_task(async move {
                    ready.wait().await?;
                    Ok::<_, Error>(i)
                })
            })
            .collect();
        let spawned_allocations = allocations() - before;
        assert_eq!(WORKERS.free(), 0);
        let guard = DropCount(drops.clone());
        let refused = WORKERS.create_task(async move {
            let _guard = guard;
            Ok::<_, Error>(99)
        });
        assert_eq!(refused.map(drop), Err(Error::PoolFull));
        assert_eq!(drops.get(), 1, "the refused future was dropped once");
        let workers: Vec<_> = workers.into_iter().collect::<Result<_, _>>()?;
        yield_now().await?;
        ready.set();
        let mut sum = 0;
        for w in workers {
            sum += w.await?;
        }
        // Every worker finished and its handle is gone: the slots are free again, and reused.
        assert_eq!(WORKERS.free(), 3);
        let again = WORKERS.create_task(async { Ok::<_, Error>(10) })?;
        assert_eq!(WORKERS.free(), 2);
        sum += again.await?;
        Ok::<_, Error>((spawned_allocations, sum))
    })
    .unwrap();
    // The Vec of handles allocates once; the tasks themselves nothing.
    assert_eq!(out, Ok((1, 13)));
}

#[test]
fn a_cancelled_pooled_task_gives_its_slot_back() {
    static SLEEPERS: TaskPool<256, 1> = TaskPool::new();
    let out = run(async {
        let t = SLEEPERS.create_task(sleep_ms(1_000))?;
        yield_now().await?;
        assert!(SLEEPERS.create_task(sleep_ms(1)).is_err());
        t.cancel();
        assert_eq!(t.await, Err(Error::Cancelled));
        assert_eq!(SLEEPERS.free(), 1);
        SLEEPERS.create_task(sleep_ms(1))?.await
    })
    .unwrap();
    assert_eq!(out, Ok(()));
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

#[test]
fn gathering_a_tuple_of_pooled_tasks_allocates_nothing() {
    static CHILDREN: TaskPool<512, 3> = TaskPool::new();
    let out = run(async {
        let before = allocations();
        let (a, b, c) = (
            CHILDREN.create_task(async { Ok::<_, Error>(1) })?,
            CHILDREN.create_task(async {
                sleep_ms(5).await?;
                Ok::<_, Error>(2)
            })?,
            CHILDREN.create_task(async { Ok::<_, Error>(3) })?,
        );
        let sum = asyncio_core::gather((a, b, c))
            .await
            .map(|(a, b, c)| a + b + c);
        Ok::<_, Error>((sum, allocations() - before))
    })
    .unwrap();
    assert_eq!(out, Ok((Ok(6), 0)));
}

/// A task's memory goes back as soon as it is done: nothing it waited on keeps a reference.
#[test]
fn a_task_that_took_a_thread_safe_flag_is_freed_at_once() {
    static FLAG: asyncio_core::ThreadSafeFlag = asyncio_core::ThreadSafeFlag::new();
    static WAITERS: TaskPool<512, 1> = TaskPool::new();
    let out = run(async {
        let t = WAITERS.create_task(async { FLAG.wait().await })?;
        yield_now().await?; // it waits, its waker registered
        FLAG.set(); // wakes it: on its poll it takes the flag, leaving nothing registered
        t.await?;
        Ok::<_, Error>(WAITERS.free())
    })
    .unwrap();
    assert_eq!(out, Ok(1));
}

#[test]
fn closing_a_loop_frees_a_task_left_on_the_urgent_lane() {
    static URGENT: TaskPool<256, 1> = TaskPool::new();
    let lp = new_event_loop().unwrap();
    let flag = Rc::new(Event::new());
    let f = flag.clone();
    let waiter = URGENT
        .create_task(async move { asyncio_core::urgent(f.wait()).await.map(drop) })
        .unwrap();
    let w = waiter.to_ref();
    drop(waiter);
    lp.run_until_complete(async move {
        yield_now().await?; // the waiter waits, marked urgent
        flag.set(); // wakes it onto the urgent lane; the loop returns before running it
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
    assert!(!w.done());
    drop(w);
    lp.close().unwrap();
    assert_eq!(
        URGENT.free(),
        1,
        "the slot came back: the queued task was freed"
    );
}
