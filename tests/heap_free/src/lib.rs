//! The loop with no heap at all (the malloc arena at 0): the main task and every other task
//! come from static [`TaskPool`]s, the loop and its platform from static storage, the shared
//! primitives from `static`s and `StaticCell`s. What firmware that forbids `malloc` does.
//!
//! Every call to malloc is counted (`-Wl,--wrap=malloc`): the last case checks that the suite
//! made none but the one it makes on purpose, which the empty arena refuses.

#![no_std]

extern crate alloc;

use alloc::string::String;
use core::ffi::c_void;
use zephyr::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use asyncio::kernel::KSem;
use asyncio::{
    gather, get_event_loop, sleep_ms, try_create_task, yield_now, Error, Event, Lock, TaskPool,
    ThreadSafeFlag,
};
use static_cell::StaticCell;
use zephyr::raw::{k_timer, k_uptime_ticks};
use zephyr_testkit::{check, check_eq, run_suite, IsrTimer};

static MALLOC_CALLS: AtomicUsize = AtomicUsize::new(0);
/// The mallocs the suite makes on purpose (each refused).
static DELIBERATE_MALLOCS: AtomicUsize = AtomicUsize::new(0);

/// Every `malloc` of the firmware comes here (`-Wl,--wrap=malloc` in CMakeLists.txt), and is
/// refused: an empty heap on every board, native_sim's host C library included (on the qemu
/// boards the C library's arena is 0 as well, prj.conf).
#[no_mangle]
extern "C" fn __wrap_malloc(_size: usize) -> *mut c_void {
    MALLOC_CALLS.fetch_add(1, Ordering::Relaxed);
    core::ptr::null_mut()
}

/// Each case's main task (a case's future is its biggest task).
static MAIN: TaskPool<2048, 1> = TaskPool::new();
/// The cases' other tasks.
static WORKERS: TaskPool<512, 4> = TaskPool::new();

fn now_ticks() -> u32 {
    // SAFETY: plain syscall.
    unsafe { k_uptime_ticks() as u32 }
}

/// Runs `case` as the main task, in `MAIN`.
fn run_case<F>(case: F) -> Result<(), String>
where
    F: core::future::Future<Output = Result<(), String>> + 'static,
{
    match MAIN.run(case) {
        Ok(result) => result,
        Err(e) => Err(alloc::format!("run failed: {e}")),
    }
}

fn the_heap_is_empty_and_an_exhausted_heap_is_an_error() -> Result<(), String> {
    run_case(async {
        DELIBERATE_MALLOCS.fetch_add(1, Ordering::Relaxed);
        let refused = try_create_task(async { Ok::<_, Error>(1) });
        check_eq!(refused.map(drop), Err(Error::NoMemory));
        // The loop goes on: a pooled task runs after the refusal.
        let t = WORKERS.create_task(async { Ok::<_, Error>(2) }).unwrap();
        check_eq!(t.await, Ok(2));
        Ok(())
    })
}

fn pooled_tasks_sleep_and_return_their_values() -> Result<(), String> {
    run_case(async {
        let start = now_ticks();
        let sleeper = |ms: u32| async move {
            sleep_ms(ms).await?;
            Ok::<_, Error>(now_ticks() - start)
        };
        let (a, b, c) = (
            WORKERS.create_task(sleeper(30)).unwrap(),
            WORKERS.create_task(sleeper(10)).unwrap(),
            WORKERS.create_task(sleeper(20)).unwrap(),
        );
        let woke = gather((a, b, c)).await;
        // Each woke on its own deadline (1 ms ticks), none early.
        let (a, b, c) = woke.unwrap();
        check!(
            a >= 30 && b >= 10 && c >= 20,
            "woke after {a}, {b}, {c} ticks"
        );
        check!(b < c && c < a, "deadline order: {b} < {c} < {a}");
        check_eq!(WORKERS.free(), 4);
        Ok(())
    })
}

fn a_full_pool_is_an_error_and_slots_come_back() -> Result<(), String> {
    static GATE: StaticCell<Event> = StaticCell::new();
    run_case(async {
        let gate: &'static Event = GATE.init(Event::new());
        let created = get_event_loop().stats().tasks_created;
        let waiter = || async move { gate.wait().await.map(|_| 1u32) };
        let (a, b, c, d) = (
            WORKERS.create_task(waiter()).unwrap(),
            WORKERS.create_task(waiter()).unwrap(),
            WORKERS.create_task(waiter()).unwrap(),
            WORKERS.create_task(waiter()).unwrap(),
        );
        check_eq!(WORKERS.free(), 0);
        check_eq!(
            WORKERS.create_task(waiter()).map(drop),
            Err(Error::PoolFull)
        );
        // The refused spawn created nothing.
        check_eq!(get_event_loop().stats().tasks_created - created, 4);
        yield_now().await.unwrap();
        gate.set();
        check_eq!(gather((a, b, c, d)).await, Ok((1, 1, 1, 1)));
        check_eq!(WORKERS.free(), 4);
        // The freed slots are used again.
        let again = WORKERS.create_task(waiter()).unwrap();
        check_eq!(again.await, Ok(1));
        Ok(())
    })
}

