//! The traps of cooperative scheduling, each tripped once on purpose so the loop's guard fires
//! and names the task, then the fixed code beside it (docs/guide/13-pitfalls.md).
//!
//! 1. A long synchronous call: `checksum` computes for 60 ms without awaiting. The slow-task
//!    detector (`CONFIG_ASYNCIO_SLOW_TASK_MS`) logs it; the heartbeat misses its beats. The
//!    same work in 5 ms slices with a `yield_now()` between them trips nothing.
//! 2. A cancelled task that does not end: `stubborn` catches `Cancelled` and goes on sleeping.
//!    The loop warns when it is still running `CONFIG_ASYNCIO_CANCEL_GRACE_MS` after the cancel,
//!    and again when it ends without passing the cancellation on. Beside it, `polite` cleans up
//!    with an await and passes the cancellation on: nothing to warn about.
//! 3. `run()` inside a running loop: an error (`NestedRun`), not a deadlock.
//! 4. The task dump: what `asyncio tasks` in the shell and `Loop::dump()` print.
//!
//! Two more are caught by the compiler, so they cannot run here:
//! - a forgotten await, `sleep_ms(100);`, is an "unused `Sleep` that must be used" warning, an
//!   error with `#![deny(unused_must_use)]` (this crate has it);
//! - sharing a loop primitive with an interrupt handler, `static READY: Event`, fails to compile:
//!   `Event` is `!Sync`; `ThreadSafeFlag` is the ISR-safe one.

#![no_std]
#![deny(unused_must_use)]

extern crate alloc;

use alloc::rc::Rc;
use alloc::string::ToString;
use core::cell::Cell;

use asyncio::{create_task, get_event_loop, run, sleep_ms, yield_now, Error, Result};
use log::info;
use zephyr::raw::k_busy_wait;

const BEAT_MS: u32 = 10;

/// Stands for CPU work that does not await (a checksum, a compression, a blocking driver call).
fn compute_ms(ms: u32) {
    // SAFETY: a plain busy wait.
    unsafe { k_busy_wait(ms * 1000) };
}

/// Beats every 10 ms; counts the beats it missed because the loop was held.
async fn heartbeat(missed: Rc<Cell<u64>>) -> Result<()> {
    let lp = get_event_loop();
    let mut next = lp.time_ms() + u64::from(BEAT_MS);
    loop {
        sleep_ms(BEAT_MS).await?;
        let now = lp.time_ms();
        // Beats that should have happened between the last one and now.
        missed.set(missed.get() + now.saturating_sub(next) / u64::from(BEAT_MS));
        next = now + u64::from(BEAT_MS);
    }
}

async fn slow_call(missed: &Cell<u64>) -> Result<()> {
    info!("1. a long synchronous call");
    let checksum = create_task(async {
        sleep_ms(25).await?;
        compute_ms(60); // 60 ms without an await: nobody else runs
        Ok::<_, Error>(())
    });
    checksum.set_name("checksum");
    checksum.await?;
    sleep_ms(25).await?;
    info!("checksum: heartbeat missed {} beats", missed.replace(0));

    let sliced = create_task(async {
        for _ in 0..12 {
            compute_ms(5);
            yield_now().await?; // the heartbeat runs here when it is due
        }
        Ok::<_, Error>(())
    });
    sliced.set_name("sliced");
    sliced.await?;
    sleep_ms(25).await?;
    info!(
        "   the same work in slices: heartbeat missed {} beats",
        missed.replace(0)
    );
    Ok(())
}

async fn cancelled_task_that_does_not_end() -> Result<()> {
    info!("2. a cancelled task that does not end");
    let stubborn = create_task(async {
        // The bug: the cancellation is caught and the loop goes on, for 1.6 s more.
        for _ in 0..16 {
            let _ = sleep_ms(100).await;
        }
        info!("stubborn: ended without passing the cancellation on");
        Ok::<_, Error>(())
    });
    stubborn.set_name("stubborn");
    // The fix: clean up (awaiting is fine), then pass the cancellation on.
    let polite = create_task(async {
        match sleep_ms(10_000).await {
            Err(Error::Cancelled) => {
                sleep_ms(20).await?; // say goodbye, flush, park the motor
                info!("polite: cleaned up, passing the cancellation on");
                Err(Error::Cancelled)
            }
            other => other,
        }
    });
    polite.set_name("polite");
    sleep_ms(10).await?;
    stubborn.cancel();
    polite.cancel();
    let _ = polite.await;
    stubborn.await
}

async fn main_task() -> Result<()> {
    let missed = Rc::new(Cell::new(0));
    let beat = create_task(heartbeat(missed.clone()));
    beat.set_name("heartbeat");
    slow_call(&missed).await?;
    cancelled_task_that_does_not_end().await?;
    info!("3. run() inside a running loop: {:?}", run(async {}).err());
    info!("4. the task dump");
    for line in get_event_loop().dump().to_string().lines() {
        info!("{line}");
    }
    beat.cancel();
    Ok(())
}

#[no_mangle]
extern "C" fn rust_main() {
    // SAFETY: called once, before any other thread logs.
    unsafe { zephyr::set_logger().unwrap() };
    match run(async {
        if let Some(main) = asyncio::current_task() {
            main.set_name("main");
        }
        main_task().await
    }) {
        Ok(Ok(())) => info!("pitfalls: done"),
        other => log::error!("pitfalls: main task ended with {other:?}"),
    }
}
