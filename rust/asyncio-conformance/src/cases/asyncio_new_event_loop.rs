//! `asyncio_new_event_loop.py`: `run_forever`/`stop`/`close` on the default loop, then
//! `new_event_loop()` leaves the old tasks behind (here: drops them).

use super::prelude::*;

pub const EXPECTED: &str = "start\ntask 0\nstop\nstart\ntask 0\nstop\n";

async fn task(out: Out) -> Result<()> {
    for i in 0..4 {
        say!(out, "task {i}");
        sleep_ms(0).await?;
        sleep_ms(0).await?;
    }
    Ok(())
}

async fn main(out: Out) -> Result<()> {
    say!(out, "start");
    let _t = get_event_loop().create_task(task(out.clone()));
    sleep_ms(0).await?; // yields, meaning new task will run once
    say!(out, "stop");
    get_event_loop().stop();
    Ok(())
}

fn exception_handler(lp: Loop, context: &ExceptionContext<'_>) {
    lp.default_exception_handler(context);
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    // Use default event loop to run some tasks
    let lp = get_event_loop();
    lp.set_exception_handler(Some(Rc::new(exception_handler)));
    let _main = lp.create_task(main(out.clone()));
    lp.run_forever().unwrap();
    lp.close().unwrap();

    // Create new event loop, old one should not keep running
    let lp = new_event_loop().unwrap();
    lp.set_exception_handler(Some(Rc::new(exception_handler)));
    let _main = lp.create_task(main(out.clone()));
    lp.run_forever().unwrap();
    lp.close().unwrap();
}
