//! `asyncio_threadsafeflag.py`: a flag set from inside the loop, from outside it (MicroPython's
//! scheduler context; here another thread or an interrupt handler), set before the wait, and
//! set-clear-set.

use super::prelude::*;

pub const EXPECTED: &str = "yield\ntask 1\nset event\nyield\nwait task\ntask 1 done\n----\nyield\ntask 2\nset event\nyield\nwait task\ntask 2 done\n----\nset event\nyield\ntask 3\ntask 3 done\nwait task\n----\nset event\nyield\nclear event\nyield\nyield\ntask 4\nset event\nyield\nwait task\ntask 4 done\n";

static FLAG: ThreadSafeFlag = ThreadSafeFlag::new();

fn set_from_outside() {
    FLAG.set();
}

async fn task(out: Out, id: u32) -> Result<()> {
    say!(out, "task {id}");
    FLAG.wait().await?;
    say!(out, "task {id} done");
    Ok(())
}

pub fn run(out: &Out, hooks: &'static dyn Hooks) {
    let out = out.clone();
    FLAG.clear();
    asyncio_core::run(async move {
        let o = &out;
        // Set the flag from within the loop.
        let t = create_task(task(o.clone(), 1));
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "set event");
        FLAG.set();
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "wait task");
        t.await?;

        // Set the flag from outside the loop.
        say!(o, "----");
        let t = create_task(task(o.clone(), 2));
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "set event");
        hooks.later(0, set_from_outside);
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "wait task");
        t.await?;

        // Flag already set.
        say!(o, "----");
        say!(o, "set event");
        FLAG.set();
        let t = create_task(task(o.clone(), 3));
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "wait task");
        t.await?;

        // Flag set, cleared, and set again.
        say!(o, "----");
        say!(o, "set event");
        FLAG.set();
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "clear event");
        FLAG.clear();
        say!(o, "yield");
        sleep_ms(0).await?;
        let t = create_task(task(o.clone(), 4));
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "set event");
        FLAG.set();
        say!(o, "yield");
        sleep_ms(0).await?;
        say!(o, "wait task");
        t.await?;
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
