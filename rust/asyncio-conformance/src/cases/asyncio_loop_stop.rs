//! `asyncio_loop_stop.py`: `stop()` takes effect when reached (tasks queued before it still
//! run), a second `stop()` does nothing, and `run_forever()` resumes unfinished tasks.

use super::prelude::*;

pub const EXPECTED: &str = "run 0\nstart\nsleep\nrun 1\nrun 2\ntask\nend\n";

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let lp = new_event_loop().unwrap();
    let o = out.clone();
    let _main = lp.create_task(async move {
        let lp = get_event_loop();
        say!(o, "start");
        // Stop the loop after next yield
        lp.stop();
        // Check that calling stop() again doesn't do/break anything
        lp.stop();
        // This await should stop
        say!(o, "sleep");
        sleep_ms(0).await?;
        // Schedule stop, then create a new task, then yield
        lp.stop();
        let t = o.clone();
        let _task = create_task(async move { say!(t, "task") });
        sleep_ms(0).await?;
        // Final stop
        say!(o, "end");
        lp.stop();
        Ok::<_, Error>(())
    });
    for i in 0..3 {
        say!(out, "run {i}");
        lp.run_forever().unwrap();
    }
}
