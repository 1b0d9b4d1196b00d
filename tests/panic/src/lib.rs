//! A panic in a task: not an exception the loop can catch, but a Zephyr fatal error, and the
//! module's fatal error handler names the task that was running.

#![no_std]

use asyncio::{create_task, run, sleep_ms, Result};

async fn read_sensor() -> Result<u32> {
    sleep_ms(10).await?;
    let readings: [u32; 0] = [];
    // A bug: indexing an empty array panics.
    Ok(readings[core::hint::black_box(0)])
}

#[no_mangle]
extern "C" fn rust_main() {
    let _ = run(async {
        let task = create_task(read_sensor());
        task.set_name("sensor-reader");
        zephyr::printkln!("waiting for the reading");
        task.await
    });
    zephyr::printkln!("not reached");
}
