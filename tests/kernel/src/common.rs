//! What every case uses: the tick clock, the loop's statistics, running a case's main task, and
//! checking a wake-up from an interrupt handler.

use alloc::string::String;

use asyncio::c_api::AsyncioFlag;
use asyncio::{get_event_loop, run, LoopStats};
use zephyr::printkln;
use zephyr::raw::k_uptime_ticks;
use zephyr_testkit::{check, check_eq, TICK_SLACK};

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

/// Starts an interrupt source with `arm`, awaits `flag`, which its handler sets, and checks the
/// wake: the handler ran in an ISR (`record()` gives the tick it ran in and whether it was in
/// one), the task ran within [`TICK_SLACK`] ticks of it, and the loop, parked in between, was
/// notified once. `what` names the interrupt in the failure messages and the latency line.
pub async fn check_isr_wake(
    what: &str,
    flag: &AsyncioFlag,
    arm: impl FnOnce() -> Result<(), String>,
    record: impl FnOnce() -> (i64, bool),
) -> Result<(), String> {
    let before = stats();
    arm()?;
    flag.wait().await.map_err(|_| "cancelled")?;
    let woke_at = now_ticks() as i64;
    let after = stats();
    let (fired_at, in_isr) = record();
    check!(in_isr, "{what}: the handler did not run in an ISR");
    let latency = woke_at - fired_at;
    printkln!("{what}: interrupt-to-run latency {latency} ticks");
    check!(
        latency as u64 <= TICK_SLACK,
        "{what}: woke {latency} ticks late"
    );
    check_eq!(after.notifies - before.notifies, 1);
    check!(after.parks > before.parks, "{what}: the loop never parked");
    Ok(())
}
