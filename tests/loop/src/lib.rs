//! The asyncio loop on Zephyr (native_sim, qemu_cortex_m3, qemu_riscv32): it parks in one `k_poll` with the next deadline,
//! timers fire on their tick, interrupt handlers wake tasks at once, and an idle hour costs one
//! wake-up.

#![no_std]

extern crate alloc;

mod two_loops;

use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::CStr;
use core::future::poll_fn;
use core::task::Poll;
use zephyr::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

use asyncio::{create_task, get_event_loop, run, sleep_ms, yield_now, Error, LoopStats};
use futures_util::task::AtomicWaker;
use zephyr::raw::{k_current_get, k_is_in_isr, k_thread_state_str, k_tid_t, k_uptime_ticks};
use zephyr_testkit::{check, check_eq, run_suite, IsrTimer, TICK_SLACK};

fn now_ticks() -> u64 {
    // SAFETY: plain syscall.
    unsafe { k_uptime_ticks() as u64 }
}

fn stats() -> LoopStats {
    get_event_loop().stats()
}

/// Runs `future` as the main task, turning a loop error into a failure message.
fn run_case<F>(future: F) -> Result<(), String>
where
    F: core::future::Future<Output = Result<(), String>> + 'static,
{
    run(future).map_err(|e| alloc::format!("run failed: {e}"))?
}

fn run_and_nested_run() -> Result<(), String> {
    let out = run(async { (run(async { 1 }), 42) });
    check_eq!(out, Ok((Err(Error::NestedRun), 42)));
    Ok(())
}

fn rounds_are_first_in_first_out() -> Result<(), String> {
    run_case(async {
        let order = alloc::rc::Rc::new(core::cell::RefCell::new(Vec::new()));
        let tasks: Vec<_> = (0..3u32)
            .map(|id| {
                let order = order.clone();
                create_task(async move {
                    for _ in 0..2 {
                        order.borrow_mut().push(id);
                        yield_now().await?;
                    }
                    Ok::<_, Error>(())
                })
            })
            .collect();
        for t in tasks {
            check_eq!(t.await, Ok(()));
        }
        check_eq!(*order.borrow(), [0, 1, 2, 0, 1, 2]);
        Ok(())
    })
}

fn timers_wake_on_their_tick_in_deadline_order() -> Result<(), String> {
    run_case(async {
        let woke = alloc::rc::Rc::new(core::cell::RefCell::new(Vec::new()));
        let before = stats();
        let tasks: Vec<_> = [30u32, 10, 20, 10]
            .into_iter()
            .enumerate()
            .map(|(i, ms)| {
                let woke = woke.clone();
                create_task(async move {
                    let start = now_ticks();
                    sleep_ms(ms).await?;
                    let deadline = start + u64::from(ms);
                    woke.borrow_mut()
                        .push((i, now_ticks() - deadline, deadline));
                    Ok::<_, Error>(())
                })
            })
            .collect();
        for t in tasks {
            check_eq!(t.await, Ok(()));
        }
        let after = stats();
        // In deadline order, each on its tick (1 tick = 1 ms; k_poll's absolute timeout).
        let order: Vec<usize> = woke.borrow().iter().map(|&(i, _, _)| i).collect();
        check_eq!(order, [1, 3, 2, 0]);
        for &(i, late, _) in woke.borrow().iter() {
            check!(late <= TICK_SLACK, "task {i} woke {late} ticks late");
        }
        // One park per distinct deadline: the two 10 ms timers share a wake-up when they
        // started on the same tick (on a slow core, such as Cortex-M0 under QEMU, a tick may
        // pass between the two tasks' first polls).
        let mut deadlines: Vec<u64> = woke.borrow().iter().map(|&(_, _, d)| d).collect();
        deadlines.dedup();
        check!(deadlines.len() >= 3, "deadlines {deadlines:?}");
        // Each sleep reads the clock a few instructions after the task's `start`: on QEMU a
        // tick may pass in between, and that timer then has a wake-up of its own.
        let parks = after.parks - before.parks;
        let distinct = deadlines.len() as u64;
        check!(
            (distinct..=distinct + TICK_SLACK).contains(&parks),
            "{parks} parks for the deadlines {deadlines:?}"
        );
        check_eq!(after.timers_fired - before.timers_fired, 4);
        Ok(())
    })
}

