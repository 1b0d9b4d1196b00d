//! Two LEDs fading at their own rates while a button is handled at once: the PyCon talk's
//! second job. Each fade is a task stepping its LED's duty on the loop's timer
//! (`Pwm::fade_to`); the button's edge interrupt wakes its task in the same tick, and neither
//! fade falls behind its schedule meanwhile.
//!
//! The LEDs are the devicetree's `pwm_led0` and `pwm_led1` (pwm-leds children), the button
//! `button0`. On native_sim and qemu_cortex_m3 the LEDs are on Zephyr's fake PWM controller
//! and a finger task presses an emulated button (see `boards/`).

#![no_std]

use core::sync::atomic::{AtomicU32, Ordering};

use asyncio::gpio::{Edge, InputPin};
use asyncio::pwm::{Pwm, FADE_STEP_MS};
use asyncio::{dt_node, gather, ticks_ms, Result};
use zephyr::printkln;

/// The button presses the sample waits for.
const PRESSES: u32 = 2;

/// When the finger last pressed (ms, low 32 bits).
static PRESSED_AT: AtomicU32 = AtomicU32::new(0);

/// Fades `led` up and down `fades` times, `ms` each way: how many fades ended late (a step
/// or more after their time).
async fn breathe(led: Pwm, ms: u32, fades: u32) -> Result<u32> {
    let mut late = 0;
    for fade in 1..=fades {
        let to = if fade % 2 == 1 { u16::MAX } else { 0 };
        let begun = ticks_ms();
        led.fade_to(to, ms).await?;
        if ticks_ms() - begun >= u64::from(ms + FADE_STEP_MS) {
            late += 1;
        }
    }
    printkln!(
        "{:>5} ms: {} done, {fades} fades of {ms} ms, {late} late",
        ticks_ms(),
        led.label()
    );
    Ok(late)
}

/// Handles the button's presses the moment they happen, mid-fade.
async fn on_button(mut button: InputPin, leds: [Pwm; 2]) -> Result<()> {
    for n in 1..=PRESSES {
        button.wait_for_edge(Edge::Rising).await?;
        let delay = (ticks_ms() as u32).wrapping_sub(PRESSED_AT.load(Ordering::Relaxed));
        printkln!(
            "{:>5} ms: button pressed ({n}), handled {delay} ms after; LEDs at {} and {} of 65535",
            ticks_ms(),
            leds[0].duty_u16(),
            leds[1].duty_u16()
        );
    }
    Ok(())
}

/// Presses the emulated button twice, mid-fade.
#[cfg(CONFIG_GPIO_EMUL)]
async fn finger() -> Result<()> {
    let button = asyncio::gpio::EmulatedPin::from_dt(dt_node!(button0))?;
    for at in [730, 1370] {
        asyncio::sleep_ms(at - ticks_ms() as u32).await?;
        PRESSED_AT.store(ticks_ms() as u32, Ordering::Relaxed);
        button.set(true)?;
        asyncio::sleep_ms(100).await?;
        button.set(false)?;
    }
    Ok(())
}

async fn main() -> Result<()> {
    let led0 = Pwm::from_dt(dt_node!(pwm_led0))?;
    let led1 = Pwm::from_dt(dt_node!(pwm_led1))?;
    let button = InputPin::from_dt(dt_node!(button0))?;
    #[cfg(CONFIG_GPIO_EMUL)]
    let _finger = asyncio::create_task(finger());
    let leds = [led0.clone(), led1.clone()]; // the same channels, read by the button task
    let (late0, late1, ()) = gather((
        breathe(led0, 500, 4),
        breathe(led1, 800, 2),
        on_button(button, leds),
    ))
    .await?;
    printkln!("fades late: {}", late0 + late1);
    Ok(())
}

asyncio::main!(main());
