//! `asyncio_current_task.py`: `current_task()` is the running task inside the loop; outside it
//! Python raises `RuntimeError`, here it returns `None` (printed as the same line).

use super::prelude::*;

pub const EXPECTED: &str = "RuntimeError\nTrue\nRuntimeError\n";

fn print_current(out: &Out) {
    match current_task() {
        Some(task) => say!(out, "{task:?}"),
        None => say!(out, "RuntimeError"),
    }
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    print_current(out);
    let main_out = out.clone();
    asyncio_core::run(async move {
        let result: Rc<RefCell<Option<TaskRef>>> = Rc::default();
        let slot = result.clone();
        let t = create_task(async move {
            *slot.borrow_mut() = current_task();
        });
        sleep_ms(0).await?;
        sleep_ms(0).await?;
        say!(
            main_out,
            "{}",
            py_bool(result.borrow().as_ref() == Some(&t.to_ref()))
        );
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
    print_current(out);
}
