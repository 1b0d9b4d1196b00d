//! The camera adapter on native_sim: Zephyr's software video generator (which raises a poll
//! signal per frame) and the emulated imager (which does not: the helper thread's path).

#![no_std]

extern crate alloc;

mod common;
mod delivery;
mod fallback;
mod faults;

#[no_mangle]
extern "C" fn rust_main() {
    unsafe { zephyr::set_logger().ok() };
    zephyr_testkit::run_suite("asyncio_camera", |suite| {
        delivery::cases(suite);
        fallback::cases(suite);
        faults::cases(suite);
    });
}
