//! `asyncio_event_fair.py`: tasks that keep setting, clearing and waiting on an event do not
//! starve tasks that only yield.

use super::prelude::*;

pub const EXPECTED: &str = "sleep 0\nwait 2\nsleep 1\nwait 3\nsleep 0\nsleep 1\nwait 2\nsleep 0\nsleep 1\nwait 3\nsleep 0\nsleep 1\nwait 2\nwait 3\nwait 2\nwait 3\n";

async fn task1(out: Out, id: u32) -> Result<()> {
    for _ in 0..4 {
        say!(out, "sleep {id}");
        sleep_ms(0).await?;
    }
    Ok(())
}

async fn task2(out: Out, id: u32, ev: Rc<Event>) -> Result<()> {
    for _ in 0..4 {
        ev.set();
        ev.clear();
        say!(out, "wait {id}");
        ev.wait().await?;
    }
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let ev = Rc::new(Event::new());
        let _t0 = create_task(task1(out.clone(), 0));
        let t1 = create_task(task2(out.clone(), 2, ev.clone()));
        let _t2 = create_task(task1(out.clone(), 1));
        let _t3 = create_task(task2(out.clone(), 3, ev.clone()));
        t1.await?;
        ev.set();
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
