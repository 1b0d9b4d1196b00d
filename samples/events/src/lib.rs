//! Events: one `Event` releases every task waiting for it, in the order they started waiting,
//! and stays set until cleared. Here three consumers wait for a "data ready" event that a
//! producer sets every 100 ms.

#![no_std]

extern crate alloc;

use alloc::rc::Rc;
use alloc::vec::Vec;
use asyncio::{create_task, sleep_ms, ticks_ms, Event, Result};
use zephyr::printkln;

async fn consumer(id: u32, ready: Rc<Event>) -> Result<()> {
    for _ in 0..2 {
        ready.wait().await?;
        printkln!("{:>4} ms: consumer {id} got the data", ticks_ms());
        sleep_ms(50).await?; // process it, then wait for the next batch
    }
    Ok(())
}

async fn main() -> Result<()> {
    let ready = Rc::new(Event::new());
    let consumers: Vec<_> = (1..=3)
        .map(|id| create_task(consumer(id, ready.clone())))
        .collect();
    for batch in 1..=2 {
        sleep_ms(100).await?;
        printkln!("{:>4} ms: batch {batch} ready", ticks_ms());
        ready.set(); // wakes all three
        ready.clear(); // the waiting tasks were woken all the same
    }
    for c in consumers {
        c.await?;
    }
    Ok(())
}

asyncio::main!(main());
