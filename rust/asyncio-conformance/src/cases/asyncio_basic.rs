//! `asyncio_basic.py`: sleeps last as long as asked. `sleep(-1)` is `sleep_ms(0)` here (a
//! duration cannot be negative; MicroPython clamps to 0 too).

use super::prelude::*;

pub const EXPECTED: &str = "start\nafter sleep\nshort\nlong\nnegative\ntook 200 400 0\n";

async fn delay_print(out: Out, ms: u32, s: &str) -> Result<()> {
    sleep_ms(ms).await?;
    say!(out, "{s}");
    Ok(())
}

/// Python's `round(x, -2)`.
fn round_100(ms: u64) -> u64 {
    (ms + 50) / 100 * 100
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        say!(out, "start");
        sleep(Duration::from_millis(1)).await?;
        say!(out, "after sleep");
        let t0 = ticks_ms();
        delay_print(out.clone(), 200, "short").await?;
        let t1 = ticks_ms();
        delay_print(out.clone(), 400, "long").await?;
        let t2 = ticks_ms();
        delay_print(out.clone(), 0, "negative").await?;
        let t3 = ticks_ms();
        say!(
            out,
            "took {} {} {}",
            round_100(t1 - t0),
            round_100(t2 - t1),
            round_100(t3 - t2)
        );
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
