//! The Rust half of a C application: the tasks. C's `main()` calls [`app_create_tasks`], then
//! `asyncio_run_forever()` from the generated `asyncio.h`; a task ends the run with
//! [`Loop::stop`](asyncio::Loop::stop).

#![no_std]

use asyncio::{create_task, get_event_loop, sleep_ms, ticks_ms, Result};
use zephyr::printkln;

async fn blink() -> Result<()> {
    let mut on = false;
    loop {
        on = !on;
        printkln!(
            "{:>4} ms: led {}",
            ticks_ms(),
            if on { "on" } else { "off" }
        );
        sleep_ms(200).await?;
    }
}

async fn supervisor() -> Result<()> {
    sleep_ms(500).await?;
    printkln!("{:>4} ms: work done, stopping the loop", ticks_ms());
    get_event_loop().stop();
    Ok(())
}

/// Creates the tasks; they start when C runs the loop.
#[no_mangle]
pub extern "C" fn app_create_tasks() {
    let _blink = create_task(blink());
    let _supervisor = create_task(supervisor());
}
