//! Timeouts and cancellation: `wait_for` gives a slow operation a deadline. When the deadline
//! passes, the operation's task is cancelled: its next await returns `Err(Error::Cancelled)`,
//! it runs its cleanup (which awaits: the cancellation is delivered once, so the cleanup's own
//! sleep runs in full, like a Python `finally`), and only then does `wait_for` report the
//! timeout.

#![no_std]

use asyncio::{create_task, sleep_ms, ticks_ms, wait_for_ms, Result};
use zephyr::printkln;

/// Fills a tank for `ms`; whatever happens, closes the valve before returning.
async fn fill_tank(ms: u32) -> Result<&'static str> {
    printkln!("{:>4} ms: valve open", ticks_ms());
    let filled = sleep_ms(ms).await;
    // The cleanup runs on success and on cancellation alike, and awaits as it needs.
    printkln!("{:>4} ms: closing valve", ticks_ms());
    let closing = ticks_ms();
    // Only a second cancel() would cut this short; the valve closes regardless.
    sleep_ms(5).await.ok();
    let now = ticks_ms();
    printkln!("{now:>4} ms: valve closed after {} ms", now - closing);
    filled.map(|()| "tank full")
}

async fn main() -> Result<()> {
    printkln!("-- finishes in time");
    let outcome = wait_for_ms(fill_tank(20), 100).await;
    printkln!("{:>4} ms: {outcome:?}", ticks_ms());

    printkln!("-- too slow");
    let outcome = wait_for_ms(fill_tank(500), 100).await;
    printkln!("{:>4} ms: {outcome:?}", ticks_ms());

    printkln!("-- cancelled by another task");
    let filling = create_task(fill_tank(500));
    sleep_ms(30).await?;
    filling.cancel();
    let outcome = filling.await;
    printkln!("{:>4} ms: {outcome:?}", ticks_ms());
    Ok(())
}

asyncio::main!(main());
