//! `asyncio_cancel_fair2.py`: a task that three others keep cancelling still runs, and gets one
//! `CancelledError`; `cancel()` returns true until it is done.

use super::prelude::*;

pub const EXPECTED: &str =
    "sleep a\nsleep b 0\nsleep b 1\nsleep b 2\ncancelled a\ndone b 0\ndone b 1\ndone b 2\n";

async fn task_a(out: Out) -> Result<()> {
    loop {
        say!(out, "sleep a");
        if sleep_ms(0).await.is_err() {
            say!(out, "cancelled a");
            return Ok(());
        }
    }
}

async fn task_b(out: Out, id: u32, other: TaskRef) -> Result<()> {
    while other.cancel() {
        say!(out, "sleep b {id}");
        sleep_ms(0).await?;
    }
    say!(out, "done b {id}");
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let t = create_task(task_a(out.clone()));
        for i in 0..3 {
            let _b = create_task(task_b(out.clone(), i, t.to_ref()));
        }
        t.await
    })
    .unwrap()
    .unwrap();
}
