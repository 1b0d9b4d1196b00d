//! `asyncio_cancel_task.py`: cancel before start (the body never runs), after start, four times
//! (one `CancelledError`), awaiting a cancelled task, cancelling a finished task, and the
//! forwarding of a cancel to the awaited task.

use super::prelude::*;

pub const EXPECTED: &str = "True\ntask start\nTrue\nmain sleep\ntask cancel\ntask start\nTrue\nTrue\nTrue\nTrue\nmain sleep\ntask cancel\nmain wait\nmain got CancelledError\ntask start\ntask done\nFalse\n----\ntask 2\ntask start\nmain cancel\nmain sleep\ntask cancel\ntask 2 cancel\n----\ntask 2\ntask start\nmain cancel\nmain sleep\ntask cancel\ntask 2 done\n";

async fn task(out: Out, ms: u32, allow_cancel: bool) -> Result<()> {
    say!(out, "task start");
    match sleep_ms(ms).await {
        Ok(()) => say!(out, "task done"),
        Err(e) => {
            say!(out, "task cancel");
            if allow_cancel {
                return Err(e);
            }
        }
    }
    Ok(())
}

async fn task2(out: Out, allow_cancel: bool) -> Result<()> {
    say!(out, "task 2");
    if let Err(e) = create_task(task(out.clone(), 50, allow_cancel)).await {
        say!(out, "task 2 cancel");
        return Err(e);
    }
    say!(out, "task 2 done");
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        // Cancel task immediately
        let t = create_task(task(out.clone(), 2000, true));
        say!(out, "{}", py_bool(t.cancel()));

        // Cancel task after it has started
        let t = create_task(task(out.clone(), 2000, true));
        sleep_ms(10).await?;
        say!(out, "{}", py_bool(t.cancel()));
        say!(out, "main sleep");
        sleep_ms(10).await?;

        // Cancel task multiple times after it has started
        let t = create_task(task(out.clone(), 2000, true));
        sleep_ms(10).await?;
        for _ in 0..4 {
            say!(out, "{}", py_bool(t.cancel()));
        }
        say!(out, "main sleep");
        sleep_ms(10).await?;

        // Await on a cancelled task
        say!(out, "main wait");
        if let Err(Error::Cancelled) = t.await {
            say!(out, "main got CancelledError");
        }

        // Cancel task after it has finished
        let t = create_task(task(out.clone(), 10, false));
        sleep_ms(50).await?;
        say!(out, "{}", py_bool(t.cancel()));

        // Nested: task2 waits on task, task2 is cancelled (should cancel task then task2)
        say!(out, "----");
        let t = create_task(task2(out.clone(), true));
        sleep_ms(10).await?;
        say!(out, "main cancel");
        t.cancel();
        say!(out, "main sleep");
        sleep_ms(100).await?;

        // Nested: task2 waits on task, task2 is cancelled but task doesn't allow it (task2
        // should continue)
        say!(out, "----");
        let t = create_task(task2(out.clone(), false));
        sleep_ms(10).await?;
        say!(out, "main cancel");
        t.cancel();
        say!(out, "main sleep");
        sleep_ms(100).await?;
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
