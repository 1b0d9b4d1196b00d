//! `asyncio_gather_notimpl.py`: MicroPython raises "can't wait" when a task being gathered is
//! awaited, and "can't gather" when a task already awaited is gathered.
//!
//! Rust differences: gathering *moves* the task handles into the gather, so awaiting one of
//! them afterwards does not compile — the first case cannot be written, and that line is gone.
//! Waiting for a task through a shared `TaskRef::wait()` while it is gathered is allowed, so
//! the second case works and no error is printed. The expected output is what remains.
//!
//! Both tasks sleep until one deadline rather than 10 ms each (the same in Python, where time
//! does not move between their starts): on boards whose clock moves while code runs (QEMU's
//! icount), a tick could fall between the two tasks' first polls, split their wake-ups across
//! rounds and change whether the gather or the main task runs first after them.

use super::prelude::*;

pub const EXPECTED: &str = "task start 1\ntask start 2\ngather_task start\ntask end 1\ntask end 2\ngather_task end\n====\ntask start 1\ntask start 2\ngather_task start\ntask end 1\ntask end 2\n";

/// 10 ms from now, on the loop's clock.
fn in_10_ms() -> Instant {
    let lp = get_event_loop();
    let ticks_per_second = u64::from(lp.platform().ticks_per_second());
    lp.time().add_ticks((10 * ticks_per_second).div_ceil(1000))
}

async fn task(out: Out, id: u32, until: Instant) -> Result<u32> {
    say!(out, "task start {id}");
    sleep_until(until).await?;
    say!(out, "task end {id}");
    Ok(id)
}

async fn gather_task(out: Out, t0: Task<Result<u32>>, t1: Task<Result<u32>>) -> Result<()> {
    say!(out, "gather_task start");
    gather((t0, t1)).await?;
    say!(out, "gather_task end");
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let o = &out;
        // Case 1: the gathered task cannot be awaited elsewhere (it was moved into the gather).
        let until = in_10_ms();
        let tasks = (
            create_task(task(o.clone(), 1, until)),
            create_task(task(o.clone(), 2, until)),
        );
        let gt = create_task(gather_task(o.clone(), tasks.0, tasks.1));
        sleep_ms(0).await?;
        gt.await?;

        say!(o, "====");

        // Case 2: a task awaited (through a TaskRef) before the gather starts can be gathered.
        let until = in_10_ms();
        let tasks = (
            create_task(task(o.clone(), 1, until)),
            create_task(task(o.clone(), 2, until)),
        );
        let refs = (tasks.0.to_ref(), tasks.1.to_ref());
        let _gt = create_task(gather_task(o.clone(), tasks.0, tasks.1));
        refs.0.wait().await?;
        refs.1.wait().await?;
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
