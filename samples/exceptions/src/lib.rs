//! Exceptions: a task's error reaches whoever awaits it (`?` carries it on). An error nobody
//! awaits goes to the loop's exception handler, one scheduling round after the task ended
//! ("Task exception wasn't retrieved"). Cancellations are never reported there.

#![no_std]

extern crate alloc;

use alloc::rc::Rc;
use asyncio::{create_task, get_event_loop, sleep_ms, yield_now, Error, Result, TaskError};
use zephyr::printkln;

/// The application's own error, which can carry asyncio's.
#[derive(Debug)]
enum SensorError {
    Asyncio(Error),
    // Shown through `Debug`, which the dead-code lint does not count as a read.
    #[allow(dead_code)]
    OutOfRange(i32),
}

impl From<Error> for SensorError {
    fn from(e: Error) -> Self {
        SensorError::Asyncio(e)
    }
}

impl TaskError for SensorError {
    fn is_cancelled(&self) -> bool {
        matches!(self, SensorError::Asyncio(e) if e.is_cancelled())
    }
}

async fn read(value: i32) -> core::result::Result<i32, SensorError> {
    sleep_ms(10).await?;
    if !(-40..=85).contains(&value) {
        return Err(SensorError::OutOfRange(value));
    }
    Ok(value)
}

/// Awaits a read; its error comes out here, as an exception would in Python.
async fn average() -> core::result::Result<i32, SensorError> {
    let a = create_task(read(20)).await?;
    let b = create_task(read(999)).await?; // fails: the error propagates through `?`
    Ok((a + b) / 2)
}

async fn main() -> Result<()> {
    printkln!("awaited: {:?}", average().await);

    let lp = get_event_loop();
    lp.set_exception_handler(Some(Rc::new(|_, ctx| {
        printkln!(
            "handler: {} in {}: {:?}",
            ctx.message,
            ctx.task.name(),
            ctx.failure
        );
    })));
    let forgotten = create_task(read(-100));
    forgotten.set_name("forgotten read");
    drop(forgotten); // nobody will await it
    let cancelled = create_task(read(30));
    cancelled.cancel(); // cancellations are not failures: never reported
    sleep_ms(20).await?;
    yield_now().await?;
    printkln!("cancelled task: {:?}", cancelled.await);
    Ok(())
}

asyncio::main!(main());
