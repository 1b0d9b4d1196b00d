//! The hardware adapters on Zephyr's emulated devices (native_sim and qemu_cortex_m3): pins
//! whose edge interrupts wake tasks at once and lose no edge, LEDs, debounced buttons,
//! switches and an encoder through contact bounce (the pins moved from interrupt context, a
//! `k_timer` expiry, as real ones would be), PWM duty and fades, a UART stream against the
//! UART emulator, a sensor against its emulator; clear errors for what the devicetree does not
//! offer, and nothing left armed or open by a cancelled waiter.

#![no_std]

extern crate alloc;

mod buttons;
mod common;
mod encoder;
mod pins;
mod pwm;
mod sensor;
mod uart;

#[no_mangle]
extern "C" fn rust_main() {
    zephyr_testkit::run_suite("asyncio_hardware", |suite| {
        pins::cases(suite);
        buttons::cases(suite);
        encoder::cases(suite);
        pwm::cases(suite);
        uart::cases(suite);
        sensor::cases(suite);
    });
}
