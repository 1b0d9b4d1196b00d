//! `asyncio_heaplock.py`: scheduling tasks and `sleep_ms` do not allocate. MicroPython locks
//! the heap; here the runner counts allocations and any in the window is printed, failing the
//! comparison. The `StreamWriter.write` half of the original comes with the streams API.

use super::prelude::*;

pub const EXPECTED: &str = "start\n1 0\n2 0\nsleep\n1 1\n1 2\n2 1\n1 3\nfinish\n";

async fn task(out: Out, id: u32, n: u32, ms: u32) -> Result<()> {
    for i in 0..n {
        say!(out, "{id} {i}");
        sleep_ms(ms).await?;
    }
    Ok(())
}

pub fn run(out: &Out, hooks: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let _t1 = create_task(task(out.clone(), 1, 4, 100));
        let _t2 = create_task(task(out.clone(), 2, 2, 250));
        // Test scheduling tasks, and calling sleep_ms.
        let before = hooks.allocations();
        say!(out, "start");
        sleep_ms(5).await?;
        say!(out, "sleep");
        sleep_ms(350).await?;
        say!(out, "finish");
        let allocated = hooks.allocations().zip(before).map(|(a, b)| a - b);
        if allocated != Some(0) {
            say!(out, "allocated: {allocated:?}");
        }
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
