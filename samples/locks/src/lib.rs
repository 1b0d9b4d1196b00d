//! Locks: state shared between tasks stays consistent only if no other task can run between
//! reading it and writing it back. An `await` in between lets them run — the classic lost
//! update. A `Lock` held across the await fixes it; waiting tasks get the lock in order.

#![no_std]

extern crate alloc;

use alloc::rc::Rc;
use alloc::vec::Vec;
use asyncio::{create_task, sleep_ms, Lock, Result};
use core::cell::Cell;
use zephyr::printkln;

/// Adds one to the shared counter, with an await (a slow write) between read and write.
async fn increment(counter: Rc<Cell<u32>>, lock: Option<Rc<Lock>>) -> Result<()> {
    let _held = match &lock {
        Some(lock) => Some(lock.acquire().await?), // `async with lock:`
        None => None,
    };
    let value = counter.get();
    sleep_ms(1).await?; // other tasks run here
    counter.set(value + 1);
    Ok(())
}

async fn ten_increments(lock: Option<Rc<Lock>>) -> Result<u32> {
    let counter = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..10)
        .map(|_| create_task(increment(counter.clone(), lock.clone())))
        .collect();
    for t in tasks {
        t.await?;
    }
    Ok(counter.get())
}

async fn main() -> Result<()> {
    printkln!(
        "without a lock: 10 increments give {}",
        ten_increments(None).await?
    );
    let lock = Rc::new(Lock::new());
    printkln!(
        "with a lock:    10 increments give {}",
        ten_increments(Some(lock)).await?
    );
    Ok(())
}

asyncio::main!(main());
