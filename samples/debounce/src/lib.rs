//! A bouncing button's short, long and double presses told apart, an LED toggled by the short
//! ones, and a heartbeat that never misses a beat meanwhile: the PyCon talk's first job.
//!
//! The button is the devicetree's `button0` (a gpio-keys child), the LED `led0`. On a board
//! with an emulated GPIO controller (native_sim, qemu_cortex_m3: see `boards/`), a finger task
//! presses the button the way a cheap contact does, with 20 bounces each way.

#![no_std]

use core::cell::Cell;

use asyncio::gpio::{InputPin, OutputPin};
use asyncio::{create_task, dt_node, sleep_ms, ticks_ms, Press, Pushbutton, Result};
use zephyr::printkln;

/// The heartbeat's period.
const BEAT_MS: u64 = 100;
/// A beat later than this after the one before is a missed beat.
const MISSED_MS: u64 = BEAT_MS + BEAT_MS / 2;

/// Beats so far, and how many came so late that a beat was missed.
struct Heart {
    beats: Cell<u64>,
    missed: Cell<u64>,
}

async fn heartbeat(heart: &'static Heart) -> Result<()> {
    let mut last = ticks_ms();
    loop {
        let now = ticks_ms();
        if now - last > MISSED_MS {
            heart.missed.set(heart.missed.get() + 1);
        }
        last = now;
        heart.beats.set(heart.beats.get() + 1);
        sleep_ms(BEAT_MS as u32).await?;
    }
}

/// Presses the emulated button as a person does: a short press, a long one, a double click.
#[cfg(CONFIG_GPIO_EMUL)]
async fn finger(button: asyncio::gpio::EmulatedPin) -> Result<()> {
    sleep_ms(200).await?;
    // (down for, then up for) in ms.
    for (down, up) in [(150, 1000), (1500, 1000), (120, 150), (120, 1000)] {
        button.bounce(true, 20)?;
        sleep_ms(down).await?;
        button.bounce(false, 20)?;
        sleep_ms(up).await?;
    }
    Ok(())
}

async fn main() -> Result<()> {
    let heart: &'static Heart = alloc::boxed::Box::leak(alloc::boxed::Box::new(Heart {
        beats: Cell::new(0),
        missed: Cell::new(0),
    }));
    let beat = create_task(heartbeat(heart));
    let led = OutputPin::from_dt(dt_node!(led0))?;
    let pin = InputPin::from_dt(dt_node!(button0))?;
    // An emulated input starts low, which an active-low button reads as held: let it rest
    // released first, as a real one does on its pull-up.
    #[cfg(CONFIG_GPIO_EMUL)]
    let emulated = {
        let finger = asyncio::gpio::EmulatedPin::from_dt(dt_node!(button0))?;
        finger.set(false)?;
        finger
    };
    let button = Pushbutton::new(pin).long_ms(1000).double_ms(400);
    #[cfg(CONFIG_GPIO_EMUL)]
    let _finger = create_task(finger(emulated));
    for _ in 0..3 {
        match button.next().await? {
            Press::Short => {
                led.toggle()?;
                let state = if led.is_set() { "on" } else { "off" };
                printkln!("{:>5} ms: short press, LED {state}", ticks_ms());
            }
            Press::Long => printkln!("{:>5} ms: long press", ticks_ms()),
            Press::Double => printkln!("{:>5} ms: double click", ticks_ms()),
        }
    }
    beat.cancel();
    printkln!(
        "heartbeat: {} beats, {} missed; {} gestures missed",
        heart.beats.get(),
        heart.missed.get(),
        button.missed()
    );
    Ok(())
}

extern crate alloc;

asyncio::main!(main());
