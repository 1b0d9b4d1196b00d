//! `asyncio_await_return.py`: awaiting a coroutine and awaiting a task both return its value.

use super::prelude::*;

pub const EXPECTED: &str = "42\n42\n";

async fn foo() -> Result<u32> {
    Ok(42)
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        say!(out, "{}", foo().await?);
        let task = create_task(foo());
        say!(out, "{}", task.await?);
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
