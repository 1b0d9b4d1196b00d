//! `asyncio_cancel_wait_on_finished.py`: cancelling a task whose awaited task just finished
//! still delivers `CancelledError` (the cancel wins over the wake not yet acted on).

use super::prelude::*;

pub const EXPECTED: &str = "main sleep\nsleep_task sleep\nwait_task wait\nmain sleep\nsleep_task wake\nmain wait\nCancelledError()\n";

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        let sleeper = out.clone();
        let sleep_task = create_task(async move {
            say!(sleeper, "sleep_task sleep");
            sleep_ms(0).await?;
            say!(sleeper, "sleep_task wake");
            Ok::<_, Error>(())
        });
        let waiter = out.clone();
        let waiting_task = create_task(async move {
            say!(waiter, "wait_task wait");
            sleep_task.await?;
            say!(waiter, "wait_task wake");
            Ok::<_, Error>(())
        });
        say!(out, "main sleep");
        sleep_ms(0).await?;
        say!(out, "main sleep");
        sleep_ms(0).await?;
        waiting_task.cancel();
        say!(out, "main wait");
        if let Err(e) = waiting_task.await {
            say!(out, "{}", Exc::from(e));
        }
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
