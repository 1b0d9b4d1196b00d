//! The blocking-call pitfall, and its fix.
//!
//! A task that calls something blocking — a driver read that waits for the bus, a flash erase,
//! `k_msleep()` — blocks the thread the loop runs on, so *every* task stops: here a heartbeat
//! that should beat every 100 ms goes silent for 300 ms. `asyncio::offload()` runs the call on
//! the module's work queue instead; the task awaits the result and the others carry on.

#![no_std]

use asyncio::{create_task, offload, sleep_ms, ticks_ms, Result};
use zephyr::printkln;

/// A driver call that blocks its thread for 300 ms and returns a reading.
fn read_sensor_blocking() -> u32 {
    // SAFETY: plain syscall.
    unsafe { zephyr::raw::k_msleep(300) };
    42
}

async fn heartbeat() -> Result<()> {
    loop {
        printkln!("{:>4} ms: heartbeat", ticks_ms());
        sleep_ms(100).await?;
    }
}

async fn main() -> Result<()> {
    let beat = create_task(heartbeat());
    sleep_ms(150).await?;

    printkln!("{:>4} ms: inline read: every task stops", ticks_ms());
    let reading = read_sensor_blocking();
    printkln!("{:>4} ms: inline read done: {reading}", ticks_ms());

    sleep_ms(150).await?;
    printkln!(
        "{:>4} ms: offloaded read: the heartbeat goes on",
        ticks_ms()
    );
    let reading = offload(read_sensor_blocking).await?;
    printkln!("{:>4} ms: offloaded read done: {reading}", ticks_ms());

    beat.cancel();
    Ok(())
}

asyncio::main!(main());
