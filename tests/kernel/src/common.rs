//! What every case uses: the tick clock, the loop's statistics, and running a case's main task.

use alloc::string::String;

use asyncio::{get_event_loop, run, LoopStats};
use zephyr::raw::k_uptime_ticks;

/// Kernel ticks since boot (1 tick = 1 ms in this app).
pub fn now_ticks() -> u64 {
    // SAFETY: plain syscall.
    unsafe { k_uptime_ticks() as u64 }
}

pub fn stats() -> LoopStats {
    get_event_loop().stats()
}

/// Runs `future` as the main task, turning a loop error into a failure message.
pub fn run_case<F>(future: F) -> Result<(), String>
where
    F: core::future::Future<Output = Result<(), String>> + 'static,
{
    run(future).map_err(|e| alloc::format!("run failed: {e}"))?
}

/// Blocks the calling thread (the whole loop, when called from a task) for `ms` milliseconds.
pub fn block_thread_ms(ms: i32) {
    // SAFETY: plain syscall.
    unsafe { zephyr::raw::k_sleep(zephyr::raw::k_timeout_t { ticks: ms as i64 }) };
}
