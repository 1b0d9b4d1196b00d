//! An interrupt handler written in Rust wakes a task at once, beside a heartbeat that never
//! misses a beat.
//!
//! The handler is a kernel timer's expiry function (zephyr-lang-rust's `CallbackTimer`), which
//! runs in interrupt context, as a sensor's data-ready or a button's edge interrupt would. It
//! notes the time and sets `DATA_READY`, a `ThreadSafeFlag`: an atomic store and a
//! `k_poll_signal_raise`, so the loop wakes at once, in the same tick. MicroPython's
//! `ThreadSafeFlag` only sets a bit that the loop sees the next time it polls.
//!
//! A GPIO pin needs no handler of your own: `asyncio::gpio::InputPin` registers one that sets
//! its flag (`samples/debounce`). `samples/c_main` shows a handler written in C.

#![no_std]

use core::sync::atomic::{AtomicU32, Ordering};

use asyncio::{create_task, sleep_ms, ticks_ms, Result, ThreadSafeFlag};
use zephyr::printkln;
use zephyr::time::Duration;
use zephyr::timer::{Callback, StoppedTimer};

/// How many interrupts the handler reports.
const INTERRUPTS: u32 = 3;

/// Set by the interrupt handler, awaited by [`on_data`].
static DATA_READY: ThreadSafeFlag = ThreadSafeFlag::new();
/// When the handler last ran: the kernel's tick count (its low 32 bits, which every board can
/// store atomically).
static READY_AT: AtomicU32 = AtomicU32::new(0);
/// How many times the handler ran.
static HANDLED: AtomicU32 = AtomicU32::new(0);

fn uptime_ticks() -> u32 {
    // SAFETY: a plain query of the kernel, allowed in interrupt context.
    unsafe { zephyr::raw::k_uptime_ticks() as u32 }
}

/// The interrupt handler: what an ISR should do, and no more.
fn on_interrupt(_: &()) {
    if HANDLED.fetch_add(1, Ordering::Relaxed) < INTERRUPTS {
        READY_AT.store(uptime_ticks(), Ordering::Relaxed);
        DATA_READY.set();
    }
}

async fn heartbeat() -> Result<()> {
    loop {
        printkln!("{:>4} ms: heartbeat", ticks_ms());
        sleep_ms(100).await?;
    }
}

async fn on_data() -> Result<()> {
    for n in 1..=INTERRUPTS {
        DATA_READY.wait().await?;
        let latency = uptime_ticks().wrapping_sub(READY_AT.load(Ordering::Relaxed));
        printkln!(
            "{:>4} ms: interrupt {n}, task ran {latency} ticks after it",
            ticks_ms()
        );
    }
    Ok(())
}

async fn main() -> Result<()> {
    let beat = create_task(heartbeat());
    // Every 250 ms from 250 ms on, in interrupt context.
    let interrupts = StoppedTimer::new().start_callback(
        Callback {
            call: on_interrupt,
            data: (),
        },
        Duration::millis(250),
        Duration::millis(250),
    );
    create_task(on_data()).await?;
    drop(interrupts); // stops the timer
    beat.cancel();
    Ok(())
}

asyncio::main!(main());
