//! `asyncio_exception.py`: an error in the main task, or in a task it awaits, comes out of
//! `run()`; a task created but not yet run when main fails does not run.

use super::prelude::*;

pub const EXPECTED: &str =
    "main start\nValueError 1\nmain start\ntask start\nValueError 2\nmain start\nValueError 3\n";

fn report(out: &Out, result: Result<Result<(), Exc>>) {
    if let Ok(Err(Exc::Value(args))) = result {
        say!(out, "ValueError {args}");
    }
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    // main task raising an exception
    let o = out.clone();
    report(
        out,
        asyncio_core::run(async move {
            say!(o, "main start");
            Err::<(), _>(Exc::value(1))
        }),
    );

    // sub-task raising an exception
    let o = out.clone();
    report(
        out,
        asyncio_core::run(async move {
            say!(o, "main start");
            let t = o.clone();
            create_task(async move {
                say!(t, "task start");
                Err::<(), _>(Exc::value(2))
            })
            .await?;
            say!(o, "main done");
            Ok(())
        }),
    );

    // main task raising an exception with sub-task not yet scheduled
    let o = out.clone();
    report(
        out,
        asyncio_core::run(async move {
            say!(o, "main start");
            let _t = create_task(async {});
            Err::<(), _>(Exc::value(3))
        }),
    );
}
