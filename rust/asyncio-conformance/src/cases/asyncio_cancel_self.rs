//! `asyncio_cancel_self.py`: a task cancelling itself. Deliberate difference: MicroPython raises
//! `RuntimeError("can't cancel self")`; here, as in CPython, the request is delivered at the
//! task's next await — or, as here where the task returns first, ends it cancelled. The
//! expected output is CPython's.

use super::prelude::*;

pub const EXPECTED: &str = "task start\nmain cancel\nmain done\n";

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let task_out = out.clone();
        let global_task = create_task(async move {
            say!(task_out, "task start");
            current_task().expect("inside a task").cancel();
        });
        if let Err(Error::Cancelled) = global_task.await {
            say!(out, "main cancel");
        }
        say!(out, "main done");
    })
    .unwrap();
}
