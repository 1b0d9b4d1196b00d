//! `asyncio_set_exception_handler.py`: no handler by default; a custom handler gets the
//! failures nobody retrieved, in order, one round after them; a failure awaited in time is not
//! reported. `print(handler)` of `None` prints `None`.

use super::prelude::*;

pub const EXPECTED: &str = "None\nTrue\nsleep\ncustom_handler ValueError(0, 1)\nsleep\ncustom_handler ValueError(1, 2)\ncustom_handler ValueError(2, 3)\nValueError(3, 4)\ndone\n";

async fn task(i: u32) -> Result<(), Exc> {
    // Raise with 2 args so exception prints the same in MicroPython and CPython
    Err(Exc::value(format!("{i}, {}", i + 1)))
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let lp = get_event_loop();

        // Check default exception handler, should be None
        say!(
            out,
            "{}",
            if lp.get_exception_handler().is_none() {
                "None"
            } else {
                "Some"
            }
        );

        // Set exception handler and test it was set
        let report = out.clone();
        let custom_handler: ExceptionHandler = Rc::new(move |_, ctx| {
            say!(report, "custom_handler {:?}", ctx.failure);
        });
        lp.set_exception_handler(Some(custom_handler.clone()));
        let current = lp.get_exception_handler();
        say!(
            out,
            "{}",
            py_bool(current.is_some_and(|h| Rc::ptr_eq(&h, &custom_handler)))
        );

        // Create a task that raises and uses the custom exception handler
        let _t0 = create_task(task(0));
        say!(out, "sleep");
        for _ in 0..2 {
            sleep_ms(0).await?;
        }

        // Create 2 tasks to test order of printing exception
        let _t1 = create_task(task(1));
        let _t2 = create_task(task(2));
        say!(out, "sleep");
        for _ in 0..2 {
            sleep_ms(0).await?;
        }

        // Create a task, let it run, then await it (no exception should be printed)
        let t = create_task(task(3));
        sleep_ms(0).await?;
        if let Err(e) = t.await {
            say!(out, "{e}");
        }

        say!(out, "done");
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