static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();
static SEM: KSem = KSem::new(0, 1);
static TIMER: IsrTimer = IsrTimer::new();

unsafe extern "C" fn raise_both(_: *mut k_timer) {
    FLAG.set();
    SEM.give();
}

fn an_isr_and_a_kernel_semaphore_wake_pooled_tasks() -> Result<(), String> {
    run_case(async {
        let flagged = WORKERS
            .create_task(async { FLAG.wait().await.map(|_| now_ticks()) })
            .unwrap();
        let taken = WORKERS
            .create_task(async { SEM.take().await.map(|_| now_ticks()) })
            .unwrap();
        yield_now().await.unwrap();
        let before = get_event_loop().stats();
        let raised = now_ticks();
        TIMER.start(5, raise_both);
        let (f, s) = gather((flagged, taken)).await.unwrap();
        let after = get_event_loop().stats();
        check!(f >= raised + 5 && s >= raised + 5, "woke at {f}, {s}");
        check_eq!(after.idle_wakeups - before.idle_wakeups, 0);
        check_eq!(WORKERS.free(), 4);
        Ok(())
    })
}

fn a_pooled_task_cancelled_awaits_its_cleanup_then_re_raises() -> Result<(), String> {
    static CLEANED_AT: AtomicU32 = AtomicU32::new(0);
    run_case(async {
        let worker = WORKERS
            .create_task(async {
                match sleep_ms(1_000_000).await {
                    Err(Error::Cancelled) => {
                        // Cleanup that awaits, as the tutorial teaches, then re-raise.
                        sleep_ms(5).await?;
                        CLEANED_AT.store(now_ticks(), Ordering::Relaxed);
                        Err(Error::Cancelled)
                    }
                    other => other,
                }
            })
            .unwrap();
        yield_now().await.unwrap();
        check_eq!(WORKERS.free(), 3);
        let cancelled_at = now_ticks();
        worker.cancel();
        check_eq!(worker.await, Err(Error::Cancelled));
        let cleaned = CLEANED_AT.load(Ordering::Relaxed);
        check!(cleaned >= cancelled_at + 5, "cleaned at {cleaned}");
        check_eq!(WORKERS.free(), 4);
        Ok(())
    })
}

fn primitives_in_static_cells_are_shared_without_a_heap() -> Result<(), String> {
    static LOCK: StaticCell<Lock> = StaticCell::new();
    static HELD_BY: AtomicU32 = AtomicU32::new(0);
    run_case(async {
        let lock: &'static Lock = LOCK.init(Lock::new());
        let holder = |id: u32| async move {
            for _ in 0..3 {
                let guard = lock.acquire().await?;
                HELD_BY.store(id, Ordering::Relaxed);
                sleep_ms(2).await?;
                // Nobody else got in while this task slept holding the lock.
                let still = HELD_BY.load(Ordering::Relaxed);
                drop(guard);
                if still != id {
                    return Ok(false);
                }
            }
            Ok::<_, Error>(true)
        };
        let (a, b) = (
            WORKERS.create_task(holder(1)).unwrap(),
            WORKERS.create_task(holder(2)).unwrap(),
        );
        check_eq!(gather((a, b)).await, Ok((true, true)));
        Ok(())
    })
}

fn nothing_else_was_allocated() -> Result<(), String> {
    check_eq!(
        MALLOC_CALLS.load(Ordering::Relaxed),
        DELIBERATE_MALLOCS.load(Ordering::Relaxed)
    );
    Ok(())
}

#[no_mangle]
extern "C" fn rust_main() {
    run_suite("asyncio_heap_free", |suite| {
        suite.case(
            "the_heap_is_empty_and_an_exhausted_heap_is_an_error",
            the_heap_is_empty_and_an_exhausted_heap_is_an_error,
        );
        suite.case(
            "pooled_tasks_sleep_and_return_their_values",
            pooled_tasks_sleep_and_return_their_values,
        );
        suite.case(
            "a_full_pool_is_an_error_and_slots_come_back",
            a_full_pool_is_an_error_and_slots_come_back,
        );
        suite.case(
            "an_isr_and_a_kernel_semaphore_wake_pooled_tasks",
            an_isr_and_a_kernel_semaphore_wake_pooled_tasks,
        );
        suite.case(
            "a_pooled_task_cancelled_awaits_its_cleanup_then_re_raises",
            a_pooled_task_cancelled_awaits_its_cleanup_then_re_raises,
        );
        suite.case(
            "primitives_in_static_cells_are_shared_without_a_heap",
            primitives_in_static_cells_are_shared_without_a_heap,
        );
        suite.case("nothing_else_was_allocated", nothing_else_was_allocated);
    });
}
