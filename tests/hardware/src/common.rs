//! What every case uses: running a case's main task, the loop's statistics, and moving
//! emulated pins from interrupt context.

use alloc::boxed::Box;
use alloc::string::String;
use core::pin::Pin;

use asyncio::{get_event_loop, run, LoopStats};
use zephyr::time::{Duration, NoWait};
use zephyr::timer::{Callback, CallbackTimer, StoppedTimer};

/// Runs `future` as the main task, turning a loop error into a failure message.
pub fn run_case<F>(future: F) -> Result<(), String>
where
    F: core::future::Future<Output = Result<(), String>> + 'static,
{
    run(future).map_err(|e| alloc::format!("run failed: {e}"))?
}

pub fn stats() -> LoopStats {
    get_event_loop().stats()
}

/// Kernel ticks since boot (1 tick = 1 ms in this app).
pub fn now_ticks() -> i64 {
    // SAFETY: plain syscall.
    unsafe { zephyr::raw::k_uptime_ticks() }
}

/// Runs `call(&data)` once in interrupt context (a `k_timer` expiry), `ms` from now; dropping
/// the returned timer before then cancels it.
pub fn in_isr_after<T: Send + Sync>(ms: u32, data: T, call: fn(&T)) -> Pin<Box<CallbackTimer<T>>> {
    StoppedTimer::new().start_callback(Callback { call, data }, Duration::millis(ms.into()), NoWait)
}

/// An `asyncio::Error` as a failure message.
pub fn fail(e: asyncio::Error) -> String {
    alloc::format!("{e}")
}
