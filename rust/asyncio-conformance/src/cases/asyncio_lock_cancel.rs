//! `asyncio_lock_cancel.py`: cancelling two of four waiters and releasing passes the lock on
//! correctly, and it ends unlocked.

use super::prelude::*;

pub const EXPECTED: &str = "task 0 start\ntask 1 start\ntask 2 start\ntask 3 start\ntask 1 cancel\ntask 2 cancel\ntask 0 lock_flag False\ntask 0 done\ntask 3 lock_flag False\ntask 3 done\nFalse\n";

async fn task(out: Out, i: u32, lock: Rc<Lock>, lock_flag: Rc<Cell<bool>>) -> Result<()> {
    say!(out, "task {i} start");
    let Ok(held) = lock.acquire().await else {
        say!(out, "task {i} cancel");
        return Ok(());
    };
    say!(out, "task {i} lock_flag {}", py_bool(lock_flag.get()));
    lock_flag.set(true);
    sleep_ms(0).await?;
    held.release();
    lock_flag.set(false);
    say!(out, "task {i} done");
    Ok(())
}

pub fn run(out: &Out, _: &'static dyn Hooks) {
    let out = out.clone();
    asyncio_core::run(async move {
        // Create a lock and acquire it so the tasks below must wait
        let lock = Rc::new(Lock::new());
        let held = lock.acquire().await?;
        let lock_flag = Rc::new(Cell::new(true));

        // Create 4 tasks and let them all run
        let tasks: Vec<_> = (0..4)
            .map(|i| create_task(task(out.clone(), i, lock.clone(), lock_flag.clone())))
            .collect();
        sleep_ms(0).await?;

        // Cancel 2 of the tasks (which are waiting on the lock) and release the lock
        tasks[1].cancel();
        tasks[2].cancel();
        held.release();
        lock_flag.set(false);

        // Let the tasks run to completion
        for _ in 0..4 {
            sleep_ms(0).await?;
        }

        // The lock should be unlocked
        say!(out, "{}", py_bool(lock.locked()));
        Ok::<_, Error>(())
    })
    .unwrap()
    .unwrap();
}
