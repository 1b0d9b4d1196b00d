//! The asyncio "hello": two heartbeats on one loop. `fast` beats every 100 ms, `slow` every
//! 500 ms; after 5 s the main task cancels `fast`, a second later `slow`. Each heartbeat catches
//! its cancellation and returns how many times it beat, which main prints.

#![no_std]

use asyncio::{create_task, sleep_ms, ticks_ms, Error};
use log::info;

/// Beats every `ms` milliseconds until cancelled; returns the number of beats.
async fn heartbeat(name: &'static str, ms: u32) -> Result<u32, Error> {
    let mut beats = 0;
    loop {
        beats += 1;
        info!("{:>5} ms: {name} beat {beats}", ticks_ms());
        if sleep_ms(ms).await.is_err() {
            // Cancelled: the cleanup of this task is to report its count.
            info!("{:>5} ms: {name} cancelled", ticks_ms());
            return Ok(beats);
        }
    }
}

async fn main_task() -> Result<(), Error> {
    let fast = create_task(heartbeat("fast", 100));
    let slow = create_task(heartbeat("slow", 500));
    sleep_ms(5000).await?;
    fast.cancel();
    sleep_ms(1000).await?;
    slow.cancel();
    let (fast, slow) = (fast.await?, slow.await?);
    info!("done: fast beat {fast} times, slow {slow} times");
    Ok(())
}

asyncio::main!(main_task());
