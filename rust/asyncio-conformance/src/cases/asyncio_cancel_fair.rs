//! `asyncio_cancel_fair.py`: two tasks cancelling each other do not starve a third.
//!
//! Each task catches its cancellation and goes on waiting; it declares that deliberate with
//! `uncancel()`, so the grace guard does not warn about it (docs/semantics.md).

use super::prelude::*;

pub const EXPECTED: &str = "start 0\nstart 1\nstart 2\ndone 0\n0 cancels 1\nstart 0\ncancelled 1\n1 cancels 0\nstart 1\ndone 2\nstart 2\ncancelled 0\n0 cancels 1\nstart 0\ncancelled 1\n1 cancels 0\nstart 1\ndone 2\nstart 2\ncancelled 0\n0 cancels 1\ncancelled 1\n1 cancels 0\ndone 2\n";

type Tasks = Rc<RefCell<Vec<TaskRef>>>;

async fn task(out: Out, id: usize, other: Option<usize>, tasks: Tasks) -> Result<()> {
    for _ in 0..3 {
        say!(out, "start {id}");
        match sleep_ms(0).await {
            Ok(()) => say!(out, "done {id}"),
            Err(_) => {
                say!(out, "cancelled {id}");
                current_task().expect("in a task").uncancel();
            }
        }
        if let Some(other) = other {
            say!(out, "{id} cancels {other}");
            tasks.borrow()[other].cancel();
        }
    }
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let tasks: Tasks = Rc::default();
        let t0 = create_task(task(out.clone(), 0, Some(1), tasks.clone()));
        let t1 = create_task(task(out.clone(), 1, Some(0), tasks.clone()));
        let t2 = create_task(task(out.clone(), 2, None, tasks.clone()));
        tasks
            .borrow_mut()
            .extend([t0.to_ref(), t1.to_ref(), t2.to_ref()]);
        t2.await
    })
    .unwrap()
    .unwrap();
}
