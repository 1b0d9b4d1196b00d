//! `asyncio_micropython.py`: `sleep_ms` and `wait_for_ms`. Deliberate difference: MicroPython
//! raises `OverflowError` for a sleep beyond its 2^29 ms tick range; here `sleep_ms` takes a
//! `u32` and the loop's clock is 64 bits wide, so no sleep can overflow and that line is gone.

use super::prelude::*;

pub const EXPECTED: &str = "True\ntask start 1\ntask end 1\n2\ntask start 2\ntimeout\nfinish\n";

async fn task(out: Out, id: u32, ms: u32) -> Result<u32> {
    say!(out, "task start {id}");
    sleep_ms(ms).await?;
    say!(out, "task end {id}");
    Ok(id * 2)
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        // Simple sleep_ms
        let t0 = ticks_ms();
        sleep_ms(1).await?;
        say!(out, "{}", py_bool(ticks_ms() - t0 < 100));

        // When task finished before the timeout
        say!(out, "{}", wait_for_ms(task(out.clone(), 1, 5), 50).await?);

        // When timeout passes and task is cancelled
        match wait_for_ms(task(out.clone(), 2, 50), 5).await {
            Err(Error::Timeout) => say!(out, "timeout"),
            other => say!(out, "{other:?}"),
        }
        say!(out, "finish");
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
