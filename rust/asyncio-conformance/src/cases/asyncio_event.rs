//! `asyncio_event.py`: set/clear/is_set, waiters woken in order, an already-set event, cancel
//! around set, and `wait_for` on `ev.wait()`.

use super::prelude::*;

pub const EXPECTED: &str = "False\nTrue\nFalse\n----\nyield\nstart 1\nstart 2\nset event\nyield\nTrue\nend 1\nTrue\nend 2\n----\nyield\nstart 3\nTrue\nend 3\n----\nclear event\nstart 4\nset event\nTrue\nend 4\n----\nstart 5\n----\nstart 6\n----\nset event\n----\nTimeoutError\nset event\n";

async fn task(out: Out, id: u32, ev: Rc<Event>) -> Result<()> {
    say!(out, "start {id}");
    say!(out, "{}", py_bool(ev.wait().await?));
    say!(out, "end {id}");
    Ok(())
}

async fn task_delay_set(out: Out, ms: u32, ev: Rc<Event>) -> Result<()> {
    sleep_ms(ms).await?;
    say!(out, "set event");
    ev.set();
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let ev = Rc::new(Event::new());

        // Set and clear without anything waiting, and test is_set()
        say!(out, "{}", py_bool(ev.is_set()));
        ev.set();
        say!(out, "{}", py_bool(ev.is_set()));
        ev.clear();
        say!(out, "{}", py_bool(ev.is_set()));

        // Create 2 tasks waiting on the event
        say!(out, "----");
        let _t1 = create_task(task(out.clone(), 1, ev.clone()));
        let _t2 = create_task(task(out.clone(), 2, ev.clone()));
        say!(out, "yield");
        sleep_ms(0).await?;
        say!(out, "set event");
        ev.set();
        say!(out, "yield");
        sleep_ms(0).await?;

        // Create a task waiting on the already-set event
        say!(out, "----");
        let _t3 = create_task(task(out.clone(), 3, ev.clone()));
        say!(out, "yield");
        sleep_ms(0).await?;

        // Clear event, start a task, then set event again
        say!(out, "----");
        say!(out, "clear event");
        ev.clear();
        let _t4 = create_task(task(out.clone(), 4, ev.clone()));
        sleep_ms(0).await?;
        say!(out, "set event");
        ev.set();
        sleep_ms(0).await?;

        // Cancel a task waiting on an event (set event then cancel task)
        say!(out, "----");
        let ev = Rc::new(Event::new());
        let t = create_task(task(out.clone(), 5, ev.clone()));
        sleep_ms(0).await?;
        ev.set();
        t.cancel();
        sleep_ms(100).await?;

        // Cancel a task waiting on an event (cancel task then set event)
        say!(out, "----");
        let ev = Rc::new(Event::new());
        let t = create_task(task(out.clone(), 6, ev.clone()));
        sleep_ms(0).await?;
        t.cancel();
        ev.set();
        sleep_ms(100).await?;

        // Wait for an event that does get set in time
        say!(out, "----");
        ev.clear();
        let _setter = create_task(task_delay_set(out.clone(), 10, ev.clone()));
        let waiting = ev.clone();
        wait_for_ms(async move { waiting.wait().await }, 100).await?;
        sleep_ms(0).await?;

        // Wait for an event that doesn't get set in time
        say!(out, "----");
        ev.clear();
        let _setter = create_task(task_delay_set(out.clone(), 100, ev.clone()));
        let waiting = ev.clone();
        if let Err(Error::Timeout) = wait_for_ms(async move { waiting.wait().await }, 10).await {
            say!(out, "TimeoutError");
        }
        ev.wait().await?;
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
