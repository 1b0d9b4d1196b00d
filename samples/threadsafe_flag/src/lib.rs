//! A button's interrupt handler wakes a task, beside a heartbeat that never misses a beat.
//!
//! The handler is C (`src/button.c`, as board code usually is). It sets `button_pressed`, a
//! `ThreadSafeFlag` defined here, through the C header the module generates (`asyncio.h`):
//! `asyncio_flag_set()` is an atomic store and a `k_poll_signal_raise`, so the loop wakes at
//! once, in the same tick. MicroPython's `ThreadSafeFlag` only sets a bit that the loop sees
//! the next time it polls.

#![no_std]

use asyncio::c_api::AsyncioFlag;
use asyncio::{create_task, sleep_ms, ticks_ms, Error, Result};
use zephyr::printkln;

/// Set by the button's interrupt handler, awaited by [`on_button`].
#[no_mangle]
pub static button_pressed: AsyncioFlag = AsyncioFlag::new();

extern "C" {
    /// Configures the button and its interrupt (src/button.c); 0 or a negative errno.
    fn button_init() -> i32;
    /// When the handler last ran, in kernel ticks.
    static button_pressed_at: i64;
}

fn uptime_ticks() -> i64 {
    // SAFETY: plain syscall.
    unsafe { zephyr::raw::k_uptime_ticks() }
}

async fn heartbeat() -> Result<()> {
    loop {
        printkln!("{:>4} ms: heartbeat", ticks_ms());
        sleep_ms(100).await?;
    }
}

async fn on_button(presses: u32) -> Result<()> {
    for n in 1..=presses {
        button_pressed.wait().await?;
        // SAFETY: written by the handler before it set the flag we just consumed.
        let latency = uptime_ticks() - unsafe { button_pressed_at };
        printkln!(
            "{:>4} ms: button pressed ({n}), task ran {latency} ticks after the interrupt",
            ticks_ms()
        );
    }
    Ok(())
}

async fn main() -> Result<()> {
    // SAFETY: a plain C call, before the interrupt is enabled anywhere else.
    let err = unsafe { button_init() };
    if err != 0 {
        return Err(Error::Os(err));
    }
    let beat = create_task(heartbeat());
    create_task(on_button(3)).await?;
    beat.cancel();
    Ok(())
}

asyncio::main!(main());