static LOOP_THREAD: AtomicUsize = AtomicUsize::new(0);
static SEEN_PENDING: AtomicBool = AtomicBool::new(false);
static SEEN_IN_ISR: AtomicBool = AtomicBool::new(false);
static PROBE: IsrTimer = IsrTimer::new();

unsafe extern "C" fn probe_loop_thread(_: *mut zephyr::raw::k_timer) {
    let mut buf = [0u8; 32];
    // SAFETY: the loop thread outlives the test; the buffer is large enough for any state name.
    let state = unsafe {
        CStr::from_ptr(k_thread_state_str(
            LOOP_THREAD.load(Ordering::Relaxed) as k_tid_t,
            buf.as_mut_ptr() as *mut core::ffi::c_char,
            buf.len(),
        ))
    };
    SEEN_PENDING.store(state.to_bytes() == b"pending", Ordering::Relaxed);
    // SAFETY: plain query.
    SEEN_IN_ISR.store(unsafe { k_is_in_isr() }, Ordering::Relaxed);
}

fn an_idle_hour_costs_one_wake_up_blocked_in_k_poll() -> Result<(), String> {
    const HOUR_MS: u32 = 3_600_000;
    run_case(async {
        // SAFETY: plain syscall.
        LOOP_THREAD.store(unsafe { k_current_get() } as usize, Ordering::Relaxed);
        // Half-way through the hour, an interrupt looks at what the loop thread is doing.
        PROBE.start(HOUR_MS as i64 / 2, probe_loop_thread);
        // Start just after a tick, so that reading the clock here and the sleep reading it for
        // its deadline fall in the same tick on any board.
        sleep_ms(1).await.map_err(|_| "cancelled")?;
        let before = stats();
        let start = now_ticks();
        sleep_ms(HOUR_MS).await.map_err(|_| "cancelled")?;
        let after = stats();
        check_eq!(now_ticks() - start, HOUR_MS as u64);
        // The whole hour was one k_poll: one park, one timer, no periodic wake-ups.
        check_eq!(after.parks - before.parks, 1);
        check_eq!(after.timers_fired - before.timers_fired, 1);
        check!(
            after.rounds - before.rounds <= 1,
            "rounds: {before:?} -> {after:?}"
        );
        check!(
            SEEN_IN_ISR.load(Ordering::Relaxed),
            "the probe did not run in an ISR"
        );
        check!(
            SEEN_PENDING.load(Ordering::Relaxed),
            "the loop thread was not blocked (pending) in k_poll during the hour"
        );
        Ok(())
    })
}

static FLAG: AtomicBool = AtomicBool::new(false);
static FLAG_WAKER: AtomicWaker = AtomicWaker::new();
// 32 bits: Cortex-M3 has no 64-bit atomics, and the test runs for far fewer ticks.
static RAISED_AT: AtomicU32 = AtomicU32::new(0);
static RAISER: IsrTimer = IsrTimer::new();

unsafe extern "C" fn raise_flag(_: *mut zephyr::raw::k_timer) {
    RAISED_AT.store(now_ticks() as u32, Ordering::Relaxed);
    FLAG.store(true, Ordering::Release);
    FLAG_WAKER.wake();
}

