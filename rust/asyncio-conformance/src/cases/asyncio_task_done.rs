//! `asyncio_task_done.py`: `done()` before, during and after tasks that return or raise, at
//! once or after a delay.

use super::prelude::*;

pub const EXPECTED: &str = "==========\nFalse\ntask start\ntask done\nTrue\nTrue\n==========\nFalse\ntask start\nFalse\ntask done\nTrue\n==========\nFalse\ntask start\nTrue\nValueError()\nTrue\n==========\nFalse\ntask start\nFalse\nValueError()\nTrue\n";

async fn task(out: Out, ms: Option<u32>, raise: bool) -> Result<(), Exc> {
    say!(out, "task start");
    if let Some(ms) = ms {
        sleep_ms(ms).await?;
    }
    if raise {
        return Err(Exc::value(""));
    }
    say!(out, "task done");
    Ok(())
}

async fn scenario(out: &Out, ms: Option<u32>, raise: bool) -> Result<(), Exc> {
    say!(out, "==========");
    let t = create_task(task(out.clone(), ms, raise));
    let r = t.to_ref();
    say!(out, "{}", py_bool(r.done()));
    sleep_ms(0).await?;
    say!(out, "{}", py_bool(r.done()));
    if let Err(e) = t.await {
        say!(out, "{e}");
    }
    say!(out, "{}", py_bool(r.done()));
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        // Task that finishes immediately.
        scenario(&out, None, false).await?;
        // Task that starts, runs and finishes.
        scenario(&out, Some(10), false).await?;
        // Task that raises immediately.
        scenario(&out, None, true).await?;
        // Task that raises after a delay.
        scenario(&out, Some(10), true).await
    })
    .unwrap()
    .unwrap();
}
