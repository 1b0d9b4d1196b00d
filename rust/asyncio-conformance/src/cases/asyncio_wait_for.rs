//! `asyncio_wait_for.py`: the twelve scenarios of `wait_for` — finished in time, timed out
//! (the inner task cancelled, even if it ignores the cancel), raising, no timeout, the inner
//! task cancelled by a third task, the waiter cancelled, and the edge timings of cancelling the
//! waiter as the inner task finishes.

use super::prelude::*;

pub const EXPECTED: &str = "task start 1\ntask end 1\n2\n----------\ntask start 2\ntimeout\n----------\ntask_catch start\nignore cancel\ntask_catch done\nTimeoutError\n----------\ntask start\nValueError\n----------\ntask start 3\ntask end 3\n6\n----------\ntask start 4\ntask_cancel_other start\ntask_cancel_other cancel\nCancelledError()\n----------\ntask_wait_for_cancel start\ntask start 4\ntask_wait_for_cancel cancelled\n----------\ntask_wait_for_cancel_ignore start\ntask_catch start\ntask_wait_for_cancel_ignore cancelled\nignore cancel\ntask_catch done\n----------\ntask_wait_for_cancel start\ncancel wait_for\ntask start 5\ntask_wait_for_cancel cancelled\nCancelledError()\n----------\ntask_wait_for_cancel start\ntask start 6\ncancel wait_for\ntask end 6\ntask_wait_for_cancel cancelled\nCancelledError()\n----------\ntask_wait_for_cancel start\ntask start 7\ntask end 7\ncancel wait_for\ntask_wait_for_cancel cancelled\nCancelledError()\n----------\ntask_wait_for_cancel start\ntask start 8\ntask end 8\ncancel wait_for\ntask_wait_for_cancel cancelled\nCancelledError()\n----------\nfinish\n";

async fn task(out: Out, id: u32, ms: u32) -> Result<u32, Exc> {
    say!(out, "task start {id}");
    sleep_ms(ms).await?;
    say!(out, "task end {id}");
    Ok(id * 2)
}

async fn task_catch(out: Out) -> Result<(), Exc> {
    say!(out, "task_catch start");
    if sleep_ms(200).await.is_err() {
        say!(out, "ignore cancel");
    }
    say!(out, "task_catch done");
    Ok(())
}

async fn task_raise(out: Out) -> Result<u32, Exc> {
    say!(out, "task start");
    Err(Exc::value(""))
}

async fn task_cancel_other(out: Out, ms: u32, other: TaskRef) -> Result<(), Exc> {
    say!(out, "task_cancel_other start");
    sleep_ms(ms).await?;
    say!(out, "task_cancel_other cancel");
    other.cancel();
    Ok(())
}

async fn task_wait_for_cancel(out: Out, id: u32, ms: u32, wait_ms: u32) -> Result<(), Exc> {
    say!(out, "task_wait_for_cancel start");
    if let Err(e) = wait_for_ms(task(out.clone(), id, ms), wait_ms).await {
        if e.is_cancelled() {
            say!(out, "task_wait_for_cancel cancelled");
        }
        return Err(e);
    }
    Ok(())
}

async fn task_wait_for_cancel_ignore(out: Out, wait_ms: u32) -> Result<(), Exc> {
    say!(out, "task_wait_for_cancel_ignore start");
    if let Err(e) = wait_for_ms(task_catch(out.clone()), wait_ms).await {
        if e.is_cancelled() {
            say!(out, "task_wait_for_cancel_ignore cancelled");
        }
        return Err(e);
    }
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let o = &out;
        let sep = "----------";

        // When task finished before the timeout
        say!(o, "{}", wait_for_ms(task(o.clone(), 1, 10), 10_000).await?);
        say!(o, "{sep}");

        // When timeout passes and task is cancelled
        match wait_for_ms(task(o.clone(), 2, 10_000), 10).await {
            Err(Exc::Asyncio(Error::Timeout)) => say!(o, "timeout"),
            other => say!(o, "{other:?}"),
        }
        say!(o, "{sep}");

        // When timeout passes and task is cancelled, but task ignores the cancellation request
        if let Err(Exc::Asyncio(Error::Timeout)) = wait_for_ms(task_catch(o.clone()), 100).await {
            say!(o, "TimeoutError");
        }
        say!(o, "{sep}");

        // When task raises an exception
        if let Err(Exc::Value(_)) = wait_for_ms(task_raise(o.clone()), 1000).await {
            say!(o, "ValueError");
        }
        say!(o, "{sep}");

        // Timeout of None means wait forever
        say!(o, "{}", wait_for(task(o.clone(), 3, 100), None).await?);
        say!(o, "{sep}");

        // When task is cancelled by another task
        let t = create_task(task(o.clone(), 4, 10_000));
        let _c = create_task(task_cancel_other(o.clone(), 10, t.to_ref()));
        if let Err(e) = wait_for_ms(t, 1000).await {
            say!(o, "{e}");
        }
        say!(o, "{sep}");

        // When wait_for gets cancelled
        let t = create_task(task_wait_for_cancel(o.clone(), 4, 1000, 2000));
        sleep_ms(10).await?;
        t.cancel();
        sleep_ms(10).await?;
        say!(o, "{sep}");

        // When wait_for gets cancelled and awaited task ignores the cancellation request
        let t = create_task(task_wait_for_cancel_ignore(o.clone(), 2000));
        sleep_ms(10).await?;
        t.cancel();
        sleep_ms(10).await?;
        say!(o, "{sep}");

        // When wait_for gets cancelled and the task it's waiting on finishes around the same
        // time as the cancellation of the wait_for
        for num_sleep in 1..5 {
            let t = create_task(task_wait_for_cancel(o.clone(), 4 + num_sleep, 0, 2000));
            for _ in 0..num_sleep {
                sleep_ms(0).await?;
            }
            if t.done() {
                say!(o, "already done");
            }
            say!(o, "cancel wait_for");
            t.cancel();
            if let Err(e) = t.await {
                say!(o, "{e}");
            }
            say!(o, "{sep}");
        }

        say!(o, "finish");
        Ok::<_, Exc>(())
    })
    .unwrap()
    .unwrap();
}
