//! Fan-out/fan-in: three sensor reads run concurrently; `gather` waits for all of them and
//! returns their values in order. The whole takes as long as the slowest read, not the sum.
//! With `.return_exceptions()`, one failed read does not hide the others.

#![no_std]

extern crate alloc;

use alloc::vec;
use asyncio::{gather, sleep_ms, ticks_ms, Error, Result};
use zephyr::printkln;

/// A read that takes `ms`, or fails with a timeout if the sensor is unplugged.
async fn read(name: &'static str, ms: u32, value: i32, plugged: bool) -> Result<i32> {
    sleep_ms(ms).await?;
    if !plugged {
        printkln!("  {name}: no answer");
        return Err(Error::Timeout);
    }
    printkln!("  {name} = {value} after {ms} ms");
    Ok(value)
}

async fn main() -> Result<()> {
    printkln!("reading three sensors at once");
    let start = ticks_ms();
    let (temp, humidity, pressure) = gather((
        read("temperature", 30, 21, true),
        read("humidity", 50, 48, true),
        read("pressure", 10, 1013, true),
    ))
    .await?;
    printkln!(
        "all three in {} ms: {temp} C, {humidity} %, {pressure} hPa",
        ticks_ms() - start
    );

    printkln!("again, with the humidity sensor unplugged");
    let results = gather(vec![
        read("temperature", 30, 21, true),
        read("humidity", 50, 48, false),
        read("pressure", 10, 1013, true),
    ])
    .return_exceptions()
    .await?;
    printkln!("results: {results:?}");
    Ok(())
}

asyncio::main!(main());