async fn wait_flag() {
    poll_fn(|cx| {
        FLAG_WAKER.register(cx.waker());
        if FLAG.swap(false, Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}

fn an_isr_wakes_a_task_at_once() -> Result<(), String> {
    run_case(async {
        let before = stats();
        RAISER.start(10, raise_flag);
        wait_flag().await;
        let woke_at = now_ticks();
        let after = stats();
        // The wake and the run happen in the same tick: the ISR raised the loop's k_poll_signal.
        let latency = woke_at - u64::from(RAISED_AT.load(Ordering::Relaxed));
        check!(
            latency <= TICK_SLACK,
            "the task ran {latency} ticks after the ISR"
        );
        check_eq!(after.notifies - before.notifies, 1);
        check_eq!(after.parks - before.parks, 1);
        Ok(())
    })
}

fn a_waker_outliving_its_task_is_harmless() -> Result<(), String> {
    run_case(async {
        let t = create_task(async {
            // Leave the waker behind for the ISR, then finish.
            poll_fn(|cx| {
                FLAG_WAKER.register(cx.waker());
                Poll::Ready(())
            })
            .await;
        });
        check_eq!(t.await, Ok(()));
        RAISER.start(5, raise_flag);
        sleep_ms(20).await.map_err(|_| "cancelled")?;
        check_eq!(stats().tasks_alive, 1); // just the main task
        FLAG.store(false, Ordering::Relaxed);
        Ok(())
    })
}

fn cancel_wakes_a_sleeper_at_once() -> Result<(), String> {
    run_case(async {
        let sleeper = create_task(async {
            sleep_ms(10_000).await?;
            Ok::<_, Error>(())
        });
        yield_now().await.map_err(|_| "cancelled")?;
        let before = stats();
        check!(sleeper.cancel());
        check_eq!(sleeper.await, Err(Error::Cancelled));
        // The loop never parked: the sleeper ran its cancellation in the next round.
        check_eq!(stats().parks - before.parks, 0);
        check_eq!(stats().timers_armed, 0);
        Ok(())
    })
}

/// The tutorial's pattern on Zephyr's clock: cancelled, the task cleans up with an await of its
/// own (which really waits, in the loop's `k_poll`), then passes the cancellation on.
fn a_cancelled_task_awaits_its_cleanup_then_re_raises() -> Result<(), String> {
    run_case(async {
        let before = stats();
        let cleanup_ticks = alloc::rc::Rc::new(core::cell::Cell::new(None));
        let seen = cleanup_ticks.clone();
        let worker = create_task(async move {
            match sleep_ms(10_000).await {
                Err(Error::Cancelled) => {
                    let start = now_ticks();
                    sleep_ms(5).await?; // the cleanup: say goodbye, park the motor
                    seen.set(Some(now_ticks() - start));
                    Err(Error::Cancelled) // then pass it on
                }
                other => other,
            }
        });
        yield_now().await.map_err(|_| "cancelled")?;
        worker.cancel();
        check_eq!(worker.await, Err(Error::Cancelled));
        // The cleanup slept its 5 ms (1 tick = 1 ms) before the task ended.
        let ticks = cleanup_ticks.get();
        check!(
            ticks.is_some_and(|t| (5..=5 + TICK_SLACK).contains(&t)),
            "cleanup took {ticks:?} ticks"
        );
        let after = stats();
        check_eq!(after.timers_fired - before.timers_fired, 1);
        check_eq!(after.swallowed_cancels, before.swallowed_cancels);
        Ok(())
    })
}

#[no_mangle]
extern "C" fn rust_main() {
    run_suite("asyncio_loop", |suite| {
        suite.case("run_and_nested_run", run_and_nested_run);
        suite.case(
            "rounds_are_first_in_first_out",
            rounds_are_first_in_first_out,
        );
        suite.case(
            "timers_wake_on_their_tick_in_deadline_order",
            timers_wake_on_their_tick_in_deadline_order,
        );
        suite.case(
            "an_idle_hour_costs_one_wake_up_blocked_in_k_poll",
            an_idle_hour_costs_one_wake_up_blocked_in_k_poll,
        );
        suite.case("an_isr_wakes_a_task_at_once", an_isr_wakes_a_task_at_once);
        suite.case(
            "a_waker_outliving_its_task_is_harmless",
            a_waker_outliving_its_task_is_harmless,
        );
        suite.case(
            "cancel_wakes_a_sleeper_at_once",
            cancel_wakes_a_sleeper_at_once,
        );
        suite.case(
            "a_cancelled_task_awaits_its_cleanup_then_re_raises",
            a_cancelled_task_awaits_its_cleanup_then_re_raises,
        );
        two_loops::cases(suite);
    });
}
