//! `asyncio_wait_task.py`: awaiting a task, a finished task, the same task twice (the second
//! time through `TaskRef::wait()`: the result moved to the first awaiter), two tasks running
//! in parallel ("took 200 200"), and a failing task awaited at once or later.

use super::prelude::*;

pub const EXPECTED: &str = "start\ntask 1\ntask 2\n----\nstart\nhello\nworld\ntook 200 200\ntask_raise\nValueError\ntask_raise\nValueError\n";

async fn task(out: Out, t: u32) -> Result<(), Exc> {
    say!(out, "task {t}");
    Ok(())
}

async fn delay_print(out: Out, ms: u32, s: &'static str) -> Result<(), Exc> {
    sleep_ms(ms).await?;
    say!(out, "{s}");
    Ok(())
}

async fn task_raise(out: Out) -> Result<(), Exc> {
    say!(out, "task_raise");
    Err(Exc::value(""))
}

fn round_100(ms: u64) -> u64 {
    (ms + 50) / 100 * 100
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let o = &out;
        say!(o, "start");

        // Wait on a task
        create_task(task(o.clone(), 1)).await?;

        // Wait on a task that's already done
        let t = create_task(task(o.clone(), 2));
        sleep_ms(1).await?;
        let again = t.to_ref();
        t.await?;

        // Wait again on same task
        again.wait().await?;

        say!(o, "----");

        // Create 2 tasks
        let ts1 = create_task(delay_print(o.clone(), 200, "hello"));
        let ts2 = create_task(delay_print(o.clone(), 400, "world"));

        // Time how long the tasks take to finish, they should execute in parallel
        say!(o, "start");
        let t0 = ticks_ms();
        ts1.await?;
        let t1 = ticks_ms();
        ts2.await?;
        let t2 = ticks_ms();
        say!(o, "took {} {}", round_100(t1 - t0), round_100(t2 - t1));

        // Wait on a task that raises an exception
        if let Err(Exc::Value(_)) = create_task(task_raise(o.clone())).await {
            say!(o, "ValueError");
        }

        // Wait on a task that raises, but the waiting is done some time later.
        // Need to suppress the "Task exception wasn't retrieved" message.
        get_event_loop().set_exception_handler(Some(Rc::new(|_, _| {})));
        let t = create_task(task_raise(o.clone()));
        for _ in 0..5 {
            sleep_ms(0).await?;
        }
        if let Err(Exc::Value(_)) = t.await {
            say!(o, "ValueError");
        }
        Ok::<_, Exc>(())
    })
    .unwrap()
    .unwrap();
}
