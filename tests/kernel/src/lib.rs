//! Kernel integration on Zephyr (native_sim and qemu_cortex_m3): interrupt handlers and threads wake tasks at once
//! and never lose a wake-up; tasks await kernel objects in the loop's one `k_poll`; blocking
//! calls are offloaded to a work queue; C code sets flags through the generated header; the
//! run-time guards count with their Kconfig defaults and the shell lists the tasks.

#![no_std]

extern crate alloc;

mod awaitables;
mod button;
mod common;
mod diagnostics;
mod floods;
mod offloading;
mod timer_irq;

#[no_mangle]
extern "C" fn rust_main() {
    zephyr_testkit::run_suite("asyncio_kernel", |suite| {
        button::cases(suite);
        timer_irq::cases(suite);
        awaitables::cases(suite);
        floods::cases(suite);
        offloading::cases(suite);
        diagnostics::cases(suite);
    });
}
